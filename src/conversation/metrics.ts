import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Understand } from './understanding.ts';

/** Conversation metrics (listed in docs/operations.md, "Metrics"); returns the NLU wrapped to time each message. */
export function conversationMetrics(
  registry: Registry,
  understand: Understand,
  countActive: () => Promise<number>,
): Understand {
  new Gauge({
    name: 'conversational_sessions_active',
    help: 'Unexpired conversations',
    registers: [registry],
    async collect() {
      this.set(await countActive());
    },
  });
  const nlp = new Histogram({
    name: 'nlp_processing_duration_seconds',
    help: 'Time to understand one message (intent and entities)',
    registers: [registry],
    // Offline NLU answers in well under a millisecond; the upper buckets are for an LLM fallback.
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 2.5, 5],
  });
  return async (text, context) => {
    const end = nlp.startTimer();
    try {
      return await understand(text, context);
    } finally {
      end();
    }
  };
}
