import type { ReactNode } from 'react';

/** The frame of the pages shown before signing in: the logo, a title and a card. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-brand">
        <span className="logo" aria-hidden="true" />
        Duet
      </div>
      <section className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}

/** An error on these pages, said plainly (no error code). */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
