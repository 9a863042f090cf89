import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';

/** Liveness, readiness and Prometheus metrics: public, as orchestrators and scrapers call them. */
export async function healthRoutes(app: FastifyInstance, opts: { db: Db; registry: Registry; busEngine: string }) {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async () => {
    try {
      await opts.db.query('SELECT 1');
    } catch {
      throw errors.unavailable(`the database (${opts.db.engine}) is not reachable`);
    }
    return { status: 'ready', db: opts.db.engine, bus: opts.busEngine };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(opts.registry.contentType);
    return opts.registry.metrics();
  });
}
