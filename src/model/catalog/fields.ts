import { z } from 'zod';

export const retrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20),
  backoff: z.enum(['fixed', 'linear', 'exponential']).default('exponential'),
  delayMs: z.number().int().min(0).max(3_600_000).default(1000),
});

const MAX_STEP_TIMEOUT_MS = 24 * 3_600_000;

/** Fields every block may carry besides its own. */
export const common = {
  retry: retrySchema.optional(),
  timeoutMs: z.number().int().min(1).max(MAX_STEP_TIMEOUT_MS).optional(),
};

export const template = z.string().max(100_000);
/** Any JSON value whose strings may hold `{{ … }}` templates. */
export const templated = z.unknown();
export const expression = z.string().min(1, 'an expression is required').max(10_000);
export const handleName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'handle names are 1-64 letters, digits, _ or -');
