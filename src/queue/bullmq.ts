import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Dispatch, ExecutionHandler } from './dispatch.ts';

export const QUEUE_NAME = 'duet-executions';
/** A rerun request outlives any run; it is only a hint, the reconciler is the backstop. */
const RERUN_TTL_MS = 10 * 60_000;

export interface BullDispatchOptions {
  connection: Redis;
  /** Runs executions in this process; absent for a server that only accepts work (`serve --no-worker`). */
  handler?: ExecutionHandler;
  concurrency: number;
  /** How long a worker's hold on a job lasts without renewal: a worker that dies loses its jobs after this. */
  lockMs: number;
  onError: (executionId: string | undefined, error: unknown) => void;
}

/**
 * Dispatch through BullMQ on Redis. The job id is the execution id, so a job exists at most once. A command
 * that arrives while its execution runs cannot add a second job; it leaves a rerun mark instead, and the
 * worker adds the job again when the run ends. A worker that dies mid-run stops renewing its lock, and BullMQ
 * gives the job to another worker, which continues from the last committed step.
 */
export class BullDispatch implements Dispatch {
  private readonly queue: Queue;
  private readonly worker?: Worker;
  private readonly redis: Redis;
  private running = 0;

  constructor(private readonly options: BullDispatchOptions) {
    this.redis = options.connection;
    this.queue = new Queue(QUEUE_NAME, { connection: options.connection });
    this.queue.on('error', (error) => options.onError(undefined, error));
    if (!options.handler) return;
    const handler = options.handler;
    this.worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const id = job.id!;
        await this.redis.del(rerunKey(id));
        this.running++;
        try {
          await handler(id);
        } finally {
          this.running--;
        }
      },
      {
        connection: options.connection,
        concurrency: options.concurrency,
        lockDuration: options.lockMs,
        stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
        maxStalledCount: 1,
      },
    );
    this.worker.on('error', (error) => options.onError(undefined, error));
    const again = (id: string | undefined) => {
      if (!id) return;
      this.redis
        .getdel(rerunKey(id))
        .then((mark) => (mark ? this.add(id) : undefined))
        .catch((error: unknown) => options.onError(id, error));
    };
    this.worker.on('completed', (job) => again(job.id));
    this.worker.on('failed', (job, error) => {
      options.onError(job?.id, error);
      again(job?.id);
    });
  }

  enqueue(executionId: string): void {
    this.add(executionId).catch((error: unknown) => this.options.onError(executionId, error));
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  active(): number {
    return this.running;
  }

  /** Whether some worker holds or will take this execution's job. */
  async holds(executionId: string): Promise<boolean> {
    const state = await this.queue.getJobState(executionId);
    return state !== 'unknown' && state !== 'completed' && state !== 'failed';
  }

  /** Workers connected to the queue, for /ready. */
  async workers(): Promise<number> {
    return (await this.queue.getWorkers()).length;
  }

  async close(): Promise<void> {
    // Worker.close waits for the jobs in hand to finish; the caller bounds that with its shutdown deadline.
    await this.worker?.close();
    await this.queue.close();
  }

  private async add(executionId: string): Promise<void> {
    await this.redis.set(rerunKey(executionId), '1', 'PX', RERUN_TTL_MS);
    await this.queue.add('run', {}, { jobId: executionId, removeOnComplete: true, removeOnFail: true });
  }
}

function rerunKey(executionId: string): string {
  return `duet:rerun:${executionId}`;
}
