import fc from 'fast-check';

/** The seed every fuzz suite runs with, so that a failure in CI replays exactly on a laptop. */
export const FUZZ_SEED = 17;

/** Stops waiting for one request or event after this: a request that takes longer counts as a hang. */
export const REQUEST_BOUND_MS = 5000;

/** Resolves with `work`'s result, or rejects when it takes longer than REQUEST_BOUND_MS. */
export async function bounded<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${REQUEST_BOUND_MS} ms`)),
      REQUEST_BOUND_MS,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Strings an attacker tries first: encodings, traversal, NUL, lone surrogates, huge and odd numbers, injections. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '👋',
  '..',
  '../../etc/passwd',
  '%',
  '%zz',
  '%00',
  '%ED%A0%80',
  '%2e%2e%2f',
  "'; DROP TABLE workflows; --",
  '{{ $eval("1") }}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '-1',
  '0',
  '1e400',
  'NaN',
  '9'.repeat(40),
  'a'.repeat(250),
  'true',
  'null',
  '00000000-0000-0000-0000-000000000000',
];

/** Any text: plain, full unicode, or one of the hostile strings. */
export const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );

/** A JSON-ish value: any JSON, or objects with the field names Duet's bodies use, holding hostile values. */
export const payload = (fieldNames: string[]): fc.Arbitrary<unknown> => {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), text()), tie('tree'), { maxKeys: 5 }),
    ),
  }));
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    tree,
    fc.record(Object.fromEntries(fieldNames.map((name) => [name, tree])), { requiredKeys: [] }),
  );
};
