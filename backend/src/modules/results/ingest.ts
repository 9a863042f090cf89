import type { CheckResult, StreamedResult } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { touchLastSeen } from '../agents/repo.ts';
import { insertResults } from './repo.ts';

export type Ingest = (agent: { id: string; name: string }, results: CheckResult[]) => Promise<number>;

/**
 * Stores a batch, then publishes each new result. Publishing after the commit means no browser
 * sees a result that is not stored; a re-sent batch publishes nothing twice.
 */
export function createIngest(db: Db, bus: Bus, onIngested: (count: number) => void = () => {}): Ingest {
  return async (agent, results) => {
    const inserted = await db.transaction(async (tx) => {
      const ids = await insertResults(tx, agent.id, results);
      await touchLastSeen(tx, agent.id);
      return ids;
    });
    onIngested(inserted.size);
    // Issued together, not one round trip after another: the bus keeps their order (one Redis
    // connection pipelines them; the memory bus queues them in turn).
    await Promise.all(
      results
        .filter((result) => inserted.has(result.id))
        .map((result) => {
          const streamed: StreamedResult = { ...result, agentId: agent.id, agentName: agent.name };
          return bus.publish(CHANNELS.results, streamed);
        }),
    );
    return inserted.size;
  };
}
