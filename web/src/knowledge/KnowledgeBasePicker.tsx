import { api } from '../lib/api.ts';
import type { Page } from '../lib/types.ts';
import { useLoad } from '../lib/use-load.ts';
import type { KnowledgeBase } from './knowledge-logic.ts';

/**
 * Chooses one of the workspace's knowledge bases (the knowledge block's and the agent's config, the chat). A value
 * that names no base (a placeholder, a deleted base) stays visible as such, so the choice is never silently changed.
 */
export function KnowledgeBasePicker({
  id,
  value,
  required,
  onChange,
  label,
}: {
  id: string;
  value: string;
  required?: boolean;
  onChange: (value: string) => void;
  label?: string;
}) {
  const bases = useLoad(() => api<Page<KnowledgeBase>>('GET', '/api/v1/knowledge-bases'), 'knowledge-bases');
  const items = bases.data?.items ?? [];
  const unknown = value !== '' && bases.data !== null && !items.some((kb) => kb.id === value);
  return (
    <select id={id} value={value} aria-label={label} onChange={(e) => onChange(e.target.value)}>
      <option value="">
        {bases.loading && !bases.data ? 'Loading…' : required ? 'Choose a knowledge base' : '(none)'}
      </option>
      {unknown && <option value={value}>{value} (not found)</option>}
      {items.map((kb) => (
        <option key={kb.id} value={kb.id}>
          {kb.name}
        </option>
      ))}
      {bases.error ? <option disabled>Could not load knowledge bases</option> : null}
    </select>
  );
}
