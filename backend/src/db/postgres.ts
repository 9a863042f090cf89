import pg from 'pg';
import type { Db, Queryable } from './db.ts';

/** A pooled connection to a real PostgreSQL server. */
export async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const client = await pool.connect(); // fail fast with a clear error when the server is unreachable
  client.release();
  return {
    engine: 'postgres',
    async query(sql, params) {
      const result = await pool.query(sql, params as unknown[]);
      return { rows: result.rows };
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const tx: Queryable = {
          query: async (sql, params) => ({ rows: (await conn.query(sql, params as unknown[])).rows }),
          exec: async (sql) => void (await conn.query(sql)),
        };
        const value = await fn(tx);
        await conn.query('COMMIT');
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
