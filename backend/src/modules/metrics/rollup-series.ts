import type { HistoryMetricSeries, HistoryMetricsResponse } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import { HIST_SIZE, histBucketSql, quantilesOf } from '../rollups/histogram.ts';
import { RETENTION_1M_DAYS } from '../rollups/job.ts';
import type { MetricsQuery } from './query.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A stretch of the range and where it is read from. */
export interface Segment {
  source: 'raw' | '1m' | '1h';
  from: number;
  to: number;
}

/**
 * Splits from..to into rollup and raw stretches: rollups (1-hour ones first when `hours`, then
 * 1-minute ones) for the whole buckets that end before `rolledUntil`, raw rows for the rest (the
 * ragged ends and the recent part the job has not folded in yet).
 */
export function planSegments(from: number, to: number, rolledUntil: number, hours: boolean): Segment[] {
  const out: Segment[] = [];
  const tiers: Array<['1h' | '1m', number]> = hours
    ? [
        ['1h', HOUR],
        ['1m', MINUTE],
      ]
    : [['1m', MINUTE]];
  const cover = (a: number, b: number, level: number) => {
    if (a >= b) return;
    const tier = tiers[level];
    if (!tier) return void out.push({ source: 'raw', from: a, to: b });
    const [source, unit] = tier;
    const start = Math.ceil(a / unit) * unit;
    const end = Math.floor(Math.min(b, rolledUntil) / unit) * unit;
    if (start >= end) return cover(a, b, level + 1);
    cover(a, start, level + 1);
    out.push({ source, from: start, to: end });
    cover(end, b, level + 1);
  };
  cover(from, to, 0);
  return out;
}

/** One (agent, check, step), summed in SQL; the histograms of its rollup rows still apart. */
interface Row {
  agent_id: string;
  check_id: string;
  /** epoch seconds of the step */
  step: number;
  count: number;
  failures: number;
  value_count: number;
  value_sum: number | null;
  value_min: number | null;
  value_max: number | null;
  /** "offset:n,n,n;offset:n,…": each row's histogram as text, parsed here (far cheaper than int[]) */
  hists: string | null;
  loss_sum: number | null;
  loss_count: number;
  jitter_sum: number | null;
  jitter_count: number;
}

interface Acc {
  count: number;
  failures: number;
  valueCount: number;
  valueSum: number;
  min: number;
  max: number;
  hist?: Int32Array;
  lossSum: number;
  lossCount: number;
  jitterSum: number;
  jitterCount: number;
}

const FILTER = `($1::uuid IS NULL OR agent_id = $1::uuid) AND ($2::text IS NULL OR check_id = $2::text)`;
const STEP_OF = (column: string) => `floor(date_part('epoch', ${column}) / $3) * $3`;
const ROLLUP_COLUMNS = `agent_id, check_id, ${STEP_OF('bucket')} AS step, count, failures, value_count, value_sum,
  value_min, value_max, hist_offset, hist, loss_sum, loss_count, jitter_sum, jitter_count`;

function segmentSql(segment: Segment): string {
  const from = `to_timestamp(${segment.from / 1000})`;
  const to = `to_timestamp(${segment.to / 1000})`;
  if (segment.source !== 'raw')
    return `SELECT ${ROLLUP_COLUMNS} FROM check_rollups_${segment.source}
            WHERE bucket >= ${from} AND bucket < ${to} AND ${FILTER}`;
  // raw rows, one row per (agent, check, step, histogram bucket): the same shape as a rollup row
  return `SELECT agent_id, check_id, step, count(*)::int AS count, (count(*) FILTER (WHERE NOT success))::int AS failures,
                 count(v)::int AS value_count, sum(v) AS value_sum, min(v) AS value_min, max(v) AS value_max,
                 coalesce(k, 0) AS hist_offset, CASE WHEN k IS NULL THEN '{}'::int[] ELSE ARRAY[count(v)::int] END AS hist,
                 sum(loss) AS loss_sum, count(loss)::int AS loss_count, sum(jitter) AS jitter_sum, count(jitter)::int AS jitter_count
          FROM (
            SELECT agent_id, check_id, ${STEP_OF('time')} AS step, success, duration_ms AS v,
                   ${histBucketSql('duration_ms')} AS k,
                   CASE WHEN jsonb_typeof(metrics -> 'loss_ratio') = 'number' THEN (metrics ->> 'loss_ratio')::float8 END AS loss,
                   CASE WHEN jsonb_typeof(metrics -> 'jitter_ms') = 'number' THEN (metrics ->> 'jitter_ms')::float8 END AS jitter
            FROM check_results
            WHERE time >= ${from} AND time < ${to} AND ${FILTER}
          ) r
          GROUP BY agent_id, check_id, step, k`;
}

/** Adds "offset:n,n,n;offset:n,…" (rollup rows' histograms as text) into a dense histogram. */
function addHists(hist: Int32Array, text: string) {
  let k = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else if (c === 58 /* : */) {
      k = n;
      n = 0;
    } else {
      // , or ;
      if (n) hist[Math.min(k, HIST_SIZE - 1)]! += n;
      n = 0;
      if (c === 44 /* , */) k++;
    }
  }
  if (n) hist[Math.min(k, HIST_SIZE - 1)]! += n;
}

/** The quantiles of HistoryMetricPoint, in order. */
const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

