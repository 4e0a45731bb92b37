import type { TimelineEntry } from './run-state.ts';

/** The execution's events in order, newest at the bottom. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <section className="timeline">
      <h3>Timeline</h3>
      <ol data-testid="timeline">
        {entries.map((e) => (
          <li key={e.offset} className={`tl-${e.type.split('.')[1] ?? ''}`}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time> {e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
