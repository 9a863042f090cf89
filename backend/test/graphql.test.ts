import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SECRET_MASK, type CheckResult } from '@nop/protocol';
import { buildSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '../src/graphql/limits.ts';
import { typeDefs } from '../src/graphql/schema.ts';
import { createTestApp, login, signup, type TestApp, type TestUser } from './helpers/app.ts';
import { ENGINES } from './helpers/databases.ts';
import { closed, inbox } from './helpers/ws.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const RANGE = { from: new Date(T0).toISOString(), to: new Date(T0 + 3_600_000).toISOString() };
// canaries: the log scan of the suite fails if any reaches a log
const HEADER_SECRET = `canary-header-${randomUUID()}`;
const BASIC_SECRET = `canary-basic-${randomUUID()}`;

const committedSchema = readFileSync(new URL('../../docs/schema.graphql', import.meta.url), 'utf8');

describe('GraphQL schema (docs/schema.graphql)', () => {
  it('is up to date with the code (run `npm run graphql-schema` after changing it)', () => {
    expect(printSchema(buildSchema(committedSchema))).toBe(printSchema(buildSchema(typeDefs)));
  });
});

function result(checkId: string, offsetSeconds: number, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id: randomUUID(),
    checkId,
    type: 'icmp',
    target: '127.0.0.1',
    time: new Date(T0 + offsetSeconds * 1000).toISOString(),
    success: true,
    durationMs: 1 + offsetSeconds / 100,
    metrics: { loss_ratio: 0, jitter_ms: 0.25 },
    ...extra,
  };
}

/** A REST label map as GraphQL answers it. */
const asList = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((key) => ({ key, value: labels[key] }));

