import { performance } from 'node:perf_hooks';
import { TWILIO_FROM, TwilioServer, twilioSign, TWILIO_TOKEN } from '../test/support/twilio-server.ts';
import { authHeaders, post, startDuet } from './duet.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

/** Contacts texting at once, and messages each sends one after another. */
const CONTACTS = envCount('BENCH_SMS_CONTACTS', 50);
const MESSAGES = envCount('BENCH_SMS_MESSAGES', 10);
const TEXTS = ['status', 'list workflows', 'describe the workflow', 'what can I do?'];

interface SmsRound {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

export const benchmark: Benchmark<SmsRound> = {
  rounds: envCount('BENCH_ROUNDS', 3),
  async round() {
    // The loopback provider: Duet's sender talks to it, and the benchmark posts its signed inbound webhooks.
    const provider = await new TwilioServer().listen();
    const duet = await startDuet({ ...provider.env(), MAX_CONCURRENT_SESSIONS: String(CONTACTS + 10) });
    try {
      const slug = await duet.publish({
        name: 'Ping',
        nodes: [
          { id: 'start', type: 'start', name: 'Start' },
          { id: 'done', type: 'response', name: 'Done', config: { output: { pong: true } } },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'done' }],
      });
      await fetch(`${duet.url}/api/v1/channels/sms`, {
        method: 'PUT',
        headers: { ...authHeaders(duet.url), 'content-type': 'application/json' },
        body: JSON.stringify({ workflowId: slug }),
      });
      const phones = Array.from({ length: CONTACTS }, (_, i) => `+1555${String(i).padStart(7, '0')}`);
      for (const phone of phones) await post(`${duet.url}/api/v1/channels/sms/contacts`, { phone }, 201);
      progress(`sms-inbound: ${CONTACTS} contacts × ${MESSAGES} messages, all contacts at once`);
      const latencies: number[] = [];
      let failures = 0;
      let sid = 0;
      const started = performance.now();
      await Promise.all(
        phones.map(async (phone) => {
          for (let i = 0; i < MESSAGES; i++) {
            const url = `${duet.url}/channels/sms/default`;
            const params = {
              MessageSid: `SMbench${String(++sid).padStart(26, '0')}`,
              From: phone,
              To: TWILIO_FROM,
              Body: TEXTS[i % TEXTS.length]!,
            };
            const t0 = performance.now();
            const response = await fetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                'x-twilio-signature': twilioSign(TWILIO_TOKEN, url, params),
              },
              body: new URLSearchParams(params),
            });
            const twiml = await response.text();
            if (response.status !== 200 || !twiml.includes('<Message>')) failures++;
            else latencies.push(performance.now() - t0);
          }
        }),
      );
      const elapsed = performance.now() - started;
      return {
        perSecond: (latencies.length / elapsed) * 1000,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        failures,
      };
    } finally {
      await duet.close();
      await provider.close();
    }
  },
  report(rounds): Section {
    const m = (pick: (r: SmsRound) => number) => median(rounds.map(pick));
    return {
      title: 'SMS inbound → reply',
      about: `${fmt(CONTACTS)} contacts of a workspace each text ${fmt(MESSAGES)} messages (${TEXTS.map((t) => `"${t}"`).join(', ')}) one after another, all contacts at once, as Twilio-signed form webhooks over loopback HTTP; the time is from the POST to its TwiML answer, which carries the dialogue manager's reply (signature check, MessageSid claim, contact lookup, NLU and dialogue, turns persisted).`,
      table: [
        ['', 'messages / s', 'p50 (ms)', 'p99 (ms)'],
        [`${fmt(CONTACTS)} contacts at once`, fmt(m((r) => r.perSecond)), fmt(m((r) => r.p50)), fmt(m((r) => r.p99))],
      ],
      notes: [`Failed or empty answers in all rounds: ${rounds.reduce((n, r) => n + r.failures, 0)}.`],
    };
  },
};
