import { readFileSync } from 'node:fs';
import { ensureDefaultWorkspace } from '../src/store/workspaces.ts';
// Turns that read the workflow and the run but start nothing, so the figure is the turn path itself.
import { MESSAGES } from './conversations.ts';
import { startDuet } from './duet.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

const CONCURRENCY = [1, 50];
const TURNS = envCount('BENCH_TURNS', 1000);

interface Phase {
  concurrent: number;
  latenciesMs: number[];
  perSecond: number;
}
export interface ChatTurnRound {
  phases: Phase[];
}

/**
 * Server-side chat turns on the embedded database: `ConversationService.message` called in the server's process
 * (no HTTP), each call reading the scene, running the NLU and persisting the user's turn and the reply.
 */
export const benchmark: Benchmark<ChatTurnRound> = {
  rounds: envCount('BENCH_ROUNDS', 3),
  async round() {
    const duet = await startDuet({ MAX_CONCURRENT_SESSIONS: '1000' });
    try {
      const graph = JSON.parse(
        readFileSync(new URL('../examples/refund-request.json', import.meta.url), 'utf8'),
      ) as object;
      const slug = await duet.publish(graph);
      const workspaceId = (await ensureDefaultWorkspace(duet.server.db)).id;
      const chat = duet.server.services.conversations;
      const may = (): boolean => true;
      const phases: Phase[] = [];
      for (const concurrent of CONCURRENCY) {
        const ids = await Promise.all(
          Array.from(
            { length: concurrent },
            async () => (await chat.start(workspaceId, { workflowId: slug, channel: 'api' })).conversation.id,
          ),
        );
        // One turn each first, so the figure is not the JIT warming up.
        await Promise.all(ids.map((id) => chat.message(workspaceId, id, 'status', may)));
        const perConversation = Math.max(1, Math.floor(TURNS / concurrent));
        progress(`chat turn: ${concurrent} conversation(s) × ${perConversation} turns`);
        const latenciesMs: number[] = [];
        const began = performance.now();
        await Promise.all(
          ids.map(async (id, c) => {
            for (let i = 0; i < perConversation; i++) {
              const t0 = performance.now();
              await chat.message(workspaceId, id, MESSAGES[(c + i) % MESSAGES.length]!, may);
              latenciesMs.push(performance.now() - t0);
            }
          }),
        );
        const elapsed = performance.now() - began;
        phases.push({ concurrent, latenciesMs, perSecond: (latenciesMs.length / elapsed) * 1000 });
      }
      return { phases };
    } finally {
      await duet.close();
    }
  },
  report(rounds): Section {
    const rows = CONCURRENCY.map((concurrent) => {
      const of = (r: ChatTurnRound): Phase => r.phases.find((p) => p.concurrent === concurrent)!;
      const p = (q: number): number => median(rounds.map((r) => percentile(of(r).latenciesMs, q)));
      return [
        `${concurrent} conversation${concurrent === 1 ? '' : 's'} at once`,
        fmt(p(50), 2),
        fmt(p(99), 2),
        fmt(median(rounds.map((r) => of(r).perSecond)), 0),
      ];
    });
    return {
      title: 'Chat turn, server side (embedded database)',
      about: `Conversations bound to the refund workflow each send ${MESSAGES.length} kinds of message in turn (${MESSAGES.join(', ')}), one after another, ${CONCURRENCY.join(' and ')} conversations at once, about ${TURNS} turns per phase. Measured around \`ConversationService.message\` in the server's process: reading the conversation, workflow and run, the NLU, the dialogue, and persisting the user's turn and the reply. No HTTP.`,
      table: [['', 'p50 (ms)', 'p99 (ms)', 'turns/s'], ...rows],
      notes: [
        'The target is a persisted turn p99 ≤ 10 ms (#17). With 50 conversations at once the turns queue on the one embedded database connection, so p99 includes that wait.',
      ],
    };
  },
};
