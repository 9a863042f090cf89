import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** How every encrypted value starts: what is stored without it is in clear. */
export const ENCRYPTED_PREFIX = 'nop:enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// binds every ciphertext to this use: a value encrypted for something else does not decrypt here
const AAD = Buffer.from('nop check secret v1');

export class SecretDecryptError extends Error {}

export interface SecretCipher {
  /** AES-256-GCM with a fresh 96-bit IV: `nop:enc:v1:<key id>:<base64url(iv | ciphertext | tag)>` */
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  isEncrypted(value: string): boolean;
}

/**
 * Encryption at rest for write-only settings. The key comes from NOP_SECRET_KEY (any string of at
 * least 32 characters, stretched with HKDF) or from the data folder. The envelope names the key by
 * a short id, so a value written under another key fails with words, not garbage.
 */
export function createSecretCipher(keyMaterial: string): SecretCipher {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'nop', 'nop secrets v1', 32));
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const isEncrypted = (value: string) => value.startsWith(ENCRYPTED_PREFIX);

  return {
    isEncrypted,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${ENCRYPTED_PREFIX}${keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    decrypt(stored) {
      if (!isEncrypted(stored)) throw new SecretDecryptError('not an encrypted value');
      const [id, data] = stored.slice(ENCRYPTED_PREFIX.length).split(':');
      if (id !== keyId)
        throw new SecretDecryptError(
          `written with another key (id ${id}, this server's is ${keyId}): NOP_SECRET_KEY must be the same on every replica and across restarts`,
        );
      const raw = Buffer.from(data ?? '', 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptError('truncated value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(AAD);
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretDecryptError('the value was altered (authentication failed)');
      }
    },
  };
}
