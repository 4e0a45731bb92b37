import { readFileSync } from 'node:fs';
import { understand } from '../src/conversation/nlu/index.ts';
import { post, startDuet } from './duet.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

/** Messages that are answered without starting a run, so the figure is the chat path itself. */
const MESSAGES = [
  'status',
  'help',
  'what can I do?',
  'list workflows',
  'describe the refund workflow',
  'pause',
  'wat is teh status',
  'explain the approval step',
];
const CONVERSATIONS = 20;

export interface NlLatencyRound {
  requestMs: number[];
  nluMs: number[];
}

export const benchmark: Benchmark<NlLatencyRound> = {
  rounds: envCount('BENCH_ROUNDS', 3),
  async round() {
    const duet = await startDuet();
    try {
      const graph = JSON.parse(
        readFileSync(new URL('../examples/refund-request.json', import.meta.url), 'utf8'),
      ) as object;
      const slug = await duet.publish(graph);
      const chats = await Promise.all(
        Array.from(
          { length: CONVERSATIONS },
          () => post(`${duet.url}/api/v1/conversations`, { workflowId: slug }, 201) as Promise<{ id: string }>,
        ),
      );
      const total = envCount('BENCH_MESSAGES', 400);
      progress(`nl latency: ${total} messages over ${CONVERSATIONS} conversations, one at a time`);
      const requestMs: number[] = [];
      const nluMs: number[] = [];
      const context = {
        workflows: [{ id: 'x', slug, name: 'Refund request' }],
        steps: [{ id: 'ask', name: 'Manager approval' }],
        inputFields: [],
      };
      for (let i = 0; i < total; i++) {
        const text = MESSAGES[i % MESSAGES.length]!;
        const began = performance.now();
        await post(`${duet.url}/api/v1/conversations/${chats[i % CONVERSATIONS]!.id}/messages`, { text });
        requestMs.push(performance.now() - began);
        const t0 = performance.now();
        understand(text, context);
        nluMs.push(performance.now() - t0);
      }
      return { requestMs, nluMs };
    } finally {
      await duet.close();
    }
  },
  report(rounds): Section {
    const p = (pick: (r: NlLatencyRound) => number[], q: number) => median(rounds.map((r) => percentile(pick(r), q)));
    return {
      title: 'Chat message latency (offline NLU)',
      about: `${CONVERSATIONS} conversations bound to the refund workflow receive ${MESSAGES.length} kinds of message in turn (status, help, list, describe, a command refused because nothing runs, a typo…), one at a time over loopback HTTP: each answer is a real turn — NLU, dialogue, reads of the workflow and run, two turns persisted. Baseline: the NLU alone (\`understand()\`) on the same messages in the same process.`,
      table: [
        ['', 'p50 (ms)', 'p99 (ms)'],
        [
          'POST /conversations/:id/messages',
          fmt(
            p((r) => r.requestMs, 50),
            2,
          ),
          fmt(
            p((r) => r.requestMs, 99),
            2,
          ),
        ],
        [
          'NLU alone (baseline)',
          fmt(
            p((r) => r.nluMs, 50),
            3,
          ),
          fmt(
            p((r) => r.nluMs, 99),
            3,
          ),
        ],
        ['request / NLU (p50)', `${fmt(p((r) => r.requestMs, 50) / p((r) => r.nluMs, 50), 0)}×`, ''],
      ],
      notes: [
        'The NLU is a small part of a chat turn; the rest is the embedded database (reading the workflow and run, writing two turns) and HTTP.',
      ],
    };
  },
};
