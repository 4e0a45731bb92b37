import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';

/** BETTER_AUTH_SECRET signs every session: required outside development, and a guessable one is refused at start-up. */

const KEY = randomBytes(32).toString('hex');
const strong = () => randomBytes(48).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('BETTER_AUTH_SECRET', () => {
  it('is required when NODE_ENV is production or test, and says how to make one', () => {
    for (const NODE_ENV of ['production', 'test']) {
      const problems = problemsOf({ NODE_ENV, ENCRYPTION_KEY: KEY });
      expect(problems, NODE_ENV).toEqual([
        `BETTER_AUTH_SECRET is required when NODE_ENV=${NODE_ENV}; generate one with \`openssl rand -base64 48\``,
      ]);
    }
  });

  it('may be left out in development (a secret is then generated and kept in DATA_DIR)', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'development' })).toEqual([]);
  });

  it.each([
    ['a common word', 'changeme'],
    ['one letter, repeated', 'a'.repeat(40)],
    ['a word, repeated', 'changeme'.repeat(6)],
    ['a phrase, repeated', 'correct horse battery staple '.repeat(3)],
    ['a name, repeated', 'my-duet-secret-'.repeat(4)],
    ['the alphabet', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a counting pattern', '0123456789abcdef'.repeat(3)],
    ['too short, however random', randomBytes(12).toString('base64')],
    ['a placeholder left from an example', 'CHANGE-ME-openssl-rand-base64-48'],
    ['another placeholder', 'set-me-with-openssl-rand-base64-48'],
  ])('refuses %s, without echoing it', (_, secret) => {
    for (const NODE_ENV of ['production', 'development']) {
      const problems = problemsOf({ NODE_ENV, BETTER_AUTH_SECRET: secret, ENCRYPTION_KEY: KEY });
      expect(problems, NODE_ENV).toHaveLength(1);
      expect(problems[0]).toContain('BETTER_AUTH_SECRET is too weak');
      expect(problems[0]).not.toContain(secret);
    }
  });

  it('accepts what `openssl rand -base64 48` or `openssl rand -hex 32` make', () => {
    for (let i = 0; i < 200; i++) {
      for (const secret of [strong(), randomBytes(32).toString('hex')]) {
        expect(problemsOf({ NODE_ENV: 'production', BETTER_AUTH_SECRET: secret, ENCRYPTION_KEY: KEY }), secret).toEqual(
          [],
        );
      }
    }
    expect(
      loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'kept-as-given ' + strong(), ENCRYPTION_KEY: KEY })
        .BETTER_AUTH_SECRET,
    ).toMatch(/^kept-as-given /);
  });
});
