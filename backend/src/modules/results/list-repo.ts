import type { ResultsPage } from '@nop/protocol';
import type { Db } from '../../db/db.ts';
import { decodeCursor, TimeIdCursor, toPage } from '../../http/paging.ts';
import { filterSql } from './filters.ts';
import { readInIndexOrder } from './ordered-read.ts';
import type { ResultsQuery } from './query.ts';
import { RESULT_COLUMNS, toStreamedResult, type ResultRow } from './rows.ts';

/**
 * One page of stored results, newest first: keyset on (time, id) descending, so a page costs one
 * index walk of limit+1 rows at any depth. The cursor carries the time as PostgreSQL prints it
 * (microseconds kept), so no row is skipped or repeated between pages.
 */
export async function listResults(db: Db, q: ResultsQuery): Promise<ResultsPage> {
  const params: unknown[] = [];
  const where = filterSql(q.filters, params);
  const after = decodeCursor(q.cursor, TimeIdCursor);
  if (after) {
    const time = `$${params.push(after[0])}::timestamptz`;
    // the plain bound lets an index that is not on (time, id), e.g. (agent_id, check_id, time), start there
    where.push(`r.time <= ${time}`, `(r.time, r.id) < (${time}, $${params.push(after[1])}::uuid)`);
  }
  const { rows } = await readInIndexOrder<ResultRow & { time_key: string }>(
    db,
    `SELECT ${RESULT_COLUMNS}, r.time::text AS time_key
     FROM check_results r JOIN agents a ON a.id = r.agent_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY r.time DESC, r.id DESC
     LIMIT $${params.push(q.limit + 1)}`,
    params,
  );
  return toPage(rows, q.limit, (row) => [row.time_key, row.id], toStreamedResult);
}
