import type { Change } from '../store/executions.ts';

/** Keys whose values are credentials: they are kept out of stored step inputs (and so out of the API). */
const SECRET_KEY = /authorization|cookie|password|passwd|secret|token|api[-_]?key|credential/i;

/** A copy of a value with every credential-looking field replaced. Pure. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(item)]),
  );
}

/**
 * The clear values of the workspace secrets an execution run has read, each with what is shown instead:
 * `[secret:NAME]`. Besides the value itself (and without surrounding white space), the forms it takes once encoded
 * (JSON string escapes, URL encoding, base64 of the whole value) are replaced, so an answer echoing a header or a
 * query does not give it away.
 */
export class SecretValues {
  private readonly forms = new Map<string, string>();
  private ordered: Array<[string, string]> = [];

  add(name: string, value: string): void {
    const shown = `[secret:${name}]`;
    // A pasted value often ends with a line break that headers and key fields drop: the trimmed value counts too.
    const values = [...new Set([value, value.trim()])].filter((v) => v !== '');
    const forms = values.flatMap((v) => [
      v,
      JSON.stringify(v).slice(1, -1),
      encodeURIComponent(v),
      new URLSearchParams({ v }).toString().slice(2),
      Buffer.from(v).toString('base64'),
    ]);
    let added = false;
    for (const form of forms) {
      if (form === '' || this.forms.get(form) === shown) continue;
      this.forms.set(form, shown);
      added = true;
    }
    // Longest first: a secret that contains another is replaced whole.
    if (added) this.ordered = [...this.forms].sort(([a], [b]) => b.length - a.length);
  }

  get empty(): boolean {
    return this.forms.size === 0;
  }

  /** A copy of a JSON-like value with every known secret replaced in strings and keys; other objects (dates) kept. */
  redact<T>(value: T): T {
    return this.empty ? value : (this.walk(value) as T);
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.text(key), this.walk(item)]));
  }

  private text(text: string): string {
    let out = text;
    for (const [form, shown] of this.ordered) if (out.includes(form)) out = out.split(form).join(shown);
    return out;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Everything an execution run writes, as it may be stored and announced: the one place where redaction happens.
 * Step inputs lose credential-looking fields; step inputs, outputs and errors, event data and the execution's own
 * fields lose the values of secrets the run has read. Pure.
 */
export function redactChange(change: Change, secrets: SecretValues): Change {
  return {
    ...change,
    ...(change.execution ? { execution: secrets.redact(change.execution) } : {}),
    ...(change.steps
      ? {
          steps: change.steps.map((step) =>
            secrets.redact('input' in step ? { ...step, input: redactSecrets(step.input) } : step),
          ),
        }
      : {}),
    events: change.events.map((event) => secrets.redact(event)),
  };
}
