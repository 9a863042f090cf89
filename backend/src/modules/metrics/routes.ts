import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/db.ts';
import { parseOr400 } from '../../http/errors.ts';
import { assertKnownIds } from '../results/filters.ts';
import { MetricsQuery, SummaryQuery } from './query.ts';
import { aggregateSeries } from './repo.ts';
import { summarize } from './summary-repo.ts';

export async function metricsRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get('/api/v1/metrics', async (request) => {
    const query = parseOr400(MetricsQuery, request.query, 'query');
    return aggregateSeries(opts.db, query);
  });

  app.get('/api/v1/metrics/summary', async (request) => {
    const query = parseOr400(SummaryQuery, request.query, 'query');
    await assertKnownIds(opts.db, query);
    return summarize(opts.db, query);
  });
}
