import type { ReactNode } from 'react';
import type { Loaded } from '../lib/use-load.ts';
import { ErrorBox, Loading } from '../ui/feedback.tsx';

interface SectionProps<T> {
  title: string;
  intro: ReactNode;
  loaded: Loaded<T>;
  /** The error of the section's last action (invite, revoke…). */
  error?: unknown;
  onDismissError?: () => void;
  /** Shown above the list whatever its state (the form that adds to it). */
  form?: ReactNode;
  children: (data: T) => ReactNode;
}

/** One settings section: a title, what it is for, its form, errors, and its list once loaded. */
export function Section<T>({ title, intro, loaded, error, onDismissError, form, children }: SectionProps<T>) {
  return (
    <section className="settings-section" aria-label={title}>
      <h2>{title}</h2>
      <p className="muted">{intro}</p>
      {form}
      <ErrorBox error={error} onDismiss={onDismissError} />
      <ErrorBox error={loaded.error} onRetry={() => void loaded.reload()} />
      {loaded.data ? children(loaded.data) : loaded.loading && <Loading what={title.toLowerCase()} />}
    </section>
  );
}
