import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens (agent tokens, API tokens, invitation links): 256 random bits after a prefix
 * that says what the token is (so secret scanners and people recognise it). Only the hash is stored.
 */
export const newOpaqueToken = (prefix: string) => prefix + randomBytes(32).toString('base64url');

// The token has full entropy, so a fast hash is enough (no salt/KDF needed) and lets us look it up.
export const hashOpaqueToken = (token: string) => createHash('sha256').update(token).digest('hex');
