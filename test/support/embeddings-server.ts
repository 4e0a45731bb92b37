import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingsServer {
  /** OpenAI-compatible base URL (`/v1`). */
  base: string;
  dimensions: number;
  /** Every `input` list received, in order. */
  received: string[][];
  /** Answers with this HTTP status instead of vectors while set; `hang` never answers. */
  fail: number | 'hang' | undefined;
  /** Answers this many more requests before it starts failing (with `fail`); undefined: no limit. */
  answersBeforeFailing: number | undefined;
  /** Drops the requests left hanging: their callers see the connection fail. */
  dropHanging(): void;
  close(): Promise<void>;
}

const STOP = new Set([
  'the',
  'a',
  'an',
  'of',
  'to',
  'and',
  'is',
  'are',
  'in',
  'on',
  'for',
  'what',
  'does',
  'how',
  'we',
]);
/** Words that mean the same thing, so vector search finds what full text misses (like a real model would). */
const SAME = new Map([
  ['reimbursement', 'refund'],
  ['refunds', 'refund'],
  ['money', 'refund'],
  ['vacation', 'holiday'],
  ['holidays', 'holiday'],
  ['leave', 'holiday'],
]);

/**
 * A loopback stand-in for an OpenAI-compatible `/v1/embeddings` endpoint: each word (synonyms folded) adds to one
 * hashed dimension, so texts sharing meaning-words point the same way. Can fail or hang on demand.
 */
export async function startEmbeddingsServer(dimensions = 64): Promise<EmbeddingsServer> {
  const hanging: ServerResponse[] = [];
  const state: EmbeddingsServer = {
    base: '',
    dimensions,
    received: [],
    fail: undefined,
    answersBeforeFailing: undefined,
    dropHanging: () => hanging.splice(0).forEach((res) => res.destroy()),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString()) as { input: string[]; model: string };
      const failing =
        state.fail !== undefined && (state.answersBeforeFailing === undefined || state.answersBeforeFailing <= 0);
      if (state.answersBeforeFailing !== undefined) state.answersBeforeFailing--;
      if (failing && state.fail === 'hang') return void hanging.push(res);
      if (failing)
        return void res
          .writeHead(state.fail as number, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'the model is overloaded', type: 'server_error' } }));
      state.received.push(body.input);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model: body.model,
          data: body.input.map((text, index) => ({
            object: 'embedding',
            index,
            embedding: vectorOf(text, dimensions),
          })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}

function vectorOf(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (STOP.has(raw)) continue;
    const word = SAME.get(raw) ?? raw;
    let h = 0;
    for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    vector[h % dimensions]! += 1;
  }
  vector[0]! += 0.01;
  return vector;
}
