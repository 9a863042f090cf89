import { randomUUID } from 'node:crypto';
import { HistoryMetricsResponse, type CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsQuery } from '../src/modules/metrics/query.ts';
import { aggregateRaw } from '../src/modules/metrics/repo.ts';
import { planSegments, rollupPlan } from '../src/modules/metrics/rollup-series.ts';
import { maintainPartitions } from '../src/modules/results/partitions.ts';
import { insertResults } from '../src/modules/results/repo.ts';
import { HIST_LAST, edgeOf, quantilesOf } from '../src/modules/rollups/histogram.ts';
import { rollUp, rollupWatermark } from '../src/modules/rollups/job.ts';
import { createTestApp, signup, type TestApp } from './helpers/app.ts';
import { ENGINES } from './helpers/databases.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// a 24 h range that ended a few hours ago, on whole hours, well inside raw retention
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR;
const T1 = T0 + DAY;
const EVERY_S = 10;
const ROWS = DAY / 1000 / EVERY_S;

describe('the rollup histogram', () => {
  it('spans 0.01 ms to 10 minutes in buckets ~10 % apart', () => {
    expect(edgeOf(0)).toBeCloseTo(0.01, 10);
    expect(edgeOf(HIST_LAST + 1)).toBeGreaterThanOrEqual(600_000);
    expect(edgeOf(1) / edgeOf(0)).toBeCloseTo(1.1007, 3);
  });

  it('gives exact answers for one value and stays within a bucket otherwise', () => {
    const hist = new Int32Array(HIST_LAST + 1);
    hist[100] = 1;
    expect(quantilesOf(hist, 1, 42, 42, [0.1, 0.5, 0.99])).toEqual([42, 42, 42]);
  });

  it('reads whole rollup buckets for the rolled-up part and raw rows for the ragged ends', () => {
    const from = T0 + 30_000;
    const to = T0 + 3 * HOUR + 5 * MINUTE;
    expect(planSegments(from, to, T0 + 2 * HOUR + 10 * MINUTE, true)).toEqual([
      { source: 'raw', from, to: T0 + MINUTE },
      { source: '1m', from: T0 + MINUTE, to: T0 + HOUR },
      { source: '1h', from: T0 + HOUR, to: T0 + 2 * HOUR },
      { source: '1m', from: T0 + 2 * HOUR, to: T0 + 2 * HOUR + 10 * MINUTE },
      { source: 'raw', from: T0 + 2 * HOUR + 10 * MINUTE, to },
    ]);
  });
});

