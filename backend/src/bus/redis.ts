import { Redis } from 'ioredis';
import type { Bus, BusHandler } from './bus.ts';

/**
 * Redis pub/sub between replicas. Channels are prefixed (NOP_BUS_PREFIX) so several stacks, or
 * test runs, can share one Redis without hearing each other.
 */
export async function createRedisBus(url: string, prefix: string, onError: (e: Error) => void): Promise<Bus> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const sub = new Redis(url, { lazyConnect: true });
  pub.on('error', onError);
  sub.on('error', onError);
  await Promise.all([pub.connect(), sub.connect()]);

  const handlers = new Map<string, Set<BusHandler>>();
  sub.on('message', (channel: string, raw: string) => {
    const set = handlers.get(channel);
    if (!set) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return onError(new Error(`bus: dropped a malformed message on ${channel}`));
    }
    for (const handler of set) handler(message);
  });

  const key = (channel: string) => `${prefix}:${channel}`;
  return {
    engine: 'redis',
    async publish(channel, message) {
      await pub.publish(key(channel), JSON.stringify(message));
    },
    async subscribe(channel, handler) {
      const name = key(channel);
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
        await sub.subscribe(name);
      }
      set.add(handler);
      return () => void set.delete(handler);
    },
    async close() {
      handlers.clear();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
