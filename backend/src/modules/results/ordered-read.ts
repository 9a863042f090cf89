import type { Db } from '../../db/db.ts';

/**
 * A keyset page read in index order. Without fresh statistics (PGlite never gathers them;
 * PostgreSQL only after autovacuum's ANALYZE) the planner guesses a time range holds a few dozen
 * rows and reads the whole rest of the range to sort it, for every page: a deep page or an export
 * turns quadratic. With sorting priced out for this one statement, it walks the index that is
 * already in (time, id) order and stops after LIMIT rows; incremental sorts (ties of one time in
 * the (agent_id, check_id, time) index) stay allowed.
 */
export function readInIndexOrder<Row>(db: Db, sql: string, params: unknown[]): Promise<{ rows: Row[] }> {
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_sort = off');
    return tx.query<Row>(sql, params);
  });
}
