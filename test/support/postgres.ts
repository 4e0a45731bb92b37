import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The server the service tests use; they fail (never skip) when it is not configured. */
export function serviceDatabaseUrl(): string {
  const url = process.env.DUET_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'DUET_TEST_DATABASE_URL is not set: start PostgreSQL and set it (see .ci/run), e.g. postgres://duet:duet@127.0.0.1:5432/duet_test',
    );
  }
  return url;
}

/** Creates an empty database for one test and returns its URL and a function that drops it. */
export async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: serviceDatabaseUrl() });
  await admin.connect();
  const name = `duet_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serviceDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serviceDatabaseUrl() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