describe.each(ENGINES)('result rollups on %s', (engine) => {
  let t: TestApp;
  let headers: Record<string, string>;
  let agentId: string;

  const minuteRow = async (checkId: string, bucketMs: number) =>
    (
      await t.db.query<{ count: number; failures: number; value_max: number; hist: number[] }>(
        `SELECT count, failures, value_max, hist FROM check_rollups_1m
         WHERE agent_id = $1 AND check_id = $2 AND bucket = $3::timestamptz`,
        [agentId, checkId, new Date(bucketMs).toISOString()],
      )
    ).rows[0];
  const snapshot = async () =>
    (
      await t.db.query(
        `SELECT '1m' AS t, * FROM check_rollups_1m UNION ALL SELECT '1h', * FROM check_rollups_1h ORDER BY 1, 2, 3, 4`,
      )
    ).rows;
  const get = async (query: string) => {
    const response = await t.app.inject({ url: `/api/v1/metrics?${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return HistoryMetricsResponse.parse(response.json());
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    headers = (await signup(t.app)).headers;
    agentId = (
      await t.db.query<{ id: string }>(
        `INSERT INTO agents (name, type, token_hash) VALUES ('rollup-agent', 'multi', 'h') RETURNING id`,
      )
    ).rows[0]!.id;
    // 24 h of one result every 10 s: durations spread 10..74 ms (a golden-ratio sequence), every
    // 37th run failed without a duration (loss 1), jitter on some
    await t.db.query(
      `INSERT INTO check_results (id, agent_id, check_id, type, target, time, success, duration_ms, metrics)
       SELECT gen_random_uuid(), $1, 'rt', 'icmp', '127.0.0.1', to_timestamp($2::float8) + g * interval '${EVERY_S} seconds',
              g % 37 <> 0,
              CASE WHEN g % 37 <> 0 THEN 10 * exp(2 * ((g * 0.6180339887) - floor(g * 0.6180339887))) END,
              CASE WHEN g % 5 = 0 THEN jsonb_build_object('loss_ratio', CASE WHEN g % 37 = 0 THEN 1 ELSE 0 END, 'jitter_ms', g % 7)
                   ELSE jsonb_build_object('loss_ratio', CASE WHEN g % 37 = 0 THEN 1 ELSE 0 END) END
       FROM generate_series(0, $3::int - 1) g`,
      [agentId, T0 / 1000, ROWS],
    );
  });
  afterAll(() => t?.close());

  it('folds the received results into 1-minute and 1-hour rollups', async () => {
    expect(await rollupWatermark(t.db)).toBe(-Infinity);
    const report = await rollUp(t.db, { lagMs: 0 });
    expect(report).toMatchObject({ ran: true, minutes: 24 * 60, hours: 24 });
    expect(await rollupWatermark(t.db)).toBeGreaterThan(Date.now() - MINUTE);
    const { rows } = await t.db.query<{ t: string; n: number; f: number; v: number }>(
      `SELECT '1m' AS t, sum(count)::int AS n, sum(failures)::int AS f, sum(value_count)::int AS v FROM check_rollups_1m
       UNION ALL SELECT '1h', sum(count)::int, sum(failures)::int, sum(value_count)::int FROM check_rollups_1h ORDER BY 1`,
    );
    const failures = Math.floor((ROWS - 1) / 37) + 1;
    expect(rows).toEqual([
      { t: '1h', n: ROWS, f: failures, v: ROWS - failures },
      { t: '1m', n: ROWS, f: failures, v: ROWS - failures },
    ]);
  });

  it('answers a 24 h range from the rollups like the raw rows do', async () => {
    for (const step of ['5m', undefined]) {
      const query = `agent_id=${agentId}&check_id=rt&from=${new Date(T0).toISOString()}&to=${new Date(T1).toISOString()}${step ? `&step=${step}` : ''}`;
      const q = MetricsQuery.parse(Object.fromEntries(new URLSearchParams(query)));
      const plan = rollupPlan(q, await rollupWatermark(t.db));
      expect(plan).toEqual([{ source: '1m', from: T0, to: T1 }]);
      const fromRollups = await get(query);
      const exact = await aggregateRaw(t.db, q);
      expect(fromRollups.stepSeconds).toBe(exact.stepSeconds);
      const a = fromRollups.series[0]!;
      const b = exact.series[0]!;
      const total = (points: typeof a.points, key: 'count' | 'failures') => points.reduce((s, p) => s + p[key], 0);
      expect(total(a.points, 'count')).toBe(ROWS);
      expect(total(a.points, 'failures')).toBe(total(b.points, 'failures'));
      if (step === undefined) continue; // 288 s steps: minutes count in the step they start in
      expect(a.points).toHaveLength(b.points.length);
      let worst = 0;
      a.points.forEach((p, i) => {
        const r = b.points[i]!;
        expect(p).toMatchObject({ t: r.t, count: r.count, failures: r.failures, min: r.min, max: r.max });
        expect(p.avg!).toBeCloseTo(r.avg!, 9);
        expect(p.loss!).toBeCloseTo(r.loss!, 9);
        expect(p.jitter!).toBeCloseTo(r.jitter!, 9);
        expect(p.uptime).toBeCloseTo(r.uptime, 9);
        for (const k of ['p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99'] as const)
          worst = Math.max(worst, Math.abs(p[k]! - r[k]!) / r[k]!);
      });
      expect(worst).toBeLessThan(0.1);
    }
  });

  it('folds a late result into its old minute, and a second run changes nothing', async () => {
    const minute = T0 + 5 * MINUTE;
    const before = await minuteRow('rt', minute);
    const late: CheckResult = {
      id: randomUUID(),
      checkId: 'rt',
      type: 'icmp',
      target: '127.0.0.1',
      time: new Date(minute + 3_000).toISOString(),
      success: true,
      durationMs: 5000,
      metrics: {},
    };
    await insertResults(t.db, agentId, [late]);
    const report = await rollUp(t.db, { lagMs: 0 });
    expect(report).toMatchObject({ ran: true, minutes: 1, hours: 1 });
    const after = await minuteRow('rt', minute);
    expect(after).toMatchObject({ count: before!.count + 1, failures: before!.failures, value_max: 5000 });

    const rows = await snapshot();
    expect(await rollUp(t.db, { lagMs: 0 })).toMatchObject({ ran: true, minutes: 0, hours: 0 });
    expect(await snapshot()).toEqual(rows);
  });

  it('answers a range older than raw retention from the rollups', async () => {
    const old = Math.floor((Date.now() - 20 * DAY) / HOUR) * HOUR;
    const results: CheckResult[] = Array.from({ length: 120 }, (_, i) => ({
      id: randomUUID(),
      checkId: 'old',
      type: 'icmp',
      target: '127.0.0.1',
      time: new Date(old + i * MINUTE).toISOString(),
      success: i % 10 !== 0,
      durationMs: i % 10 !== 0 ? 1 + i : null,
      metrics: {},
    }));
    await insertResults(t.db, agentId, results);
    expect(await rollUp(t.db, { lagMs: 0 })).toMatchObject({ minutes: 120, hours: 2 });
    await maintainPartitions(t.db, { retentionDays: 14, aheadDays: 1 });
    const raw = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM check_results WHERE check_id = 'old'`);
    expect(raw.rows[0]!.n).toBe(0);

    const range = `from=${new Date(old).toISOString()}&to=${new Date(old + 2 * HOUR).toISOString()}`;
    for (const step of ['1h', '10m']) {
      const body = await get(`check_id=old&${range}&step=${step}`);
      expect(body.series).toHaveLength(1);
      const points = body.series[0]!.points;
      expect(points.reduce((s, p) => s + p.count, 0)).toBe(120);
      expect(points.reduce((s, p) => s + p.failures, 0)).toBe(12);
      expect(points[0]).toMatchObject({ t: new Date(old).toISOString(), min: 2 });
      expect(points.at(-1)!.max).toBe(120);
    }
  });
});
