import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from './helpers/databases.ts';
import { startBackend, type BackendProcess } from './helpers/process.ts';
import { connect, inbox } from './helpers/ws.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two backend processes sharing one PostgreSQL database and one Redis, as replicas do in production.
describe('two backend replicas over Redis pub/sub and PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: BackendProcess;
  let b: BackendProcess;

  beforeAll(async () => {
    database = await createPgDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      NOP_BUS_PREFIX: `nop-test-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NODE_ENV: 'production',
    };
    // started together: both race to migrate the fresh database
    [a, b] = await Promise.all([startBackend(env), startBackend(env)]);
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
    return { status: response.status, body: (await response.json()) as any };
  };

  it('runs on PostgreSQL with Redis as the bus', async () => {
    const ready = await api(a, 'GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', db: 'postgres', bus: 'redis' });
  });

  it("streams a result ingested by replica A to a WebSocket client of replica B, and routes B's commands to A's agent", async () => {
    const signup = await api(a, 'POST', '/api/v1/auth/signup', {
      name: 'Ops',
      email: `ops-${randomUUID()}@example.test`,
      password: 'correct horse battery',
    });
    expect(signup.status).toBe(201);
    const token = signup.body.token as string;
    const created = await api(b, 'POST', '/api/v1/agents', { name: 'edge-1', type: 'ping' }, token);
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
    const streamed = await inbox(browser).next((m) => m.type === 'result' && m.result.id === id);
    expect(streamed.result).toMatchObject({ agentName: 'edge-1', agentId: created.body.agent.id });
    expect(Date.now() - sentAt).toBeLessThan(2000);

    const action = await api(b, 'POST', `/api/v1/agents/${created.body.agent.id}/actions`, { action: 'stop' }, token);
    expect(action.status).toBe(202);
    await inbox(agent).next((m) => m.type === 'command' && m.command === 'stop', 2000);
    agent.close();
    browser.close();
  });
});
