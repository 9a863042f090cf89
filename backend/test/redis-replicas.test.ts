import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from './helpers/databases.ts';
import { startBackend, type BackendProcess } from './helpers/process.ts';
import { connect, inbox, resultIn } from './helpers/ws.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two backend processes sharing one PostgreSQL database and one Redis, as replicas do in production.
describe('two backend replicas over Redis pub/sub and PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: BackendProcess;
  let b: BackendProcess;
  let adminToken: string;

  beforeAll(async () => {
    database = await createPgDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      NOP_BUS_PREFIX: `nop-test-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NOP_SECRET_KEY: randomBytes(32).toString('hex'),
      NODE_ENV: 'production',
      // every sign-in of this file comes from one address
      NOP_AUTH_RATE_LIMIT: '1000',
    };
    // started together: both race to migrate the fresh database
    [a, b] = await Promise.all([startBackend(env), startBackend(env)]);
    const signup = await api(a, 'POST', '/api/v1/auth/signup', {
      name: 'Ops',
      email: `ops-${randomUUID()}@example.test`,
      password: 'correct horse battery',
    });
    expect(signup.status).toBe(201);
    adminToken = signup.body.token;
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const api = async (server: BackendProcess, method: string, url: string, body?: object, token?: string) => {
    const response = await fetch(server.url + url, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  };

  it('runs on PostgreSQL with Redis as the bus', async () => {
    const ready = await api(a, 'GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', db: 'postgres', bus: 'redis' });
  });

  it("streams a result ingested by replica A to a WebSocket client of replica B, and routes B's commands to A's agent", async () => {
    const token = adminToken;
    const created = await api(
      b,
      'POST',
      '/api/v1/agents',
      { name: 'edge-1', type: 'ping', config: { checks: [{ id: 'p', type: 'icmp', target: '127.0.0.1' }] } },
      token,
    );
    expect(created.status).toBe(201);

    const browser = await connect(`${b.url.replace('http', 'ws')}/ws/stream`, {
      protocols: ['nop.v1', `nop.jwt.${token}`],
    });
    await inbox(browser).next((m) => m.type === 'hello');

    const agent = await connect(`${a.url.replace('http', 'ws')}/api/v1/agents/link`, {
      headers: { authorization: `Bearer ${created.body.token}` },
    });
    agent.send(JSON.stringify({ type: 'register', agentVersion: 'test', hostname: 'h', configVersion: 0 }));
    await inbox(agent).next((m) => m.type === 'command' && m.command === 'start');

    const id = randomUUID();
    const sentAt = Date.now();
    agent.send(
      JSON.stringify({
        type: 'results',
        batchId: randomUUID(),
        results: [
          {
            id,
            checkId: 'p',
            type: 'icmp',
            target: '127.0.0.1',
            time: new Date().toISOString(),
            success: true,
            durationMs: 0.1,
            metrics: {},
          },
        ],
      }),
    );
    const streamed = resultIn(await inbox(browser).next((m) => resultIn(m, (r) => r.id === id)), (r) => r.id === id);
    expect(streamed).toMatchObject({ agentName: 'edge-1', agentId: created.body.agent.id });
    expect(Date.now() - sentAt).toBeLessThan(2000);

    const action = await api(b, 'POST', `/api/v1/agents/${created.body.agent.id}/actions`, { action: 'stop' }, token);
    expect(action.status).toBe(202);
    await inbox(agent).next((m) => m.type === 'command' && m.command === 'stop', 2000);
    agent.close();
    browser.close();
  });

  // What the revocation is, done on replica A to a user whose REST calls and stream live on replica B.
  const revocations: Array<[string, (user: { id: string; email: string; token: string }) => Promise<unknown>]> = [
    ['logout', (u) => api(a, 'POST', '/api/v1/auth/logout', undefined, u.token)],
    [
      'password change',
      (u) =>
        api(
          a,
          'POST',
          '/api/v1/auth/password',
          { currentPassword: 'correct horse battery', newPassword: 'a new horse battery' },
          u.token,
        ),
    ],
    ['role change', (u) => api(a, 'PATCH', `/api/v1/users/${u.id}`, { role: 'viewer' }, adminToken)],
    ['disable', (u) => api(a, 'PATCH', `/api/v1/users/${u.id}`, { disabled: true }, adminToken)],
    ['delete', (u) => api(a, 'DELETE', `/api/v1/users/${u.id}`, undefined, adminToken)],
    [
      'session revoked from another session',
      async (u) => {
        const other = await api(a, 'POST', '/api/v1/auth/login', { email: u.email, password: 'correct horse battery' });
        const sessions = await api(a, 'GET', '/api/v1/auth/sessions', undefined, other.body.token);
        const target = sessions.body.items.find((s: { current: boolean }) => !s.current);
        return api(a, 'DELETE', `/api/v1/auth/sessions/${target.id}`, undefined, other.body.token);
      },
    ],
  ];

  it.each(revocations)(
    'ends a session on the other replica within 1 s after %s: REST refused, open stream closed',
    async (_what, revoke) => {
      const email = `u-${randomUUID()}@example.test`;
      const made = await api(
        a,
        'POST',
        '/api/v1/users',
        { name: 'U', email, password: 'correct horse battery', role: 'editor' },
        adminToken,
      );
      expect(made.status).toBe(201);
      const session = await api(a, 'POST', '/api/v1/auth/login', { email, password: 'correct horse battery' });
      const user = { id: made.body.id, email, token: session.body.token as string };
      const stream = await connect(`${b.url.replace('http', 'ws')}/ws/stream`, {
        protocols: ['nop.v1', `nop.jwt.${user.token}`],
      });
      await inbox(stream).next((m) => m.type === 'hello');
      expect((await api(b, 'GET', '/api/v1/agents', undefined, user.token)).status).toBe(200);
      const closedAt = new Promise<{ at: number; code: number }>((resolve) =>
        stream.once('close', (code) => resolve({ at: performance.now(), code })),
      );

      const start = performance.now();
      await revoke(user);
      let refusedAt = 0;
      while (performance.now() - start < 3000) {
        if ((await api(b, 'GET', '/api/v1/agents', undefined, user.token)).status === 401) {
          refusedAt = performance.now();
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      const closed = await Promise.race([closedAt, new Promise<undefined>((r) => setTimeout(r, 3000))]);
      expect(refusedAt, 'REST on replica B still accepted the token').toBeGreaterThan(0);
      expect(closed, 'the stream on replica B stayed open').toBeDefined();
      expect(closed!.code).toBe(1008);
      expect(refusedAt - start).toBeLessThan(1000);
      expect(closed!.at - start).toBeLessThan(1000);
    },
  );

  it('brings a check assigned by label to agents linked to either replica within 2 s', async () => {
    const token = adminToken;
    const linked: Array<Awaited<ReturnType<typeof connect>>> = [];
    for (const [i, replica] of [a, b].entries()) {
      const created = await api(
        a,
        'POST',
        '/api/v1/agents',
        {
          name: `labelled-${i}`,
          type: 'multi',
          labels: { region: 'test-eu' },
        },
        token,
      );
      expect(created.status).toBe(201);
      const agent = await connect(`${replica.url.replace('http', 'ws')}/api/v1/agents/link`, {
        headers: { authorization: `Bearer ${created.body.token}` },
      });
      agent.send(JSON.stringify({ type: 'register', agentVersion: 't', hostname: 'h', configVersion: 0 }));
      await inbox(agent).next((m) => m.type === 'config');
      linked.push(agent);
    }
    const holds = (id: string, interval?: number) => (m: any) =>
      m.type === 'config' &&
      m.config.checks.some((c: any) => c.id === id && (interval === undefined || c.interval === interval));
    const timed = async (change: () => Promise<unknown>, pred: (m: any) => boolean) => {
      const started = performance.now();
      await change();
      await Promise.all(linked.map((agent) => inbox(agent).next(pred, 2000)));
      return performance.now() - started;
    };
    const created = await timed(
      async () =>
        expect(
          (
            await api(
              b,
              'POST',
              '/api/v1/checks',
              { id: 'eu-ping', type: 'icmp', target: '127.0.0.1', selector: 'region=test-eu' },
              token,
            )
          ).status,
        ).toBe(201),
      holds('eu-ping'),
    );
    const changed = await timed(
      () => api(a, 'PATCH', '/api/v1/checks/eu-ping', { interval: '30s' }, token),
      holds('eu-ping', 30_000),
    );
    const removed = await timed(
      () => api(b, 'DELETE', '/api/v1/checks/eu-ping', undefined, token),
      (m) => m.type === 'config' && !m.config.checks.some((c: any) => c.id === 'eu-ping'),
    );
    console.log(
      `check change to 2 agents on 2 replicas: create ${created.toFixed(0)} ms, update ${changed.toFixed(0)} ms, delete ${removed.toFixed(0)} ms`,
    );
    linked.forEach((agent) => agent.close());
  });
});
