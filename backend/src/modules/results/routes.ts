import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/db.ts';
import { parseOr400 } from '../../http/errors.ts';
import { exportChunks, exportContentType, exportFileName, EXPORT_CHUNK_ROWS } from './export.ts';
import { assertKnownIds } from './filters.ts';
import { latestResults } from './latest-repo.ts';
import { listResults } from './list-repo.ts';
import { ExportQuery, LatestQuery, ResultsQuery } from './query.ts';

/** The History API's results: a paged list, a streamed export, the latest result of every configured pair. */
export async function resultsRoutes(app: FastifyInstance, opts: { db: Db; exportChunkRows?: number }) {
  const { db } = opts;

  app.get('/api/v1/results', async (request) => {
    const query = parseOr400(ResultsQuery, request.query, 'query');
    await assertKnownIds(db, query.filters);
    return listResults(db, query);
  });

  app.get('/api/v1/results/export', async (request, reply) => {
    const query = parseOr400(ExportQuery, request.query, 'query');
    // checked before the first byte: once streaming has begun, an error can only cut the file short
    await assertKnownIds(db, query.filters);
    reply
      .type(exportContentType(query.format))
      .header('content-disposition', `attachment; filename="${exportFileName(query)}"`)
      .header('cache-control', 'no-store');
    // bytes, not objects: the buffer is then ~16 KB, and the next chunk is only made once it drains
    const chunks = exportChunks(db, query, opts.exportChunkRows ?? EXPORT_CHUNK_ROWS);
    return reply.send(Readable.from(chunks, { objectMode: false }));
  });

  app.get('/api/v1/results/latest', async (request) => {
    const query = parseOr400(LatestQuery, request.query, 'query');
    await assertKnownIds(db, query);
    return latestResults(db, query);
  });
}
