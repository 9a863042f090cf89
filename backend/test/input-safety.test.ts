import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, type TestApp, type TestUser } from './helpers/app.ts';

// No 5xx from input: every bad request is a 4xx problem+json that names what is wrong.
describe.each(ENGINES)('hostile input on %s', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'root', 'admin');
  });
  afterAll(() => t?.close());

  const raw = (method: string, url: string, payload?: string, headers: Record<string, string> = admin.headers) =>
    t.app.inject({
      method: method as 'POST',
      url,
      headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload,
    });
  const expectProblem = (r: Awaited<ReturnType<typeof raw>>, status: number, detail?: RegExp) => {
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const body = r.json();
    expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    if (detail) expect(body.detail).toMatch(detail);
  };

  it.each([
    ['agent name', 'POST', '/api/v1/agents', '{"name":"a\\u0000b","type":"ping"}', 'body.name'],
    [
      'check target',
      'POST',
      '/api/v1/agents',
      '{"name":"nul","type":"multi","config":{"checks":[{"id":"d","type":"dns","target":"a\\u0000"}]}}',
      'body.config.checks[0].target',
    ],
    ['sign-in email', 'POST', '/api/v1/auth/login', '{"email":"a\\u0000@x.test","password":"x"}', 'body.email'],
    [
      'user name',
      'POST',
      '/api/v1/users',
      '{"name":"\\u0000","email":"n@x.test","password":"long enough","role":"viewer"}',
      'body.name',
    ],
    ['a key', 'PATCH', '/api/v1/auth/me', '{"na\\u0000me":"x"}', 'body'],
  ])('refuses NUL in the %s: 400 naming it, nothing written', async (_what, method, url, payload, field) => {
    const before = await t.db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM users) AS n',
    );
    const r = await raw(method, url, payload);
    expectProblem(r, 400, /NUL/);
    expect(r.json().errors[0].path).toBe(field);
    const after = await t.db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM users) AS n',
    );
    expect(after.rows[0]!.n).toEqual(before.rows[0]!.n);
  });

  it.each(['\\ud800', '\\udc00x', 'a\\udbff'])(
    'refuses a lone surrogate %s in a check: 400 naming the field',
    async (s) => {
      const r = await raw(
        'POST',
        '/api/v1/agents',
        `{"name":"sur","type":"multi","config":{"checks":[{"id":"h","type":"http","target":"http://127.0.0.1/","headers":{"X":"${s}"}}]}}`,
      );
      expectProblem(r, 400, /lone UTF-16 surrogate/);
      expect(r.json().errors[0].path).toBe('body.config.checks[0].headers.X');
    },
  );

  it('accepts proper surrogate pairs (emoji) where text is free', async () => {
    const r = await raw('PATCH', '/api/v1/auth/me', '{"name":"Ada \\ud83d\\ude80"}');
    expect(r.statusCode).toBe(200);
    expect(r.json().name).toBe('Ada 🚀');
  });

  it.each([
    ['from=100000000000000', /1970 and the year 9999/],
    ['to=1e14', /neither an ISO-8601/],
    [`step=${'9'.repeat(400)}`, /1 second to 366 days/],
    ['from=0&to=99999999999', /400 days/],
    ['from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', /before to/],
    ['step=0.001', /1 second/],
    ['from=10000-01-01', /neither an ISO-8601/],
    ['agent_id=%00', /NUL/],
    ['limit=5', /limit|Unrecognized/i],
  ])('bounds the metrics query %s: 400', async (query, detail) => {
    expectProblem(await raw('GET', `/api/v1/metrics?${query}`), 400, detail);
  });

  it.each([
    ['/api/v1/agents/%ZZ', 400, /percent-encoding/],
    ['/api/v1/users/%E0%A4%A', 400, /percent-encoding/],
    [`/api/v1/agents/${'a'.repeat(200)}`, 404, /no agent/],
    [`/api/v1/agents/${'a'.repeat(600)}`, 404, undefined],
    ['/api/v1/agents/%00', 400, /NUL/],
    ['/api/v1/nothing-here', 404, /no route/],
    ['/ws/stream', 426, /WebSocket/],
    ['/api/v1/agents/link', 401, /agent token/],
  ])('answers GET %s with a problem+json %i', async (url, status, detail) => {
    expectProblem(await raw('GET', url), status as number, detail as RegExp | undefined);
  });

  it('answers router-level errors in problem+json for anonymous callers too', async () => {
    expectProblem(await raw('GET', '/api/v1/agents/%ZZ', undefined, {}), 400);
    const head = await raw('HEAD', '/ws/stream', undefined, {});
    expect(head.statusCode).toBe(404);
    expect(head.headers['content-type']).toContain('application/problem+json');
    expectProblem(await raw('DELETE', '/healthz', undefined, {}), 404);
    expectProblem(await raw('GET', '/api/v1/agents', undefined, {}), 401);
  });

  it('refuses JSON nested absurdly deep, and malformed JSON, with a 400', async () => {
    expectProblem(await raw('POST', '/api/v1/agents', '['.repeat(100_000) + ']'.repeat(100_000)), 400);
    expectProblem(await raw('POST', '/api/v1/agents', '{"name": "x", '), 400, /JSON/);
    expectProblem(await raw('POST', '/api/v1/agents', '{"__proto__": {"x": 1}}'), 400);
  });

  it.each([
    ['/api/v1/agents', ['\u0000']],
    ['/api/v1/users', ['\u0000']],
    ['/api/v1/auth/sessions', ['x', '00000000-0000-0000-0000-000000000000']],
    ['/api/v1/api-tokens', ['9999999999999999999', '00000000-0000-0000-0000-000000000000']],
    ['/api/v1/invitations', ['2026-11-30 01:00:00+xx', '00000000-0000-0000-0000-000000000000']],
    ['/api/v1/audit-log', ['9223372036854775808']],
  ])('refuses a forged cursor on %s %j with a 400 naming query.cursor', async (url, key) => {
    const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
    const r = await raw('GET', `${url}?cursor=${cursor}`);
    expectProblem(r, 400, /cursor/);
    expect(r.json().errors[0].path).toBe('query.cursor');
  });

  it('answers a plain GET of the agent link, token and all, with a 426', async () => {
    const created = await raw('POST', '/api/v1/agents', '{"name":"plain-get","type":"ping"}');
    const r = await raw('GET', '/api/v1/agents/link', undefined, { authorization: `Bearer ${created.json().token}` });
    expectProblem(r, 426, /WebSocket/);
  });

  it('keeps a refused request in the audit log even when its id holds NUL', async () => {
    const viewer = await signup(t.app, 'nul-viewer', 'viewer');
    const r = await raw('DELETE', '/api/v1/users/%00', undefined, viewer.headers);
    expectProblem(r, 403);
    const { rows } = await t.db.query<{ target_id: string }>(
      "SELECT target_id FROM audit_log WHERE action = 'user.delete' AND actor_id = $1",
      [viewer.user.id],
    );
    expect(rows.map((row) => row.target_id)).toEqual(['\uFFFD']);
  });
});
