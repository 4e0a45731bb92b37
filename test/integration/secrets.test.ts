import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unseal } from '../../src/store/cipher.ts';
import { encryptionKeyBytes } from '../../src/config/env.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import { rowsOf, type Database } from '../../src/store/db.ts';
import { readCatalog, selectAsText } from '../../src/store/backup/catalog.ts';
import { secrets } from '../../src/store/schema.ts';
import { SecretStore } from '../../src/store/secrets.ts';
import { createWorkspace } from '../../src/store/workspaces.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { exited, freePort, startServeProcess } from '../support/cli.ts';
import { fetchJson } from '../support/http.ts';
import { startLlmServer, type LlmServer } from '../support/llm-server.ts';
import { chain, node, publish, start } from '../support/workflows.ts';

/** A loopback service that records each request and echoes what it got (headers included) in its answer. */
let upstream: Server;
let upstreamUrl: string;
let answerStatus = 200;
const received: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
let llm: LlmServer;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ url: req.url!, headers: req.headers, body });
      res.writeHead(answerStatus, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          seen: { authorization: req.headers.authorization, upstream: req.headers['x-upstream'], url: req.url, body },
        }),
      );
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  llm = await startLlmServer();
});
afterAll(async () => {
  await new Promise<void>((r) => upstream.close(() => r()));
  await llm.close();
});

const fresh = () => `tok-${randomBytes(16).toString('hex')}`;

/** Tables (and how many of their rows) whose text holds `needle`: every column of every table, as text. */
async function tablesHolding(db: Database, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of await readCatalog(db.orm)) {
    const rows = rowsOf(await db.orm.execute(selectAsText(table.name, table.columns)));
    if (rows.some((row) => Object.values(row).some((v) => typeof v === 'string' && v.includes(needle))))
      found.push(table.name);
  }
  return found;
}

/** A workflow whose http step sends the secret in a header, a custom header, the query and the body. */
function callWithSecret(name: string, path = '/hook') {
  return {
    name,
    nodes: [
      node('start', 'start'),
      node('call', 'http', {
        method: 'POST',
        url: `${upstreamUrl}${path}?k={{secrets.TOKEN}}`,
        headers: { Authorization: 'Bearer {{secrets.TOKEN}}', 'X-Upstream': '{{ secrets.TOKEN }}' },
        body: { note: 'sent {{secrets.TOKEN}}' },
      }),
      node('done', 'response', { output: { echo: '{{steps.call.output.body}}' } }),
    ],
    edges: chain('start', 'call', 'done'),
  };
}

let t: TestApp;
/** A fresh in-process app for each test of the calling describe block. */
function useTestApp(): void {
  beforeEach(async () => {
    t = await startTestApp({ HTTP_ALLOWED_HOSTS: '127.0.0.1,localhost', OPENAI_BASE_URL: llm.base });
    received.length = 0;
    answerStatus = 200;
    llm.received = [];
  });
  afterEach(async () => {
    await t.close();
  });
}

