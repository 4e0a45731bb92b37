import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DuetError } from '../../model/errors.ts';
import { KNOWLEDGE_LIMITS, SEARCH_MODES } from '../../model/knowledge.ts';
import type { DocumentInput, KnowledgeService } from '../../knowledge/service.ts';
import { docOnly, type ZodApp } from '../zod.ts';

const L = KNOWLEDGE_LIMITS;
const name = z.string().trim().min(1, 'name is empty').max(L.nameLength);
const tag = z.string().trim().min(1).max(L.tagLength);
const tags = z.array(tag).max(L.tags);
const baseParams = z.strictObject({ id: z.uuid('not a knowledge base id') });
const docParams = z.strictObject({ id: z.uuid('not a knowledge base id'), docId: z.uuid('not a document id') });
const createBody = z.strictObject({
  name,
  chunkSize: z.number().int().min(L.chunkSize.min).max(L.chunkSize.max).optional(),
  chunkOverlap: z.number().int().min(0).max(L.chunkOverlap.max).optional(),
});
const renameBody = z.strictObject({ name });
const jsonDocument = z
  .strictObject({
    title: z.string().trim().min(1).max(L.titleLength),
    text: z.string().optional(),
    url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).optional(),
    tags: tags.optional(),
  })
  .refine((d) => (d.text === undefined) !== (d.url === undefined), 'send either text or url');
const searchQuery = z.strictObject({
  q: z.string().trim().min(1, 'q is empty: say what to look for').max(L.queryLength),
  k: z.coerce.number().int().min(1).max(L.maxK).default(5),
  mode: z.enum(SEARCH_MODES).default('hybrid'),
  /** Comma-separated: documents with any of these tags. */
  tags: z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(tags.optional()),
  documentId: z.uuid('documentId is not a document id').optional(),
});

type Item =
  { id: string; status: string } | { source: string; status: 'rejected'; error: { code: string; message: string } };

/**
 * Knowledge bases (DESIGN.md "Wave two"): viewers list and search, editors create, rename, delete and add or
 * delete documents. Documents come as multipart files, a JSON text body, or a URL fetched through the SSRF guard.
 */
