import { describe, expect, it } from 'vitest';
import { configSchema, ConfigError, loadConfig } from '../../src/config/env.ts';
import { read } from '../support/deploy.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('starts with documented defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.MAX_CONCURRENT_EXECUTIONS).toBe(50);
    expect(config.MAX_WORKFLOW_DURATION_MS).toBe(300_000);
    expect(config.LOG_FORMAT).toBe('json');
    expect(config.CORS_ORIGINS).toEqual([]);
    expect(config.HTTP_ALLOWED_HOSTS).toEqual([]);
  });

  it('coerces numbers, booleans and lists from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      METRICS_ENABLED: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.PORT).toBe(8080);
    expect(config.METRICS_ENABLED).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('lists every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      MAX_RETRY_ATTEMPTS: '0',
      DATABASE_URL: 'mysql://x',
    });
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('"eighty"');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('MAX_RETRY_ATTEMPTS:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toContain('postgres://');
  });

  it('never echoes values that may hold credentials', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://admin:hunter2@db/x', REDIS_URL: 'http://:s3cret@r' });
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems.join('\n')).not.toContain('s3cret');
  });

  it('checks settings that depend on each other', () => {
    expect(problemsOf({ NLP_PROVIDER: 'anthropic' })).toEqual(['NLP_PROVIDER=anthropic needs ANTHROPIC_API_KEY']);
    expect(loadConfig({ NLP_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://localhost:11434/v1' }).NLP_PROVIDER).toBe(
      'openai',
    );
  });

  it('reads HTTP_ALLOWED_HOSTS as a list and names each entry it cannot use', () => {
    expect(
      loadConfig({ HTTP_ALLOWED_HOSTS: ' localhost, 10.0.0.0/8 ,*.internal.example,::1' }).HTTP_ALLOWED_HOSTS,
    ).toEqual(['localhost', '10.0.0.0/8', '*.internal.example', '::1']);
    const problems = problemsOf({ HTTP_ALLOWED_HOSTS: 'localhost,10.0.0.0/40,http://db:5432' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^HTTP_ALLOWED_HOSTS: "10\.0\.0\.0\/40" is not a CIDR range/);
    expect(problems[1]).toMatch(
      /^HTTP_ALLOWED_HOSTS: "http:\/\/db:5432" is not a host name.*without scheme, port or path/,
    );
  });

  it('documents every variable in docs/operations.md', () => {
    const docs = read('docs/operations.md');
    expect(Object.keys(configSchema.shape).filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });

  it('reads TRUST_PROXY as off, on, or a list of proxy addresses and ranges, and refuses anything else', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::1',
    ]);
    for (const wrong of ['nginx', '10.0.0.0/33', '1', 'yes']) {
      expect(problemsOf({ TRUST_PROXY: wrong })[0], wrong).toMatch(/^TRUST_PROXY: .*loopback, linklocal, uniquelocal/);
    }
  });

  it('explains how to fix the configuration in the error message', () => {
    expect(() => loadConfig({ PORT: '-1' })).toThrow(/PORT: .*\n.*Set these environment variables/s);
  });
});
