import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import type { Page } from '../lib/types.ts';
import { useLoad, type Loaded } from '../lib/use-load.ts';
import { inProgress, type KnowledgeDocument } from './knowledge-logic.ts';

/** While a document is being ingested the list is read again this often, so its progress moves. */
const POLL_MS = 1500;

/** The documents of a knowledge base, polled while any of them is still being read or indexed. */
export function useDocuments(knowledgeBaseId: string): Loaded<Page<KnowledgeDocument>> {
  const docs = useLoad(
    () =>
      api<Page<KnowledgeDocument>>('GET', `/api/v1/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/documents`),
    `documents-${knowledgeBaseId}`,
  );
  const busy = docs.data?.items.some(inProgress) ?? false;
  const { reload } = docs;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [busy, reload]);
  return docs;
}
