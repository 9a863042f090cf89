import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPgDatabase } from './helpers/databases.ts';
import { startBackend, type BackendProcess } from './helpers/process.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const REDIS_PORT = 6379;
const PG_PORT = 5432;

/** Messages of one socket, awaited by predicate. */
function inbox(socket: WebSocket) {
  const seen: any[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    seen.push(JSON.parse(String(data)));
    for (const w of [...waiters]) w();
  });
  return {
    next(match: (m: any) => boolean, timeoutMs = 10_000): Promise<any> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = seen.findIndex(match);
          if (index < 0) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(seen.splice(index, 1)[0]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message in ${timeoutMs} ms; saw ${JSON.stringify(seen).slice(0, 500)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

// The agents' link as a production replica runs it (PostgreSQL and Redis, each behind a proxy the
// test can cut): what it stores, what it refuses, and what it answers while a dependency is down.
describe('the agent link delivers exactly once and refuses what is not the agent’s', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let backend: BackendProcess;
  let sql: pg.Client;
  let token: string;
  let agentId: string;
  let agentToken: string;
  let agent: WebSocket;
  let messages: ReturnType<typeof inbox>;
  const prefix = `nop-test-link-${randomUUID().slice(0, 8)}`;

  const api = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(backend.url + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json().catch(() => null)) as any,
    };
  };
  const result = (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    checkId: 'p',
    type: 'icmp',
    target: '127.0.0.1',
    time: new Date().toISOString(),
    success: true,
    durationMs: 0.1,
    metrics: {},
    ...over,
  });
  const sendBatch = (results: object[], extra: object = {}) => {
    const batchId = randomUUID();
    agent.send(JSON.stringify({ type: 'results', batchId, results, ...extra }));
    return batchId;
  };
  const answerTo = (batchId: string) => messages.next((m) => m.batchId === batchId);
  const stored = async (ids: string[]) =>
    (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM check_results WHERE id = ANY($1::uuid[])', [ids]))
      .rows[0]!.n;

  beforeAll(async () => {
    database = await createPgDatabase();
    pgProxy = await startTcpProxy(PG_PORT);
    redisProxy = await startTcpProxy(REDIS_PORT);
    const pgUrl = new URL(database.url);
    pgUrl.port = String(pgProxy.port);
    backend = await startBackend({
      DATABASE_URL: pgUrl.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      NOP_BUS_PREFIX: prefix,
      NOP_MANAGED_AGENT: 'false',
      JWT_SECRET: 'j'.repeat(40),
    });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const signup = await fetch(`${backend.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ops', email: 'ops@example.test', password: 'long enough' }),
    });
    token = ((await signup.json()) as any).token;
    const created = await api('POST', '/api/v1/agents', {
      name: 'edge',
      type: 'multi',
      config: {
        checks: [
          { id: 'p', type: 'icmp', target: '127.0.0.1' },
          { id: 'web', type: 'tcp', target: '127.0.0.1:80' },
        ],
      },
    });
    agentId = created.body.agent.id;
    agentToken = created.body.token;
    agent = new WebSocket(`${backend.url.replace('http', 'ws')}/api/v1/agents/link`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    messages = inbox(agent);
    await new Promise((resolve) => agent.once('open', resolve));
    agent.send(JSON.stringify({ type: 'register', agentVersion: 'test', hostname: 'h', configVersion: 0 }));
    await messages.next((m) => m.type === 'config');
  }, 90_000);

  afterAll(async () => {
    agent?.close();
    await backend?.stop();
    await sql?.end();
    await pgProxy?.close();
    await redisProxy?.close();
    await database?.drop();
  });

  it('stores the results of its own checks, names each refused one, and answers a re-send as duplicates', async () => {
    const good = result();
    const diagnostic = result({ checkId: 'web.trace', type: 'traceroute' });
    const refused = [
      result({ checkId: 'someone-elses' }),
      result({ checkId: 'web' }), // a tcp check sent as icmp
      result({ time: new Date(Date.now() + 3_600_000).toISOString() }),
      result({ time: '1970-01-01T00:00:00Z' }),
      result({ checkId: 'p.trace', type: 'icmp' }), // a diagnostic is a traceroute
    ];
    const batch = [good, diagnostic, ...refused];
    const ack = await answerTo(sendBatch(batch));
    expect(ack).toMatchObject({ type: 'ack', inserted: 2 });
    expect(ack.duplicates).toBeUndefined();
    expect(ack.rejected.map((r: any) => r.id)).toEqual(refused.map((r) => r.id));
    expect(ack.rejected.map((r: any) => r.reason)).toEqual([
      `check "someone-elses" is not in this agent's config`,
      'check "web" has type tcp, not icmp',
      expect.stringMatching(/ahead of the backend's clock/),
      expect.stringMatching(/older than the 14 days kept/),
      'check "p.trace" has type traceroute, not icmp',
    ]);
    expect(await stored(batch.map((r) => r.id))).toBe(2);

    const again = await answerTo(sendBatch(batch));
    expect(again).toMatchObject({ type: 'ack', inserted: 0, duplicates: 2 });
    expect(again.rejected).toHaveLength(5);
  });

  it("records the agent's clock skew from the batch's sentAt and shows it on the agent", async () => {
    const ack = await answerTo(sendBatch([result()], { sentAt: new Date(Date.now() + 10_000).toISOString() }));
    expect(ack.type).toBe('ack');
    await expect
      .poll(async () => (await api('GET', `/api/v1/agents/${agentId}`)).body.clockSkewMs, { timeout: 5000 })
      .toBeGreaterThan(8_500);
    expect((await api('GET', `/api/v1/agents/${agentId}`)).body.clockSkewMs).toBeLessThan(11_000);
  });

  it('while PostgreSQL is away: the batch is nacked, the API answers 503 with Retry-After, /readyz says why; afterwards the same batch is stored once', async () => {
    await pgProxy.cut();
    try {
      const batch = [result(), result()];
      const nack = await answerTo(sendBatch(batch));
      expect(nack).toMatchObject({ type: 'nack', reason: 'the database is unavailable' });
      expect(nack.retryAfterMs).toBeGreaterThan(0);

      const login = await fetch(`${backend.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ops@example.test', password: 'long enough' }),
      });
      expect(login.status).toBe(503);
      expect(login.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(login.headers.get('retry-after'))).toBeGreaterThan(0);
      const list = await api('GET', '/api/v1/agents');
      expect(list.status).toBe(503);
      const ready = await fetch(`${backend.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).detail).toContain('database');
      expect((await fetch(`${backend.url}/healthz`)).status).toBe(200);

      await pgProxy.restore();
      await expect.poll(async () => (await fetch(`${backend.url}/readyz`)).status, { timeout: 10_000 }).toBe(200);
      const ack = await answerTo(
        (() => {
          agent.send(JSON.stringify({ type: 'results', batchId: nack.batchId, results: batch }));
          return nack.batchId;
        })(),
      );
      expect(ack).toMatchObject({ type: 'ack', inserted: 2 });
      expect(await stored(batch.map((r) => r.id))).toBe(2);
    } finally {
      await pgProxy.restore().catch(() => {});
    }
  }, 60_000);

  it('while Redis is away: results are stored and acked, sign-in works, /readyz names Redis', async () => {
    await redisProxy.cut();
    try {
      const ready = await fetch(`${backend.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).detail).toContain('Redis');
      const batch = [result()];
      const ack = await answerTo(sendBatch(batch));
      expect(ack).toMatchObject({ type: 'ack', inserted: 1 });
      expect(await stored(batch.map((r) => r.id))).toBe(1);
      const login = await fetch(`${backend.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ops@example.test', password: 'long enough' }),
      });
      expect(login.status).not.toBeGreaterThanOrEqual(500);
    } finally {
      await redisProxy.restore();
    }
    await expect.poll(async () => (await fetch(`${backend.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
  }, 60_000);
});
