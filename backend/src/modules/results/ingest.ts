import type { CheckResult, StreamedResult } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { touchLastSeen } from '../agents/repo.ts';
import { insertResults } from './repo.ts';

export type Ingest = (agent: { id: string; name: string }, results: CheckResult[]) => Promise<number>;

export interface IngestHooks {
  /** how many results were new */
  onIngested?: (count: number) => void;
  /** the bus refused a committed result: it is stored, only the live stream misses it */
  onPublishFailed?: (error: Error) => void;
}

/**
 * Stores a batch in one transaction and answers once it is committed; then publishes each new
 * result. Publishing after the commit means no browser sees a result that is not stored; a re-sent
 * batch publishes nothing twice. A bus outage (Redis down) does not hold the answer back: the rows
 * are stored, so the agent may forget them, and dashboards read them back from the results API.
 */
export function createIngest(db: Db, bus: Bus, hooks: IngestHooks = {}): Ingest {
  return async (agent, results) => {
    const inserted = await db.transaction(async (tx) => {
      const ids = await insertResults(tx, agent.id, results);
      await touchLastSeen(tx, agent.id);
      return ids;
    });
    hooks.onIngested?.(inserted.size);
    // Issued together, not one round trip after another: the bus keeps their order (one Redis
    // connection pipelines them; the memory bus queues them in turn).
    const published = Promise.all(
      results
        .filter((result) => inserted.has(result.id))
        .map((result) => {
          const streamed: StreamedResult = { ...result, agentId: agent.id, agentName: agent.name };
          return bus.publish(CHANNELS.results, streamed);
        }),
    );
    // not awaited: the publishes are issued in order already, and an outage must not delay the ack
    published.catch((error: Error) => hooks.onPublishFailed?.(error));
    return inserted.size;
  };
}