/**
 * Whether the latency series of `q` is read from rollups, and how: only for steps of a minute or
 * more; 1-hour rollups when the step is an hour or more and either a whole number of hours or over
 * a long range, and whenever the range starts before the 1-minute rollups' retention.
 */
export function rollupPlan(q: MetricsQuery, watermarkMs: number, nowMs = Date.now()): Segment[] | undefined {
  if (q.metric !== 'latency_ms' || q.stepMs < MINUTE || !Number.isFinite(watermarkMs)) return undefined;
  // a result may be received a little after its minute ends: the minute before the watermark's is
  // read raw too
  const rolledUntil = Math.floor((watermarkMs - MINUTE) / MINUTE) * MINUTE;
  if (q.from >= rolledUntil) return undefined;
  const hours =
    (q.stepMs >= HOUR && (q.stepMs % HOUR === 0 || q.to - q.from > 7 * DAY)) ||
    q.from < nowMs - (RETENTION_1M_DAYS - 1) * DAY;
  return planSegments(q.from, q.to, rolledUntil, hours);
}

/**
 * The response of GET /api/v1/metrics from rollups (and raw rows for the segments `plan` reads
 * raw), merged per step: count, failures, min, max and the averages exact; percentiles from the
 * merged histograms. A rollup bucket counts in the step its start falls in (exact when the step is
 * a whole number of the rollup's buckets).
 */
export async function rollupSeries(db: Queryable, q: MetricsQuery, plan: Segment[]): Promise<HistoryMetricsResponse> {
  const stepSeconds = q.stepMs / 1000;
  const union = plan.map(segmentSql).join('\nUNION ALL\n');
  const { rows } = await db.query<Row & { agent_name: string }>(
    `SELECT s.*, a.name AS agent_name
     FROM (
       SELECT agent_id, check_id, step, sum(count)::int AS count, sum(failures)::int AS failures,
              sum(value_count)::int AS value_count, sum(value_sum)::float8 AS value_sum,
              min(value_min)::float8 AS value_min, max(value_max)::float8 AS value_max,
              string_agg(hist_offset || ':' || array_to_string(hist, ','), ';') FILTER (WHERE value_count > 0) AS hists,
              sum(loss_sum)::float8 AS loss_sum, sum(loss_count)::int AS loss_count,
              sum(jitter_sum)::float8 AS jitter_sum, sum(jitter_count)::int AS jitter_count
       FROM (${union}) u
       GROUP BY agent_id, check_id, step
     ) s JOIN agents a ON a.id = s.agent_id`,
    [q.agentId ?? null, q.checkId ?? null, stepSeconds],
  );
  const agentName = new Map(rows.map((r) => [r.agent_id, r.agent_name]));

  const pairs = new Map<string, { agentId: string; checkId: string; steps: Map<number, Acc> }>();
  for (const row of rows) {
    const key = `${row.agent_id}/${row.check_id}`;
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = { agentId: row.agent_id, checkId: row.check_id, steps: new Map() }));
    let acc = pair.steps.get(row.step);
    if (!acc)
      pair.steps.set(
        row.step,
        (acc = {
          count: 0,
          failures: 0,
          valueCount: 0,
          valueSum: 0,
          min: Infinity,
          max: -Infinity,
          lossSum: 0,
          lossCount: 0,
          jitterSum: 0,
          jitterCount: 0,
        }),
      );
    acc.count += row.count;
    acc.failures += row.failures;
    if (row.value_count > 0) {
      acc.valueCount += row.value_count;
      acc.valueSum += row.value_sum!;
      acc.min = Math.min(acc.min, row.value_min!);
      acc.max = Math.max(acc.max, row.value_max!);
      addHists((acc.hist ??= new Int32Array(HIST_SIZE)), row.hists ?? '');
    }
    if (row.loss_count > 0) {
      acc.lossSum += row.loss_sum!;
      acc.lossCount += row.loss_count;
    }
    if (row.jitter_count > 0) {
      acc.jitterSum += row.jitter_sum!;
      acc.jitterCount += row.jitter_count;
    }
  }

  const series: HistoryMetricSeries[] = [];
  for (const pair of pairs.values()) {
    const name = agentName.get(pair.agentId)!;
    const points = [...pair.steps.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([step, acc]) => {
        const hasValue = acc.valueCount > 0;
        const [p10, p25, p50, p75, p90, p95, p99] = hasValue
          ? quantilesOf(acc.hist!, acc.valueCount, acc.min, acc.max, QUANTILES)
          : QUANTILES.map(() => null);
        return {
          t: new Date(step * 1000).toISOString(),
          avg: hasValue ? acc.valueSum / acc.valueCount : null,
          min: hasValue ? acc.min : null,
          max: hasValue ? acc.max : null,
          p95: p95 ?? null,
          count: acc.count,
          failures: acc.failures,
          p10: p10 ?? null,
          p25: p25 ?? null,
          p50: p50 ?? null,
          p75: p75 ?? null,
          p90: p90 ?? null,
          p99: p99 ?? null,
          loss: acc.lossCount > 0 ? acc.lossSum / acc.lossCount : null,
          jitter: acc.jitterCount > 0 ? acc.jitterSum / acc.jitterCount : null,
          uptime: (acc.count - acc.failures) / acc.count,
        };
      });
    series.push({ agentId: pair.agentId, agentName: name, checkId: pair.checkId, points });
  }
  // as the raw path orders them: by agent id, then check id
  series.sort((a, b) =>
    a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0,
  );
  return {
    metric: q.metric,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    stepSeconds,
    series,
  };
}
