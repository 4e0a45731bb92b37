import type { Dispatch, ExecutionHandler } from './dispatch.ts';

/**
 * FIFO dispatch inside this process with at most `concurrency` executions running at once.
 * An execution already queued or running is not queued twice; one enqueued while it runs is run
 * again afterwards, so a command that arrives mid-run is never lost.
 */
export class InProcessDispatch implements Dispatch {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private readonly idle: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly handler: ExecutionHandler,
    private readonly concurrency: number,
    private readonly onError: (id: string, error: unknown) => void,
  ) {}

  enqueue(executionId: string): void {
    if (this.closed) return;
    if (this.running.has(executionId)) {
      this.rerun.add(executionId);
      return;
    }
    if (this.queued.has(executionId)) return;
    this.queued.add(executionId);
    this.queue.push(executionId);
    this.pump();
  }

  depth(): number {
    return this.queue.length;
  }

  active(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.queued.clear();
    if (this.running.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.queued.delete(id);
      this.running.add(id);
      this.handler(id)
        .catch((error: unknown) => this.onError(id, error))
        .finally(() => {
          this.running.delete(id);
          if (this.rerun.delete(id)) this.enqueue(id);
          if (this.running.size === 0 && this.closed) this.idle.splice(0).forEach((resolve) => resolve());
          this.pump();
        });
    }
  }
}
