import { Link } from '../ui/Link.tsx';
import { citationHref, type Citation } from './knowledge-logic.ts';

/** "Sources: [1] Handbook › Refunds …", each a link to its document on the Knowledge page. */
export function CitationLinks({ citations }: { citations: readonly Citation[] }) {
  if (citations.length === 0) return null;
  return (
    <ol className="citations" aria-label="Sources">
      {citations.map((c) => (
        <li key={`${c.ref}-${c.chunkId}`}>
          <span className="citation-ref">[{c.ref}]</span>{' '}
          <Link to={citationHref(c)} className="citation-link">
            {c.label}
          </Link>
        </li>
      ))}
    </ol>
  );
}
