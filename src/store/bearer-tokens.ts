import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets we hand out once and look up later (API keys, invitation links): 256 random bits, and only their
 * SHA-256 kept. A fast hash is right here: nobody can guess their way through 2^256 values, unlike passwords.
 */
export const newBearerToken = () => randomBytes(32).toString('base64url');

export const bearerTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
