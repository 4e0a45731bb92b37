import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { DocumentView, KnowledgeBaseView, KnowledgeHit } from '../../model/knowledge.ts';
import { callApi, DEFAULT_URL } from '../api-client.ts';
import { formatTable } from '../output.ts';
import { progressBar } from '../progress.ts';
import { CliError } from '../read-json.ts';

type Item = { id: string; status: string } | { source: string; status: 'rejected'; error: { message: string } };

const POLL_MS = 500;
const list = (value: string) =>
  value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** `duet kb …`: knowledge bases on a running server (ADR 0005: the CLI talks HTTP). */
export function registerKnowledge(program: Command) {
  const kb = program
    .command('kb')
    .description('knowledge bases on a running Duet server: create, add documents, search')
    .option('--url <url>', 'the Duet server (env DUET_URL)', process.env.DUET_URL || DEFAULT_URL);
  const url = () => kb.opts<{ url: string }>().url;
  const api = <T>(method: string, path: string, body?: unknown) => callApi<T>(url(), method, path, body);
  /** A base by id or by name. */
  const resolve = async (ref: string): Promise<KnowledgeBaseView> => {
    const { items } = await api<{ items: KnowledgeBaseView[] }>('GET', '/api/v1/knowledge-bases');
    const found = items.find((b) => b.id === ref || b.name === ref);
    if (!found) throw new CliError(`no knowledge base "${ref}"; \`duet kb list\` shows them`);
    return found;
  };

  kb.command('list')
    .description('list the knowledge bases of the workspace')
    .action(async () => {
      const { items } = await api<{ items: KnowledgeBaseView[] }>('GET', '/api/v1/knowledge-bases');
      if (items.length === 0)
        return void console.log('No knowledge bases yet. Create one with `duet kb create <name>`.');
      console.log(
        formatTable(
          ['NAME', 'DOCUMENTS', 'EMBEDDER', 'ID'],
          items.map((b) => [b.name, String(b.documents), b.embedder, b.id]),
        ),
      );
    });

  kb.command('create')
    .description('create a knowledge base')
    .argument('<name>')
    .option('--chunk-size <chars>', 'longest passage, in characters', Number)
    .option('--chunk-overlap <chars>', 'characters repeated between passages', Number)
    .action(async (name: string, options: { chunkSize?: number; chunkOverlap?: number }) => {
      const created = await api<KnowledgeBaseView>('POST', '/api/v1/knowledge-bases', { name, ...options });
      console.log(`✓ created knowledge base "${created.name}" (${created.id})`);
    });

  kb.command('rename')
    .description('rename a knowledge base')
    .argument('<kb>', 'name or id')
    .argument('<name>', 'the new name')
    .action(async (ref: string, name: string) => {
      const base = await resolve(ref);
      await api('PATCH', `/api/v1/knowledge-bases/${base.id}`, { name });
      console.log(`✓ renamed "${base.name}" to "${name}"`);
    });

  kb.command('delete')
    .description('delete a knowledge base with all its documents')
    .argument('<kb>', 'name or id')
    .action(async (ref: string) => {
      const base = await resolve(ref);
      await api('DELETE', `/api/v1/knowledge-bases/${base.id}`);
      console.log(`✓ deleted "${base.name}" and its ${base.documents} document(s)`);
    });

  kb.command('add')
    .description('add files (text, Markdown, HTML, PDF, DOCX, CSV, JSON) or a URL, and wait until they are searchable')
    .argument('<kb>', 'name or id')
    .argument('[files...]', 'files to upload')
    .option('--url <url>', 'a page or file to fetch instead of files')
    .option('--tags <tags>', 'comma-separated tags for every document added')
    .option('--no-wait', 'return once the server has accepted them')
    .action(async (ref: string, files: string[], options: { url?: string; tags?: string; wait: boolean }) => {
      if (files.length === 0 && !options.url) throw new CliError('name files to add, or --url');
      const base = await resolve(ref);
      const path = `/api/v1/knowledge-bases/${base.id}/documents`;
      const tags = options.tags ? list(options.tags) : undefined;
      let items: Item[];
      if (options.url) {
        items = (await api<{ items: Item[] }>('POST', path, { title: options.url, url: options.url, tags })).items;
      } else {
        const form = new FormData();
        if (tags) form.append('tags', tags.join(','));
        for (const file of files) form.append('files', new Blob([await readFile(file)]), basename(file));
        items = (await api<{ items: Item[] }>('POST', path, form)).items;
      }
      for (const item of items) if ('error' in item) console.error(`✗ ${item.source}: ${item.error.message}`);
      const accepted = items.flatMap((item) => ('id' in item ? [item.id] : []));
      if (options.wait && accepted.length > 0) await waitUntilIngested(api, path, accepted);
      if (accepted.length < items.length) process.exitCode = 1;
    });

  kb.command('docs')
    .description('list the documents of a knowledge base with their status')
    .argument('<kb>', 'name or id')
    .action(async (ref: string) => {
      const base = await resolve(ref);
      const { items } = await api<{ items: DocumentView[] }>('GET', `/api/v1/knowledge-bases/${base.id}/documents`);
      if (items.length === 0) return void console.log(`No documents in "${base.name}" yet: \`duet kb add\` adds some.`);
      console.log(
        formatTable(
          ['TITLE', 'STATUS', 'CHUNKS', 'TAGS', 'ID'],
          items.map((d) => [
            d.title,
            d.status === 'failed' ? `failed: ${d.error}` : d.status,
            `${d.progress.embedded}/${d.progress.chunks}`,
            d.tags.join(','),
            d.id,
          ]),
        ),
      );
    });

  kb.command('search')
    .description('find the passages that answer a question, with where they come from')
    .argument('<kb>', 'name or id')
    .argument('<query...>')
    .option('-k <n>', 'passages to show', '5')
    .option('--mode <mode>', 'hybrid, vector or text', 'hybrid')
    .option('--tags <tags>', 'only documents with one of these comma-separated tags')
    .action(async (ref: string, words: string[], options: { k: string; mode: string; tags?: string }) => {
      const base = await resolve(ref);
      const query = new URLSearchParams({ q: words.join(' '), k: options.k, mode: options.mode });
      if (options.tags) query.set('tags', options.tags);
      const { items } = await api<{ items: KnowledgeHit[] }>(
        'GET',
        `/api/v1/knowledge-bases/${base.id}/search?${query}`,
      );
      if (items.length === 0) return void console.log('Nothing found.');
      items.forEach((hit, i) => {
        const where = [hit.title, ...hit.headingPath].join(' › ');
        console.log(
          `[${i + 1}] ${where}  (score ${hit.score.toFixed(3)}, chars ${hit.offsets.start}-${hit.offsets.end})`,
        );
        console.log(`    ${hit.text.replace(/\s+/g, ' ').slice(0, 300)}\n`);
      });
    });
}

/** Polls the documents until none is still being ingested, drawing one progress line per document on stderr. */
async function waitUntilIngested(
  api: <T>(method: string, path: string) => Promise<T>,
  path: string,
  ids: string[],
): Promise<void> {
  const settled = new Set<string>();
  while (settled.size < ids.length) {
    for (const id of ids.filter((d) => !settled.has(d))) {
      const doc = await api<DocumentView>('GET', `${path}/${id}`);
      if (doc.status === 'ready' || doc.status === 'failed') {
        settled.add(id);
        if (doc.status === 'ready') console.log(`✓ ${doc.title}: ${doc.progress.chunks} passage(s) searchable`);
        else {
          console.error(`✗ ${doc.title}: ${doc.error}`);
          process.exitCode = 1;
        }
      } else if (process.stderr.isTTY)
        process.stderr.write(`\r${progressBar(doc.progress.embedded, doc.progress.chunks)} ${doc.status} ${doc.title}`);
    }
    if (settled.size < ids.length) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}
