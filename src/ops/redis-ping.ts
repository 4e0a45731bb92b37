import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/**
 * Sends AUTH (when the URL has a password) and PING to a Redis server in its own protocol (RESP) and resolves
 * with the round-trip time; rejects with a message that says what failed. No client library needed for a probe.
 */
export function pingRedis(redisUrl: string, timeoutMs = 3000): Promise<number> {
  const url = new URL(redisUrl);
  const port = Number(url.port || 6379);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const commands: string[][] = [];
  if (url.password)
    commands.push(
      url.username
        ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)]
        : ['AUTH', decodeURIComponent(url.password)],
    );
  commands.push(['PING']);
  const encode = (args: string[]) =>
    `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket =
      url.protocol === 'rediss:' ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
    const timer = setTimeout(() => fail(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    let buffer = '';
    let replies = 0;
    function fail(error: Error) {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.setEncoding('utf8');
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () =>
      socket.write(commands.map(encode).join('')),
    );
    socket.on('error', (error: NodeJS.ErrnoException) =>
      fail(new Error(error.code === 'ECONNREFUSED' ? `nothing listens at ${host}:${port}` : error.message)),
    );
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (line.startsWith('-')) return fail(new Error(`Redis answered: ${line.slice(1)}`));
        if (++replies === commands.length) {
          clearTimeout(timer);
          socket.end();
          return line === '+PONG'
            ? resolve(Math.round(performance.now() - started))
            : reject(new Error(`unexpected answer to PING: ${line.slice(0, 80)}`));
        }
      }
    });
  });
}