export async function knowledgeRoutes(app: ZodApp, opts: { knowledge: KnowledgeService; maxFileBytes: number }) {
  const { knowledge } = opts;
  const schemaTags = ['knowledge'];
  await app.register(multipart, {
    limits: {
      fileSize: opts.maxFileBytes,
      files: L.filesPerRequest,
      fields: 10,
      fieldSize: 4096,
      parts: L.filesPerRequest + 10,
    },
    // A file over the limit becomes its own error item (413) while the rest of the batch is ingested.
    throwFileSizeLimit: false,
  });

  app.get(
    '/api/v1/knowledge-bases',
    {
      config: { access: 'knowledge.read' },
      schema: { tags: schemaTags, summary: 'Knowledge bases of this workspace' },
    },
    async (request) => ({ items: await knowledge.listBases(request.workspaceId) }),
  );

  app.post(
    '/api/v1/knowledge-bases',
    {
      config: { access: 'knowledge.write' },
      schema: { tags: schemaTags, summary: 'Create a knowledge base (409 if the name is taken)', body: createBody },
    },
    async (request, reply) => reply.status(201).send(await knowledge.createBase(request.workspaceId, request.body)),
  );

  app.get(
    '/api/v1/knowledge-bases/:id',
    {
      config: { access: 'knowledge.read' },
      schema: { tags: schemaTags, summary: 'A knowledge base', params: baseParams },
    },
    async (request) => knowledge.getBase(request.workspaceId, request.params.id),
  );

  app.patch(
    '/api/v1/knowledge-bases/:id',
    {
      config: { access: 'knowledge.write' },
      schema: { tags: schemaTags, summary: 'Rename a knowledge base', params: baseParams, body: renameBody },
    },
    async (request) => knowledge.renameBase(request.workspaceId, request.params.id, request.body.name),
  );

  app.delete(
    '/api/v1/knowledge-bases/:id',
    {
      config: { access: 'knowledge.write' },
      schema: { tags: schemaTags, summary: 'Delete a knowledge base with its documents', params: baseParams },
    },
    async (request, reply) => {
      await knowledge.deleteBase(request.workspaceId, request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/knowledge-bases/:id/documents',
    {
      config: { access: 'knowledge.write' },
      schema: {
        tags: schemaTags,
        summary:
          'Add documents: multipart files (fields `tags` and `title` before the files), or JSON {title, text|url, tags?}; 202 with one item per document, a refused one saying why',
        params: baseParams,
        body: docOnly(jsonDocument),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const inputs = request.isMultipart()
        ? multipartDocuments(request, opts.maxFileBytes)
        : jsonDocuments(request.body);
      const items: Item[] = [];
      let firstError: DuetError | undefined;
      for await (const input of inputs) {
        try {
          if ('refused' in input) throw input.refused;
          const { document } =
            'url' in input
              ? await knowledge.addUrl(request.workspaceId, id, input)
              : await knowledge.addDocument(request.workspaceId, id, input);
          items.push({ id: document.id, status: document.status });
        } catch (error) {
          if (!(error instanceof DuetError) || error.code === 'not_found') throw error;
          firstError ??= error;
          items.push({
            source: 'url' in input ? input.url : input.source,
            status: 'rejected',
            error: { code: error.code, message: error.message },
          });
        }
      }
      if (items.length === 0) throw new DuetError('validation_failed', 'send at least one file');
      // Nothing accepted: the request failed, for the reason of its first document.
      if (firstError && items.every((item) => item.status === 'rejected')) throw firstError;
      return reply.status(202).send({ items });
    },
  );

  app.get(
    '/api/v1/knowledge-bases/:id/documents',
    {
      config: { access: 'knowledge.read' },
      schema: { tags: schemaTags, summary: 'Documents with their status and progress', params: baseParams },
    },
    async (request) => ({ items: await knowledge.listDocuments(request.workspaceId, request.params.id) }),
  );

  app.get(
    '/api/v1/knowledge-bases/:id/documents/:docId',
    { config: { access: 'knowledge.read' }, schema: { tags: schemaTags, summary: 'A document', params: docParams } },
    async (request) => knowledge.getDocument(request.workspaceId, request.params.id, request.params.docId),
  );

  app.delete(
    '/api/v1/knowledge-bases/:id/documents/:docId',
    {
      config: { access: 'knowledge.write' },
      schema: { tags: schemaTags, summary: 'Delete a document with its chunks', params: docParams },
    },
    async (request, reply) => {
      await knowledge.deleteDocument(request.workspaceId, request.params.id, request.params.docId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/knowledge-bases/:id/search',
    {
      config: { access: 'knowledge.read' },
      schema: {
        tags: schemaTags,
        summary: 'Passages that answer q, with their citation (document, heading path, offsets)',
        params: baseParams,
        querystring: searchQuery,
      },
    },
    async (request) => {
      const { q, k, mode, tags: wanted, documentId } = request.query;
      const result = await knowledge.search(request.workspaceId, request.params.id, {
        q,
        k,
        mode,
        tags: wanted,
        documentIds: documentId ? [documentId] : undefined,
      });
      return { mode: result.mode, items: result.hits };
    },
  );
}

type UrlInput = { url: string; title?: string; tags?: string[] };
/** A document to add, or one refused before it reached the service (a file over the limit). */
type Input = DocumentInput | UrlInput | { source: string; refused: DuetError };

async function* jsonDocuments(body: unknown): AsyncGenerator<Input> {
  const parsed = jsonDocument.safeParse(body);
  if (!parsed.success)
    throw new DuetError(
      'validation_failed',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  const { title, text, url, tags: wanted } = parsed.data;
  if (url !== undefined) yield { url, title, tags: wanted };
  // A text body is read as Markdown, so its headings count; its title names it (the same title again replaces it).
  else yield { bytes: Buffer.from(text ?? ''), source: title, title, contentType: 'text/markdown', tags: wanted };
}

/** Files of a multipart request, read one at a time; `tags` (comma-separated) and `title` fields apply to the files after them. */
async function* multipartDocuments(request: FastifyRequest, maxFileBytes: number): AsyncGenerator<Input> {
  let wanted: string[] = [];
  let title: string | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      const value = String(part.value);
      if (part.fieldname === 'tags') {
        const parsed = tags.safeParse(
          value
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        );
        if (!parsed.success)
          throw new DuetError('validation_failed', `tags: at most ${L.tags} tags of ${L.tagLength} characters`);
        wanted = parsed.data;
      } else if (part.fieldname === 'title') title = value.trim().slice(0, L.titleLength) || undefined;
      continue;
    }
    const bytes = await part.toBuffer();
    const source = part.filename || 'upload';
    if (part.file.truncated) {
      yield {
        source,
        refused: new DuetError(
          'payload_too_large',
          `${source} is larger than KNOWLEDGE_MAX_FILE_BYTES (${maxFileBytes} bytes)`,
        ),
      };
      continue;
    }
    yield {
      bytes,
      source,
      fileName: part.filename,
      contentType: part.mimetype,
      tags: wanted,
      ...(title ? { title } : {}),
    };
  }
}
