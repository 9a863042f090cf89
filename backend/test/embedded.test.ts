import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type BackendProcess } from './helpers/process.ts';
import { connect, inbox, resultIn } from './helpers/ws.ts';

/** pids of the agent processes the backend started (it has other children, e.g. tsx's esbuild) */
const childrenOf = (pid: number) =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('nop-agent'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The embedded platform as `npm start` runs it: PGlite in a fresh data folder, in-process bus, and
// the managed local agent probing loopback with real ICMP, HTTP and TCP.
describe('embedded platform', () => {
  let backend: BackendProcess;
  let startedAt: number;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nop-embedded-'));

  beforeAll(async () => {
    startedAt = Date.now();
    backend = await startBackend({
      NOP_DATA_DIR: dataDir,
      NOP_ADMIN_EMAIL: 'admin@example.test',
      NOP_ADMIN_PASSWORD: 'admin password',
    });
  }, 60_000);
  afterAll(async () => {
    await backend?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the admin from the environment, and a live result from each sample check reaches a WebSocket client within 10 s', async () => {
    const login = await fetch(`${backend.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.test', password: 'admin password' }),
    });
    expect(login.status).toBe(200);
    const { token, user } = (await login.json()) as { token: string; user: { role: string } };
    expect(user.role).toBe('admin');

    const stream = await connect(`${backend.url.replace('http', 'ws')}/ws/stream`, {
      protocols: ['nop.v1', `nop.jwt.${token}`],
    });
    const received = inbox(stream);
    await received.next((m) => m.type === 'results', 10_000);
    console.log(`embedded start to the first live result: ${Date.now() - startedAt} ms`);
    const results = await Promise.all(
      ['ping-loopback', 'http-healthz', 'tcp-backend'].map((checkId) =>
        received
          .next((m) => resultIn(m, (r) => r.checkId === checkId), 10_000)
          .then((m) => ({ result: resultIn(m, (r) => r.checkId === checkId) })),
      ),
    );
    const firstLiveMs = Date.now() - startedAt;
    console.log(`embedded start to a live result of every sample check: ${firstLiveMs} ms`);
    for (const { result } of results) {
      expect(result, JSON.stringify(result)).toMatchObject({ agentName: 'local', success: true });
      expect(result.durationMs).toBeGreaterThan(0);
    }
    expect(results[0]!.result.metrics).toMatchObject({ loss_ratio: 0 });
    expect(results[1]!.result.metrics).toMatchObject({ status_code: 200 });
    stream.close();
  });

  it('stops and starts the managed agent process through the actions API', async () => {
    const json = { 'content-type': 'application/json' };
    const signIn = async (email: string, password: string) =>
      (
        (await (
          await fetch(`${backend.url}/api/v1/auth/login`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ email, password }),
          })
        ).json()) as { token: string }
      ).token;
    const adminHeaders = { ...json, authorization: `Bearer ${await signIn('admin@example.test', 'admin password')}` };
    // sign-up is closed: the admin makes an editor, who signs in
    const editorEmail = `x-${randomUUID()}@example.test`;
    const made = await fetch(`${backend.url}/api/v1/users`, {
      method: 'POST',
      headers: adminHeaders,
      body: JSON.stringify({ name: 'x', email: editorEmail, password: 'long enough', role: 'editor' }),
    });
    expect(made.status).toBe(201);
    const headers = { ...json, authorization: `Bearer ${await signIn(editorEmail, 'long enough')}` };
    const agents = (
      (await (await fetch(`${backend.url}/api/v1/agents`, { headers })).json()) as {
        items: Array<{ id: string; managed: boolean }>;
      }
    ).items;
    const local = agents.find((a) => a.managed)!;
    const status = async () =>
      ((await (await fetch(`${backend.url}/api/v1/agents/${local.id}`, { headers })).json()) as { status: string })
        .status;

    // an editor may not stop the shared local agent (it belongs to no one): only an admin
    const denied = await fetch(`${backend.url}/api/v1/agents/${local.id}/actions`, {
      method: 'POST',
      headers,
      body: '{"action":"stop"}',
    });
    expect(denied.status).toBe(403);

    const agentPid = childrenOf(backend.child.pid!)[0]!;
    expect(alive(agentPid)).toBe(true);

    const stop = await fetch(`${backend.url}/api/v1/agents/${local.id}/actions`, {
      method: 'POST',
      headers: adminHeaders,
      body: '{"action":"stop"}',
    });
    expect(stop.status).toBe(202);
    await expect.poll(() => alive(agentPid), { timeout: 2000 }).toBe(false);
    await expect.poll(status, { timeout: 2000 }).toBe('stopped');

    await fetch(`${backend.url}/api/v1/agents/${local.id}/actions`, {
      method: 'POST',
      headers: adminHeaders,
      body: '{"action":"start"}',
    });
    await expect.poll(status, { timeout: 5000 }).toBe('online');
    expect(childrenOf(backend.child.pid!)).toHaveLength(1);
  });

  it('refuses to start a second NOP on the same data folder, with one line naming the owner', async () => {
    const second = await startBackend({ NOP_DATA_DIR: dataDir }).catch((error: Error) => error);
    expect(second).toBeInstanceOf(Error);
    expect(String(second)).toContain(
      `nop: could not start: the data folder ${dataDir} is in use by another NOP (pid ${backend.child.pid})`,
    );
    expect((await fetch(`${backend.url}/readyz`)).status).toBe(200);
  });

  it('stops everything on Ctrl-C, the agent included', async () => {
    const agentPids = childrenOf(backend.child.pid!);
    expect(agentPids).toHaveLength(1);
    expect(await backend.stop()).toBe(0);
    for (const pid of agentPids) expect(alive(pid)).toBe(false);
  });
});