const put = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/secrets/${name}`, payload: payload as object, headers });

describe('the secrets API', () => {
  useTestApp();

  it('creates (201), replaces (200), lists names and times only, and deletes (204)', async () => {
    const first = fresh();
    const created = await put('API_TOKEN', { value: first });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ name: 'API_TOKEN', createdAt: expect.any(String), updatedAt: expect.any(String) });

    const second = fresh();
    const replaced = await put('API_TOKEN', { value: second });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().createdAt).toBe(created.json().createdAt);
    expect(await put('OTHER_1', { value: 'x'.repeat(64 * 1024) }).then((r) => r.statusCode)).toBe(201);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/secrets' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      items: [
        { name: 'API_TOKEN', createdAt: expect.any(String), updatedAt: expect.any(String) },
        { name: 'OTHER_1', createdAt: expect.any(String), updatedAt: expect.any(String) },
      ],
    });
    for (const body of [created.body, replaced.body, list.body]) {
      expect(body).not.toContain(first);
      expect(body).not.toContain(second);
      expect(body).not.toContain('xxxx');
    }

    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/secrets/API_TOKEN' })).statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url: '/api/v1/secrets/API_TOKEN' });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe('secret "API_TOKEN" does not exist in this workspace');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/secrets' })).json().items.map((s: { name: string }) => s.name),
    ).toEqual(['OTHER_1']);

    // Each write is audited by name, never with the value.
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit' });
    expect(
      audit
        .json()
        .items.filter((e: { resourceType: string }) => e.resourceType === 'secrets')
        .map(
          (e: { action: string; resourceId: string; statusCode: number }) =>
            `${e.action} ${e.resourceId} ${e.statusCode}`,
        ),
    ).toEqual(
      expect.arrayContaining([
        'PUT /api/v1/secrets/:name API_TOKEN 201',
        'PUT /api/v1/secrets/:name API_TOKEN 200',
        'DELETE /api/v1/secrets/:name API_TOKEN 204',
      ]),
    );
    expect(audit.body).not.toContain(first);
  });

  it('refuses bad names and values with a 400 that says what to fix', async () => {
    for (const name of ['lower', '1ABC', 'A-B', `A${'B'.repeat(64)}`]) {
      const response = await put(name, { value: 'v' });
      expect(response.statusCode, name).toBe(400);
      expect(response.json().error.message, name).toContain(
        'a secret name is 1-64 upper-case letters, digits or _, starting with a letter',
      );
    }
    const cases: Array<[unknown, string]> = [
      [{ value: '' }, 'value must not be empty'],
      [{ value: 'x'.repeat(64 * 1024 + 1) }, 'value is larger than 64 KiB'],
      [{ value: 42 }, 'value must be a string'],
      [{}, 'value must be a string'],
      [{ value: 'v', extra: true }, 'extra'],
    ];
    for (const [payload, message] of cases) {
      const response = await put('GOOD', payload);
      expect(response.statusCode, message).toBe(400);
      expect(response.json().error.message, message).toContain(message);
    }
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/secrets/bad-name' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/secrets' })).json().items).toEqual([]);
  });

  it('is for workspace admins only: editors and viewers get 403, anonymous callers 401', async () => {
    await put('KEEP', { value: 'v-keep' });
    for (const role of ['editor', 'viewer'] as const) {
      const { key } = await createApiKey(t.db, { workspaceId: t.workspaceId, name: role, role });
      const headers = { authorization: `Bearer ${key}` };
      const calls = [
        t.app.inject({ method: 'GET', url: '/api/v1/secrets', headers }),
        put('NEW_ONE', { value: 'v' }, headers),
        t.app.inject({ method: 'DELETE', url: '/api/v1/secrets/KEEP', headers }),
      ];
      for (const response of await Promise.all(calls)) {
        expect(response.statusCode, role).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
    }
    expect((await t.anonymous({ method: 'GET', url: '/api/v1/secrets' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/secrets' })).json().items.map((s: { name: string }) => s.name),
    ).toEqual(['KEEP']);
  });
});

describe('secrets at rest', () => {
  useTestApp();

  it('keeps only AES-256-GCM sealed bytes in the database, bound to the workspace and name', async () => {
    const value = fresh();
    await put('AT_REST', { value });
    const [row] = await t.db.orm.select().from(secrets).where(eq(secrets.name, 'AT_REST'));
    const bytes = Buffer.from(row!.sealed, 'base64');
    expect(bytes.length).toBe(12 + 16 + Buffer.byteLength(value));
    expect(row!.sealed).not.toContain(value);
    expect(bytes.includes(Buffer.from(value))).toBe(false);
    expect(await tablesHolding(t.db, value)).toEqual([]);
    const key = encryptionKeyBytes(t.config.ENCRYPTION_KEY!)!;
    expect(unseal(row!.sealed, key, `duet-secret:${t.workspaceId}:AT_REST`)).toBe(value);
  });

  it('refuses to read secrets under another ENCRYPTION_KEY, saying the key changed', async () => {
    await put('AT_REST', { value: fresh() });
    const otherKey = new SecretStore(t.db, randomBytes(32));
    await expect(otherKey.resolve(t.workspaceId, ['AT_REST'])).rejects.toThrow(
      /secret "AT_REST" cannot be read: it does not decrypt with the current ENCRYPTION_KEY: the key changed/,
    );
  });
});

describe('secrets in workflows', () => {
  useTestApp();

  it('gives an http step the real value while the execution, its steps, events and database never hold it', async () => {
    const value = fresh();
    await put('TOKEN', { value });
    const slug = await publish(t.app, callWithSecret('Call with a token'));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('completed');

    expect(received).toHaveLength(1);
    expect(received[0]!.headers.authorization).toBe(`Bearer ${value}`);
    expect(received[0]!.headers['x-upstream']).toBe(value);
    expect(received[0]!.url).toBe(`/hook?k=${value}`);
    expect(JSON.parse(received[0]!.body)).toEqual({ note: `sent ${value}` });

    const execution = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}` });
    const events = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/executions' });
    for (const text of [JSON.stringify(body), execution.body, events.body, list.body])
      expect(text).not.toContain(value);

    const call = execution.json().steps.find((s: { nodeId: string }) => s.nodeId === 'call');
    expect(call.input).toContainEqual({ Authorization: '[redacted]', 'X-Upstream': '[secret:TOKEN]' });
    expect(call.input).toContain(`${upstreamUrl}/hook?k=[secret:TOKEN]`);
    expect(execution.json().output).toEqual({
      echo: {
        seen: {
          authorization: 'Bearer [secret:TOKEN]',
          upstream: '[secret:TOKEN]',
          url: '/hook?k=[secret:TOKEN]',
          body: '{"note":"sent [secret:TOKEN]"}',
        },
      },
    });
    expect(await tablesHolding(t.db, value)).toEqual([]);
  });

  it('redacts an error answer that echoes the header', async () => {
    const value = fresh();
    await put('TOKEN', { value });
    answerStatus = 401;
    const slug = await publish(t.app, callWithSecret('Refused call'));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    const call = body.steps.find((s: { nodeId: string }) => s.nodeId === 'call');
    expect(call.error).toMatchObject({
      code: 'http_401',
      details: { body: { seen: { authorization: 'Bearer [secret:TOKEN]' } } },
    });
    const events = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` });
    expect(JSON.stringify(body)).not.toContain(value);
    expect(events.body).not.toContain(value);
    expect(await tablesHolding(t.db, value)).toEqual([]);
  });

  it("fails the step, naming the secret, when it is not set in the execution's workspace", async () => {
    // Set in another workspace only: not visible here.
    const other = await createWorkspace(t.db.orm, { slug: 'elsewhere' });
    await new SecretStore(t.db, encryptionKeyBytes(t.config.ENCRYPTION_KEY!)!).put(other.id, 'TOKEN', fresh());
    const slug = await publish(t.app, callWithSecret('Missing token'));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(received).toHaveLength(0);
    const call = body.steps.find((s: { nodeId: string }) => s.nodeId === 'call');
    expect(call).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'missing_secret', retryable: false } });
    expect(call.error.message).toBe(
      'secret "TOKEN" is not set in this workspace; a workspace admin can add it with PUT /api/v1/secrets/TOKEN',
    );
    expect(body.error.message).toContain('secret "TOKEN" is not set');
  });

  it("lets an agent step use the workspace's own LLM key, kept out of what is stored", async () => {
    const value = `sk-${fresh()}`;
    await put('OPENAI_KEY', { value });
    const slug = await publish(t.app, {
      name: 'Own key',
      nodes: [node('start', 'start'), node('ask', 'agent', { prompt: 'Say hello', apiKey: '{{secrets.OPENAI_KEY}}' })],
      edges: chain('start', 'ask'),
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('completed');
    expect(llm.received[0]?.headers.authorization).toBe(`Bearer ${value}`);
    const ask = body.steps.find((s: { nodeId: string }) => s.nodeId === 'ask');
    expect(ask.input).toContainEqual({ apiKey: '[redacted]' });
    const events = await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` });
    expect(JSON.stringify(body)).not.toContain(value);
    expect(events.body).not.toContain(value);
    expect(await tablesHolding(t.db, value)).toEqual([]);
  });
});

