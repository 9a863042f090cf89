import { randomUUID } from 'node:crypto';
import { HistoryMetricsResponse, MetricsSummaryResponse, type CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../src/bus/bus.ts';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, type TestApp } from './helpers/app.ts';

// A fixed hour in the past, aligned to a minute, so buckets are predictable.
const T0 = Date.parse('2026-01-05T10:00:00Z');

function result(checkId: string, offsetSeconds: number, durationMs: number | null, extra: Partial<CheckResult> = {}) {
  return {
    id: randomUUID(),
    checkId,
    type: 'icmp',
    target: '127.0.0.1',
    time: new Date(T0 + offsetSeconds * 1000).toISOString(),
    success: durationMs !== null,
    durationMs,
    metrics: { loss_ratio: durationMs === null ? 1 : 0 },
    ...extra,
  } as CheckResult;
}

describe.each(ENGINES)('metrics API and ingest on %s', (engine) => {
  let t: TestApp;
  let headers: Record<string, string>;
  let agentId: string;
  let otherAgentId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    headers = (await signup(t.app)).headers;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers,
      payload: { name: 'm1', type: 'ping' },
    });
    agentId = created.json().agent.id;
    const agent = { id: agentId, name: 'm1' };
    // minute 0: 10,20,30,40 ms; minute 1: 100 ms and one failure without a value; other check: 5 ms
    await t.app.services.ingest(agent, [
      result('ping', 0, 10),
      result('ping', 15, 20),
      result('ping', 30, 30),
      result('ping', 45, 40),
      result('ping', 60, 100),
      result('ping', 70, null, { error: 'timeout after 2000 ms' }),
      result('other', 5, 5),
    ]);
    // a second place running the same check, with jitter
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers,
      payload: { name: 'm2', type: 'ping' },
    });
    otherAgentId = other.json().agent.id;
    await t.app.services.ingest({ id: otherAgentId, name: 'm2' }, [
      result('ping', 0, 50, { metrics: { loss_ratio: 0, jitter_ms: 2 } }),
      result('ping', 30, 70, { metrics: { loss_ratio: 0.25, jitter_ms: 4 } }),
    ]);
  });
  afterAll(() => t?.close());

  const get = (query: string) => t.app.inject({ url: `/api/v1/metrics?${query}`, headers });
  const range = `from=${new Date(T0).toISOString()}&to=${(T0 + 120_000) / 1000}`;

  it('aggregates avg, min, max, p95, count and failures per step', async () => {
    const response = await get(`agent_id=${agentId}&check_id=ping&${range}&step=1m`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ metric: 'latency_ms', stepSeconds: 60, from: '2026-01-05T10:00:00.000Z' });
    expect(body.series).toHaveLength(1);
    const [first, second] = body.series[0].points;
    expect(first).toMatchObject({ t: '2026-01-05T10:00:00.000Z', avg: 25, min: 10, max: 40, count: 4, failures: 0 });
    expect(first.p95).toBeCloseTo(38.5, 5); // percentile_cont: 30 + 0.85 * 10
    expect(second).toMatchObject({
      t: '2026-01-05T10:01:00.000Z',
      avg: 100,
      min: 100,
      max: 100,
      count: 2,
      failures: 1,
    });
  });

  it('returns one series per check when no check is given, and reads metrics from the results', async () => {
    const all = await get(`agent_id=${agentId}&${range}&step=120`);
    expect(
      all
        .json()
        .series.map((s: { checkId: string }) => s.checkId)
        .sort(),
    ).toEqual(['other', 'ping']);
    const loss = await get(`agent_id=${agentId}&check_id=ping&metric=loss_ratio&${range}&step=120`);
    expect(loss.json().series[0].points[0]).toMatchObject({ avg: 1 / 6, max: 1, count: 6 });
  });

  it('adds p10..p99, loss, jitter and uptime per step', async () => {
    const response = await get(`agent_id=${agentId}&check_id=ping&${range}&step=1m`);
    const body = HistoryMetricsResponse.parse(response.json());
    expect(body.series[0]).toMatchObject({ agentId, agentName: 'm1', checkId: 'ping' });
    const [first, second] = body.series[0]!.points;
    // percentile_cont over 10, 20, 30, 40: 10 + (3 * p) * 10
    expect(first).toMatchObject({ p25: 17.5, p50: 25, p75: 32.5, loss: 0, jitter: null, uptime: 1 });
    expect(first!.p10).toBeCloseTo(13, 9);
    expect(first!.p90).toBeCloseTo(37, 9);
    expect(first!.p99).toBeCloseTo(39.7, 9);
    // the failed run has no value: percentiles of 100 alone, but it counts for loss and uptime
    expect(second).toMatchObject({ p10: 100, p50: 100, p99: 100, loss: 0.5, uptime: 0.5 });
  });

  it('returns one series per agent for a check alone, one per check for an agent alone', async () => {
    const byCheck = HistoryMetricsResponse.parse((await get(`check_id=ping&${range}&step=120`)).json());
    expect(byCheck.series.map((s) => s.agentName).sort()).toEqual(['m1', 'm2']);
    const m2 = byCheck.series.find((s) => s.agentId === otherAgentId)!;
    expect(m2.points).toEqual([
      expect.objectContaining({ avg: 60, p50: 60, count: 2, failures: 0, loss: 0.125, jitter: 3, uptime: 1 }),
    ]);
    const byAgent = HistoryMetricsResponse.parse((await get(`agent_id=${otherAgentId}&${range}`)).json());
    expect(byAgent.series.map((s) => s.checkId)).toEqual(['ping']);
  });

  it('summarises each (agent, check) over a range exactly', async () => {
    const response = await t.app.inject({ url: `/api/v1/metrics/summary?check_id=ping&${range}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    const body = MetricsSummaryResponse.parse(response.json());
    expect(body).toMatchObject({ from: '2026-01-05T10:00:00.000Z', to: '2026-01-05T10:02:00.000Z', truncated: false });
    expect(body.items.map((i) => i.agentName)).toEqual(['m1', 'm2']);
    const [m1, m2] = body.items;
    // m1: 10, 20, 30, 40, 100 ms and one failure without a value
    expect(m1).toMatchObject({
      agentId,
      checkId: 'ping',
      count: 6,
      failures: 1,
      uptimePct: 500 / 6,
      latency: { p50: 30, min: 10, max: 100, avg: 40 },
      jitter: null,
      firstTime: '2026-01-05T10:00:00.000Z',
      lastTime: '2026-01-05T10:01:10.000Z',
    });
    expect(m1!.latency.p95).toBeCloseTo(88, 9); // 40 + 0.8 * 60
    expect(m1!.latency.p99).toBeCloseTo(97.6, 9); // 40 + 0.96 * 60
    expect(m1!.loss).toBeCloseTo(1 / 6, 12);
    expect(m2).toMatchObject({ count: 2, failures: 0, uptimePct: 100, loss: 0.125, jitter: 3 });
    expect(m2!.latency).toMatchObject({ p50: 60, min: 50, max: 70, avg: 60 });

    const one = MetricsSummaryResponse.parse(
      (await t.app.inject({ url: `/api/v1/metrics/summary?agent_id=${agentId}&${range}`, headers })).json(),
    );
    expect(one.items.map((i) => i.checkId)).toEqual(['other', 'ping']);
  });

  it.each([
    ['from=0&to=2000000000', 'query.from'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.from'],
    ['agent_id=nope', 'query.agent_id'],
    [`agent_id=${randomUUID()}`, 'query.agent_id'],
    ['check_id=no-such-check', 'query.check_id'],
    ['check_id=Bad%20Id', 'query.check_id'],
    ['step=1m', 'query'],
  ])('refuses a summary with %s (400 naming %s)', async (query, field) => {
    const response = await t.app.inject({ url: `/api/v1/metrics/summary?${query}`, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain(field);
  });

  it('summarises the last day by default', async () => {
    const body = MetricsSummaryResponse.parse((await t.app.inject({ url: '/api/v1/metrics/summary', headers })).json());
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(86_400_000);
    expect(body.items).toEqual([]);
  });

  it('defaults to the last hour', async () => {
    const response = await get('');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(3_600_000);
    expect(body.series).toEqual([]);
  });

  it.each([
    ['from=yesterday', 'query.from'],
    ['to=2026-13-45T99:00:00Z', 'query.to'],
    ['step=0', 'query.step'],
    ['step=abc', 'query.step'],
    ['step=-5', 'query.step'],
    ['agent_id=42', 'query.agent_id'],
    ['metric=DROP%20TABLE', 'query.metric'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.from'],
    ['from=0&to=1000000000&step=1', 'query.step'],
    ['colour=red', 'query'],
    ['step=1m&step=2m', 'query.step'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const response = await get(query);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(field);
  });

  it("stores a traceroute's hops with its result and streams them", async () => {
    const published: any[] = [];
    const unsubscribe = await t.bus.subscribe(CHANNELS.results, (m) => published.push(m));
    const trace = {
      mode: 'udp' as const,
      method: 'raw' as const,
      destination: '127.0.0.1',
      flows: [{ flowId: 0, reached: true, hops: [{ ttl: 1, probes: [{ address: '127.0.0.1', rttMs: 0.05 }] }] }],
      fingerprint: 'abc123def456',
    };
    const traced = { ...result('trace', 3, 0.05), type: 'traceroute' as const, trace };
    expect(await t.app.services.ingest({ id: agentId, name: 'm1' }, [traced])).toBe(1);
    const { rows } = await t.db.query<{ details: unknown }>('SELECT details FROM check_results WHERE id = $1', [
      traced.id,
    ]);
    expect(rows[0]!.details).toEqual({ trace });
    await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    expect(published.find((m) => m.id === traced.id)?.trace).toEqual(trace);
  });

  it("stores a DNS run's answer records and returns them in the results, the export and the stream", async () => {
    const published: any[] = [];
    const unsubscribe = await t.bus.subscribe(CHANNELS.results, (m) => published.push(m));
    const dns = {
      server: '127.0.0.1:53',
      rcode: 'NOERROR',
      answers: [{ name: 'web.nop.test', ttl: 60, type: 'A', data: '192.0.2.10' }],
      omitted: 3,
    };
    const answered = { ...result('dns-web', 4, 1.5), type: 'dns' as const, target: 'web.nop.test', dns };
    expect(await t.app.services.ingest({ id: agentId, name: 'm1' }, [answered])).toBe(1);
    const { rows } = await t.db.query<{ details: unknown }>('SELECT details FROM check_results WHERE id = $1', [
      answered.id,
    ]);
    expect(rows[0]!.details).toEqual({ dns });
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/results?check_id=dns-web', headers });
    expect(listed.json().items[0].dns).toEqual(dns);
    expect(listed.json().items[0].trace).toBeUndefined();
    const exported = await t.app.inject({
      method: 'GET',
      url: `/api/v1/results/export?format=ndjson&check_id=dns-web&from=${new Date(T0 - 60_000).toISOString()}`,
      headers,
    });
    expect(JSON.parse(exported.body.trim()).dns).toEqual(dns);
    await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    expect(published.find((m) => m.id === answered.id)?.dns).toEqual(dns);
  });

  it('ingests idempotently: a re-sent batch stores and publishes nothing twice', async () => {
    const published: unknown[] = [];
    const unsubscribe = await t.bus.subscribe(CHANNELS.results, (m) => published.push(m));
    const batch = [result('idem', 1, 1), result('idem', 2, 2)];
    expect(await t.app.services.ingest({ id: agentId, name: 'm1' }, batch)).toBe(2);
    expect(await t.app.services.ingest({ id: agentId, name: 'm1' }, batch)).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    const { rows } = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM check_results WHERE check_id = 'idem'",
    );
    expect(rows[0]!.n).toBe(2);
    expect(published).toHaveLength(2);
    expect(published[0]).toMatchObject({ agentId, agentName: 'm1', checkId: 'idem' });
  });
});

describe.each(ENGINES)('health and metrics endpoints on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t?.close());

  it('serves /healthz, /readyz and /metrics without a token', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', db: engine, bus: 'memory' });
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('nop_http_request_duration_seconds');
    expect(metrics.body).toContain('process_cpu_seconds_total');
  });

  it('answers unknown API routes with a 404 problem', async () => {
    const response = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('never answers 500 to hostile input', async () => {
    const { headers } = await signup(t.app);
    const bodies = [
      'null',
      '[]',
      '"x"',
      '1e999',
      '{"__proto__":{"admin":true}}',
      '{"name":{"$gt":""}}',
      '\u0000',
      '{'.repeat(5000),
    ];
    const routes: Array<['POST' | 'PATCH', string]> = [
      ['POST', '/api/v1/auth/signup'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/agents'],
      ['PATCH', '/api/v1/agents/6f1c2a9e-0000-4000-8000-000000000000'],
      ['POST', '/api/v1/agents/6f1c2a9e-0000-4000-8000-000000000000/actions'],
    ];
    for (const [method, url] of routes)
      for (const payload of bodies) {
        const r = await t.app.inject({
          method,
          url,
          payload,
          headers: { ...headers, 'content-type': 'application/json' },
        });
        expect(r.statusCode, `${method} ${url} ${payload.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(r.statusCode, `${method} ${url} ${payload.slice(0, 20)}`).toBeLessThan(500);
      }
  });
});
