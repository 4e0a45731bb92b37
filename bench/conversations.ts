import { readFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import type { ChatLoad, ChatLoadResult } from './chat-load.ts';
import { authHeaders, post, startDuet } from './duet.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

/** Chat turns that read the workflow and run but start nothing, so the figure is the dialogue path under load. */
export const MESSAGES = [
  'status',
  'describe the refund workflow',
  'what can I do?',
  'explain the approval step',
  'list workflows',
];
const CONVERSATIONS = envCount('BENCH_CONVERSATIONS', 1000);

interface Phase {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  sampleFailure?: string;
}
export interface ConversationsRound {
  concurrent: Phase;
  sequential: Phase;
}

function runLoad(load: ChatLoad): Promise<ChatLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./chat-load.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (result) => resolve(result as ChatLoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the chat load process exited with ${code}`));
    });
    child.send(load);
  });
}

function phase(result: ChatLoadResult): Phase {
  return {
    perSecond: (result.latenciesMs.length / result.elapsedMs) * 1000,
    p50: percentile(result.latenciesMs, 50),
    p99: percentile(result.latenciesMs, 99),
    failures: result.failures.length,
    ...(result.failures[0] ? { sampleFailure: result.failures[0] } : {}),
  };
}

export const benchmark: Benchmark<ConversationsRound> = {
  rounds: envCount('BENCH_ROUNDS', 3),
  async round() {
    const duet = await startDuet({ MAX_CONCURRENT_SESSIONS: String(CONVERSATIONS + 10) });
    try {
      const graph = JSON.parse(
        readFileSync(new URL('../examples/refund-request.json', import.meta.url), 'utf8'),
      ) as object;
      const slug = await duet.publish(graph);
      progress(`conversations: opening ${CONVERSATIONS} conversations`);
      const ids: string[] = [];
      for (let i = 0; i < CONVERSATIONS; i++)
        ids.push(((await post(`${duet.url}/api/v1/conversations`, { workflowId: slug }, 201)) as { id: string }).id);
      progress(`conversations: ${CONVERSATIONS} × ${MESSAGES.length} messages, all conversations at once`);
      const concurrent = phase(
        await runLoad({ url: duet.url, headers: authHeaders(duet.url), conversations: ids, messages: MESSAGES }),
      );
      // Baseline: the same kinds of message from one conversation at a time (no contention), in the same server.
      const solo = ((await post(`${duet.url}/api/v1/conversations`, { workflowId: slug }, 201)) as { id: string }).id;
      progress('conversations: baseline, one conversation at a time');
      const sequential = phase(
        await runLoad({
          url: duet.url,
          headers: authHeaders(duet.url),
          conversations: [solo],
          messages: Array.from({ length: 10 }, () => MESSAGES).flat(),
        }),
      );
      return { concurrent, sequential };
    } finally {
      await duet.close();
    }
  },
  report(rounds): Section {
    const m = (pick: (r: ConversationsRound) => number) => median(rounds.map(pick));
    const failures = rounds.reduce((n, r) => n + r.concurrent.failures + r.sequential.failures, 0);
    const sample = rounds.map((r) => r.concurrent.sampleFailure ?? r.sequential.sampleFailure).find(Boolean);
    return {
      title: `${fmt(CONVERSATIONS)} concurrent conversations`,
      about: `${fmt(CONVERSATIONS)} conversations bound to the refund workflow each send ${MESSAGES.length} messages (${MESSAGES.map((t) => `"${t}"`).join(', ')}) one after another, all conversations at once, over loopback HTTP from a separate client process: ${fmt(CONVERSATIONS * MESSAGES.length)} real chat turns per round (NLU, dialogue, reads of the workflow, two turns persisted each). Baseline: the same messages from a single conversation, one at a time, in the same server.`,
      table: [
        ['', 'messages / s', 'p50 (ms)', 'p99 (ms)'],
        [
          `${fmt(CONVERSATIONS)} conversations at once`,
          fmt(m((r) => r.concurrent.perSecond)),
          fmt(m((r) => r.concurrent.p50)),
          fmt(m((r) => r.concurrent.p99)),
        ],
        [
          'one conversation at a time (baseline)',
          fmt(m((r) => r.sequential.perSecond)),
          fmt(
            m((r) => r.sequential.p50),
            2,
          ),
          fmt(
            m((r) => r.sequential.p99),
            2,
          ),
        ],
        [
          'concurrent / baseline',
          `${fmt(m((r) => r.concurrent.perSecond) / m((r) => r.sequential.perSecond), 2)}×`,
          `${fmt(m((r) => r.concurrent.p50) / m((r) => r.sequential.p50), 0)}×`,
          '',
        ],
      ],
      notes: [
        `Failed messages in all rounds: ${failures}${sample ? ` (e.g. ${sample})` : ''}.`,
        `Messages/s per round: ${rounds.map((r) => fmt(r.concurrent.perSecond)).join(', ')} (concurrent); ${rounds.map((r) => fmt(r.sequential.perSecond)).join(', ')} (baseline).`,
        "Every turn needs the one embedded database connection, so turns queue for it: throughput stays near the one-at-a-time rate and latency grows with the conversations in flight (Little's law: latency ≈ in flight ÷ throughput); the p99 shows that the queue is not fair to every conversation.",
      ],
    };
  },
};
