/**
 * The clients of the socket fan-out benchmark, in a process of their own: N socket.io clients follow one
 * execution (or, for the baseline, join a plain room) and time each event from its `at` to its arrival.
 */
import { io as connect, type Socket } from 'socket.io-client';

export interface FanoutJob {
  url: string;
  token?: string;
  clients: number;
  executionId?: string;
  afterOffset?: number;
  lastType: string;
}
export interface FanoutResult {
  delaysMs: number[];
  perClient: number[];
  clients: number;
}

const CONNECT_BATCH = 250;
/** A client that has not seen the last event by then is reported as incomplete instead of hanging the run. */
const DELIVERY_TIMEOUT_MS = 60_000;

const job = await new Promise<FanoutJob>((resolve) => process.once('message', resolve));
const sockets: Socket[] = [];
const delaysMs: number[] = [];
const perClient: number[] = [];
let finished = 0;
const allDone = new Promise<void>((resolve) => {
  for (let i = 0; i < job.clients; i++) {
    // Handshakes may fail on a busy machine; the client retries them. A reconnect after the start would miss
    // events, which then shows as an incomplete delivery.
    const socket = connect(job.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnectionAttempts: 20,
      forceNew: true,
      ...(job.token ? { auth: { token: job.token } } : {}),
    });
    sockets.push(socket);
    let received = 0;
    socket.on('execution.event', (event: { at: string; type: string }) => {
      delaysMs.push(Date.now() - Date.parse(event.at));
      received++;
      if (event.type === job.lastType) {
        perClient.push(received);
        if (++finished === job.clients) resolve();
      }
    });
  }
});

// Connect and subscribe in batches: thousands of handshakes at once would time out on two cores.
for (let i = 0; i < sockets.length; i += CONNECT_BATCH) {
  await Promise.all(
    sockets.slice(i, i + CONNECT_BATCH).map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          const ready = () =>
            job.executionId
              ? socket.emit(
                  'execution.subscribe',
                  { executionId: job.executionId, afterOffset: job.afterOffset ?? 0 },
                  (ack: { ok?: boolean; error?: unknown }) =>
                    ack.ok ? resolve() : reject(new Error(JSON.stringify(ack))),
                )
              : socket.emit('join', () => resolve());
          if (socket.connected) ready();
          else socket.once('connect', ready);
        }),
    ),
  );
}
process.send!('ready');
await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, DELIVERY_TIMEOUT_MS))]);
process.send!({ delaysMs, perClient, clients: job.clients } satisfies FanoutResult, () => {
  sockets.forEach((s) => s.disconnect());
  process.exit(0);
});
