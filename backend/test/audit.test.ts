import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, TEST_PASSWORD, type TestApp, type TestUser } from './helpers/app.ts';

interface Entry {
  id: string;
  time: string;
  actor: { kind: string; id: string | null; name: string | null };
  action: string;
  target: { type: string; id: string | null; name: string | null } | null;
  ip: string | null;
  status: number;
  details: Record<string, unknown>;
}

// Every mutation is recorded: who, what, which target, when, from which address. Admins read it.
describe.each(ENGINES)('audit log on %s', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'root', 'admin');
    editor = await signup(t.app, 'ed', 'editor');
    viewer = await signup(t.app, 'vi', 'viewer');
  });
  afterAll(() => t?.close());

  const entries = async (query = '') => {
    const r = await t.app.inject({ url: `/api/v1/audit-log${query}`, headers: admin.headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: Entry[]; nextCursor: string | null };
  };

  it('records agent changes with actor, action, target, address and status', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: editor.headers,
      remoteAddress: '127.0.0.42',
      payload: { name: 'audited', type: 'ping' },
    });
    const id = created.json().agent.id;
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${id}`,
      headers: editor.headers,
      payload: { name: 'audited-2' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/agents/${id}/actions`,
      headers: editor.headers,
      payload: { action: 'stop' },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/agents/${id}`, headers: editor.headers });

    const { items } = await entries(`?target=${id}`);
    expect(items.map((e) => e.action)).toEqual(['agent.delete', 'agent.action', 'agent.update', 'agent.create']);
    expect(items.at(-1)).toMatchObject({
      actor: { kind: 'user', id: editor.user.id, name: 'ed' },
      target: { type: 'agent', id, name: 'audited' },
      ip: '127.0.0.42',
      status: 201,
      details: { type: 'ping', checks: 0 },
    });
    expect(items[2]!.details).toMatchObject({ fields: ['name'] });
    expect(items[1]!.details).toMatchObject({ action: 'stop' });
  });

  it('records refusals (403) and every sign-in attempt, failed ones included; reads are not recorded', async () => {
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: admin.headers,
      payload: { name: 'admins-own', type: 'ping' },
    });
    const refused = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/agents/${foreign.json().agent.id}`,
      headers: editor.headers,
    });
    expect(refused.statusCode).toBe(403);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: viewer.email, password: 'wrong password' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: viewer.email, password: TEST_PASSWORD },
    });
    await t.app.inject({ url: '/api/v1/agents', headers: viewer.headers });

    const deletes = (await entries('?action=agent.delete')).items;
    expect(deletes.find((e) => e.status === 403)).toMatchObject({ actor: { id: editor.user.id } });
    const logins = (await entries(`?action=auth.login&target=${viewer.user.id}`)).items;
    expect(logins.slice(0, 1)).toMatchObject([{ status: 200, actor: { id: viewer.user.id } }]);
    const failed = (await entries('?action=auth.login')).items.find((e) => e.status === 401)!;
    expect(failed).toMatchObject({ actor: { kind: 'anonymous' }, target: { name: viewer.email } });
    expect(JSON.stringify(await entries())).not.toContain('wrong password');
    expect((await entries('?action=agent')).items.every((e) => e.action.startsWith('agent.'))).toBe(true);
  });

  it('records user administration and sessions, names API-token actors, and pages newest first', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { name: 'Temp', email: `temp.${Date.now()}@example.test`, password: 'long enough', role: 'viewer' },
    });
    const id = made.json().id;
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: admin.headers,
      payload: { role: 'editor' },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${id}`, headers: admin.headers });
    expect((await entries(`?target=${id}`)).items.map((e) => [e.action, e.details])).toEqual([
      ['user.delete', {}],
      ['user.update', { role: 'editor' }],
      ['user.create', { role: 'viewer' }],
    ]);

    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: editor.headers,
        payload: { name: 'ci' },
      })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: { authorization: `Bearer ${token.token}` },
      payload: { name: 'by-token', type: 'ping' },
    });
    const byToken = (await entries('?action=agent.create')).items[0]!;
    expect(byToken).toMatchObject({
      actor: { kind: 'token', id: editor.user.id },
      details: { apiToken: token.apiToken.id },
    });
    expect(JSON.stringify(await entries())).not.toContain(token.token);

    const all: Entry[] = [];
    let cursor: string | null = null;
    do {
      const page = await entries(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.map((e) => Number(e.id))).toEqual([...all.map((e) => Number(e.id))].sort((a, b) => b - a));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect((await entries(`?actor=${editor.user.id}`)).items.every((e) => e.actor.id === editor.user.id)).toBe(true);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await entries(`?from=${future}`)).items).toEqual([]);
  });

  it('is for admins only', async () => {
    for (const user of [editor, viewer])
      expect((await t.app.inject({ url: '/api/v1/audit-log', headers: user.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/audit-log' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/v1/audit-log?action=DROP%20TABLE', headers: admin.headers })).statusCode,
    ).toBe(400);
  });
});
