import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'nop_agt_';

/** A new agent token: 256 random bits, prefixed so secret scanners and people can recognise it. */
export const newAgentToken = () => PREFIX + randomBytes(32).toString('base64url');

// The token has full entropy, so a fast hash is enough (no salt/KDF needed) and lets us look it up.
export const hashAgentToken = (token: string) => createHash('sha256').update(token).digest('hex');
