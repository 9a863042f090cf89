import type { Bus, BusHandler } from './bus.ts';

/** The embedded bus: one process, so delivery is a function call (deferred, like a real bus). */
export function createMemoryBus(): Bus {
  const handlers = new Map<string, Set<BusHandler>>();
  return {
    engine: 'memory',
    async publish(channel, message) {
      // structuredClone keeps the semantics of a real bus: subscribers never share the sender's object
      const copy = structuredClone(message);
      for (const handler of handlers.get(channel) ?? []) queueMicrotask(() => handler(copy));
    },
    async subscribe(channel, handler) {
      const set = handlers.get(channel) ?? new Set();
      set.add(handler);
      handlers.set(channel, set);
      return () => void set.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
