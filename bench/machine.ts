import os from 'node:os';

/** The machine a figure was measured on; printed with every result and written to BENCHMARKS.md. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    date: new Date().toISOString(),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) of some values, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A positive integer setting from the environment, e.g. BENCH_ROUNDS. */
export function envCount(name: string, fallback: number): number {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** One progress line on stderr, so a person sees the run advancing; stdout stays for results. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Formats a number for a table: a few significant digits, thousands separated. */
export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    maximumFractionDigits: Math.abs(value) >= 100 ? 0 : digits,
    minimumFractionDigits: 0,
  });
}

/** What a benchmark contributes to the report: a title, what was measured, a table and notes. */
export interface Section {
  title: string;
  about: string;
  table: string[][];
  notes?: string[];
}

/**
 * A benchmark: `round()` measures once (each round runs in a fresh process, see round.ts) and
 * `report()` turns the rounds into medians.
 */
export interface Benchmark<R = unknown> {
  /** How many rounds run.ts starts. */
  rounds: number;
  round(): Promise<R>;
  report(rounds: R[]): Section;
}