describe('secrets and the logs of a running server', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'duet-secrets-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never writes the value to its output, even at LOG_LEVEL=trace', async () => {
    const value = fresh();
    const server = await startServeProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'trace' }, await freePort());
    try {
      expect((await fetchJson(`${server.url}/api/v1/secrets/TOKEN`, { method: 'PUT', body: { value } })).status).toBe(
        201,
      );
      const created = (
        await fetchJson(`${server.url}/api/v1/workflows`, { method: 'POST', body: callWithSecret('Logged call') })
      ).body;
      expect(
        (await fetchJson(`${server.url}/api/v1/workflows/${created.id}/versions`, { method: 'POST' })).status,
      ).toBe(201);
      const run = (
        await fetchJson(`${server.url}/api/v1/workflows/${created.id}/executions?waitMs=10000`, {
          method: 'POST',
          body: {},
        })
      ).body;
      expect(run.status).toBe('completed');
      expect(received.at(-1)!.headers.authorization).toBe(`Bearer ${value}`);
      const execution = await fetchJson(`${server.url}/api/v1/executions/${run.id}`);
      const events = await fetchJson(`${server.url}/api/v1/executions/${run.id}/events`);
      expect(JSON.stringify(execution.body)).not.toContain(value);
      expect(JSON.stringify(events.body)).not.toContain(value);
      await new Promise((r) => setTimeout(r, 200));
      const output = server.output();
      expect(output).toContain('"msg":"execution ended"');
      expect(output).toContain('/api/v1/secrets/TOKEN');
      expect(output).not.toContain(value);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }, 120_000);
});
