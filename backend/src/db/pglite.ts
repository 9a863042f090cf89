import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { guarded, sanitizeDbError } from './db-error.ts';
import type { Db, Queryable } from './db.ts';

/** In-process PostgreSQL (WASM). `dataDir` undefined keeps everything in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: (sql, params) => guarded(async () => ({ rows: (await q.query(sql, params)).rows as never[] })),
    exec: (sql) => guarded(async () => void (await q.exec(sql))),
  });
  return {
    engine: 'pglite',
    ...wrap(pg),
    // errors thrown by fn are the caller's own (ApiError…): only the driver's are sanitised
    transaction: async (fn) => {
      let own: { error: unknown } | undefined;
      try {
        return await pg.transaction(async (tx) => {
          try {
            return await fn(wrap(tx));
          } catch (error) {
            own = { error };
            throw error;
          }
        });
      } catch (error) {
        if (own && own.error === error) throw error;
        throw sanitizeDbError(error);
      }
    },
    close: () => pg.close(),
  };
}
