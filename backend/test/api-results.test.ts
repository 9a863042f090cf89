import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EXPORT_CSV_COLUMNS,
  LatestResultsResponse,
  ResultsPage,
  StreamedResult,
  type CheckResult,
  type CheckSpec,
} from '@nop/protocol';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { installErrorHandlers } from '../src/http/errors.ts';
import { resultsRoutes } from '../src/modules/results/routes.ts';
import { createTestApp, signup, type TestApp, type TestUser } from './helpers/app.ts';
import { ENGINES } from './helpers/databases.ts';

// The hour the hand-made results live in; the bulk rows of the export test live a day later.
const T0 = Date.parse('2026-02-01T10:00:00Z');
const T1 = T0 + 86_400_000;
const HOUR = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 3_600_000).toISOString()}`;
const BULK_ROWS = 50_000;

/** An agent row made directly, so its compiled config is exactly what the test says. */
async function insertAgent(db: Db, name: string, checks: Partial<CheckSpec>[]) {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO agents (name, type, config, token_hash) VALUES ($1, 'multi', $2::jsonb, $3) RETURNING id`,
    [name, JSON.stringify({ version: 1, checks }), randomBytes(16).toString('hex')],
  );
  return rows[0]!.id;
}

function result(checkId: string, offsetSeconds: number, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id: randomUUID(),
    checkId,
    type: 'icmp',
    target: '127.0.0.1',
    time: new Date(T0 + offsetSeconds * 1000).toISOString(),
    success: true,
    durationMs: 1 + offsetSeconds / 10,
    metrics: { loss_ratio: 0, jitter_ms: 0.5 },
    ...extra,
  };
}

