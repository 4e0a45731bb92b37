import { createServer, type Server, type Socket } from 'node:net';

/** One message as the SMTP peer received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message (headers and body) as sent after DATA. */
  data: string;
  /** The user of AUTH PLAIN, when the client authenticated. */
  user?: string;
}

export interface SmtpServer {
  url: (credentials?: string) => string;
  received: ReceivedMail[];
  /** Makes every RCPT TO answer 550 (mailbox unavailable) until set back. */
  refuseRecipients: boolean;
  close(): Promise<void>;
}

/**
 * A loopback SMTP server speaking enough of RFC 5321 for a real client: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA
 * (dot-stuffing undone), RSET, NOOP, QUIT. It stands in for the mail provider tests cannot reach.
 */
export async function startSmtpServer(): Promise<SmtpServer> {
  const received: ReceivedMail[] = [];
  const state = { refuseRecipients: false };
  const server: Server = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let mail: ReceivedMail = { from: '', to: [], data: '' };
    let user: string | undefined;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 localhost ESMTP test peer');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push({ ...mail, ...(user ? { user } : {}) });
            mail = { from: '', to: [], data: '' };
            reply('250 2.0.0 queued');
          } else mail.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          continue;
        }
        const [verb = '', ...rest] = line.split(' ');
        const arg = rest.join(' ');
        switch (verb.toUpperCase()) {
          case 'EHLO':
            socket.write('250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
            break;
          case 'HELO':
            reply('250 localhost');
            break;
          case 'AUTH': {
            const [, encoded = ''] = arg.split(' ');
            user = Buffer.from(encoded, 'base64').toString('utf8').split('\u0000')[1];
            reply('235 2.7.0 authenticated');
            break;
          }
          case 'MAIL':
            mail.from = /<([^>]*)>/.exec(arg)?.[1] ?? '';
            reply('250 2.1.0 ok');
            break;
          case 'RCPT':
            if (state.refuseRecipients) reply('550 5.1.1 mailbox unavailable');
            else {
              mail.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? '');
              reply('250 2.1.5 ok');
            }
            break;
          case 'DATA':
            inData = true;
            reply('354 end with <CRLF>.<CRLF>');
            break;
          case 'RSET':
            mail = { from: '', to: [], data: '' };
            reply('250 2.0.0 ok');
            break;
          case 'NOOP':
            reply('250 2.0.0 ok');
            break;
          case 'QUIT':
            reply('221 2.0.0 bye');
            socket.end();
            break;
          default:
            reply('502 5.5.2 command not recognized');
        }
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (credentials) => `smtp://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`,
    received,
    get refuseRecipients() {
      return state.refuseRecipients;
    },
    set refuseRecipients(value: boolean) {
      state.refuseRecipients = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
