/** How one batch is written, and how one item is written alone when its batch failed. */
export interface BatchWriter<Item, Result> {
  /** Writes every item in one statement; an Error in the answer fails just that item (nothing of it was written). */
  writeBatch(items: Item[]): Promise<Array<Result | Error>>;
  writeOne(item: Item): Promise<Result>;
}

export interface GroupWriterOptions<Item> {
  /** At most this many items per batch. */
  maxBatch: number;
  /** Batches written at the same time (1 on PGlite, which has one connection; a few on a PostgreSQL pool). */
  concurrency: number;
  /** Items with the same key are written in submission order, never in two concurrent batches. */
  keyOf(item: Item): string;
  /** An item that must be the only one of its key in a batch (its write depends on the row as it was). */
  alone?(item: Item): boolean;
}

interface Pending<Item, Result> {
  item: Item;
  key: string;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a batch is being written (or in the same tick) are written together by
 * the next batch, so many executions share one statement and one transaction. A batch that fails is retried
 * item by item, in order, so only the item that caused the failure fails; nothing of a failed item is written,
 * and callers announce their events only once their own promise resolves (after the commit).
 */
export class GroupWriter<Item, Result> {
  private readonly queue: Array<Pending<Item, Result>> = [];
  /** Keys of items in batches being written right now. */
  private readonly busy = new Set<string>();
  private writing = 0;
  private scheduled = false;

  constructor(
    private readonly writer: BatchWriter<Item, Result>,
    private readonly options: GroupWriterOptions<Item>,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, key: this.options.keyOf(item), resolve, reject });
      this.schedule();
    });
  }

  /** Waits for the rest of this tick's submissions (setImmediate: well under a millisecond), then writes. */
  private schedule(): void {
    if (this.scheduled || this.writing >= this.options.concurrency) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.writing < this.options.concurrency) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.writing++;
      for (const pending of batch) this.busy.add(pending.key);
      void this.write(batch).finally(() => {
        for (const pending of batch) this.busy.delete(pending.key);
        this.writing--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  /** The next batch: oldest first, skipping keys another batch holds (and everything after them of that key). */
  private take(): Array<Pending<Item, Result>> {
    const batch: Array<Pending<Item, Result>> = [];
    const blocked = new Set(this.busy);
    const inBatch = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.options.maxBatch;) {
      const pending = this.queue[i]!;
      const alone = this.options.alone?.(pending.item) ?? false;
      if (blocked.has(pending.key) || (alone && inBatch.has(pending.key))) {
        blocked.add(pending.key);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      batch.push(pending);
      inBatch.add(pending.key);
      if (alone) blocked.add(pending.key);
    }
    return batch;
  }

  private async write(batch: Array<Pending<Item, Result>>): Promise<void> {
    let results: Array<Result | Error>;
    try {
      results = await this.writer.writeBatch(batch.map((p) => p.item));
    } catch {
      // Which item broke the statement is unknown: write each alone, in order, so the others still commit.
      for (const pending of batch) await this.writer.writeOne(pending.item).then(pending.resolve, pending.reject);
      return;
    }
    batch.forEach((pending, i) => {
      const result = results[i]!;
      if (result instanceof Error) pending.reject(result);
      else pending.resolve(result);
    });
  }
}
