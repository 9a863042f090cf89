import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AGENT_BIN } from '@nop/agent/bin-path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type BackendProcess } from './helpers/process.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The real agent against the real backend, with the backend killed mid-stream and restarted on
// the same data: results made during the outage are delivered after the reconnect, none is lost
// and none is stored twice.
describe('agent through a backend outage', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nop-outage-'));
  let port: number;
  let backend: BackendProcess;
  let agent: ChildProcess;
  let agentUrl: string;
  let headers: Record<string, string>;
  let agentId: string;

  const env = () => ({ PORT: String(port), NOP_DATA_DIR: dataDir, NOP_MANAGED_AGENT: 'false' });
  const api = async (method: string, url: string, body?: object) => {
    const r = await fetch(backend.url + url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return (await r.json()) as any;
  };
  const health = async () => (await fetch(`${agentUrl}/health`)).json() as Promise<any>;

  beforeAll(async () => {
    port = await freePort();
    backend = await startBackend(env());
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
        checks: [{ id: 'tcp-fast', type: 'tcp', target: `127.0.0.1:${port}`, interval: '100ms', timeout: '1s' }],
      },
    });
    agentId = created.agent.id;
    const agentPort = await freePort();
    agentUrl = `http://127.0.0.1:${agentPort}`;
    agent = spawn(process.execPath, [AGENT_BIN], {
      env: {
        ...process.env,
        NOP_BACKEND_URL: backend.url,
        NOP_AGENT_TOKEN: created.token,
        NOP_AGENT_NAME: 'outage-test',
        NOP_AGENT_LISTEN: `127.0.0.1:${agentPort}`,
        LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
  }, 60_000);

  afterAll(async () => {
    agent?.kill('SIGTERM');
    await backend?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every result made while the backend was down, exactly once', async () => {
    await expect.poll(async () => (await health().catch(() => ({}))).connected, { timeout: 10_000 }).toBe(true);
    await sleep(1000);

    backend.child.kill('SIGKILL'); // an outage, not a clean stop
    await new Promise((r) => backend.child.once('exit', r));
    await expect.poll(async () => (await health()).connected, { timeout: 5000 }).toBe(false);
    await sleep(1500);
    const during = await health();
    expect(during.unackedResults).toBeGreaterThan(5); // results piled up while nobody acked them

    backend = await startBackend(env());
    await expect.poll(async () => (await health()).connected, { timeout: 35_000 }).toBe(true);
    await api('POST', `/api/v1/agents/${agentId}/actions`, { action: 'stop' });
    await expect.poll(async () => (await health()).running, { timeout: 2000 }).toBe(false);
    await expect.poll(async () => (await health()).unackedResults, { timeout: 10_000 }).toBe(0);

    const metrics = await (await fetch(`${agentUrl}/metrics`)).text();
    const made = [...metrics.matchAll(/^nop_agent_results_total\S* (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    const stored = await api(
      'GET',
      `/api/v1/metrics?agent_id=${agentId}&step=3600&from=${Math.floor(Date.now() / 1000) - 3600}`,
    );
    const count = stored.series.flatMap((s: any) => s.points).reduce((n: number, p: any) => n + p.count, 0);
    expect((await health()).droppedResults).toBe(0);
    expect(made).toBeGreaterThan(20);
    expect(count).toBe(made);
  }, 90_000);
});
