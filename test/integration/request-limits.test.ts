import { connect as connectTcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await startTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

/** Sends raw HTTP and gives the status line: what any client, however odd, gets back. */
function rawStatus(request: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('close', () => resolve(answer.split('\r\n')[0]!));
    socket.on('error', reject);
  });
}

describe('request size limits', () => {
  it('answers a URL or headers beyond 16 KiB with 431 before any route runs', async () => {
    expect(
      await rawStatus(`GET /api/v1/workflows?q=${'a'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    ).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(
      await rawStatus(
        `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(17_000)}\r\nConnection: close\r\n\r\n`,
      ),
    ).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(await rawStatus(`GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).toBe('HTTP/1.1 200 OK');
  });

  it('answers a path parameter longer than any id or slug with the JSON 404', async () => {
    const response = await t.app.inject({ url: `/api/v1/workflows/${'w'.repeat(201)}` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('drops a socket that sends a message over 64 KiB', async () => {
    const socket = connectSocket(url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: t.key },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', resolve);
        socket.on('connect_error', reject);
      });
      const dropped = new Promise<string>((resolve) => socket.on('disconnect', resolve));
      socket.emit('conversation.message', {
        conversationId: '00000000-0000-4000-8000-000000000000',
        text: 'x'.repeat(70 * 1024),
      });
      expect(await dropped).toBe('transport close');
    } finally {
      socket.disconnect();
    }
  });
});
