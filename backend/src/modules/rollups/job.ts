import type { Db, Queryable } from '../../db/db.ts';
import { histBucketSql } from './histogram.ts';

/** One advisory lock key: replicas take turns rolling up, nobody waits for it. */
const ROLLUP_LOCK = 727_008;
const STATE = 'check_rollups';
/** days of 1-minute rollups kept */
export const RETENTION_1M_DAYS = 90;
/** days of 1-hour rollups kept (2 years) */
export const RETENTION_1H_DAYS = 730;
/**
 * How far behind now() the job reads: received_at is the inserting transaction's start, so a row
 * of a transaction still committing may carry a time before now(); it is read on the next turn.
 */
export const DEFAULT_LAG_MS = 10_000;
/** at most this much received_at per transaction, so a first run over a big table goes in steps */
const CHUNK = '1 hour';

export interface RollupReport {
  /** 1-minute rows (re)computed */
  minutes: number;
  /** 1-hour rows (re)computed */
  hours: number;
  /** rollup rows past retention deleted */
  expired: number;
  /** the watermark after the run (ISO), undefined when nothing has been rolled up */
  watermark?: string;
  /** false when another replica was rolling up at the time */
  ran: boolean;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const minuteOf = (column: string) => `to_timestamp(floor(extract(epoch FROM ${column}) / 60) * 60)`;
const hourOf = (column: string) => `to_timestamp(floor(extract(epoch FROM ${column}) / 3600) * 3600)`;

/**
 * From `hk`: per (agent, check, bucket) rows of partial figures, each either for one histogram
 * bucket k (hn values in it) or with k NULL, the rollup rows: the figures summed and the histogram
 * made dense from its lowest k (zeros filled in between; one pass, no join). Then upserted into
 * `table`, returning how many rows were written.
 */
const finish = (table: string) => `
gaps AS (
  SELECT *, k - lag(k) OVER (PARTITION BY agent_id, check_id, bucket ORDER BY k) - 1 AS gap FROM hk),
agg AS (
  SELECT agent_id, check_id, bucket, sum(count)::int AS count, sum(failures)::int AS failures,
         sum(value_count)::int AS value_count, sum(value_sum) AS value_sum, min(value_min) AS value_min,
         max(value_max) AS value_max, coalesce(min(k), 0) AS hist_offset,
         coalesce(('{' || string_agg(repeat('0,', coalesce(gap, 0)) || hn, ',' ORDER BY k)
                          FILTER (WHERE k IS NOT NULL) || '}')::int[], '{}') AS hist,
         sum(loss_sum) AS loss_sum, sum(loss_count)::int AS loss_count,
         sum(jitter_sum) AS jitter_sum, sum(jitter_count)::int AS jitter_count
  FROM gaps GROUP BY 1, 2, 3),
done AS (
  INSERT INTO ${table} (${COLUMNS})
  SELECT ${COLUMNS} FROM agg
  ON CONFLICT (agent_id, check_id, bucket) DO UPDATE SET ${UPSERT_SET}
  RETURNING 1)
SELECT count(*)::int AS n FROM done`;

const UPSERT_SET = `count = EXCLUDED.count, failures = EXCLUDED.failures, value_count = EXCLUDED.value_count,
  value_sum = EXCLUDED.value_sum, value_min = EXCLUDED.value_min, value_max = EXCLUDED.value_max,
  hist_offset = EXCLUDED.hist_offset, hist = EXCLUDED.hist, loss_sum = EXCLUDED.loss_sum,
  loss_count = EXCLUDED.loss_count, jitter_sum = EXCLUDED.jitter_sum, jitter_count = EXCLUDED.jitter_count`;
const COLUMNS = `agent_id, check_id, bucket, count, failures, value_count, value_sum, value_min, value_max,
  hist_offset, hist, loss_sum, loss_count, jitter_sum, jitter_count`;

/**
 * Recomputes, from raw rows, every minute that has a row received in [$1, $2). LATERAL with
 * OFFSET 0 (not flattened into a hash join on (agent, check) that would pair every minute with
 * every row of its check): one index scan of (agent_id, check_id, time) per touched minute, in the
 * one partition of its day.
 */
const ROLL_MINUTES = `
WITH touched AS MATERIALIZED (
  SELECT DISTINCT agent_id, check_id, ${minuteOf('time')} AS bucket
  FROM check_results WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz),
raw AS (
  SELECT t.agent_id, t.check_id, t.bucket, r.success, r.duration_ms AS v, ${histBucketSql('r.duration_ms')} AS k,
         CASE WHEN jsonb_typeof(r.metrics -> 'loss_ratio') = 'number' THEN (r.metrics ->> 'loss_ratio')::float8 END AS loss,
         CASE WHEN jsonb_typeof(r.metrics -> 'jitter_ms') = 'number' THEN (r.metrics ->> 'jitter_ms')::float8 END AS jitter
  FROM touched t CROSS JOIN LATERAL (
    SELECT success, duration_ms, metrics FROM check_results r
    WHERE r.agent_id = t.agent_id AND r.check_id = t.check_id
      AND r.time >= t.bucket AND r.time < t.bucket + interval '1 minute' OFFSET 0) r),
hk AS (
  SELECT agent_id, check_id, bucket, k, count(v)::int AS hn,
         count(*)::int AS count, (count(*) FILTER (WHERE NOT success))::int AS failures,
         count(v)::int AS value_count, sum(v) AS value_sum, min(v) AS value_min, max(v) AS value_max,
         sum(loss) AS loss_sum, count(loss)::int AS loss_count, sum(jitter) AS jitter_sum, count(jitter)::int AS jitter_count
  FROM raw GROUP BY 1, 2, 3, 4),
${finish('check_rollups_1m')}`;

/** Recomputes, from the 1-minute rows, every hour that has a raw row received in [$1, $2). */
const ROLL_HOURS = `
WITH touched AS MATERIALIZED (
  SELECT DISTINCT agent_id, check_id, ${hourOf('time')} AS bucket
  FROM check_results WHERE received_at >= $1::timestamptz AND received_at < $2::timestamptz),
m AS MATERIALIZED (
  SELECT t.agent_id, t.check_id, t.bucket AS hour, r.*
  FROM touched t CROSS JOIN LATERAL (
    SELECT count, failures, value_count, value_sum, value_min, value_max, hist_offset, hist,
           loss_sum, loss_count, jitter_sum, jitter_count
    FROM check_rollups_1m r
    WHERE r.agent_id = t.agent_id AND r.check_id = t.check_id
      AND r.bucket >= t.bucket AND r.bucket < t.bucket + interval '1 hour' OFFSET 0) r),
hk AS (
  SELECT agent_id, check_id, hour AS bucket, NULL::int AS k, 0 AS hn, sum(count) AS count, sum(failures) AS failures,
         sum(value_count) AS value_count, sum(value_sum) AS value_sum, min(value_min) AS value_min,
         max(value_max) AS value_max, sum(loss_sum) AS loss_sum, sum(loss_count) AS loss_count,
         sum(jitter_sum) AS jitter_sum, sum(jitter_count) AS jitter_count
  FROM m GROUP BY 1, 2, 3
  UNION ALL
  SELECT m.agent_id, m.check_id, m.hour, m.hist_offset + u.i::int - 1, sum(u.n)::int, 0, 0, 0, NULL, NULL, NULL,
         NULL, 0, NULL, 0
  FROM m CROSS JOIN LATERAL unnest(m.hist) WITH ORDINALITY AS u(n, i)
  WHERE u.n > 0 GROUP BY 1, 2, 3, 4),
${finish('check_rollups_1h')}`;

/**
 * Folds the raw results received since the watermark into the 1-minute and 1-hour rollups: every
 * (agent, check, minute) with a newly received row is recomputed whole from the raw rows (so a late
 * result, e.g. an agent's spool after an outage, lands in its old minute, and a second run changes
 * nothing), then the hours of those minutes from the 1-minute rows. Reads up to `lagMs` behind
 * now(), at most an hour of received_at per transaction. Then deletes rollups past retention.
 * Idempotent; one replica at a time.
 */
export async function rollUp(db: Db, opts: { lagMs?: number } = {}): Promise<RollupReport> {
  const lagMs = opts.lagMs ?? DEFAULT_LAG_MS;
  const report: RollupReport = { minutes: 0, hours: 0, expired: 0, ran: false };
  for (;;) {
    const more = await db.transaction(async (tx) => {
      const { rows: lock } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        ROLLUP_LOCK,
      ]);
      if (!lock[0]?.locked) return false;
      report.ran = true;
      const { rows } = await tx.query<{ lower: string | null; upper: string; caught_up: boolean }>(
        `WITH s AS (
           SELECT CASE WHEN watermark = '-infinity' THEN (SELECT min(received_at) FROM check_results)
                       ELSE watermark END AS lower,
                  now() - $2::float8 * interval '1 millisecond' AS horizon
           FROM rollup_state WHERE name = $1 FOR UPDATE)
         SELECT to_char(lower AT TIME ZONE 'UTC', ${ISO}) AS lower,
                to_char(least(horizon, lower + interval '${CHUNK}') AT TIME ZONE 'UTC', ${ISO}) AS upper,
                lower IS NULL OR lower + interval '${CHUNK}' >= horizon AS caught_up
         FROM s`,
        [STATE, lagMs],
      );
      const state = rows[0];
      if (!state) throw new Error(`rollup_state has no ${STATE} row`);
      if (state.lower === null) return false; // no results yet: the watermark waits for the first
      if (state.upper <= state.lower) return false;
      await summarizeNewRanges(tx);
      report.minutes += (await tx.query<{ n: number }>(ROLL_MINUTES, [state.lower, state.upper])).rows[0]!.n;
      report.hours += (await tx.query<{ n: number }>(ROLL_HOURS, [state.lower, state.upper])).rows[0]!.n;
      await tx.query('UPDATE rollup_state SET watermark = $2::timestamptz WHERE name = $1', [STATE, state.upper]);
      report.watermark = state.upper;
      return !state.caught_up;
    });
    if (!more) break;
  }
  if (report.ran) report.expired = await expire(db);
  return report;
}

