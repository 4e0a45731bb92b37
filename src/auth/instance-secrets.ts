import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encryptionKeyBytes, type Config } from '../config/env.ts';

export interface InstanceSecrets {
  authSecret: string;
  encryptionKey: Buffer;
  /** ENCRYPTION_KEY_PREVIOUS while a key rotation is under way. */
  previousEncryptionKey?: Buffer;
  generated: boolean;
}

const FILE = 'dev-secrets.json';

/**
 * The session-signing secret and the encryption key. Outside development the configuration requires both; in
 * development a missing one is generated once and kept in DATA_DIR (owner-only), so `npm start` stays one command
 * and sessions and secrets survive restarts.
 */
export async function instanceSecrets(config: Config): Promise<InstanceSecrets> {
  const previous = config.ENCRYPTION_KEY_PREVIOUS ? encryptionKeyBytes(config.ENCRYPTION_KEY_PREVIOUS) : undefined;
  const rotation = previous ? { previousEncryptionKey: previous } : {};
  if (config.BETTER_AUTH_SECRET && config.ENCRYPTION_KEY) {
    return {
      authSecret: config.BETTER_AUTH_SECRET,
      encryptionKey: encryptionKeyBytes(config.ENCRYPTION_KEY)!,
      ...rotation,
      generated: false,
    };
  }
  const path = join(config.DATA_DIR, FILE);
  let stored: { authSecret: string; encryptionKey: string } | undefined;
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as typeof stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!stored) {
    stored = { authSecret: randomBytes(48).toString('base64'), encryptionKey: randomBytes(32).toString('hex') };
    await mkdir(config.DATA_DIR, { recursive: true });
    await writeFile(path, JSON.stringify(stored), { mode: 0o600, flag: 'wx' }).catch(
      async (error: NodeJS.ErrnoException) => {
        // Another process wrote it first: use theirs.
        if (error.code !== 'EEXIST') throw error;
        stored = JSON.parse(await readFile(path, 'utf8')) as typeof stored;
      },
    );
  }
  return {
    authSecret: config.BETTER_AUTH_SECRET ?? stored!.authSecret,
    encryptionKey: encryptionKeyBytes(config.ENCRYPTION_KEY ?? stored!.encryptionKey)!,
    ...rotation,
    generated: true,
  };
}
