/** Thrown when more callers wait than the queue holds: the caller should answer "busy", not wait. */
export class QueueFullError extends Error {}

/**
 * At most `limit` tasks at a time, at most `maxQueue` more waiting. Used for password hashing: a
 * flood of logins then queues (and overflows into 503s) instead of taking every CPU from the API.
 */
export function createSemaphore(limit: number, maxQueue: number) {
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= limit) {
        if (waiting.length >= maxQueue) throw new QueueFullError('too many requests waiting');
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else running++;
      try {
        return await task();
      } finally {
        release();
      }
    },
    get pending() {
      return waiting.length;
    },
  };
}