/**
 * BRIN ranges are summarized by (auto)vacuum, which PGlite does not run; pages past the last
 * summarized range are always read, so without this every page written since the index was built
 * would be. Cheap: only new pages are summarized.
 */
async function summarizeNewRanges(tx: Queryable) {
  await tx.query(
    `SELECT brin_summarize_new_values(i.indexrelid)
     FROM pg_inherits p JOIN pg_index i ON i.indrelid = p.inhrelid
     JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE p.inhparent = 'check_results'::regclass AND am.amname = 'brin'`,
  );
}

async function expire(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH a AS (DELETE FROM check_rollups_1m WHERE bucket < now() - $1::int * interval '1 day' RETURNING 1),
          b AS (DELETE FROM check_rollups_1h WHERE bucket < now() - $2::int * interval '1 day' RETURNING 1)
     SELECT (SELECT count(*) FROM a)::int + (SELECT count(*) FROM b)::int AS n`,
    [RETENTION_1M_DAYS, RETENTION_1H_DAYS],
  );
  return rows[0]?.n ?? 0;
}

/** The watermark in epoch ms: raw rows received before it are in the rollups (-Infinity: none yet). */
export async function rollupWatermark(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ ms: number | null }>(
    `SELECT CASE WHEN watermark = '-infinity' THEN NULL ELSE extract(epoch FROM watermark)::float8 * 1000 END AS ms
     FROM rollup_state WHERE name = $1`,
    [STATE],
  );
  return rows[0]?.ms ?? -Infinity;
}

const cachedWatermarks = new WeakMap<Queryable, { ms: number; until: number }>();
/**
 * rollupWatermark, read at most once a second per store (the metrics API asks on every request).
 * A watermark a second old only means a little more is read raw: it never moves back.
 */
export async function recentRollupWatermark(db: Queryable, maxAgeMs = 1000): Promise<number> {
  const now = Date.now();
  const cached = cachedWatermarks.get(db);
  if (cached && cached.until > now) return cached.ms;
  const ms = await rollupWatermark(db);
  cachedWatermarks.set(db, { ms, until: now + maxAgeMs });
  return ms;
}

/**
 * Rolls up now and then every `everyMs` (30 s by default) until stopped (which waits for a turn
 * under way); a turn that finds the last one still running is skipped; failures are reported and tried again at the next turn.
 */
export function scheduleRollups(
  db: Db,
  hooks: { onReport: (report: RollupReport) => void; onError: (error: Error) => void },
  everyMs = 30_000,
): { first: Promise<void>; stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () =>
    (running ??= rollUp(db)
      .then(hooks.onReport)
      .catch((error: Error) => hooks.onError(error))
      .finally(() => (running = undefined)));
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    first: run(),
    // a turn under way finishes before the store closes
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
