import { afterEach, beforeEach } from 'vitest';
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { startTestApp, type TestApp } from './app.ts';
import type { Json } from './http.ts';

/**
 * A fresh app listening on loopback for each test, and socket.io clients for it that are all disconnected
 * afterwards. Call at the top of a test file.
 */
export function appWithSockets(): {
  readonly app: TestApp['app'];
  readonly db: TestApp['db'];
  readonly t: TestApp;
  readonly url: string;
  client: (auth?: Record<string, string>, options?: Partial<ManagerOptions & SocketOptions>) => Socket;
} {
  let t: TestApp;
  let url: string;
  const sockets: Socket[] = [];
  beforeEach(async () => {
    t = await startTestApp();
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await t.close();
  });
  return {
    get app() {
      return t.app;
    },
    get db() {
      return t.db;
    },
    get t() {
      return t;
    },
    get url() {
      return url;
    },
    /** A client that authenticates with `auth` (default: the test app's admin API key); `options.extraHeaders` for cookies. */
    client(auth: Record<string, string> = { token: t.key }, options: Partial<ManagerOptions & SocketOptions> = {}) {
      const socket = connect(url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth,
        ...options,
      });
      sockets.push(socket);
      return socket;
    },
  };
}

/** Emits an event and resolves with the server's ack. */
export const ask = (socket: Socket, event: string, payload: unknown) =>
  new Promise<Json>((resolve) => socket.emit(event, payload, resolve));
