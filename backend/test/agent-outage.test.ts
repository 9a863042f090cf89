import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENT_BIN } from '@nop/agent/bin-path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from './helpers/databases.ts';
import { startBackend, type BackendProcess } from './helpers/process.ts';
import { freePort } from '../../agents/test/local-peers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The real agent against the real backend (on PostgreSQL, so the test can read what was stored),
// with the backend killed mid-stream and restarted: results made during the outage are delivered
// after the reconnect, none is lost and none is stored twice — even when the agent restarts too.
describe('agent through a backend outage', () => {
  const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'nop-spool-'));
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let sql: pg.Client;
  let port: number;
  let agentPort: number;
  let backend: BackendProcess;
  let agent: ChildProcess;
  let agentToken: string;
  let headers: Record<string, string>;
  let agentId: string;

  const env = () => ({
    PORT: String(port),
    DATABASE_URL: database.url,
    NOP_MANAGED_AGENT: 'false',
    JWT_SECRET: 'j'.repeat(40),
  });
  const api = async (method: string, url: string, body?: object) => {
    const r = await fetch(backend.url + url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return (await r.json()) as any;
  };
  const agentUrl = () => `http://127.0.0.1:${agentPort}`;
  const health = async () => (await fetch(`${agentUrl()}/health`)).json() as Promise<any>;
  // the scheduled check only: a failing check also triggers a diagnostic traceroute (<id>.trace)
  const stored = async () =>
    (
      await sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM check_results WHERE agent_id = $1 AND check_id = 'tcp-fast'",
        [agentId],
      )
    ).rows[0]!.n;
  const startAgent = () =>
    spawn(process.execPath, [AGENT_BIN], {
      env: {
        ...process.env,
        NOP_BACKEND_URL: backend.url,
        NOP_AGENT_TOKEN: agentToken,
        NOP_AGENT_NAME: 'outage-test',
        NOP_AGENT_LISTEN: `127.0.0.1:${agentPort}`,
        NOP_AGENT_SPOOL_DIR: spoolDir,
        LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
  const outage = async () => {
    backend.child.kill('SIGKILL'); // an outage, not a clean stop
    await new Promise((r) => backend.child.once('exit', r));
    await expect.poll(async () => (await health()).connected, { timeout: 5000 }).toBe(false);
    await sleep(4000); // a few runs at the 1 s minimum interval
  };
  /** stop the checks, then wait until the agent holds nothing unacked */
  const quiesce = async () => {
    await expect.poll(async () => (await health().catch(() => ({}))).connected, { timeout: 35_000 }).toBe(true);
    await api('POST', `/api/v1/agents/${agentId}/actions`, { action: 'stop' });
    await expect.poll(async () => (await health()).running, { timeout: 2000 }).toBe(false);
    await expect.poll(async () => (await health()).unackedResults, { timeout: 10_000 }).toBe(0);
  };

  beforeAll(async () => {
    database = await createPgDatabase();
    sql = new pg.Client({ connectionString: database.url });
    port = await freePort();
    agentPort = await freePort();
    backend = await startBackend(env());
    await sql.connect();
    const signup = await fetch(`${backend.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ops', email: 'ops@example.test', password: 'long enough' }),
    });
    headers = { authorization: `Bearer ${((await signup.json()) as any).token}`, 'content-type': 'application/json' };
    const created = await api('POST', '/api/v1/agents', {
      name: 'outage-test',
      type: 'multi',
      config: {
        checks: [{ id: 'tcp-fast', type: 'tcp', target: `127.0.0.1:${port}`, interval: '1s', timeout: '500ms' }],
      },
    });
    agentId = created.agent.id;
    agentToken = created.token;
    agent = startAgent();
  }, 60_000);

  afterAll(async () => {
    agent?.kill('SIGTERM');
    await backend?.stop();
    await sql?.end();
    await database?.drop();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('delivers every result made while the backend was down, exactly once', async () => {
    await expect.poll(async () => (await health().catch(() => ({}))).connected, { timeout: 10_000 }).toBe(true);
    await sleep(1000);
    await outage();
    expect((await health()).unackedResults).toBeGreaterThan(2); // piled up while nobody acked them

    backend = await startBackend(env());
    await quiesce();
    const metrics = await (await fetch(`${agentUrl()}/metrics`)).text();
    const made = [...metrics.matchAll(/^nop_agent_results_total\{[^}]*check="tcp-fast"[^}]*\} (\d+)/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect((await health()).droppedResults).toBe(0);
    // ≥ 1 s connected + ≥ 4 s down at a 1 s interval: at least 5 runs, whatever the machine's load
    expect(made).toBeGreaterThanOrEqual(5);
    expect(await stored()).toBe(made);
    // the check started failing when the backend went away: the agent took a traceroute, stored with its hops
    const trace = await sql.query<{ details: any }>(
      "SELECT details FROM check_results WHERE agent_id = $1 AND check_id = 'tcp-fast.trace'",
      [agentId],
    );
    expect(trace.rows).toHaveLength(1);
    expect(trace.rows[0]!.details.trace).toMatchObject({ mode: 'tcp', destination: '127.0.0.1' });
  }, 90_000);

  it('keeps the outage’s results on disk through an agent restart and delivers them afterwards', async () => {
    await api('POST', `/api/v1/agents/${agentId}/actions`, { action: 'start' });
    await expect.poll(async () => (await health()).running, { timeout: 2000 }).toBe(true);
    await sleep(500);
    await outage();

    agent.kill('SIGTERM'); // cannot deliver: what it holds stays in the spool
    await new Promise((r) => agent.once('exit', r));
    const spooledIds = readdirSync(spoolDir).flatMap(
      (name) =>
        JSON.parse(readFileSync(path.join(spoolDir, name), 'utf8')).results.map(
          (r: { id: string }) => r.id,
        ) as string[],
    );
    expect(spooledIds.length).toBeGreaterThan(2);

    backend = await startBackend(env());
    agent = startAgent();
    await quiesce();
    const { rows } = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM check_results WHERE id = ANY($1::uuid[])',
      [spooledIds],
    );
    expect(rows[0]!.n).toBe(spooledIds.length);
    expect(readdirSync(spoolDir)).toEqual([]);
  }, 90_000);
});
