import type { ExportFormat } from '@nop/protocol';
import type { Db } from '../../db/db.ts';
import { CSV_HEADER, LINE_SQL } from './export-lines.ts';
import { filterSql } from './filters.ts';
import { readInIndexOrder } from './ordered-read.ts';
import type { ExportQuery } from './query.ts';

/** Rows per query: large enough that a round trip is a small share of a chunk's time, small enough to hold two. */
export const EXPORT_CHUNK_ROWS = 5_000;

/** A chunk as the database answers it: its lines as one text, and the key of its last row. */
interface Chunk {
  text: string | null;
  rows: number;
  last_time: string | null;
  last_id: string | null;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

export const exportContentType = (format: ExportFormat) => CONTENT_TYPES[format];

/** "nop-results-20260105T100000Z-20260106T100000Z.csv": the range, without characters file systems refuse. */
export function exportFileName(q: ExportQuery): string {
  const stamp = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/\.\d{3}/, '')
      .replace(/[-:]/g, '');
  return `nop-results-${stamp(q.filters.from)}-${stamp(q.filters.to)}.${q.format}`;
}

/**
 * The export as text chunks, oldest first: keyset queries of `chunkRows` rows on (time, id), each
 * answered as one string (export-lines.ts). The next query is sent while a chunk is being written,
 * and nothing more is read until the consumer asks (Readable.from pulls only as the response
 * drains), so memory holds about two chunks whatever the range. Stopping the iteration (a client
 * that went away destroys the stream) ends the loop after the query in flight.
 */
export async function* exportChunks(db: Db, q: ExportQuery, chunkRows = EXPORT_CHUNK_ROWS): AsyncGenerator<string> {
  const fetchAfter = async (after: [string, string] | undefined) => {
    const params: unknown[] = [];
    const where = filterSql(q.filters, params);
    if (after) {
      const time = `$${params.push(after[0])}::timestamptz`;
      // the plain bound lets an index that is not on (time, id), e.g. (agent_id, check_id, time), start there
      where.push(`r.time >= ${time}`, `(r.time, r.id) > (${time}, $${params.push(after[1])}::uuid)`);
    }
    const { rows } = await readInIndexOrder<Chunk>(
      db,
      // every aggregate in the subquery's order, so none sorts again (PostgreSQL 16+ sees it presorted)
      `SELECT string_agg(line, '' ORDER BY time, id) AS text, count(*)::int AS rows,
              (array_agg(time_key ORDER BY time, id))[count(*)] AS last_time,
              (array_agg(id ORDER BY time, id))[count(*)]::text AS last_id
       FROM (
         SELECT r.time, r.id, r.time::text AS time_key, ${LINE_SQL[q.format]} AS line
         FROM check_results r JOIN agents a ON a.id = r.agent_id
         WHERE ${where.join(' AND ')}
         ORDER BY r.time, r.id
         LIMIT $${params.push(chunkRows)}
       ) chunk`,
      params,
    );
    return rows[0]!;
  };
  if (q.format === 'csv') yield CSV_HEADER;
  let pending: Promise<Chunk> | undefined = fetchAfter(undefined);
  try {
    while (pending) {
      const chunk: Chunk = await pending;
      pending =
        chunk.rows === chunkRows && chunk.last_time && chunk.last_id
          ? fetchAfter([chunk.last_time, chunk.last_id])
          : undefined;
      if (chunk.text) yield chunk.text;
    }
  } finally {
    // stopped early: the prefetched chunk is not wanted, and its failure must not go unhandled
    pending?.catch(() => {});
  }
}
