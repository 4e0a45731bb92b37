/**
 * Rejects with "no answer within N ms" when `work` has not settled by then, so one dependency that does not
 * answer cannot hang a health check or a scrape. The timer does not keep the process alive.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref();
    }),
  ]);
}
