import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, type TestApp } from './helpers/app.ts';

const icmp = (id: string, extra: object = {}) => ({
  id,
  type: 'icmp',
  target: '127.0.0.1',
  interval: '5s',
  timeout: '2s',
  ...extra,
});

describe.each(ENGINES)('agents API on %s', (engine) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signup>>;
  let member: Awaited<ReturnType<typeof signup>>;
  let n = 0;
  const name = () => `agent-${engine}-${++n}`;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'admin');
    member = await signup(t.app, 'member');
  });
  afterAll(() => t?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = admin.headers) =>
    t.app.inject({ method, url, payload, headers });
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  const create = async (body: object, headers = admin.headers) => {
    const r = await call('POST', '/api/v1/agents', body, headers);
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as {
      agent: { id: string; name: string; config: { version: number } };
      token: string;
      command: string;
    };
  };

  it('creates an agent with a one-time token stored only as a hash, and the command that runs it', async () => {
    const agentName = name();
    const created = await create({ name: agentName, type: 'ping', config: { checks: [icmp('p1')] } });
    expect(created.token).toMatch(/^nop_agt_[A-Za-z0-9_-]{43}$/);
    expect(created.command).toContain(`NOP_AGENT_TOKEN=${created.token}`);
    expect(created.command).toContain('nop-agent');
    expect(created.agent).toMatchObject({ name: agentName, type: 'ping', status: 'pending', managed: false });
    expect(created.agent.config).toMatchObject({ version: 1, checks: [{ id: 'p1', interval: 5000, count: 3 }] });
    const { rows } = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM agents WHERE id = $1', [
      created.agent.id,
    ]);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    const checks = await t.db.query(
      'SELECT c.id, c.type, c.target FROM checks c JOIN check_assignments x ON x.check_id = c.id WHERE x.agent_id = $1',
      [created.agent.id],
    );
    expect(checks.rows).toEqual([{ id: 'p1', type: 'icmp', target: '127.0.0.1' }]);
    // the token is never shown again
    const fetched = await call('GET', `/api/v1/agents/${created.agent.id}`);
    expect(fetched.body).not.toContain(created.token);
    expect(fetched.body).not.toContain(rows[0]!.token_hash);
  });

  it('lists and gets agents', async () => {
    const created = await create({ name: name(), type: 'multi' });
    const list = await call('GET', '/api/v1/agents');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((a: { id: string }) => a.id)).toContain(created.agent.id);
    const one = await call('GET', `/api/v1/agents/${created.agent.id}`);
    expect(one.json()).toMatchObject({ id: created.agent.id, config: { version: 1, checks: [] } });
  });

  it('pages the list by name with a cursor: every agent once, in order, and refuses a forged cursor', async () => {
    const prefix = `pg${name()}`;
    for (let i = 0; i < 5; i++) await create({ name: `${prefix}-${i}`, type: 'ping' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call('GET', `/api/v1/agents?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode).toBe(200);
      expect(page.json().items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json().items.map((a: { name: string }) => a.name));
      cursor = page.json().nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((n) => n.startsWith(prefix))).toHaveLength(5);
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=%7B%7D', 'cursor=bm9wZQ', 'limit=1&limit=2']) {
      const bad = await call('GET', `/api/v1/agents?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
  });

  it.each([
    ['no name', { type: 'ping' }, 'body.name'],
    ['a bad name', { name: '../etc', type: 'ping' }, 'body.name'],
    ['an unknown type', { name: 'x1', type: 'smtp' }, 'body.type'],
    [
      'a bad interval',
      { name: 'x2', type: 'ping', config: { checks: [icmp('p', { interval: '10x' })] } },
      'body.config.checks[0].interval',
    ],
    [
      'an http check without URL',
      { name: 'x3', type: 'http', config: { checks: [{ id: 'h', type: 'http', target: 'nope' }] } },
      'body.config.checks[0].target',
    ],
    [
      'a tcp target without port',
      { name: 'x4', type: 'multi', config: { checks: [{ id: 't', type: 'tcp', target: 'localhost' }] } },
      'body.config.checks[0].target',
    ],
    [
      'a check of another family',
      { name: 'x5', type: 'ping', config: { checks: [{ id: 't', type: 'tcp', target: 'h:1' }] } },
      'body.config.checks[0].type',
    ],
    [
      'duplicate check ids',
      { name: 'x6', type: 'ping', config: { checks: [icmp('a'), icmp('a')] } },
      'body.config.checks[1].id',
    ],
    [
      'an unknown check field',
      { name: 'x7', type: 'ping', config: { checks: [icmp('a', { colour: 'red' })] } },
      'body.config.checks[0]',
    ],
    ['an unknown top-level field', { name: 'x8', type: 'ping', owner: 'me' }, 'body'],
  ])('refuses to create an agent with %s: 400 naming the field, nothing written', async (_l, body, field) => {
    const before = await count('agents');
    const response = await call('POST', '/api/v1/agents', body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(field);
    expect(await count('agents')).toBe(before);
  });

  it('answers 409 for a duplicate name and writes nothing', async () => {
    const agentName = name();
    await create({ name: agentName, type: 'ping' });
    const before = await count('agents');
    const again = await call('POST', '/api/v1/agents', { name: agentName, type: 'http' });
    expect(again.statusCode).toBe(409);
    expect(await count('agents')).toBe(before);
  });

  it('answers 404 for unknown and malformed ids on every per-agent route', async () => {
    for (const id of ['6f1c2a9e-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
      const path = `/api/v1/agents/${encodeURIComponent(id)}`;
      expect((await call('GET', path)).statusCode).toBe(404);
      expect((await call('PATCH', path, { name: 'zz' })).statusCode).toBe(404);
      expect((await call('DELETE', path)).statusCode).toBe(404);
      const action = await call('POST', `${path}/actions`, { action: 'stop' });
      expect(action.statusCode).toBe(404);
      expect(action.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('renames and reconfigures, bumping the config version and its check assignments', async () => {
    const created = await create({ name: name(), type: 'ping', config: { checks: [icmp('a')] } });
    const url = `/api/v1/agents/${created.agent.id}`;
    const renamed = await call('PATCH', url, { name: `${created.agent.name}-renamed` });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: `${created.agent.name}-renamed`, config: { version: 1 } });
    const reconfigured = await call('PATCH', url, { config: { checks: [icmp('b'), icmp('c', { count: 5 })] } });
    expect(reconfigured.statusCode).toBe(200);
    expect(reconfigured.json().config.version).toBe(2);
    const checks = await t.db.query<{ id: string }>(
      'SELECT check_id AS id FROM check_assignments WHERE agent_id = $1 ORDER BY 1',
      [created.agent.id],
    );
    expect(checks.rows.map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('refuses bad patches: empty body, bad config, duplicate name', async () => {
    const a = await create({ name: name(), type: 'ping' });
    const b = await create({ name: name(), type: 'ping' });
    const url = `/api/v1/agents/${a.agent.id}`;
    expect((await call('PATCH', url, {})).statusCode).toBe(400);
    const bad = await call('PATCH', url, { config: { checks: [{ id: 'h', type: 'http', target: 'http://x' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('body.config.checks[0].type');
    expect((await call('PATCH', url, { name: b.agent.name })).statusCode).toBe(409);
    const unchanged = await call('GET', url);
    expect(unchanged.json()).toMatchObject({ name: a.agent.name, config: { version: 1 } });
  });

  it('lets only the owner or an admin change an agent (403 otherwise), while everyone signed in may read', async () => {
    const mine = await create({ name: name(), type: 'ping' }, member.headers);
    const admins = await create({ name: name(), type: 'ping' });
    expect((await call('GET', `/api/v1/agents/${admins.agent.id}`, undefined, member.headers)).statusCode).toBe(200);
    const forbidden = await call('PATCH', `/api/v1/agents/${admins.agent.id}`, { name: 'mine-now' }, member.headers);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    expect((await call('DELETE', `/api/v1/agents/${admins.agent.id}`, undefined, member.headers)).statusCode).toBe(403);
    expect(
      (await call('POST', `/api/v1/agents/${admins.agent.id}/actions`, { action: 'stop' }, member.headers)).statusCode,
    ).toBe(403);
    expect(
      (await call('PATCH', `/api/v1/agents/${mine.agent.id}`, { name: `${mine.agent.name}x` }, member.headers))
        .statusCode,
    ).toBe(200);
    expect((await call('PATCH', `/api/v1/agents/${mine.agent.id}`, { name: `${mine.agent.name}y` })).statusCode).toBe(
      200,
    );
  });

  it('records start/stop/restart as the desired state and refuses unknown actions', async () => {
    const created = await create({ name: name(), type: 'ping' });
    const url = `/api/v1/agents/${created.agent.id}/actions`;
    const stop = await call('POST', url, { action: 'stop' });
    expect(stop.statusCode).toBe(202);
    expect(stop.json().agent.desiredState).toBe('stopped');
    expect((await call('POST', url, { action: 'restart' })).json().agent.desiredState).toBe('running');
    const bad = await call('POST', url, { action: 'explode' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('body.action');
  });

  it('deletes an agent and its check assignments', async () => {
    const created = await create({ name: name(), type: 'ping', config: { checks: [icmp('a')] } });
    const url = `/api/v1/agents/${created.agent.id}`;
    const deleted = await call('DELETE', url);
    expect(deleted.statusCode).toBe(204);
    expect((await call('GET', url)).statusCode).toBe(404);
    const checks = await t.db.query('SELECT 1 FROM check_assignments WHERE agent_id = $1', [created.agent.id]);
    expect(checks.rows).toHaveLength(0);
  });

  it('requires a token on every agents route', async () => {
    const created = await create({ name: name(), type: 'ping' });
    const routes: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string]> = [
      ['GET', '/api/v1/agents'],
      ['POST', '/api/v1/agents'],
      ['GET', `/api/v1/agents/${created.agent.id}`],
      ['PATCH', `/api/v1/agents/${created.agent.id}`],
      ['DELETE', `/api/v1/agents/${created.agent.id}`],
      ['POST', `/api/v1/agents/${created.agent.id}/actions`],
      ['GET', '/api/v1/metrics'],
      ['GET', '/api/v1/auth/me'],
    ];
    for (const [method, url] of routes) {
      const r = await t.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await call('GET', `/api/v1/agents/${created.agent.id}`)).statusCode).toBe(200);
  });
});
