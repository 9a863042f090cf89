import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret the operator gives (JWT_SECRET, NOP_SECRET_KEY: required in production, and the same on
 * every replica); otherwise a random one made once and kept in the data folder, readable by the
 * owner only, so embedded installs keep their sessions and can read their encrypted settings after
 * a restart.
 */
export function resolveDataSecret(file: string, configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const location = path.join(dataDir, file);
  try {
    const existing = readFileSync(location, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: make one below
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(location, secret + '\n', { mode: 0o600 });
  return secret;
}
