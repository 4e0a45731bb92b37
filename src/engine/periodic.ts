/**
 * Runs `sweep` every `everyMs` in the background, never two at once (a slow sweep makes the next one wait for
 * the beat after it), and reports failures instead of throwing. The timer does not keep the process alive.
 * Returns the stop function.
 */
export function everyInterval(everyMs: number, sweep: () => Promise<void>, fail: (error: unknown) => void): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await sweep();
    } catch (error) {
      fail(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
