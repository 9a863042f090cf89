import argon2 from 'argon2';
import { errors } from '../../http/errors.ts';
import { createSemaphore, QueueFullError } from '../../lib/semaphore.ts';

// OWASP's argon2id minimum (19 MiB, t=2, p=1): ~20 ms per hash on this class of machine, so login
// stays cheap for users and costly for offline guessing.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

/**
 * Hashing and verifying passwords, at most `concurrency` at a time with at most `maxQueue` waiting:
 * a flood of logins queues here (and overflows into 503s) instead of starving every other request
 * of CPU and of libuv's thread pool.
 */
export function createPasswordHasher(concurrency: number, maxQueue = 64) {
  const gate = createSemaphore(concurrency, maxQueue);
  const busy = () => errors.unavailable('too many sign-ins in progress; try again in a moment', 1);
  const bounded = async <T>(task: () => Promise<T>) => {
    try {
      return await gate.run(task);
    } catch (error) {
      if (error instanceof QueueFullError) throw busy();
      throw error;
    }
  };
  // Verified against when the email is unknown, so a login takes as long whether or not the user exists.
  let dummyHash: Promise<string> | undefined;

  return {
    /** Throws the 503 at once when the queue is full: a flood then costs no database work either. */
    assertCapacity() {
      if (gate.pending >= maxQueue) throw busy();
    },
    hash: (password: string) => bounded(() => argon2.hash(password, OPTIONS)),
    verify: (hash: string, password: string) =>
      bounded(async () => {
        try {
          return await argon2.verify(hash, password);
        } catch {
          return false;
        }
      }),
    dummyHash: () => (dummyHash ??= argon2.hash('nop-dummy-password-for-timing', OPTIONS)),
  };
}
