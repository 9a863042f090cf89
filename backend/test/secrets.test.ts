import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { AGENT_BIN } from '@nop/agent/bin-path';
import { SECRET_MASK } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretCipher, SecretDecryptError } from '../src/secrets/cipher.ts';
import { encryptStoredSecrets } from '../src/secrets/encrypt-stored.ts';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, type TestApp, type TestUser } from './helpers/app.ts';
import { logFile, teeTo } from './helpers/test-logs.ts';
import { connect, inbox } from './helpers/ws.ts';

// Values a test plants and then looks for everywhere they must not be.
const BEARER = `Bearer canary-header-${randomUUID()}`;
const BODY = `{"apiKey":"canary-body-${randomUUID()}"}`;
const PASSWORD = `canary-basic-${randomUUID()}`;

const secretCheck = (id = 'api') => ({
  id,
  type: 'http',
  target: 'http://127.0.0.1:9/health',
  method: 'POST',
  headers: { Authorization: BEARER, 'X-Trace': 'not secret but write-only too' },
  body: BODY,
  basicAuth: { username: 'svc', password: PASSWORD },
});

/** Check secrets: write-only through the API, encrypted at rest, in clear only on the agent's link. */
describe.each(ENGINES)('check secrets on %s', (engine) => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let admin: TestUser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'admin', 'admin');
    owner = await signup(t.app, 'owner', 'editor');
    viewer = await signup(t.app, 'viewer', 'viewer');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(() => t?.close());

  const create = async (checks: object[]) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: owner.headers,
      payload: { name: `s-${randomUUID().slice(0, 8)}`, type: 'multi', config: { checks } },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { agent: { id: string; config: { checks: any[] } }; token: string };
  };
  const patchChecks = (id: string, checks: object[]) =>
    t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${id}`,
      headers: owner.headers,
      payload: { config: { checks } },
    });
  const configOnTheLink = async (token: string) => {
    const agent = await connect(`${base}/api/v1/agents/link`, { headers: { authorization: `Bearer ${token}` } });
    agent.send(JSON.stringify({ type: 'register', agentVersion: 't', hostname: 'h', configVersion: 0 }));
    const message = await inbox(agent).next((m) => m.type === 'config');
    agent.close();
    return message.config as { version: number; checks: any[] };
  };
  const storedText = async (agentId: string) => {
    const agents = await t.db.query<{ config: unknown }>('SELECT config FROM agents WHERE id = $1', [agentId]);
    const checks = await t.db.query<{ spec: unknown }>(
      'SELECT c.spec FROM checks c JOIN check_assignments x ON x.check_id = c.id WHERE x.agent_id = $1',
      [agentId],
    );
    return JSON.stringify([agents.rows, checks.rows]);
  };

  it('answers every secret as the mask, to every role, in every answer', async () => {
    const created = await create([secretCheck()]);
    const masked = { Authorization: SECRET_MASK, 'X-Trace': SECRET_MASK };
    expect(created.agent.config.checks[0]).toMatchObject({
      headers: masked,
      body: SECRET_MASK,
      basicAuth: { username: 'svc', password: SECRET_MASK },
    });
    for (const user of [owner, viewer, admin]) {
      const one = await t.app.inject({ url: `/api/v1/agents/${created.agent.id}`, headers: user.headers });
      const list = await t.app.inject({ url: '/api/v1/agents?limit=200', headers: user.headers });
      for (const text of [one.body, list.body, created.agent && JSON.stringify(created)])
        for (const secret of [BEARER, BODY, PASSWORD, 'canary']) expect(text).not.toContain(secret);
    }
  });

  it('stores them encrypted (AES-256-GCM envelopes), never in clear', async () => {
    const created = await create([secretCheck()]);
    const stored = await storedText(created.agent.id);
    expect(stored).not.toContain('canary');
    expect(stored.match(/nop:enc:v1:/g)?.length).toBe(2 * 4); // agents.config and checks.spec, 4 values each
  });

  it('sends them in clear to the agent that runs the check, and to no other agent', async () => {
    const created = await create([secretCheck()]);
    const config = await configOnTheLink(created.token);
    expect(config.checks[0]).toMatchObject({
      headers: { Authorization: BEARER },
      body: BODY,
      basicAuth: { username: 'svc', password: PASSWORD },
    });
    const bystander = await create([{ id: 'p', type: 'icmp', target: '127.0.0.1' }]);
    expect(JSON.stringify(await configOnTheLink(bystander.token))).not.toContain('canary');
  });

  it('keeps a stored value when the mask comes back, replaces it when a value does', async () => {
    const created = await create([secretCheck()]);
    const shown = created.agent.config.checks[0];
    // the dashboard sends back what it was shown, with one header changed and the timeout edited
    const edited = { ...shown, timeout: '4s', headers: { ...shown.headers, 'X-Trace': 'new trace' } };
    const patched = await patchChecks(created.agent.id, [edited]);
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.body).not.toContain('canary');
    const config = await configOnTheLink(created.token);
    expect(config.checks[0]).toMatchObject({
      timeout: 4000,
      headers: { Authorization: BEARER, 'X-Trace': 'new trace' },
      body: BODY,
      basicAuth: { password: PASSWORD },
    });
    // header names are case-insensitive: the mask under "authorization" keeps "Authorization"'s value
    const renamed = { ...edited, headers: { authorization: SECRET_MASK } };
    expect((await patchChecks(created.agent.id, [renamed])).statusCode).toBe(200);
    expect((await configOnTheLink(created.token)).checks[0].headers).toEqual({ authorization: BEARER });
  });

  it('refuses a mask where nothing is stored, naming the field, and writes nothing', async () => {
    const created = await create([{ id: 'plain', type: 'http', target: 'http://127.0.0.1:9/' }]);
    const before = await storedText(created.agent.id);
    const r = await patchChecks(created.agent.id, [
      { id: 'plain', type: 'http', target: 'http://127.0.0.1:9/', headers: { Authorization: SECRET_MASK } },
    ]);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('body.config.checks[0].headers.Authorization');
    expect(await storedText(created.agent.id)).toBe(before);
    // a mask cannot pull another check's secret either: masks only match the same check id
    const withSecret = await create([secretCheck('a')]);
    const stolen = await patchChecks(withSecret.agent.id, [
      { id: 'b', type: 'http', target: 'http://127.0.0.1:9/', headers: { Authorization: SECRET_MASK } },
    ]);
    expect(stolen.statusCode).toBe(400);
  });

  it('moves credentials out of an http target into basicAuth', async () => {
    const created = await create([
      { id: 'u', type: 'http', target: `http://svc:${encodeURIComponent(PASSWORD)}@127.0.0.1:9/x` },
    ]);
    const shown = created.agent.config.checks[0];
    expect(shown.target).toBe('http://127.0.0.1:9/x');
    expect(shown.basicAuth).toEqual({ username: 'svc', password: SECRET_MASK });
    expect(await storedText(created.agent.id)).not.toContain('canary');
    expect((await configOnTheLink(created.token)).checks[0].basicAuth).toEqual({ username: 'svc', password: PASSWORD });
  });

  it('encrypts secrets stored in clear before this release, once, at start', async () => {
    const created = await create([{ id: 'p', type: 'icmp', target: '127.0.0.1' }]);
    const legacy = {
      ...secretCheck(),
      target: `http://old:${PASSWORD}@127.0.0.1:9/`,
      basicAuth: undefined,
      interval: 10_000,
      timeout: 5_000,
      expectStatus: undefined,
      maxRedirects: 5,
      tlsVerify: true,
    };
    await t.db.query(`UPDATE agents SET config = jsonb_set(config, '{checks}', $2::jsonb) WHERE id = $1`, [
      created.agent.id,
      JSON.stringify([legacy]),
    ]);
    await t.db.query(
      'UPDATE checks SET spec = $2::jsonb WHERE id IN (SELECT check_id FROM check_assignments WHERE agent_id = $1)',
      [created.agent.id, JSON.stringify(legacy)],
    );
    expect(await storedText(created.agent.id)).toContain('canary');

    expect(await encryptStoredSecrets(t.db, t.cipher)).toBeGreaterThanOrEqual(1);
    expect(await storedText(created.agent.id)).not.toContain('canary');
    expect(await encryptStoredSecrets(t.db, t.cipher)).toBe(0);
    const config = await configOnTheLink(created.token);
    expect(config.checks[0]).toMatchObject({
      target: 'http://127.0.0.1:9/',
      headers: { Authorization: BEARER },
      body: BODY,
      basicAuth: { username: 'old', password: PASSWORD },
    });
  });

  it('a real agent receives them, uses them on the wire, and logs none of them (debug level)', async () => {
    const seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const target = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as { port: number }).port;
    const created = await create([
      { ...secretCheck(), target: `http://127.0.0.1:${port}/health`, interval: '1s', timeout: '500ms' },
    ]);
    let output = '';
    const tee = teeTo(logFile('agent'));
    const agent = spawn(process.execPath, [AGENT_BIN], {
      env: {
        ...process.env,
        NOP_BACKEND_URL: base.replace('ws:', 'http:'),
        NOP_AGENT_TOKEN: created.token,
        NOP_AGENT_NAME: 'secret-runner',
        NOP_AGENT_LISTEN: '127.0.0.1:0',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (d: Buffer) => ((output += d), tee(d));
    agent.stdout.on('data', collect);
    agent.stderr.on('data', collect);
    try {
      await expect.poll(() => seen.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(seen[0]!.headers.authorization).toBe(BEARER);
      expect(seen[0]!.body).toBe(BODY);
    } finally {
      agent.kill('SIGTERM');
      await new Promise((r) => agent.once('exit', r));
      target.close();
    }
    expect(output).toContain('config applied');
    expect(output).not.toContain('canary');
  });

  it('keeps secrets out of the audit log', async () => {
    await create([secretCheck()]);
    const { rows } = await t.db.query<{ details: unknown }>('SELECT details FROM audit_log');
    expect(JSON.stringify(rows)).not.toContain('canary');
  });
});

describe('the secret cipher', () => {
  it('round-trips, uses a fresh IV each time, and refuses altered values and other keys in words', () => {
    const cipher = createSecretCipher('k'.repeat(32));
    const a = cipher.encrypt('hunter2');
    expect(a).toMatch(/^nop:enc:v1:[0-9a-f]{8}:/);
    expect(cipher.encrypt('hunter2')).not.toBe(a);
    expect(cipher.decrypt(a)).toBe('hunter2');
    const flipped = a.slice(0, -3) + (a.at(-3) === 'A' ? 'B' : 'A') + a.slice(-2);
    expect(() => cipher.decrypt(flipped)).toThrow(SecretDecryptError);
    expect(() => createSecretCipher('j'.repeat(32)).decrypt(a)).toThrow(/another key/);
  });
});
