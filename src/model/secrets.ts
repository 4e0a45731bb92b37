import { z } from 'zod';

/**
 * Workspace secrets: credentials that blocks use, stored encrypted and read by workflows as `{{secrets.NAME}}`.
 * These are the rules a name and a value follow, shared by the API, the store and graph validation. Pure.
 */
export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
export const SECRET_NAME_RULE =
  'a secret name is 1-64 upper-case letters, digits or _, starting with a letter (e.g. OPENAI_KEY)';
/** The largest value, in UTF-8 bytes: enough for a PEM key or a service-account JSON. */
export const MAX_SECRET_VALUE_BYTES = 64 * 1024;
export const MAX_SECRETS_PER_WORKSPACE = 500;

const encoder = new TextEncoder();
export const utf8Bytes = (text: string): number => encoder.encode(text).byteLength;

export const secretNameSchema = z.string().regex(SECRET_NAME, SECRET_NAME_RULE);

export const secretValueSchema = z
  .string({ error: 'value must be a string' })
  .min(1, 'value must not be empty')
  .refine(
    (value) => utf8Bytes(value) <= MAX_SECRET_VALUE_BYTES,
    `value is larger than ${MAX_SECRET_VALUE_BYTES / 1024} KiB (${MAX_SECRET_VALUE_BYTES} bytes)`,
  );
