import { Worker } from 'node:worker_threads';
import { functionArguments, SandboxError, type SandboxLimits } from './quickjs.ts';
import type { WorkerCall, WorkerReply } from './worker.ts';

export interface FunctionPoolOptions {
  /** Worker threads at most; each is started when a call finds none free. */
  size: number;
  /** Calls that may wait for a free worker; more fail with `sandbox_busy`. */
  maxQueued?: number;
  /** How long past its time limit a call may go unanswered before its worker is terminated and replaced. */
  graceMs?: number;
}

interface Pending {
  call: WorkerCall;
  resolve(json: string): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Pending;
  watchdog?: NodeJS.Timeout;
}

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const DEFAULT_MAX_QUEUED = 1000;
const DEFAULT_GRACE_MS = 1000;

/**
 * Runs function blocks in worker threads, so that a long or runaway function stalls neither the event loop nor
 * other executions. Each worker runs one call at a time (QuickJS is synchronous) with the same limits as
 * `runFunction`; calls beyond the free workers wait in FIFO order. A worker that dies or overruns its deadline
 * (QuickJS checks it only between operations) fails its call and is replaced by the next call that needs one.
 */
export class FunctionPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private readonly maxQueued: number;
  private readonly graceMs: number;
  private closed = false;

  constructor(private readonly options: FunctionPoolOptions) {
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** `runFunction` on a worker thread. A call still waiting for a worker when `signal` aborts is dropped. */
  async run(
    code: string,
    scope: Record<string, unknown>,
    limits: SandboxLimits,
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (this.closed) throw new Error('the function sandbox is closed');
    if (this.queue.length >= this.maxQueued)
      throw new SandboxError(
        'sandbox_busy',
        `${this.queue.length} function steps are already waiting for a sandbox worker; try again later`,
      );
    const call: WorkerCall = { code, ...functionArguments(scope), limits };
    const json = await new Promise<string>((resolve, reject) => {
      const pending: Pending = { call, resolve, reject };
      this.queue.push(pending);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(pending);
          if (at < 0) return; // already running: its deadline stops it
          this.queue.splice(at, 1);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        },
        { once: true },
      );
      this.pump();
    });
    return JSON.parse(json);
  }

  /** Terminates every worker; calls not yet answered fail. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the function sandbox was closed');
    for (const pending of this.queue.splice(0)) pending.reject(gone);
    await Promise.all([...this.slots].map((slot) => this.retire(slot, gone)));
  }

  /** Hands waiting calls to free workers, starting workers while there are fewer than `size`. */
  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.job) this.start(slot, this.queue.shift()!);
    }
    const starting = [...this.slots].filter((slot) => !slot.ready).length;
    if (this.queue.length > starting && this.slots.size < this.options.size) this.spawn();
  }

  private start(slot: Slot, job: Pending): void {
    slot.job = job;
    slot.worker.ref(); // a call in flight keeps the process alive; an idle pool does not
    slot.watchdog = setTimeout(
      () =>
        void this.retire(slot, new SandboxError('timeout', `Function ran longer than ${job.call.limits.timeoutMs} ms`)),
      job.call.limits.timeoutMs + this.graceMs,
    );
    slot.worker.postMessage(job.call);
  }

  private spawn(): void {
    const slot: Slot = { worker: new Worker(ENTRY), ready: false };
    this.slots.add(slot);
    slot.worker.unref();
    slot.worker.on('message', (reply: WorkerReply) => this.answer(slot, reply));
    slot.worker.on('error', (error) => void this.retire(slot, crashed(error.message)));
    slot.worker.on('exit', (exitCode) => void this.retire(slot, crashed(`it exited with code ${exitCode}`)));
  }

  private answer(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (reply.kind === 'ready') slot.ready = true;
    else if (job) {
      this.finish(slot);
      if (reply.kind === 'output') job.resolve(reply.json);
      else if (reply.kind === 'sandbox_error') job.reject(new SandboxError(reply.code, reply.message));
      else job.reject(new Error(reply.message));
    }
    this.pump();
  }

  private finish(slot: Slot): Pending | undefined {
    const job = slot.job;
    clearTimeout(slot.watchdog);
    slot.job = undefined;
    slot.worker.unref();
    return job;
  }

  /**
   * Removes a worker, failing its call with `error`. A worker that dies before it is ready fails the first waiting
   * call instead, so that a worker that cannot start is not started again and again for the same calls.
   */
  private async retire(slot: Slot, error: Error): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = this.finish(slot) ?? (slot.ready ? undefined : this.queue.shift());
    job?.reject(error);
    await slot.worker.terminate();
    if (!this.closed) this.pump();
  }
}

function crashed(why: string): SandboxError {
  return new SandboxError('sandbox_crashed', `The worker thread running the function stopped unexpectedly: ${why}`);
}
