import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for values kept at rest (workspace secrets). A sealed value is base64 of
 * iv (12 random bytes, new for every seal) ‖ auth tag (16 bytes) ‖ ciphertext. The optional `context` is
 * authenticated but not stored (GCM's additional data): a value sealed for one workspace and name does not open
 * as another's. No I/O; the key comes from the caller (ENCRYPTION_KEY).
 */
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that does not open: the key differs from the one it was sealed with, or the bytes were altered. */
export class UnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsealError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`the encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

export function seal(plain: string, key: Buffer, context = ''): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

export function unseal(sealed: string, key: Buffer, context = ''): string {
  checkKey(key);
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES)
    throw new UnsealError(
      'the stored value is not a sealed value (too short); it was altered or written by something else',
    );
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // GCM cannot tell a wrong key from altered bytes; the first is by far the likelier.
    throw new UnsealError(
      'it does not decrypt with the current ENCRYPTION_KEY: the key changed since the value was stored ' +
        '(set the previous ENCRYPTION_KEY again, or store the value anew), or the stored bytes were altered',
    );
  }
}
