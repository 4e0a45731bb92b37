import { createServer } from 'node:http';

export interface PaymentsService {
  /** Base URL on loopback. */
  url: string;
  /** Every request, in order of arrival. */
  received: Array<{ url: string; body: string; idempotencyKey: string | undefined }>;
  close(): Promise<void>;
}

/** A loopback payments service: records requests, answers 201 with a refund id (R-1, R-2…). */
export async function startPaymentsService(): Promise<PaymentsService> {
  const received: PaymentsService['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ url: req.url!, body, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `R-${received.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
