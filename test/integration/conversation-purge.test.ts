import { ne, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startConversationPurger } from '../../src/conversation/purger.ts';
import { ConversationStore } from '../../src/store/conversations.ts';
import type { Database } from '../../src/store/db.ts';
import { conversationTurns } from '../../src/store/schema.ts';
import { ensureDefaultWorkspace } from '../../src/store/workspaces.ts';
import { openTestDatabase } from '../support/db.ts';

let db: Database;
let store: ConversationStore;
let workspaceId: string;
beforeEach(async () => {
  db = await openTestDatabase();
  workspaceId = (await ensureDefaultWorkspace(db)).id;
  store = new ConversationStore(db, 100);
});
afterEach(async () => {
  await db.close();
});

async function conversation(expiresInMs: number): Promise<string> {
  const row = await store.create({
    workspaceId,
    channel: 'api',
    config: {},
    expiresAt: new Date(Date.now() + expiresInMs),
  });
  await store.append(
    row.id,
    [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello' },
    ],
    {},
  );
  return row.id;
}

describe('expired conversations', () => {
  it('are deleted with their turns in batches; live ones stay', async () => {
    const expired = await Promise.all([1, 2, 3].map(() => conversation(-60_000)));
    const live = await conversation(60_000);
    expect(await store.purgeExpired(new Date(), 2)).toBe(2);
    expect(await store.purgeExpired(new Date(), 2)).toBe(1);
    expect(await store.purgeExpired(new Date(), 2)).toBe(0);
    for (const id of expired) expect(await store.find(id)).toBeNull();
    expect((await store.get(workspaceId, live)).id).toBe(live);
    expect(await store.turns(live)).toHaveLength(2);
    const [orphans] = await db.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(conversationTurns)
      .where(ne(conversationTurns.conversationId, live));
    expect(orphans!.n).toBe(0);
  });

  it('are swept on a timer that reports how many went', async () => {
    await conversation(-1000);
    await conversation(-1000);
    const reports: number[] = [];
    const stop = startConversationPurger(
      store,
      20,
      (n) => reports.push(n),
      (error) => {
        throw error;
      },
    );
    try {
      for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    expect(reports).toEqual([2]);
    expect(await store.countActive()).toBe(0);
  });
});
