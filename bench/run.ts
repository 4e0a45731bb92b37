/**
 * `npm run bench [-- throughput|step-overhead|waiting-memory|function-isolation …]`: runs the benchmarks, prints the
 * figures with the machine's details and rewrites BENCHMARKS.md. Every round runs in a fresh Node
 * process (round.ts) with --expose-gc; this process only collects the rounds and takes medians.
 */
import { fork } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fmt, machine, progress, type Benchmark, type Machine, type Section } from './machine.ts';

const NAMES = [
  'throughput',
  'step-overhead',
  'waiting-memory',
  'nl-latency',
  'conversations',
  'chat-turn',
  'socket-fanout',
  'queue-throughput',
  'auth-overhead',
  'function-isolation',
  'graph-validation',
  'webhooks',
  'schedules',
  'knowledge',
  'sms-inbound',
];
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runRound(name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(`${BENCH_DIR}round.ts`, [name], {
      cwd: ROOT,
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: unknown;
    child.on('message', (message) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`a round of ${name} failed (exit ${signal ?? code}); its error is above`));
    });
  });
}

function markdownTable(rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

/** The `## …` sections of the current BENCHMARKS.md by title, so a partial run keeps the figures it did not re-measure. */
async function previousSections(): Promise<Map<string, string>> {
  const text = await readFile(`${ROOT}BENCHMARKS.md`, 'utf8').catch(() => '');
  const blocks = text.split(/\n(?=## )/).slice(1);
  return new Map(blocks.map((block) => [block.slice(3, block.indexOf('\n')).trim(), block.trimEnd()]));
}

function render(
  m: Machine,
  sections: Array<Section & { rounds: number; minutes: number }>,
  totalMinutes: number,
  previous: Map<string, string>,
): string {
  const intro = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (code in [bench/](bench/)); \`npm run bench -- <name>\` (${NAMES.join(', ')}) ` +
      'runs some of them and replaces just their sections here. Each section says when it was measured. `npm test` never runs them and no test asserts a timing.',
    '',
    `Figures are **medians of N rounds** on a shared, noisy ${m.cores}-core machine: read them as orders of magnitude and ` +
      'ratios to the baseline measured in the same run, not as precise numbers. Each round runs in a fresh Node process ' +
      '(with `--expose-gc`) with a fresh embedded database (PGlite on disk in a temp `DATA_DIR` under the OS temp dir) and ' +
      'the real server started in that process by `startServer` (`LOG_LEVEL=silent`, `MAX_CONCURRENT_EXECUTIONS=200`). ' +
      'Settings: `BENCH_ROUNDS` (default 3), `BENCH_SECONDS` (throughput load per round, default 10), ' +
      '`BENCH_WAITING` (default 10000) and `BENCH_MEMORY_ROUNDS` (default 1: ten thousand starts take minutes here), ' +
      '`BENCH_CONVERSATIONS` (default 1000), `BENCH_CLIENTS` (socket fan-out, default 5000), `BENCH_AUTH_SECONDS` (default 5), `BENCH_SCHEDULES` (default 1000). `queue-throughput` and `schedules` run on a ' +
      'real PostgreSQL (`DUET_TEST_DATABASE_URL`, as for `npm run test:services`) and starts its own `redis-server`.',
    '',
    markdownTable([
      ['machine', ''],
      ['CPU', m.cpu],
      ['cores', String(m.cores)],
      ['memory', `${m.memoryGiB} GiB`],
      ['Node', m.node],
      ['OS', m.os],
      ['last run', m.date],
      ['last run took', `${fmt(totalMinutes)} min`],
    ]),
  ];
  const fresh = new Map(
    sections.map((s) => [
      s.title,
      [
        `## ${s.title}`,
        '',
        s.about,
        '',
        `Median of ${s.rounds} round${s.rounds === 1 ? '' : 's'} (${fmt(s.minutes)} min in all), measured ${m.date.slice(0, 16).replace('T', ' ')} UTC.`,
        '',
        markdownTable(s.table),
        ...(s.notes?.length ? ['', ...s.notes.map((n) => `- ${n}`)] : []),
      ].join('\n'),
    ]),
  );
  const titles = [...new Set([...previous.keys(), ...fresh.keys()])];
  const body = titles.flatMap((title) => ['', fresh.get(title) ?? previous.get(title)!]);
  return `${[...intro, ...body].join('\n')}\n`;
}

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : NAMES;
const unknown = wanted.filter((name) => !NAMES.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${NAMES.join(', ')}`);
  process.exit(2);
}

const m = machine();
const began = performance.now();
console.log(`${m.cpu} · ${m.cores} cores · ${m.memoryGiB} GiB · Node ${m.node} · ${m.os} · ${m.date}`);
const sections: Array<Section & { rounds: number; minutes: number }> = [];
for (const name of wanted) {
  const { benchmark } = (await import(`./${name}.ts`)) as { benchmark: Benchmark };
  const start = performance.now();
  const rounds: unknown[] = [];
  for (let i = 1; i <= benchmark.rounds; i++) {
    progress(`${name}: round ${i} of ${benchmark.rounds}`);
    rounds.push(await runRound(name));
  }
  const section = { ...benchmark.report(rounds), rounds: rounds.length, minutes: (performance.now() - start) / 60_000 };
  sections.push(section);
  console.log(
    `\n## ${section.title}\n\n${markdownTable(section.table)}\n${(section.notes ?? []).map((n) => `- ${n}`).join('\n')}`,
  );
}
const markdown = render(m, sections, (performance.now() - began) / 60_000, await previousSections());
await writeFile(`${ROOT}BENCHMARKS.md`, markdown);
progress(`done in ${fmt((performance.now() - began) / 60_000)} min; wrote BENCHMARKS.md`);
