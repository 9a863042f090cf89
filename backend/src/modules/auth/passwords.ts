import argon2 from 'argon2';

// OWASP's argon2id minimum (19 MiB, t=2, p=1): ~20 ms per hash on this class of machine, so login
// stays cheap for users and costly for offline guessing.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so a login takes as long whether or not the user exists.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('nop-dummy-password-for-timing'));
