import pg from 'pg';
import { guarded } from './db-error.ts';
import type { Db, Queryable } from './db.ts';

/** A pooled connection to a real PostgreSQL server. */
export async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const client = await guarded(() => pool.connect()); // fail fast with a clear error when the server is unreachable
  client.release();
  return {
    engine: 'postgres',
    query: (sql, params) => guarded(async () => ({ rows: (await pool.query(sql, params as unknown[])).rows })),
    exec: (sql) => guarded(async () => void (await pool.query(sql))),
    async transaction(fn) {
      const conn = await guarded(() => pool.connect());
      try {
        await guarded(() => conn.query('BEGIN'));
        const tx: Queryable = {
          query: (sql, params) => guarded(async () => ({ rows: (await conn.query(sql, params as unknown[])).rows })),
          exec: (sql) => guarded(async () => void (await conn.query(sql))),
        };
        const value = await fn(tx);
        await guarded(() => conn.query('COMMIT'));
        return value;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
