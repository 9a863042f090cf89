import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, signup, TEST_PASSWORD, type TestApp, type TestUser } from './helpers/app.ts';

const problemOf = (r: { headers: Record<string, unknown>; json: () => any }) => {
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  return r.json();
};

describe('login limits per account', () => {
  let t: TestApp;
  let victim: TestUser;
  beforeAll(async () => {
    t = await createTestApp('pglite', { config: { NOP_ACCOUNT_LOGIN_LIMIT: 3 } });
    await signup(t.app, 'root', 'admin');
    victim = await signup(t.app, 'victim', 'viewer');
  });
  afterAll(() => t?.close());

  const attempt = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  it('locks one account after N failures from any number of addresses (429 + Retry-After), not the others', async () => {
    const codes = [];
    // every guess from a different address: a per-address limit alone would never trip
    for (let i = 0; i < 6; i++) codes.push((await attempt(victim.email, `guess-${i}`, `127.0.0.${10 + i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429, 429]);
    const locked = await attempt(victim.email, TEST_PASSWORD, '127.0.0.99');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(problemOf(locked).detail).toMatch(/too many failed sign-ins for this account; try again in \d+ s/);
    // the lock is the account's, not the address's: another account signs in from the same address
    const bystander = await signup(t.app, 'bystander', 'viewer');
    expect((await attempt(bystander.email, TEST_PASSWORD, '127.0.0.99')).statusCode).toBe(200);
  });

  it('counts unknown emails the same way, so a lock says nothing about which accounts exist', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await attempt('nobody@example.test', `g${i}`, '127.0.0.50')).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('counts wrong current passwords of a password change too: a stolen session cannot guess on', async () => {
    const user = await signup(t.app, 'stolen', 'viewer');
    const change = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: user.headers,
        payload: { currentPassword: 'a guess', newPassword: 'taken over now' },
      });
    expect([(await change()).statusCode, (await change()).statusCode, (await change()).statusCode]).toEqual([
      400, 400, 400,
    ]);
    expect((await change()).statusCode).toBe(429);
    expect((await attempt(user.email, TEST_PASSWORD, '127.0.0.70')).statusCode).toBe(429);
  });

  it('forgets the failures once the right password gets in', async () => {
    const user = await signup(t.app, 'typo', 'viewer');
    for (let i = 0; i < 2; i++) await attempt(user.email, 'typo typo', '127.0.0.60');
    expect((await attempt(user.email, TEST_PASSWORD, '127.0.0.60')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await attempt(user.email, 'typo typo', '127.0.0.60')).statusCode).toBe(401);
  });
});

describe('password hashing under a login flood', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { config: { NOP_HASH_CONCURRENCY: 1 } });
    await signup(t.app, 'root', 'admin');
  });
  afterAll(() => t?.close());

  it('queues a bounded number of hashes and answers the overflow 503 + Retry-After, while other routes answer', async () => {
    const flood = Array.from({ length: 120 }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `flood${i}@example.test`, password: 'not a password' },
      }),
    );
    // while the flood is queued, a request that needs no hash is answered
    const health = await t.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const answers = await Promise.all(flood);
    const codes = answers.map((a) => a.statusCode);
    expect(new Set(codes)).toEqual(new Set([401, 503]));
    const busy = answers.find((a) => a.statusCode === 503)!;
    expect(busy.headers['retry-after']).toBe('1');
    expect(problemOf(busy).detail).toMatch(/too many sign-ins in progress/);
    // at most one running plus 64 waiting got an answer about the password
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(65);
  });
});

describe('quotas', () => {
  let t: TestApp;
  let editor: TestUser;
  beforeAll(async () => {
    t = await createTestApp('pglite', { config: { NOP_MAX_AGENTS_PER_USER: 2, NOP_MAX_CHECKS_PER_AGENT: 3 } });
    await signup(t.app, 'root', 'admin');
    editor = await signup(t.app, 'busy', 'editor');
  });
  afterAll(() => t?.close());

  const checks = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `p${i}`, type: 'icmp', target: '127.0.0.1' }));
  const create = (name: string, n = 0) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: editor.headers,
      payload: { name, type: 'ping', config: { checks: checks(n) } },
    });

  it('refuses checks beyond NOP_MAX_CHECKS_PER_AGENT on create and patch with a 409 naming the limit, writing nothing', async () => {
    const tooMany = await create('q-many', 4);
    expect(tooMany.statusCode).toBe(409);
    expect(problemOf(tooMany)).toMatchObject({ type: 'https://nop.dev/problems/quota-exceeded' });
    expect(tooMany.json().detail).toMatch(/at most 3.*NOP_MAX_CHECKS_PER_AGENT/);
    const fine = await create('q-fine', 3);
    expect(fine.statusCode).toBe(201);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${fine.json().agent.id}`,
      headers: editor.headers,
      payload: { config: { checks: checks(4) } },
    });
    expect(patch.statusCode).toBe(409);
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM check_assignments WHERE agent_id = $1',
      [fine.json().agent.id],
    );
    expect(rows[0]!.n).toBe(3);
  });

  it('refuses agents beyond NOP_MAX_AGENTS_PER_USER, even when asked for all at once', async () => {
    const answers = await Promise.all([create('q-a'), create('q-b'), create('q-c')]);
    // q-fine from the test above is the first of the two
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().detail).toMatch(/NOP_MAX_AGENTS_PER_USER/);
  });

  it('limits API tokens: 20 new ones an hour per user (429), 50 live at most', async () => {
    const user = await login(t.app, editor.email);
    const codes = [];
    for (let i = 0; i < 21; i++)
      codes.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/api-tokens',
            headers: user.headers,
            payload: { name: `t${i}` },
          })
        ).statusCode,
      );
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(codes[20]).toBe(429);
  });
});

describe('slow clients and connection floods (a real listening server)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp('pglite', { config: { NOP_REQUEST_TIMEOUT: 2, NOP_MAX_CONNECTIONS_PER_ADDRESS: 5 } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  const open = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
  const answerOf = (socket: net.Socket, timeoutMs: number) =>
    new Promise<{ text: string; closedAfterMs: number }>((resolve) => {
      const start = Date.now();
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.once('close', () => resolve({ text, closedAfterMs: Date.now() - start }));
      setTimeout(() => resolve({ text, closedAfterMs: -1 }), timeoutMs);
    });

  it('cuts off a body that has not arrived within NOP_REQUEST_TIMEOUT (408), freeing the connection', async () => {
    const socket = await open();
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"em',
    );
    const { text, closedAfterMs } = await answerOf(socket, 8000);
    expect(closedAfterMs).toBeGreaterThan(0);
    expect(closedAfterMs).toBeLessThan(5000);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('application/problem+json');
  });

  it('caps the connections one address holds: the next one is told 429 in problem+json and closed', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, open));
    const extra = await open();
    const { text } = await answerOf(extra, 3000);
    expect(text).toMatch(/^HTTP\/1\.1 429/);
    expect(text).toContain('application/problem+json');
    expect(text).toContain('already holds 5 open connections');
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const after = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(after.status).toBe(200);
    held.forEach((s) => s.destroy());
  });
});
