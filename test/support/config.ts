import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/env.ts';

/**
 * The services tests point http blocks at (payments stand-ins, LLM servers…) listen on loopback, which the
 * product refuses by default (SSRF protection); every Duet a test starts allows exactly these.
 */
export const LOOPBACK_HOSTS = '127.0.0.1,localhost,::1';

/**
 * What every Duet started by a test gets unless the test says otherwise: quiet, test mode with this run's
 * instance secrets (the same for every process, as production requires), loopback targets allowed, and no API
 * rate limit (a test is one busy caller).
 */
export const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HTTP_ALLOWED_HOSTS: LOOPBACK_HOSTS,
  BETTER_AUTH_SECRET: randomBytes(48).toString('base64'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  API_RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_REFUSALS_PER_MINUTE: '1000000',
};

/** The configuration for an in-process Duet: TEST_ENV under the test's own settings. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env });
}
