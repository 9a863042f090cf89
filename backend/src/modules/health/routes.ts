import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';

/** Liveness, readiness and Prometheus metrics: public, as orchestrators and scrapers call them. */
export async function healthRoutes(
  app: FastifyInstance,
  opts: { db: Db; registry: Registry; busEngine: string; redis?: Redis },
) {
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Ready = every dependency this replica needs answers now: a load balancer sends nobody to a
  // replica cut off from PostgreSQL or (when configured) Redis. Each is asked with a short deadline.
  app.get('/readyz', async () => {
    const [db, redis] = await Promise.all([
      withDeadline(opts.db.query('SELECT 1')),
      opts.redis ? withDeadline(opts.redis.ping()) : Promise.resolve(true),
    ]);
    const down = [...(db ? [] : [`the database (${opts.db.engine})`]), ...(redis ? [] : ['Redis'])];
    if (down.length) throw errors.unavailable(`${down.join(' and ')} not reachable`, 5);
    return { status: 'ready', db: opts.db.engine, bus: opts.busEngine };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(opts.registry.contentType);
    return opts.registry.metrics();
  });
}

const READY_DEADLINE_MS = 2000;

/** true when `call` succeeds within READY_DEADLINE_MS */
async function withDeadline(call: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_DEADLINE_MS)));
  try {
    return await Promise.race([call.then(() => true as const), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
