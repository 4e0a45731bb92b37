import { Worker } from 'node:worker_threads';
import { acceptGraph, requireValidGraph } from '../../graph/require-valid.ts';
import { checkSize } from '../../graph/size.ts';
import type { ValidateOptions, ValidationResult } from '../../graph/validate.ts';
import type { WorkflowGraph } from '../../model/graph.ts';
import type { CheckCall, CheckReply } from './worker.ts';

const ENTRY = new URL('./worker-entry.js', import.meta.url);
/** Up to this many nodes a graph is checked inline: compiling its templates takes less than a trip to the worker. */
const INLINE_NODES = 50;

interface Pending {
  resolve(result: ValidationResult): void;
  reject(error: Error): void;
}

/**
 * Validates submitted graphs for the API. A large graph is checked on a worker thread, because compiling every
 * template of a graph at MAX_WORKFLOW_NODES takes long enough to stall every other request; an oversized one is
 * refused at once, before any work that grows with its size.
 */
export class GraphChecker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(readonly options: ValidateOptions) {}

  /** The parsed graph, or throws `invalid_graph` (422) / `payload_too_large` (413) as `requireValidGraph` does. */
  async require(raw: unknown): Promise<WorkflowGraph> {
    const nodes = (raw as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(nodes) || nodes.length <= INLINE_NODES || checkSize(raw, this.options).length > 0) {
      return requireValidGraph(raw, this.options);
    }
    return acceptGraph(await this.onWorker(raw));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private onWorker(raw: unknown): Promise<ValidationResult> {
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, raw, options: this.options } satisfies CheckCall);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(ENTRY);
    worker.unref();
    worker.on('message', (reply: CheckReply) => {
      const job = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('result' in reply) job?.resolve(reply.result);
      else job?.reject(new Error(`checking the graph failed: ${reply.error}`));
    });
    // A dead worker fails what it held; the next large graph starts a new one.
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const job of this.pending.values()) job.reject(new Error(`the graph checker stopped: ${why}`));
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`it exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}