/** RFC 4180 records (CRLF or LF between them; quoted fields may hold commas, quotes, newlines). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    record.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      endCell();
      records.push(record);
      record = [];
    } else cell += c;
  }
  if (cell || record.length) {
    endCell();
    records.push(record);
  }
  return records;
}

describe.each(ENGINES)('History API: results on %s', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let alpha: string;
  let beta: string;
  /** everything ingested into the hour T0, as the list should answer it */
  const seeded: Array<CheckResult & { agentId: string; agentName: string }> = [];
  const nasty = 'refused, "politely"\r\nthen again\nand once more';
  const formula = '=HYPERLINK("http://evil.example/","click")';

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app);
    viewer = await signup(t.app, 'reader', 'viewer');
    alpha = await insertAgent(t.db, 'alpha', [
      { id: 'ping', type: 'icmp', target: '127.0.0.1' },
      { id: 'web', type: 'http', target: 'http://127.0.0.1/' },
      { id: 'never', type: 'tcp', target: '127.0.0.1:1' },
    ]);
    beta = await insertAgent(t.db, 'beta', [{ id: 'ping', type: 'icmp', target: '127.0.0.1' }]);

    const batches: Array<[string, string, CheckResult[]]> = [
      [
        alpha,
        'alpha',
        [
          ...Array.from({ length: 30 }, (_, i) =>
            result('ping', i * 10, i % 5 === 4 ? { success: false, durationMs: null, error: 'timeout' } : {}),
          ),
          // three runs at one instant: paging must order them by id and lose none
          ...[1, 2, 3].map(() => result('ping', 305)),
        ],
      ],
      [
        alpha,
        'alpha',
        Array.from({ length: 10 }, (_, i) =>
          result('web', i * 30 + 1, {
            type: 'http',
            target: 'http://127.0.0.1/',
            metrics: { status_code: 500 },
            ...(i === 3 ? { success: false, error: nasty } : {}),
            ...(i === 6 ? { success: false, error: formula } : {}),
          }),
        ),
      ],
      [beta, 'beta', Array.from({ length: 20 }, (_, i) => result('ping', i * 15 + 2))],
    ];
    for (const [agentId, agentName, results] of batches) {
      await t.app.services.ingest({ id: agentId, name: agentName }, results);
      seeded.push(...results.map((r) => ({ ...r, agentId, agentName })));
    }
    // the bulk rows of the export test, a day later: one statement, not 50,000 ingests
    await t.db.query(
      `INSERT INTO check_results (id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics)
       SELECT gen_random_uuid(), $1::uuid, 'bulk', 'icmp', '10.0.0.1', $2::timestamptz + g * interval '1 second',
              g % 10 <> 0, (g % 100)::float8 / 4, CASE WHEN g % 10 = 0 THEN 'timeout, again' END,
              jsonb_build_object('loss_ratio', CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END)
       FROM generate_series(1, $3::int) g`,
      [beta, new Date(T1).toISOString(), BULK_ROWS],
    );
  }, 120_000);
  afterAll(() => t?.close());

  const get = (url: string, user: TestUser = admin) => t.app.inject({ url, headers: user.headers });

  /** Every page of a listing, following nextCursor. */
  async function allPages(query: string) {
    const items: StreamedResult[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/api/v1/results?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const page = ResultsPage.parse(response.json());
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }

  const newestFirst = (a: { time: string; id: string }, b: { time: string; id: string }) =>
    b.time.localeCompare(a.time) || b.id.localeCompare(a.id);
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  it('pages through every result of a range newest first, without duplicates or gaps', async () => {
    const { items, pages } = await allPages(`${HOUR}&limit=7`);
    expect(pages).toBe(Math.ceil(seeded.length / 7));
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(ids(items)).toEqual(ids([...seeded].sort(newestFirst)));
  });

  it('answers each result as the stream has it', async () => {
    const { items } = await allPages(`${HOUR}&limit=200`);
    const byId = new Map(items.map((item) => [item.id, item]));
    for (const expected of seeded) expect(byId.get(expected.id)).toEqual(StreamedResult.parse(expected));
  });

  it.each([
    ['check_id=ping', (r: (typeof seeded)[number]) => r.checkId === 'ping'],
    ['status=failed', (r: (typeof seeded)[number]) => !r.success],
    ['status=ok', (r: (typeof seeded)[number]) => r.success],
  ])('filters by %s', async (filter, keep) => {
    const { items } = await allPages(`${HOUR}&${filter}&limit=13`);
    expect(ids(items)).toEqual(ids(seeded.filter(keep).sort(newestFirst)));
  });

  it('filters by agent, by agent and check, and by time', async () => {
    const byAgent = await allPages(`agent_id=${alpha}&${HOUR}`);
    expect(ids(byAgent.items)).toEqual(ids(seeded.filter((r) => r.agentId === alpha).sort(newestFirst)));
    const pair = await allPages(`agent_id=${beta}&check_id=ping`);
    expect(ids(pair.items)).toEqual(ids(seeded.filter((r) => r.agentId === beta).sort(newestFirst)));
    // from inclusive, to exclusive
    const from = new Date(T0 + 100_000).toISOString();
    const to = new Date(T0 + 200_000).toISOString();
    const window = await allPages(`from=${from}&to=${to}`);
    const inWindow = seeded.filter((r) => r.time >= from && r.time < to);
    expect(inWindow.length).toBeGreaterThan(5);
    expect(ids(window.items)).toEqual(ids(inWindow.sort(newestFirst)));
  });

  it.each([
    ['agent_id=42', 'query.agent_id'],
    [`agent_id=${randomUUID()}`, 'query.agent_id'],
    ['check_id=Not%20A%20Check', 'query.check_id'],
    ['check_id=nothing-runs-this', 'query.check_id'],
    ['status=maybe', 'query.status'],
    ['from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'query.from'],
    ['from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'query.from'],
    ['from=yesterday', 'query.from'],
    ['to=99999999999999', 'query.to'],
    ['limit=201', 'query.limit'],
    ['limit=0', 'query.limit'],
    ['cursor=not-a-cursor', 'query.cursor'],
    [`cursor=${Buffer.from('["2026-01-01 00:00:00+00","x"]').toString('base64url')}`, 'query.cursor'],
    ['colour=red', 'query'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const response = await get(`/api/v1/results?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(field);
  });

  it('needs a credential, and viewers may read', async () => {
    for (const url of [
      '/api/v1/results',
      '/api/v1/results/export',
      '/api/v1/results/latest',
      '/api/v1/metrics/summary',
    ]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
      expect((await get(url, viewer)).statusCode, url).toBe(200);
    }
  });

  it('exports CSV that parses back into the same rows, quoted and formula-safe', async () => {
    const response = await get(`/api/v1/results/export?format=csv&${HOUR}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="nop-results-20260201T100000Z-20260201T110000Z.csv"',
    );
    expect(response.body.endsWith('\r\n')).toBe(true);
    const [header, ...records] = parseCsv(response.body);
    expect(header).toEqual([...EXPORT_CSV_COLUMNS]);
    const oldestFirst = [...seeded].sort((a, b) => newestFirst(b, a));
    expect(records).toHaveLength(oldestFirst.length);
    records.forEach((record, i) => {
      const r = oldestFirst[i]!;
      const row = Object.fromEntries(EXPORT_CSV_COLUMNS.map((c, j) => [c, record[j]]));
      const error = r.error?.startsWith('=') ? `'${r.error}` : (r.error ?? '');
      expect(row).toEqual({
        time: r.time,
        agent_id: r.agentId,
        agent_name: r.agentName,
        check_id: r.checkId,
        type: r.type,
        target: r.target,
        success: String(r.success),
        duration_ms: r.durationMs === null ? '' : String(r.durationMs),
        error,
        metrics: row.metrics,
      });
      expect(JSON.parse(row.metrics!)).toEqual(r.metrics);
    });
    expect(records.some((record) => record[8] === nasty)).toBe(true);
    expect(records.some((record) => record[8] === `'${formula}`)).toBe(true);
  });

  it('exports NDJSON: one result per line, as the list answers them', async () => {
    const response = await get(`/api/v1/results/export?format=ndjson&${HOUR}&agent_id=${alpha}&check_id=web`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="nop-results-.*\.ndjson"$/);
    const lines = response.body.trimEnd().split('\n');
    const parsed = lines.map((line) => StreamedResult.parse(JSON.parse(line)));
    const expected = seeded
      .filter((r) => r.agentId === alpha && r.checkId === 'web')
      .sort((a, b) => newestFirst(b, a))
      .map((r) => StreamedResult.parse(r));
    expect(parsed).toEqual(expected);
  });

  it(`exports ${BULK_ROWS.toLocaleString('en')} rows in both formats`, async () => {
    const range = `from=${new Date(T1).toISOString()}&to=${new Date(T1 + 86_400_000).toISOString()}`;
    const csv = await get(`/api/v1/results/export?${range}`);
    expect(csv.statusCode).toBe(200);
    const records = parseCsv(csv.body);
    expect(records).toHaveLength(BULK_ROWS + 1);
    expect(records[1]).toEqual([
      new Date(T1 + 1000).toISOString(),
      beta,
      'beta',
      'bulk',
      'icmp',
      '10.0.0.1',
      'true',
      '0.25',
      '',
      '{"loss_ratio": 0}',
    ]);
    expect(records[10]![8]).toBe('timeout, again');
    const times = records.slice(1).map((r) => r[0]!);
    expect(times).toEqual([...times].sort());

    const ndjson = await get(`/api/v1/results/export?format=ndjson&${range}&status=failed`);
    const lines = ndjson.body.trimEnd().split('\n');
    expect(lines).toHaveLength(BULK_ROWS / 10);
    expect(new Set(lines.map((l) => StreamedResult.parse(JSON.parse(l)).id)).size).toBe(BULK_ROWS / 10);
  }, 60_000);

  it('exports the last 24 hours by default', async () => {
    const response = await get('/api/v1/results/export');
    expect(response.statusCode).toBe(200);
    expect(parseCsv(response.body)).toEqual([[...EXPORT_CSV_COLUMNS]]);
  });

  it.each([
    ['format=xml', 'query.format'],
    ['format=csv&format=ndjson', 'query.format'],
    ['from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'query.from'],
    ['status=ko', 'query.status'],
    ['agent_id=not-a-uuid', 'query.agent_id'],
    [`agent_id=${randomUUID()}`, 'query.agent_id'],
    ['check_id=unknown-check', 'query.check_id'],
    ['limit=5', 'query'],
  ])('refuses an export with %s (400 naming %s) before streaming', async (query, field) => {
    const response = await get(`/api/v1/results/export?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(field);
  });

  it('stops reading when the client goes away', async () => {
    // the real route on a real socket, with small chunks so the export is many queries long
    let queries = 0;
    const counting: Db = {
      ...t.db,
      query: (sql, params) => t.db.query(sql, params),
      transaction: (fn) => {
        queries++; // each chunk is read in a transaction of its own (readInIndexOrder)
        return t.db.transaction(fn);
      },
    };
    const server = Fastify();
    installErrorHandlers(server);
    await server.register(resultsRoutes, { db: counting, exportChunkRows: 100 });
    await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.server.address() as AddressInfo;
      const range = `from=${new Date(T1).toISOString()}&to=${new Date(T1 + 86_400_000).toISOString()}`;
      // node:http, one connection of its own: the request is cut off like a browser tab closed mid-download
      await new Promise<void>((resolve, reject) => {
        const request = http.get(`http://127.0.0.1:${port}/api/v1/results/export?${range}`, { agent: false });
        request.once('response', (response) => {
          expect(response.statusCode).toBe(200);
          response.once('data', () => {
            request.destroy();
            resolve();
          });
        });
        request.once('error', (error) => (request.destroyed ? resolve() : reject(error)));
      });
      await new Promise((r) => setTimeout(r, 500));
      const afterAbort = queries;
      await new Promise((r) => setTimeout(r, 500));
      expect(queries).toBe(afterAbort); // stopped
      expect(afterAbort).toBeLessThan(BULK_ROWS / 100); // well before the end
    } finally {
      await server.close();
    }
  }, 30_000);

  it('answers the latest result of every configured (agent, check) pair', async () => {
    const response = await get('/api/v1/results/latest');
    expect(response.statusCode, response.body).toBe(200);
    const body = LatestResultsResponse.parse(response.json());
    expect(body.truncated).toBe(false);
    const pairs = body.items.map((item) => `${item.agentName}/${item.checkId}`);
    expect(pairs).toEqual(['alpha/never', 'alpha/ping', 'alpha/web', 'beta/ping']);
    const newest = (agentId: string, checkId: string) =>
      [...seeded].filter((r) => r.agentId === agentId && r.checkId === checkId).sort(newestFirst)[0]!;
    const [never, alphaPing, web, betaPing] = body.items;
    expect(never).toMatchObject({ agentId: alpha, agentStatus: 'pending', type: 'tcp', result: null });
    expect(alphaPing!.result!.time).toBe(newest(alpha, 'ping').time);
    expect(web!.result).toEqual(StreamedResult.parse(newest(alpha, 'web')));
    expect(web).toMatchObject({ type: 'http', target: 'http://127.0.0.1/' });
    // beta's bulk rows are newer, but 'bulk' is in no config: only its 'ping' is a pair
    expect(betaPing!.result).toEqual(StreamedResult.parse(newest(beta, 'ping')));

    const byCheck = LatestResultsResponse.parse((await get('/api/v1/results/latest?check_id=ping')).json());
    expect(byCheck.items.map((i) => i.agentName)).toEqual(['alpha', 'beta']);
    const byAgent = LatestResultsResponse.parse((await get(`/api/v1/results/latest?agent_id=${beta}`)).json());
    expect(byAgent.items.map((i) => i.checkId)).toEqual(['ping']);
    const bad = await get('/api/v1/results/latest?check_id=UPPER');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('query.check_id');
  });
});
