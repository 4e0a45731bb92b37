import { everyInterval } from '../engine/periodic.ts';
import type { ConversationStore } from '../store/conversations.ts';

const BATCH = 500;

/**
 * Deletes expired conversations (an expired one already answers 404) in small batches, so the table does not
 * grow without bound and no single delete holds the database for long. Returns the stop function.
 */
export function startConversationPurger(
  store: ConversationStore,
  everyMs: number,
  report: (purged: number) => void,
  fail: (error: unknown) => void,
): () => void {
  return everyInterval(
    everyMs,
    async () => {
      let total = 0;
      for (let n = BATCH; n === BATCH; total += n) n = await store.purgeExpired(new Date(), BATCH);
      if (total > 0) report(total);
    },
    fail,
  );
}
