import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, type TestApp } from './helpers/app.ts';

interface CheckAnswer {
  id: string;
  type: string;
  target: string;
  interval: number;
  labels: Record<string, string>;
  enabled: boolean;
  agentIds: string[];
  selector: string;
  agents: Array<{ id: string; name: string; via: string }>;
  ownerId: string | null;
  version: number;
  headers?: Record<string, string>;
  [key: string]: unknown;
}

describe.each(ENGINES)('checks API on %s', (engine) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signup>>;
  let editor: Awaited<ReturnType<typeof signup>>;
  let viewer: Awaited<ReturnType<typeof signup>>;
  const published: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine, { config: { NOP_MIN_CHECK_INTERVAL: 2000, NOP_MAX_CHECKS_PER_AGENT: 20 } });
    admin = await signup(t.app, 'admin');
    editor = await signup(t.app, 'editor', 'editor');
    viewer = await signup(t.app, 'viewer', 'viewer');
    await t.bus.subscribe('agent-config', (m) => published.push((m as { agentId: string }).agentId));
  });
  afterAll(() => t?.close());

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
  const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = admin.headers) =>
    t.app.inject({ method, url, payload: payload as object, headers });
  const ok = async (method: Method, url: string, payload?: unknown, headers = admin.headers, status = 200) => {
    const r = await call(method, url, payload, headers);
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const newAgent = async (body: object = {}, headers = admin.headers) =>
    (
      await ok(
        'POST',
        '/api/v1/agents',
        { name: `a-${randomUUID().slice(0, 8)}`, type: 'multi', ...body },
        headers,
        201,
      )
    ).agent as { id: string; name: string; config: { version: number; checks: Array<{ id: string }> } };
  const agentConfig = async (id: string) =>
    (await ok('GET', `/api/v1/agents/${id}`)).config as { version: number; checks: Array<Record<string, unknown>> };
  const createCheck = (body: object, headers = admin.headers) =>
    ok('POST', '/api/v1/checks', body, headers, 201) as Promise<CheckAnswer>;
  const fieldErrors = (r: { json(): { errors?: Array<{ path: string }> } }) =>
    (r.json().errors ?? []).map((e) => e.path);

  it('assigns a check by label selector to every matching agent, compiling each config once', async () => {
    const eu1 = await newAgent({ labels: { region: 'eu', role: 'edge' } });
    const eu2 = await newAgent({ labels: { region: 'eu' } });
    const us = await newAgent({ labels: { region: 'us' } });
    published.length = 0;
    const check = await createCheck({
      type: 'icmp',
      target: '127.0.0.1',
      interval: '10s',
      selector: 'region=eu',
      labels: { team: 'net' },
    });
    expect(check).toMatchObject({ type: 'icmp', target: '127.0.0.1', interval: 10_000, selector: 'region=eu' });
    expect(check.id).toMatch(/^icmp-127\.0\.0\.1/);
    expect(check.agents.map((a) => a.id).sort()).toEqual([eu1.id, eu2.id].sort());
    expect(check.agents.every((a) => a.via === 'selector')).toBe(true);
    expect((await agentConfig(eu1.id)).checks.map((c) => c.id)).toContain(check.id);
    expect((await agentConfig(eu2.id)).checks.map((c) => c.id)).toContain(check.id);
    expect((await agentConfig(us.id)).checks.map((c) => c.id)).not.toContain(check.id);
    expect((await agentConfig(eu1.id)).version).toBe(2);
    // exactly the changed agents were told, over the bus, to their links
    expect(published.sort()).toEqual([eu1.id, eu2.id].sort());

    // narrowing the selector takes it away from the agent that no longer matches
    published.length = 0;
    const narrowed = await ok('PATCH', `/api/v1/checks/${check.id}`, { selector: 'region=eu,role=edge' });
    expect(narrowed.agents.map((a: { id: string }) => a.id)).toEqual([eu1.id]);
    expect((await agentConfig(eu2.id)).checks.map((c) => c.id)).not.toContain(check.id);
    expect(published).toContain(eu2.id);

    // relabelling an agent brings the check to it
    await ok('PATCH', `/api/v1/agents/${us.id}`, { labels: { region: 'eu', role: 'edge' } });
    expect((await agentConfig(us.id)).checks.map((c) => c.id)).toContain(check.id);
  });

  it('assigns by id, makes readable unique ids, and keeps (agent, check) for results', async () => {
    const agent = await newAgent();
    const first = await createCheck({ type: 'tcp', target: '[::1]:8080', agentIds: [agent.id], interval: '5s' });
    const second = await createCheck({ type: 'tcp', target: '[::1]:8080', agentIds: [agent.id], interval: '5s' });
    expect(first.id).toMatch(/^tcp-[a-z0-9]/);
    expect(first.id).not.toMatch(/^tcp-\d+$/);
    expect(second.id).toBe(`${first.id}-2`);
    expect(first.agents).toEqual([expect.objectContaining({ id: agent.id, via: 'id' })]);
    const config = await agentConfig(agent.id);
    expect(config.checks.map((c) => c.id)).toEqual([first.id, second.id].sort());
  });

  it('refuses bad checks with 400 naming each field, and stores nothing', async () => {
    const ping = await newAgent({ type: 'ping' });
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM checks')).rows[0]!.n;
    const cases: Array<[object, string]> = [
      [{ type: 'icmp', target: 'http://example.com' }, 'body.target'],
      [{ type: 'icmp', target: '999.1.1.1' }, 'body.target'],
      [{ type: 'tcp', target: '127.0.0.1:99999' }, 'body.target'],
      [{ type: 'dns', target: 'a..b' }, 'body.target'],
      [{ type: 'icmp', target: '127.0.0.1', interval: '1ms' }, 'body.interval'],
      // above the protocol's floor, below this server's NOP_MIN_CHECK_INTERVAL (2 s)
      [{ type: 'icmp', target: '127.0.0.1', interval: '1s', timeout: '500ms' }, 'body.interval'],
      [{ type: 'icmp', target: '127.0.0.1', interval: '5s', timeout: '6s' }, 'body.timeout'],
      [{ type: 'icmp', target: '127.0.0.1', selector: 'region eu' }, 'body.selector'],
      [{ type: 'icmp', target: '127.0.0.1', labels: { 'Bad Key': 'x' } }, 'body.labels.Bad Key'],
      [{ type: 'icmp', target: '127.0.0.1', agentIds: ['nope'] }, 'body.agentIds[0]'],
      [{ type: 'icmp', target: '127.0.0.1', agentIds: [randomUUID()] }, 'body.agentIds[0]'],
      [{ type: 'http', target: 'http://127.0.0.1/', agentIds: [ping.id] }, 'body.agentIds[0]'],
      [{ type: 'icmp', target: '127.0.0.1', colour: 'red' }, 'body'],
      [{ type: 'nope', target: '127.0.0.1' }, 'body.type'],
      [{ type: 'icmp', target: '127.0.0.1', id: 'Bad Id' }, 'body.id'],
      // the dashboard's editor lives at /checks/new
      [{ type: 'icmp', target: '127.0.0.1', interval: '5s', id: 'new' }, 'body.id'],
    ];
    for (const [body, path] of cases) {
      const r = await call('POST', '/api/v1/checks', body);
      expect(r.statusCode, `${JSON.stringify(body)} → ${r.body}`).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(fieldErrors(r), JSON.stringify(body)).toContain(path);
    }
    for (const raw of ['[]', '"x"', 'null']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        payload: raw,
        headers: { ...admin.headers, 'content-type': 'application/json' },
      });
      expect(r.statusCode, raw).toBe(400);
    }
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM checks')).rows[0]!.n).toBe(before);
  });

  it('changes only what a PATCH sends; secrets stay write-only; the id never changes', async () => {
    const agent = await newAgent();
    const check = await createCheck({
      type: 'http',
      target: 'http://127.0.0.1:9/health',
      headers: { Authorization: 'Bearer s3cret-value' },
      bodyRegex: 'ok',
      agentIds: [agent.id],
    });
    expect(check.headers).toEqual({ Authorization: '<secret>' });
    const patched = await ok('PATCH', `/api/v1/checks/${check.id}`, { interval: '30s', bodyRegex: null });
    expect(patched).toMatchObject({ interval: 30_000, headers: { Authorization: '<secret>' }, version: 2 });
    expect(patched.bodyRegex).toBeUndefined();
    // the agent gets the secret in clear on its link only; the stored copy is encrypted
    const { rows } = await t.db.query<{ spec: { headers: Record<string, string> } }>(
      'SELECT spec FROM checks WHERE id = $1',
      [check.id],
    );
    expect(rows[0]!.spec.headers.Authorization).not.toContain('s3cret');
    const agentRow = await t.app.services.agents.get(agent.id);
    const sent = t.app.services.agents.configFor(agentRow).config.checks.find((c) => c.id === check.id);
    expect(sent).toMatchObject({ headers: { Authorization: 'Bearer s3cret-value' }, interval: 30_000 });
    const renamed = await call('PATCH', `/api/v1/checks/${check.id}`, { id: 'other' });
    expect(renamed.statusCode).toBe(400);
    expect(fieldErrors(renamed)).toEqual(['body.id']);
    const badType = await call('PATCH', `/api/v1/checks/${check.id}`, { type: 'tcp' });
    expect(badType.statusCode).toBe(400);
    expect(fieldErrors(badType)).toContain('body.target');
    // nothing half-written by the refused PATCHes
    expect((await ok('GET', `/api/v1/checks/${check.id}`)).version).toBe(2);
  });

  it('disables, enables, clones and deletes, keeping agent configs in step', async () => {
    const agent = await newAgent();
    const check = await createCheck({ type: 'icmp', target: 'localhost', agentIds: [agent.id], count: 5 });
    const disabled = await ok('POST', `/api/v1/checks/${check.id}/actions`, { action: 'disable' });
    expect(disabled).toMatchObject({ enabled: false, agents: [] });
    expect((await agentConfig(agent.id)).checks).toEqual([]);
    await ok('POST', `/api/v1/checks/${check.id}/actions`, { action: 'enable' });
    expect((await agentConfig(agent.id)).checks.map((c) => c.id)).toEqual([check.id]);

    const copy = await ok(
      'POST',
      `/api/v1/checks/${check.id}/clone`,
      { id: 'ping-localhost-copy' },
      admin.headers,
      201,
    );
    expect(copy).toMatchObject({ id: 'ping-localhost-copy', type: 'icmp', count: 5, agentIds: [agent.id] });
    const auto = await ok('POST', `/api/v1/checks/${check.id}/clone`, undefined, admin.headers, 201);
    expect(auto.id).toBe(`${check.id}-2`);
    const taken = await call('POST', `/api/v1/checks/${check.id}/clone`, { id: 'ping-localhost-copy' });
    expect(taken.statusCode).toBe(409);

    const removed = await call('DELETE', `/api/v1/checks/${check.id}`);
    expect(removed.statusCode).toBe(204);
    expect((await call('GET', `/api/v1/checks/${check.id}`)).statusCode).toBe(404);
    expect((await agentConfig(agent.id)).checks.map((c) => c.id).sort()).toEqual([auto.id, copy.id].sort());
  });

  it('lists with filters and cursor pages', async () => {
    const agent = await newAgent({ labels: { site: 'lab' } });
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push(
        (
          await createCheck({
            id: `list-${i}`,
            type: i % 2 ? 'tcp' : 'icmp',
            target: i % 2 ? `127.0.0.${i}:80` : `127.0.0.${i}`,
            labels: { batch: 'list' },
            agentIds: [agent.id],
            enabled: i !== 4,
          })
        ).id,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: CheckAnswer[]; nextCursor: string | null } = await ok(
        'GET',
        `/api/v1/checks?label=batch=list&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made);
    const tcp = await ok('GET', '/api/v1/checks?label=batch=list&type=tcp');
    expect(tcp.items.map((c: CheckAnswer) => c.id)).toEqual(['list-1', 'list-3']);
    const running = await ok('GET', `/api/v1/checks?agent_id=${agent.id}`);
    expect(running.items.map((c: CheckAnswer) => c.id)).toEqual(['list-0', 'list-1', 'list-2', 'list-3']);
    const text = await ok('GET', '/api/v1/checks?q=127.0.0.3');
    expect(text.items.map((c: CheckAnswer) => c.id)).toEqual(['list-3']);
    const off = await ok('GET', '/api/v1/checks?label=batch=list&enabled=false');
    expect(off.items.map((c: CheckAnswer) => c.id)).toEqual(['list-4']);
    // LIKE wildcards in the search are literal
    expect((await ok('GET', '/api/v1/checks?q=%25')).items).toEqual([]);
    for (const bad of ['limit=0', 'type=ftp', 'label=a b', 'agent_id=x', 'enabled=yes', 'cursor=zzz', 'q='])
      expect((await call('GET', `/api/v1/checks?${bad}`)).statusCode, bad).toBe(400);
  });

  it('enforces roles and ownership: viewers read, editors change their own and use their own agents', async () => {
    const adminsAgent = await newAgent({ labels: { pool: 'shared' } });
    const editorsAgent = await newAgent({ labels: { pool: 'shared' } }, editor.headers);
    const adminsCheck = await createCheck({ type: 'icmp', target: '127.0.0.9', agentIds: [adminsAgent.id] });

    expect((await call('GET', '/api/v1/checks', undefined, viewer.headers)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/checks/${adminsCheck.id}`, undefined, viewer.headers)).statusCode).toBe(200);
    const viewerCreate = await call('POST', '/api/v1/checks', { type: 'icmp', target: '127.0.0.1' }, viewer.headers);
    expect(viewerCreate.statusCode).toBe(403);
    expect((await call('GET', '/api/v1/checks', undefined, {})).statusCode).toBe(401);

    // an editor may not change an admin's check, nor assign to an agent they do not own
    expect(
      (await call('PATCH', `/api/v1/checks/${adminsCheck.id}`, { interval: '9s' }, editor.headers)).statusCode,
    ).toBe(403);
    expect((await call('DELETE', `/api/v1/checks/${adminsCheck.id}`, undefined, editor.headers)).statusCode).toBe(403);
    const foreign = await call(
      'POST',
      '/api/v1/checks',
      { type: 'icmp', target: '127.0.0.1', agentIds: [adminsAgent.id] },
      editor.headers,
    );
    expect(foreign.statusCode).toBe(403);

    // an editor's selector reaches only the editor's agents; an admin's reaches every match
    const editorsCheck = await createCheck(
      { type: 'icmp', target: '127.0.0.7', selector: 'pool=shared' },
      editor.headers,
    );
    expect(editorsCheck.agents.map((a) => a.id)).toEqual([editorsAgent.id]);
    const adminsSelector = await createCheck({ type: 'icmp', target: '127.0.0.8', selector: 'pool=shared' });
    expect(adminsSelector.agents.map((a) => a.id).sort()).toEqual([adminsAgent.id, editorsAgent.id].sort());

    // the editor may clone the admin's check: the copy is theirs, without the admin's agent
    const copy = await ok('POST', `/api/v1/checks/${adminsCheck.id}/clone`, {}, editor.headers, 201);
    expect(copy).toMatchObject({ ownerId: editor.user.id, agentIds: [] });
    await ok('PATCH', `/api/v1/checks/${copy.id}`, { interval: '20s' }, editor.headers);
    await ok('PATCH', `/api/v1/checks/${adminsCheck.id}`, { interval: '20s' });

    expect((await call('GET', '/api/v1/checks/no-such-check')).statusCode).toBe(404);
    expect((await call('PATCH', '/api/v1/checks/no-such-check', { interval: '9s' })).statusCode).toBe(404);
    expect((await call('DELETE', '/api/v1/checks/no-such-check')).statusCode).toBe(404);
    const duplicate = await call('POST', '/api/v1/checks', { id: adminsCheck.id, type: 'icmp', target: '127.0.0.1' });
    expect(duplicate.statusCode).toBe(409);
  });

  it('refuses a check that would put an agent over its quota (409), changing nothing', async () => {
    const agent = await newAgent({ labels: { quota: 'test' } });
    for (let i = 0; i < 20; i++) await createCheck({ type: 'icmp', target: `127.0.1.${i}`, agentIds: [agent.id] });
    const over = await call('POST', '/api/v1/checks', { type: 'icmp', target: '127.0.2.1', selector: 'quota=test' });
    expect(over.statusCode).toBe(409);
    expect((await call('GET', '/api/v1/checks?q=127.0.2.1')).json().items).toEqual([]);
    expect((await agentConfig(agent.id)).checks).toHaveLength(20);
  });

  it("keeps the agents API's contract: config.checks creates check objects assigned to the agent", async () => {
    const agent = await newAgent({
      config: { checks: [{ id: 'seed-ping', type: 'icmp', target: '127.0.0.1', interval: '5s' }] },
      location: { name: 'Lab rack 3', latitude: 52.5, longitude: 13.4, provider: 'AS64500 Lab' },
    });
    expect(agent.config).toMatchObject({ version: 1, checks: [{ id: 'seed-ping' }] });
    expect(await ok('GET', '/api/v1/checks/seed-ping')).toMatchObject({ agentIds: [agent.id], ownerId: admin.user.id });
    // a second agent given the same check (same settings) shares it
    const twin = await newAgent({
      config: { checks: [{ id: 'seed-ping', type: 'icmp', target: '127.0.0.1', interval: '5s' }] },
    });
    expect((await ok('GET', '/api/v1/checks/seed-ping')).agentIds.sort()).toEqual([agent.id, twin.id].sort());
    // replacing the agent's checks unassigns the old one; still used by the twin, it stays
    await ok('PATCH', `/api/v1/agents/${agent.id}`, {
      config: { checks: [{ id: 'seed-tcp', type: 'tcp', target: '127.0.0.1:22', interval: '5s' }] },
    });
    expect((await ok('GET', '/api/v1/checks/seed-ping')).agentIds).toEqual([twin.id]);
    // the twin drops it too: running nowhere, it goes, as before checks were objects
    await ok('PATCH', `/api/v1/agents/${twin.id}`, { config: { checks: [] } });
    expect((await call('GET', '/api/v1/checks/seed-ping')).statusCode).toBe(404);
    const located = await ok('GET', `/api/v1/agents/${agent.id}`);
    expect(located.location).toEqual({ name: 'Lab rack 3', latitude: 52.5, longitude: 13.4, provider: 'AS64500 Lab' });
    await ok('PATCH', `/api/v1/agents/${agent.id}`, { location: null });
    expect((await ok('GET', `/api/v1/agents/${agent.id}`)).location).toBeNull();
    const badLocation = await call('PATCH', `/api/v1/agents/${agent.id}`, { location: { name: 'x', latitude: 91 } });
    expect(fieldErrors(badLocation)).toEqual(['body.location.latitude']);
  });
});