describe.each(ENGINES)('GraphQL on %s', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let base: string;
  let edge1: string;
  let edge2: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'Admin', 'admin');
    viewer = await signup(t.app, 'Viewer', 'viewer');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql`;

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: admin.headers,
      payload: {
        name: 'edge-1',
        type: 'multi',
        labels: { region: 'eu', role: 'edge' },
        location: { name: 'Berlin', latitude: 52.52, longitude: 13.4, provider: 'Example AS64500' },
        config: {
          checks: [
            { id: 'ping', type: 'icmp', target: '127.0.0.1' },
            {
              id: 'web',
              type: 'http',
              target: 'http://127.0.0.1:9/health',
              headers: { Authorization: `Bearer ${HEADER_SECRET}` },
              basicAuth: { username: 'probe', password: BASIC_SECRET },
            },
          ],
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    edge1 = created.json().agent.id;
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: admin.headers,
      payload: { name: 'edge-2', type: 'ping', labels: { region: 'us' }, config: { checks: [] } },
    });
    expect(second.statusCode, second.body).toBe(201);
    edge2 = second.json().agent.id;
    // a check of its own: by id on edge-2, by selector on edge-1
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      headers: admin.headers,
      payload: {
        id: 'gw',
        type: 'icmp',
        target: '10.0.0.1',
        labels: { team: 'net', tier: 'core' },
        agentIds: [edge2],
        selector: 'region=eu',
      },
    });
    expect(check.statusCode, check.body).toBe(201);

    await t.app.services.ingest({ id: edge1, name: 'edge-1' }, [
      ...Array.from({ length: 12 }, (_, i) =>
        result('ping', i * 60, i === 5 ? { success: false, durationMs: null, error: 'timeout' } : {}),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        result('web', i * 60 + 1, { type: 'http', target: 'http://127.0.0.1:9/health', metrics: { status_code: 200 } }),
      ),
    ]);
    await t.app.services.ingest({ id: edge2, name: 'edge-2' }, [
      ...Array.from({ length: 4 }, (_, i) => result('gw', i * 120 + 2, { target: '10.0.0.1' })),
    ]);
  }, 120_000);
  afterAll(() => t?.close());

  const gql = async (query: string, variables?: object, headers: Record<string, string> = viewer.headers) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers,
      payload: { query, ...(variables ? { variables } : {}) },
    });
    return { status: response.statusCode, body: response.json(), raw: response.body, headers: response.headers };
  };
  const rest = async (url: string) => {
    const response = await t.app.inject({ url, headers: viewer.headers });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response.json();
  };

  describe('access', () => {
    it('refuses a request without a credential with 401 problem+json, as REST does', async () => {
      for (const request of [
        { method: 'POST' as const, url: '/graphql', payload: { query: '{ __typename }' } },
        { method: 'POST' as const, url: '/graphql', payload: { query: '{ __schema { types { name } } }' } },
        { method: 'GET' as const, url: '/graphql?query=%7B__typename%7D' },
        {
          method: 'POST' as const,
          url: '/graphql',
          payload: { query: '{ __typename }' },
          headers: { authorization: 'Bearer garbage' },
        },
      ]) {
        const response = await t.app.inject(request);
        expect(response.statusCode, response.body).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(response.json()).toMatchObject({ status: 401, title: 'Authentication required' });
      }
    });

    it('answers a viewer, by session and by API token, over POST and GET', async () => {
      const minted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: viewer.headers,
        payload: { name: 'graphql reader' },
      });
      expect(minted.statusCode, minted.body).toBe(201);
      const viaToken = await gql('{ agents { items { name } } }', undefined, {
        authorization: `Bearer ${minted.json().token}`,
      });
      expect(viaToken.status).toBe(200);
      expect(viaToken.body.data.agents.items.map((a: { name: string }) => a.name)).toEqual(['edge-1', 'edge-2']);
      const viaGet = await t.app.inject({
        url: `/graphql?query=${encodeURIComponent('query ($n: Int) { agents(limit: $n) { items { name } } }')}&variables=${encodeURIComponent('{"n":1}')}`,
        headers: viewer.headers,
      });
      expect(viaGet.statusCode, viaGet.body).toBe(200);
      expect(viaGet.json().data.agents.items).toEqual([{ name: 'edge-1' }]);
    });

    it('refuses a malformed request with 400 problem+json naming the field, a batch included', async () => {
      for (const payload of [
        {},
        { query: 42 },
        { query: '{ __typename }', unexpected: true },
        [{ query: '{ __typename }' }, { query: '{ __typename }' }],
        { query: '{ __typename }', variables: 'not an object' },
      ]) {
        const response = await t.app.inject({ method: 'POST', url: '/graphql', headers: viewer.headers, payload });
        expect(response.statusCode, `${JSON.stringify(payload)}: ${response.body}`).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().detail).toMatch(/^body/);
      }
      const noQuery = await t.app.inject({ url: '/graphql', headers: viewer.headers });
      expect(noQuery.statusCode).toBe(400);
      expect(noQuery.json().detail).toMatch(/query\.query/);
    });

    it('answers a GET whose operation cannot be found as a GraphQL error, and a GET subscription with 405', async () => {
      const get = (query: string, operationName?: string) =>
        t.app.inject({
          url: `/graphql?query=${encodeURIComponent(query)}${operationName ? `&operationName=${operationName}` : ''}`,
          headers: viewer.headers,
        });
      for (const [query, name] of [
        ['query a { __typename } query b { __typename }', undefined],
        ['query a { __typename }', 'nope'],
      ] as const) {
        const response = await get(query, name);
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json().errors[0].message).toMatch(/operation/);
      }
      expect((await get('query a { __typename } query b { __typename }', 'b')).json()).toEqual({
        data: { __typename: 'Query' },
      });
      const subscription = await get('subscription { results { id } }');
      expect(subscription.statusCode).toBe(405);
      expect(subscription.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('runs no mutations, and no subscription over HTTP', async () => {
      const mutation = await gql('mutation { deleteAgent(id: "x") }');
      expect(mutation.status).toBe(200);
      expect(mutation.body.data).toBeNull();
      expect(mutation.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const subscription = await gql('subscription { results { id } }');
      expect(subscription.body.data).toBeNull();
      expect(subscription.body.errors[0].message).toMatch(/WebSocket/);
    });
  });

  describe('answers what REST answers', () => {
    it('agents, page by page, with the same cursors', async () => {
      const fields =
        'id name type ownerId managed status desiredState lastSeen clockSkewMs createdAt configVersion config labels { key value } location { name latitude longitude provider }';
      const first = await gql(`{ agents(limit: 1) { nextCursor items { ${fields} } } }`);
      const restFirst = await rest('/api/v1/agents?limit=1');
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data.agents.nextCursor).toBe(restFirst.nextCursor);
      const second = await gql(
        `query ($c: String) { agents(limit: 1, cursor: $c) { nextCursor items { ${fields} } } }`,
        {
          c: first.body.data.agents.nextCursor,
        },
      );
      const restSecond = await rest(`/api/v1/agents?limit=1&cursor=${restFirst.nextCursor}`);
      expect(second.body.data.agents.nextCursor).toBe(restSecond.nextCursor);
      const items = [...first.body.data.agents.items, ...second.body.data.agents.items];
      const restItems = [...restFirst.items, ...restSecond.items];
      expect(items.map((a: { name: string }) => a.name)).toEqual(['edge-1', 'edge-2']);
      expect(items).toEqual(
        restItems.map((a: any) => ({
          ...a,
          labels: asList(a.labels),
          configVersion: a.config.version,
        })),
      );
      const one = await gql(`query ($id: ID!) { agent(id: $id) { ${fields} } }`, { id: edge1 });
      expect(one.body.data.agent).toEqual(items[0]);
      const none = await gql(`{ agent(id: "${randomUUID()}") { id } other: agent(id: "not-a-uuid") { id } }`);
      expect(none.body).toEqual({ data: { agent: null, other: null } });
    });

    it('checks with their settings, labels and running agents, secrets masked as REST masks them', async () => {
      // the default page (50): all of this for 200 checks would be over the cost limit
      const query = `{ checks { nextCursor items {
        id type target interval timeout labels { key value } enabled agentIds selector ownerId version createdAt updatedAt
        settings agents { id name status via } } } }`;
      const answer = await gql(query);
      expect(answer.body.errors).toBeUndefined();
      const restPage = await rest('/api/v1/checks');
      expect(answer.body.data.checks.nextCursor).toBe(restPage.nextCursor);
      const rebuilt = answer.body.data.checks.items.map(({ settings, labels, ...common }: any) => ({
        ...common,
        ...settings,
        labels: Object.fromEntries(labels.map((l: { key: string; value: string }) => [l.key, l.value])),
      }));
      expect(rebuilt).toEqual(restPage.items);
      expect(answer.body.data.checks.items.map((c: { id: string }) => c.id)).toEqual(['gw', 'ping', 'web']);

      const web = answer.body.data.checks.items.find((c: { id: string }) => c.id === 'web');
      expect(web.settings.headers).toEqual({ Authorization: SECRET_MASK });
      expect(web.settings.basicAuth).toEqual({ username: 'probe', password: SECRET_MASK });
      const gw = answer.body.data.checks.items.find((c: { id: string }) => c.id === 'gw');
      expect(gw.agents).toEqual([
        { id: edge1, name: 'edge-1', status: 'pending', via: 'selector' },
        { id: edge2, name: 'edge-2', status: 'pending', via: 'id' },
      ]);
      expect(gw.labels).toEqual([
        { key: 'team', value: 'net' },
        { key: 'tier', value: 'core' },
      ]);

      // the agent's config masks them too, and no answer anywhere holds a secret
      const agents = await gql('{ agents { items { config } } check(id: "web") { settings } }');
      for (const raw of [answer.raw, agents.raw]) {
        expect(raw).not.toContain(HEADER_SECRET);
        expect(raw).not.toContain(BASIC_SECRET);
      }
      expect(agents.raw).toContain(SECRET_MASK);
      expect((await gql('{ check(id: "nope") { id } }')).body).toEqual({ data: { check: null } });
    });

    it('filters checks with the REST filters', async () => {
      const answer = await gql(
        `query ($a: ID) { byLabel: checks(label: "team=net") { items { id } } byAgent: checks(agentId: $a) { items { id } }
          byType: checks(type: "http") { items { id } } byText: checks(q: "10.0") { items { id } }
          off: checks(enabled: false) { items { id } } }`,
        { a: edge2 },
      );
      expect(answer.body.errors).toBeUndefined();
      const ids = (key: string) => answer.body.data[key].items.map((c: { id: string }) => c.id);
      expect(ids('byLabel')).toEqual(['gw']);
      expect(ids('byAgent')).toEqual(['gw']);
      expect(ids('byType')).toEqual(['web']);
      expect(ids('byText')).toEqual(['gw']);
      expect(ids('off')).toEqual([]);
    });

    it('loads the running agents of a page of checks in one query (no N+1)', async () => {
      const original = t.db.query.bind(t.db);
      let runnerQueries = 0;
      t.db.query = ((sql: string, params?: unknown[]) => {
        if (/e->>'id' AS check_id/.test(sql)) runnerQueries++;
        return original(sql, params);
      }) as typeof t.db.query;
      try {
        const answer = await gql(
          '{ checks { items { id agents { name } } } again: checks(limit: 2) { items { id } } }',
        );
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data.checks.items).toHaveLength(3);
      } finally {
        t.db.query = original;
      }
      expect(runnerQueries).toBe(1);
    });

    it('results, page by page, with the same cursors', async () => {
      const fields = 'id checkId type target time success durationMs error metrics trace agentId agentName';
      let cursor: string | null = null;
      let restCursor: string | null = null;
      let pages = 0;
      do {
        const answer: any = await gql(
          `query ($c: String) { results(checkId: "ping", agentId: "${edge1}", limit: 5, cursor: $c) { nextCursor items { ${fields} } } }`,
          { c: cursor },
        );
        expect(answer.body.errors).toBeUndefined();
        const restPage = await rest(
          `/api/v1/results?check_id=ping&agent_id=${edge1}&limit=5${restCursor ? `&cursor=${restCursor}` : ''}`,
        );
        // REST leaves out an absent error or trace; GraphQL answers null
        expect(answer.body.data.results.items).toEqual(
          restPage.items.map((r: any) => ({ error: null, trace: null, ...r })),
        );
        cursor = answer.body.data.results.nextCursor;
        restCursor = restPage.nextCursor;
        expect(cursor).toBe(restCursor);
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      const failed = await gql(
        `{ results(status: "failed", from: "${RANGE.from}", to: "${RANGE.to}") { items { checkId error } } }`,
      );
      expect(failed.body.data.results.items).toEqual([{ checkId: 'ping', error: 'timeout' }]);
    });

    it('the latest result of every configured pair', async () => {
      const answer = await gql(
        `{ latestResults { truncated items { agentId agentName agentStatus checkId type target
          result { id checkId type target time success durationMs error metrics trace agentId agentName } } } }`,
      );
      expect(answer.body.errors).toBeUndefined();
      const restAnswer = await rest('/api/v1/results/latest');
      expect(answer.body.data.latestResults).toEqual({
        ...restAnswer,
        items: restAnswer.items.map((item: any) => ({
          ...item,
          result: item.result && { error: null, trace: null, ...item.result },
        })),
      });
      expect(answer.body.data.latestResults.items.length).toBeGreaterThanOrEqual(4);
    });

    it('metrics and their summary over a range', async () => {
      const points = 't avg min max p10 p25 p50 p75 p90 p95 p99 count failures loss jitter uptime';
      const answer = await gql(
        `query ($from: String, $to: String) {
          metrics(checkId: "ping", from: $from, to: $to, step: "5m") { metric from to stepSeconds series { agentId agentName checkId points { ${points} } } }
          loss: metrics(agentId: "${edge1}", metric: "loss_ratio", from: $from, to: $to) { metric series { checkId points { t avg count } } }
          metricsSummary(from: $from, to: $to) { from to truncated items { agentId agentName checkId count failures uptimePct
            latency { p50 p95 p99 min max avg } loss jitter firstTime lastTime } } }`,
        RANGE,
      );
      expect(answer.body.errors).toBeUndefined();
      const q = `from=${RANGE.from}&to=${RANGE.to}`;
      expect(answer.body.data.metrics).toEqual(await rest(`/api/v1/metrics?check_id=ping&${q}&step=5m`));
      const loss = await rest(`/api/v1/metrics?agent_id=${edge1}&metric=loss_ratio&${q}`);
      expect(answer.body.data.loss).toEqual({
        metric: 'loss_ratio',
        series: loss.series.map((s: any) => ({
          checkId: s.checkId,
          points: s.points.map((p: any) => ({ t: p.t, avg: p.avg, count: p.count })),
        })),
      });
      expect(answer.body.data.metricsSummary).toEqual(await rest(`/api/v1/metrics/summary?${q}`));
      expect(answer.body.data.metrics.series[0].points.length).toBeGreaterThan(1);
    });
  });

  describe('bad arguments', () => {
    it.each([
      ['results(limit: 0)', 'limit'],
      ['results(limit: 201)', 'limit'],
      ['results(agentId: "nope")', 'agentId'],
      ['results(checkId: "NOT A CHECK")', 'checkId'],
      ['results(checkId: "no-such-check")', 'checkId'],
      [`results(agentId: "${randomUUID()}")`, 'agentId'],
      ['results(from: "yesterday")', 'from'],
      ['results(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z")', 'from'],
      ['results(status: "maybe")', 'status'],
      ['results(cursor: "garbage")', 'cursor'],
      ['checks(label: "not a selector")', 'label'],
      ['checks(type: "smtp")', 'type'],
      ['checks(q: "")', 'q'],
      ['agents(limit: -1)', 'limit'],
      ['metrics(step: "1ms")', 'step'],
      ['metrics(metric: "DROP TABLE")', 'metric'],
      ['metrics(from: "1970-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z")', 'from'],
      ['metricsSummary(from: "99999-01-01")', 'from'],
      ['latestResults(agentId: "x")', 'agentId'],
      // escapes in the query text that the input guard cannot see
      ['check(id: "a\\u0000b")', 'id'],
      ['results(checkId: "ping\\u0000")', 'checkId'],
    ])('%s: an error naming %s, not a 500', async (field, argument) => {
      const answer = await gql(`{ ${field} { __typename } }`);
      expect(answer.status).toBe(200);
      expect(answer.body.errors, answer.raw).toHaveLength(1);
      const [error] = answer.body.errors;
      expect(error.message).toContain(`argument ${argument}:`);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(Object.values(answer.body.data)).toEqual([null]);
    });

    it('keeps the other fields of the query when one argument is bad', async () => {
      const answer = await gql('{ agents(limit: 1) { items { name } } results(limit: 0) { items { id } } }');
      expect(answer.body.data.agents.items).toEqual([{ name: 'edge-1' }]);
      expect(answer.body.data.results).toBeNull();
    });
  });

  describe('limits', () => {
    it(`refuses a query deeper than ${LIMITS.depth}`, async () => {
      const answer = await gql(
        '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }',
      );
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors[0].extensions.code, answer.raw).toBe('DEPTH_LIMIT_EXCEEDED');
      expect(answer.body.errors[0].message).toMatch(/depth/);
    });

    it(`refuses a query costing more than ${LIMITS.cost} before it runs`, async () => {
      const original = t.db.query.bind(t.db);
      let queries = 0;
      t.db.query = ((sql: string, params?: unknown[]) => {
        queries++;
        return original(sql, params);
      }) as typeof t.db.query;
      let answer;
      try {
        const page = (n: number) => `r${n}: results(limit: 200) { items { id checkId time success durationMs } }`;
        answer = await gql(`{ ${[1, 2, 3, 4, 5].map(page).join(' ')} }`);
      } finally {
        t.db.query = original;
      }
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors[0].extensions.code).toBe('COST_LIMIT_EXCEEDED');
      expect(answer.body.errors[0].message).toMatch(/cost/);
      // the credential check may read the database; the query itself did not
      expect(queries).toBeLessThanOrEqual(1);

      // a variable limit counts as its value; four such pages are affordable
      const variable = await gql(
        'query ($n: Int) { a: results(limit: $n) { items { id } } b: checks(limit: $n) { items { id agents { id name } } } }',
        { n: 200 },
      );
      expect(variable.body.errors).toBeUndefined();
      const dear = await gql(
        'query ($n: Int) { checks(limit: $n) { items { id labels { key value } agents { id name status via } } } }',
        {
          n: 200,
        },
      );
      expect(dear.body.errors?.[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
      // a variable's default counts when the request leaves it out
      const byDefault = await gql(
        'query ($n: Int = 200) { checks(limit: $n) { items { id labels { key value } agents { id name status via } } } }',
      );
      expect(byDefault.body.errors?.[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
    });

    it('costs a fragment spread many times once per spread, without exploding', async () => {
      const chain = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(
        '\n',
      );
      const answer = await gql(
        `{ ...F0 }\n${chain}\nfragment F20 on Query { agents(limit: 200) { items { id name } } }`,
      );
      expect(answer.body.errors?.[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
    });

    it(`refuses more than ${LIMITS.aliases} aliases and more than ${LIMITS.fields} fields`, async () => {
      const aliases = await gql(
        `{ ${Array.from({ length: LIMITS.aliases + 1 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      );
      expect(aliases.body.errors.map((e: any) => e.extensions.code)).toContain('ALIAS_LIMIT_EXCEEDED');
      const fields = await gql(`{ ${Array.from({ length: LIMITS.fields + 1 }, () => '__typename').join(' ')} }`);
      expect(fields.body.errors.map((e: any) => e.extensions.code)).toContain('FIELD_LIMIT_EXCEEDED');
    });

    it(`refuses a query over ${LIMITS.queryBytes} bytes, and a body over ${LIMITS.bodyBytes}`, async () => {
      const big = `{ __typename ${' '.repeat(LIMITS.queryBytes)} }`;
      const query = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: viewer.headers,
        payload: { query: big },
      });
      expect(query.statusCode).toBe(400);
      expect(query.json().detail).toMatch(/^body\.query: must be at most/);
      const body = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: viewer.headers,
        payload: { query: '{ __typename }', variables: { pad: 'x'.repeat(LIMITS.bodyBytes) } },
      });
      expect(body.statusCode).toBe(413);
      expect(body.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('answers a syntax error (or a JSON AST, which mercurius would take) as a GraphQL error, not a 500', async () => {
      for (const query of ['{ agents { items { ', '42', '{"kind":"Document","definitions":[{}]}', 'null']) {
        const answer = await gql(query);
        expect(answer.status, query).toBe(200);
        expect(answer.body.errors[0].extensions.code, answer.raw).toBe('GRAPHQL_PARSE_FAILED');
      }
    });
  });

  describe('subscriptions over a WebSocket', () => {
    /** a graphql-transport-ws client, as far as the test needs one */
    async function subscribe(
      query: string,
      opts: { headers?: Record<string, string>; protocols?: string[] } = { headers: viewer.headers },
    ) {
      const socket = new WebSocket(base, opts.protocols ?? ['graphql-transport-ws'], { headers: opts.headers });
      const box = inbox(socket);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      await box.next((m) => m.type === 'connection_ack');
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      return { socket, box };
    }
    /**
     * Stores batches until the subscription delivers one of them: it is live only once the server
     * has handled the subscribe message, which the protocol does not acknowledge.
     */
    async function storeUntilDelivered(box: ReturnType<typeof inbox>, store: () => Promise<unknown>) {
      for (let attempt = 0; attempt < 50; attempt++) {
        await store();
        const message = await box.next((m) => m.type === 'next', 200).catch(() => undefined);
        if (message) return message;
      }
      throw new Error(`nothing delivered; got ${JSON.stringify(box.messages).slice(0, 500)}`);
    }

    it('streams the results of one check as they are stored, and no others', async () => {
      const { socket, box } = await subscribe(
        `subscription { results(checkId: "web") { id checkId agentId agentName success durationMs metrics error } }`,
      );
      expect(socket.protocol).toBe('graphql-transport-ws');
      const wanted = new Map<string, CheckResult>();
      const message = await storeUntilDelivered(box, () => {
        const web = result('web', 3600, {
          type: 'http',
          target: 'http://127.0.0.1:9/health',
          success: false,
          error: 'refused',
        });
        wanted.set(web.id, web);
        return t.app.services.ingest({ id: edge1, name: 'edge-1' }, [result('ping', 3600), web]);
      });
      expect(message).toMatchObject({ id: '1', type: 'next' });
      const sent = wanted.get(message.payload.data.results.id)!;
      expect(message.payload.data.results).toEqual({
        id: sent.id,
        checkId: 'web',
        agentId: edge1,
        agentName: 'edge-1',
        success: false,
        durationMs: sent.durationMs,
        metrics: sent.metrics,
        error: 'refused',
      });
      // one more batch once live: its web result arrives, its ping result never does
      const last = result('web', 3601, { type: 'http', target: 'http://127.0.0.1:9/health' });
      await t.app.services.ingest({ id: edge1, name: 'edge-1' }, [result('ping', 3601), last]);
      await box.next((m) => m.type === 'next' && m.payload.data.results.id === last.id);
      const delivered = box.messages.filter((m) => m.type === 'next').map((m) => m.payload.data.results);
      expect(delivered.every((r) => r.checkId === 'web')).toBe(true);
      socket.send(JSON.stringify({ id: '1', type: 'complete' }));
      socket.close();
    });

    it('filters by agent, and takes the credential as a browser subprotocol (never echoing it)', async () => {
      const { socket, box } = await subscribe(`subscription { results(agentId: "${edge2}") { id agentName } }`, {
        protocols: ['graphql-transport-ws', `nop.jwt.${viewer.token}`],
      });
      expect(socket.protocol).toBe('graphql-transport-ws');
      const theirs = new Set<string>();
      const message = await storeUntilDelivered(box, async () => {
        const gw = result('gw', 3700, { target: '10.0.0.1' });
        theirs.add(gw.id);
        await t.app.services.ingest({ id: edge1, name: 'edge-1' }, [result('gw', 3700, { target: '10.0.0.1' })]);
        await t.app.services.ingest({ id: edge2, name: 'edge-2' }, [gw]);
      });
      expect(message.payload.data.results.agentName).toBe('edge-2');
      expect(theirs.has(message.payload.data.results.id)).toBe(true);
      socket.close();
    });

    it('refuses the upgrade without a valid credential (401)', async () => {
      for (const options of [{}, { headers: { authorization: 'Bearer garbage' } }]) {
        const status = await new Promise<number>((resolve, reject) => {
          const socket = new WebSocket(base, ['graphql-transport-ws'], options);
          socket.once('open', () => reject(new Error('opened without a credential')));
          socket.once('unexpected-response', (request, response) => {
            request.destroy();
            resolve(response.statusCode ?? 0);
          });
          socket.once('error', reject);
        });
        expect(status).toBe(401);
      }
    });

    it('answers a bad argument and an unknown field as errors of that subscription', async () => {
      const bad = await subscribe('subscription { results(agentId: "nope") { id } }');
      const error = await bad.box.next((m) => m.type === 'error');
      expect(error.payload[0].message).toContain('argument agentId:');
      bad.socket.close();
      const unknown = await subscribe('subscription { results { id password } }');
      const invalid = await unknown.box.next((m) => m.type === 'error');
      expect(invalid.payload[0].message).toMatch(/password/);
      unknown.socket.close();
    });

    it('closes the socket (1008) when its session ends', async () => {
      const session = await login(t.app, viewer.email);
      const { socket } = await subscribe('subscription { results { id } }', { headers: session.headers });
      const ended = closed(socket);
      const logout = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
      expect(logout.statusCode).toBe(204);
      expect(await ended).toMatchObject({ code: 1008 });
    });
  });
});
