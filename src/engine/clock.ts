/**
 * The engine's source of time: what it reads as "now" and how it waits. Engine logic asks the clock instead of
 * `Date.now()` and `setTimeout`, so tests can drive waits, retries and timeouts with a clock they move by hand.
 * The database's own `now()` is not this clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fire` once `ms` have passed; returns the cancel. A `background` timer does not keep the process alive. */
  after(ms: number, fire: () => void, background?: boolean): () => void;
}

/** Real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fire, background = false) {
    const timer = setTimeout(fire, ms);
    if (background) timer.unref();
    return () => clearTimeout(timer);
  },
};

/** The clock's current time as a Date. */
export const nowDate = (clock: Clock): Date => new Date(clock.now());

/** Resolves after `ms` on `clock`. */
export const sleep = (clock: Clock, ms: number): Promise<void> =>
  new Promise((resolve) => {
    clock.after(ms, resolve);
  });

/** Like `AbortSignal.timeout`, on `clock`: aborts with a TimeoutError once `ms` have passed. */
export function timeoutSignal(clock: Clock, ms: number): AbortSignal {
  const controller = new AbortController();
  clock.after(ms, () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), true);
  return controller.signal;
}

/**
 * Runs `sweep` with the clock's time every `everyMs`, never two at once, reporting failures instead of throwing;
 * on a background timer. Returns the stop function.
 */
export function everyOnClock(
  clock: Clock,
  everyMs: number,
  sweep: (now: Date) => Promise<void>,
  fail: (error: unknown) => void,
): () => void {
  let stopped = false;
  let cancel = () => {};
  const tick = async () => {
    try {
      await sweep(nowDate(clock));
    } catch (error) {
      fail(error);
    }
    if (!stopped) cancel = clock.after(everyMs, () => void tick(), true);
  };
  cancel = clock.after(everyMs, () => void tick(), true);
  return () => {
    stopped = true;
    cancel();
  };
}
