import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, bearer } from '../support/accounts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startEmbeddingsServer, type EmbeddingsServer } from '../support/embeddings-server.ts';
import type { Json } from '../support/http.ts';
import { knowledgeFixture } from '../support/knowledge.ts';

/** A multipart/form-data body as a browser or curl sends it. */
function multipart(
  parts: Array<{ name: string; value: string } | { name: string; file: string; type: string; bytes: Buffer }>,
) {
  const boundary = `----duet${Date.now()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head =
      'file' in part
        ? `Content-Disposition: form-data; name="${part.name}"; filename="${part.file}"\r\nContent-Type: ${part.type}`
        : `Content-Disposition: form-data; name="${part.name}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`),
      'file' in part ? part.bytes : Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('knowledge-base API', () => {
  let t: TestApp;
  let embeddings: EmbeddingsServer;
  let site: Server;
  let siteUrl: string;
  let viewer: Record<string, string>;
  let editor: Record<string, string>;
  let baseId: string;

  beforeAll(async () => {
    embeddings = await startEmbeddingsServer();
    site = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Returns</h1><p>Returns are free for 60 days.</p>'),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    t = await startTestApp({
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_BASE_URL: embeddings.base,
      EMBEDDINGS_MODEL: 'test-embed',
      EMBEDDINGS_DIMENSIONS: String(embeddings.dimensions),
      KNOWLEDGE_MAX_FILE_BYTES: '65536',
    });
    viewer = bearer((await addKey(t.db, t.workspaceId, 'viewer')).key);
    editor = bearer((await addKey(t.db, t.workspaceId, 'editor')).key);
  });
  afterAll(async () => {
    await t?.close();
    await embeddings?.close();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  const ready = async (id: string) =>
    expect
      .poll(
        async () =>
          ((await t.app.inject({ url: `/api/v1/knowledge-bases/${baseId}/documents/${id}` })).json() as Json).status,
        {
          timeout: 30_000,
        },
      )
      .toBe('ready');

  it('lets editors create a base and viewers list it, but not change it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge-bases',
      headers: editor,
      payload: { name: 'Handbook' },
    });
    expect(created.statusCode).toBe(201);
    baseId = (created.json() as Json).id;
    expect(created.json()).toMatchObject({
      name: 'Handbook',
      embedder: 'openai:test-embed',
      dimensions: 64,
      documents: 0,
    });
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge-bases',
      headers: editor,
      payload: { name: 'Handbook' },
    });
    expect(twice.statusCode).toBe(409);
    const list = await t.app.inject({ url: '/api/v1/knowledge-bases', headers: viewer });
    expect((list.json() as Json).items.map((b: Json) => b.name)).toEqual(['Handbook']);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge-bases',
      headers: viewer,
      payload: { name: 'Mine' },
    });
    expect(refused.statusCode).toBe(403);
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: viewer,
      payload: { title: 'x', text: 'y' },
    });
    expect(upload.statusCode).toBe(403);
    const badName = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/knowledge-bases/${baseId}`,
      headers: editor,
      payload: { name: ' ' },
    });
    expect(badName.statusCode).toBe(400);
  });

  it('ingests the good files of a batch and says why each bad one was refused', async () => {
    const form = multipart([
      { name: 'tags', value: 'policy, hr' },
      { name: 'files', file: 'handbook.md', type: 'text/markdown', bytes: await knowledgeFixture('handbook.md') },
      { name: 'files', file: 'corrupt.pdf', type: 'application/pdf', bytes: await knowledgeFixture('corrupt.pdf') },
      { name: 'files', file: 'photo.png', type: 'image/png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      { name: 'files', file: 'huge.txt', type: 'text/plain', bytes: Buffer.alloc(70_000, 'a') },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: { ...editor, ...form.headers },
      payload: form.payload,
    });
    expect(response.statusCode).toBe(202);
    const items = (response.json() as Json).items;
    expect(items[0]).toEqual({ id: expect.any(String), status: 'queued' });
    expect(items.slice(1).map((i: Json) => [i.source, i.status, i.error.code])).toEqual([
      ['corrupt.pdf', 'rejected', 'invalid_input'],
      ['photo.png', 'rejected', 'unsupported_media_type'],
      ['huge.txt', 'rejected', 'payload_too_large'],
    ]);
    await ready(items[0].id);
    const doc = (
      await t.app.inject({ url: `/api/v1/knowledge-bases/${baseId}/documents/${items[0].id}`, headers: viewer })
    ).json() as Json;
    expect(doc).toMatchObject({ title: 'handbook', tags: ['policy', 'hr'], status: 'ready', searchable: true });
    expect(doc.progress.embedded).toBe(doc.progress.chunks);

    const alone = multipart([{ name: 'file', file: 'photo.png', type: 'image/png', bytes: Buffer.from([1, 2]) }]);
    const single = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: { ...editor, ...alone.headers },
      payload: alone.payload,
    });
    expect(single.statusCode).toBe(415);
    expect((single.json() as Json).error.message).toMatch(/photo\.png.*not supported/);
  });

  it('adds documents from a JSON body and from a URL, refusing private addresses', async () => {
    const text = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: editor,
      payload: { title: 'Shipping', text: '# Shipping\n\nParcels leave the warehouse every morning.', tags: ['ops'] },
    });
    expect(text.statusCode).toBe(202);
    await ready((text.json() as Json).items[0].id);
    const url = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: editor,
      payload: { title: 'Returns page', url: `${siteUrl}/returns` },
    });
    expect(url.statusCode).toBe(202);
    await ready((url.json() as Json).items[0].id);
    const metadata = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: editor,
      payload: { title: 'Cloud', url: 'http://169.254.169.254/latest/meta-data' },
    });
    expect(metadata.statusCode).toBe(422);
    expect((metadata.json() as Json).error.message).toMatch(/cannot be fetched/);
    const both = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge-bases/${baseId}/documents`,
      headers: editor,
      payload: { title: 'x', text: 'y', url: siteUrl },
    });
    expect(both.statusCode).toBe(400);
  });

  it('searches with citations, filters by tag, and refuses empty or over-long queries', async () => {
    const search = (query: string, headers = viewer) =>
      t.app.inject({ url: `/api/v1/knowledge-bases/${baseId}/search?${query}`, headers });
    const found = await search('q=are gift cards refunded&k=2');
    expect(found.statusCode).toBe(200);
    const [top] = (found.json() as Json).items;
    expect(top).toMatchObject({
      title: 'handbook',
      headingPath: ['Handbook', 'Refunds', 'Exceptions'],
      offsets: { start: expect.any(Number), end: expect.any(Number) },
    });
    expect(top.text).toContain('Gift cards are never refunded.');
    expect(Object.keys(top).sort()).toEqual([
      'chunkId',
      'documentId',
      'headingPath',
      'offsets',
      'score',
      'text',
      'title',
    ]);
    const fromUrl = await search('q=returns free&mode=text');
    expect((fromUrl.json() as Json).items[0].text).toContain('Returns are free for 60 days.');
    const tagged = await search('q=parcels warehouse refunds&tags=ops');
    expect((tagged.json() as Json).items.map((i: Json) => i.title)).toEqual(['Shipping']);
    for (const bad of ['q=', 'q=%20%20', `q=${'x'.repeat(1001)}`, 'q=a&k=0', 'q=a&k=51', 'q=a&mode=fuzzy'])
      expect((await search(bad)).statusCode, bad).toBe(400);
    expect((await t.anonymous({ url: `/api/v1/knowledge-bases/${baseId}/search?q=refund` })).statusCode).toBe(401);
  });

  it('deletes documents and bases, and records every write in the audit log', async () => {
    const docs = (
      await t.app.inject({ url: `/api/v1/knowledge-bases/${baseId}/documents`, headers: viewer })
    ).json() as Json;
    const handbook = docs.items.find((d: Json) => d.title === 'handbook');
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/knowledge-bases/${baseId}/documents/${handbook.id}`,
      headers: editor,
    });
    expect(removed.statusCode).toBe(204);
    const search = await t.app.inject({
      url: `/api/v1/knowledge-bases/${baseId}/search?q=gift cards&mode=text`,
      headers: viewer,
    });
    expect((search.json() as Json).items).toEqual([]);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/knowledge-bases/${baseId}`,
      headers: editor,
      payload: { name: 'Policies' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Policies', documents: 2 });
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge-bases/${baseId}`, headers: editor })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/knowledge-bases/${baseId}`, headers: viewer })).statusCode).toBe(404);
    const audit = (await t.app.inject({ url: '/api/v1/audit' })).json() as Json;
    const actions = audit.items.map((e: Json) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'POST /api/v1/knowledge-bases',
        'POST /api/v1/knowledge-bases/:id/documents',
        'DELETE /api/v1/knowledge-bases/:id/documents/:docId',
        'DELETE /api/v1/knowledge-bases/:id',
      ]),
    );
  });
});
