import type { z } from 'zod';
import type { retrySchema } from '../model/blocks.ts';

export type RetryPolicy = z.infer<typeof retrySchema>;

/** Milliseconds to wait before attempt `next` (2, 3, …). Pure. */
export function backoffDelay(policy: RetryPolicy, next: number): number {
  const n = next - 1;
  switch (policy.backoff) {
    case 'fixed':
      return policy.delayMs;
    case 'linear':
      return policy.delayMs * n;
    case 'exponential':
      return policy.delayMs * 2 ** (n - 1);
  }
}

/** Attempts allowed for a step: its policy, bounded by MAX_RETRY_ATTEMPTS. */
export function maxAttempts(policy: RetryPolicy | undefined, limit: number): number {
  return Math.min(policy?.maxAttempts ?? 1, limit);
}
