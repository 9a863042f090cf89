import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPgDatabase } from './helpers/databases.ts';
import { startBackend, type BackendProcess } from './helpers/process.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const LEASE_S = 3;

// An agent's status belongs to the replica holding its link only while that replica renews its
// lease: two real replicas on one PostgreSQL (replica A reaches it through a proxy the test cuts).
describe('agent status leases across replicas', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let proxy: TcpProxy;
  let a: BackendProcess;
  let b: BackendProcess;
  let token: string;
  const env = (url: string) => ({
    DATABASE_URL: url,
    NOP_MANAGED_AGENT: 'false',
    JWT_SECRET: 'j'.repeat(40),
    NOP_AGENT_LEASE: String(LEASE_S),
  });
  const api = async (replica: BackendProcess, method: string, url: string, body?: unknown) => {
    const response = await fetch(replica.url + url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as any;
  };
  const statusOn = async (replica: BackendProcess, id: string) =>
    (await api(replica, 'GET', `/api/v1/agents/${id}`)).status as string;
  /** a raw agent link that answers pings (ws does by itself) */
  const link = async (replica: BackendProcess, agentToken: string) => {
    const socket = new WebSocket(`${replica.url.replace('http', 'ws')}/api/v1/agents/link`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    socket.on('error', () => {});
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    socket.send(JSON.stringify({ type: 'register', agentVersion: 'test', hostname: 'h', configVersion: 0 }));
    return socket;
  };
  const newAgent = async (name: string) => {
    const created = await api(b, 'POST', '/api/v1/agents', { name, type: 'ping' });
    return { id: created.agent.id as string, token: created.token as string };
  };

  beforeAll(async () => {
    database = await createPgDatabase();
    proxy = await startTcpProxy(5432);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    [a, b] = await Promise.all([startBackend(env(viaProxy.toString())), startBackend(env(database.url))]);
    const signup = await fetch(`${b.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'ops',
        email: `ops-${randomUUID().slice(0, 6)}@example.test`,
        password: 'long enough',
      }),
    });
    token = ((await signup.json()) as any).token;
  }, 90_000);

  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy?.close();
    await database?.drop();
  });

  it('a replica cut off from the database loses its agents to offline, and takes them back when it returns', async () => {
    const agent = await newAgent('held-by-a');
    const socket = await link(a, agent.token);
    await expect.poll(() => statusOn(b, agent.id), { timeout: 5000 }).toBe('online');

    await proxy.cut(); // A can no longer renew; B sweeps the expired lease
    const cutAt = Date.now();
    await expect.poll(() => statusOn(b, agent.id), { timeout: (LEASE_S + 5) * 1000 }).toBe('offline');
    expect(Date.now() - cutAt).toBeLessThan((LEASE_S * 2 + 2) * 1000);

    await proxy.restore(); // A renews again: the link it still holds takes the agent back
    await expect.poll(() => statusOn(b, agent.id), { timeout: (LEASE_S + 5) * 1000 }).toBe('online');
    socket.close();
  }, 60_000);

  it("a killed replica's agents turn offline, then online on the replica they move to", async () => {
    const agent = await newAgent('moves-to-b');
    await link(a, agent.token);
    await expect.poll(() => statusOn(b, agent.id), { timeout: 5000 }).toBe('online');

    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await expect.poll(() => statusOn(b, agent.id), { timeout: (LEASE_S + 5) * 1000 }).toBe('offline');
    expect(Date.now() - killedAt).toBeLessThan((LEASE_S * 2 + 2) * 1000);

    const moved = await link(b, agent.token);
    await expect.poll(() => statusOn(b, agent.id), { timeout: 5000 }).toBe('online');
    // and stays so: B renews the lease it now holds
    await new Promise((resolve) => setTimeout(resolve, LEASE_S * 1500));
    expect(await statusOn(b, agent.id)).toBe('online');
    moved.close();
  }, 60_000);
});
