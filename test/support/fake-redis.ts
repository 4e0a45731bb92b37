import { createServer, type Server } from 'node:net';

/** A loopback server speaking enough RESP for a probe: AUTH (one password) and PING. */
export async function startFakeRedis(password: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => {
    let buffer = '';
    let authed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const parsed = parseCommand(buffer);
        if (!parsed) return;
        buffer = buffer.slice(parsed.length);
        const [name, ...args] = parsed.args;
        if (name?.toUpperCase() === 'AUTH') {
          authed = args.at(-1) === password;
          socket.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
        } else if (name?.toUpperCase() === 'PING') {
          socket.write(authed ? '+PONG\r\n' : '-NOAUTH Authentication required.\r\n');
        } else {
          socket.write(`-ERR unknown command '${name}'\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function parseCommand(text: string): { args: string[]; length: number } | null {
  const head = /^\*(\d+)\r\n/.exec(text);
  if (!head) return null;
  let at = head[0].length;
  const args: string[] = [];
  for (let i = 0; i < Number(head[1]); i++) {
    const bulk = /^\$(\d+)\r\n/.exec(text.slice(at));
    if (!bulk) return null;
    at += bulk[0].length;
    const size = Number(bulk[1]);
    if (text.length < at + size + 2) return null;
    args.push(text.slice(at, at + size));
    at += size + 2;
  }
  return { args, length: at };
}
