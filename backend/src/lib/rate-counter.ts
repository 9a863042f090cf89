import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface RateCount {
  /** hits in the current window, this one included */
  count: number;
  /** milliseconds until the window ends */
  resetMs: number;
}

export interface RateCounter {
  hit(key: string): Promise<RateCount>;
  peek(key: string): Promise<RateCount>;
  reset(key: string): Promise<void>;
}

/** Bounds the memory an attacker can make us spend by inventing keys (emails, addresses). */
const MAX_MEMORY_KEYS = 100_000;

/** Fixed-window counters in this process. */
export function createMemoryRateCounter(windowMs: number, now = Date.now): RateCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt > now()) return entry;
    if (entry) windows.delete(key);
    return undefined;
  };
  const evict = () => {
    const t = now();
    for (const [key, entry] of windows) if (entry.resetAt <= t) windows.delete(key);
    // still full of live windows: drop the oldest (a Map iterates in insertion order)
    for (const key of windows.keys()) {
      if (windows.size < MAX_MEMORY_KEYS) break;
      windows.delete(key);
    }
  };
  return {
    async hit(key) {
      let entry = current(key);
      if (!entry) {
        if (windows.size >= MAX_MEMORY_KEYS) evict();
        entry = { count: 0, resetAt: now() + windowMs };
        windows.set(key, entry);
      }
      entry.count++;
      return { count: entry.count, resetMs: entry.resetAt - now() };
    },
    async peek(key) {
      const entry = current(key);
      return entry ? { count: entry.count, resetMs: entry.resetAt - now() } : { count: 0, resetMs: 0 };
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

// INCR and set the window's expiry on the first hit, atomically.
const HIT_SCRIPT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;

/**
 * Counters shared by every replica through Redis. Keys are hashed (no emails in Redis). When Redis
 * cannot be reached, the replica's own counters take over, so limits still hold per replica
 * instead of failing every login.
 */
export function createRedisRateCounter(
  redis: Redis,
  prefix: string,
  windowMs: number,
  onError: (error: Error) => void,
): RateCounter {
  const fallback = createMemoryRateCounter(windowMs);
  const keyOf = (key: string) => `${prefix}:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
  const guarded = async <T>(shared: () => Promise<T>, local: () => Promise<T>) => {
    try {
      return await shared();
    } catch (error) {
      onError(error as Error);
      return local();
    }
  };
  return {
    hit: (key) =>
      guarded(
        async () => {
          const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, keyOf(key), windowMs)) as [number, number];
          return { count, resetMs: ttl > 0 ? ttl : windowMs };
        },
        () => fallback.hit(key),
      ),
    peek: (key) =>
      guarded(
        async () => {
          const [count, ttl] = await Promise.all([redis.get(keyOf(key)), redis.pttl(keyOf(key))]);
          return { count: Number(count ?? 0), resetMs: ttl > 0 ? ttl : 0 };
        },
        () => fallback.peek(key),
      ),
    reset: (key) =>
      guarded(
        async () => void (await redis.del(keyOf(key))),
        () => fallback.reset(key),
      ),
  };
}
