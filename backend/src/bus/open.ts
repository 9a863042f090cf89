import type { Config } from '../config.ts';
import type { Bus } from './bus.ts';
import { createMemoryBus } from './memory.ts';
import { createRedisBus } from './redis.ts';

/** Redis pub/sub when REDIS_URL is set, else the in-process bus. */
export function openBus(
  config: Pick<Config, 'REDIS_URL' | 'NOP_BUS_PREFIX'>,
  onError: (e: Error) => void,
): Promise<Bus> {
  if (config.REDIS_URL) return createRedisBus(config.REDIS_URL, config.NOP_BUS_PREFIX, onError);
  return Promise.resolve(createMemoryBus());
}
