import { createServer, type AddressInfo, type Server } from 'node:net';
import { hostname } from 'node:os';
import { CheckResult } from '@nop/protocol';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { Link, linkUrl } from '../src/link.ts';
import { Scheduler } from '../src/scheduler.ts';
import { AGENT_VERSION } from '../src/version.ts';
import { BackendStub, captureLogger } from './backend-stub.ts';
import { fakeResult, spec } from './helpers.ts';

let tcpServer: Server;
let tcpPort: number;
beforeAll(async () => {
  tcpServer = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcpServer.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => tcpServer.close(() => resolve())));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { token?: string; flushMs?: number } = {}) {
  const backend = await BackendStub.start();
  const results: CheckResult[] = [];
  const scheduler = new Scheduler({
    run: runCheck,
    onResult: (r) => {
      results.push(r);
      link.push(r);
    },
  });
  const { log, lines } = captureLogger();
  const link = new Link({
    backendUrl: backend.url,
    token: options.token ?? backend.token,
    target: scheduler,
    log,
    backoff: { minMs: 50, maxMs: 200 },
    outbox: { flushMs: options.flushMs ?? 100 },
  });
  cleanups.push(() => backend.close());
  cleanups.push(async () => {
    scheduler.stop();
    await scheduler.idle();
    await link.close(0);
  });
  return { backend, scheduler, link, results, lines };
}

const tcpCheck = (id: string, interval = 1000) =>
  spec({ id, type: 'tcp', target: `127.0.0.1:${tcpPort}`, interval, timeout: 500 });

describe('linkUrl', () => {
  it('maps the backend URL to the link endpoint', () => {
    expect(linkUrl('http://localhost:8080')).toBe('ws://localhost:8080/api/v1/agents/link');
    expect(linkUrl('https://nop.example/base/')).toBe('wss://nop.example/base/api/v1/agents/link');
    expect(linkUrl('ws://127.0.0.1:9')).toBe('ws://127.0.0.1:9/api/v1/agents/link');
  });
});

describe('control link (against a ws server speaking the protocol)', () => {
  it('registers, takes config and start, ships real results and gets them acked', async () => {
    const { backend, scheduler, link } = await setup();
    backend.onRegister = (socket) => {
      socket.send(JSON.stringify({ type: 'config', config: { version: 3, checks: [tcpCheck('tcp-lo')] } }));
      socket.send(JSON.stringify({ type: 'command', command: 'start' }));
    };
    link.start();
    await backend.until(() => backend.of('results').length >= 2, 5000, 'two result batches');

    expect(backend.authHeaders[0]).toBe(`Bearer ${backend.token}`);
    expect(backend.messages[0]).toEqual({
      type: 'register',
      agentVersion: AGENT_VERSION,
      hostname: hostname(),
      configVersion: 0,
    });
    expect(backend.of('state')[0]).toEqual({ type: 'state', state: 'running' });
    expect(backend.invalid).toEqual([]);
    expect(link.configVersion).toBe(3);
    expect(scheduler.running).toBe(true);
    const shipped = backend.of('results').flatMap((b) => b.results);
    expect(shipped.every((r) => r.checkId === 'tcp-lo' && r.success)).toBe(true);
    const shippedIds = new Set(backend.of('results').map((b) => b.batchId));
    await backend.until(() => link.outbox.batches.every((b) => !shippedIds.has(b.batchId)), 2000, 'acks');
    expect(link.connected).toBe(true);
  });

  it('re-sends every unacked batch after a reconnect, in order, with the same ids', async () => {
    const { backend, link } = await setup({ flushMs: 60_000 });
    backend.autoAck = false;
    link.start();
    await backend.until(() => link.connected, 3000, 'connect');
    const first = [fakeResult('a'), fakeResult('b'), fakeResult('c')];
    const second = [fakeResult('d'), fakeResult('e')];
    first.forEach((r) => link.push(r));
    link.outbox.seal();
    second.forEach((r) => link.push(r));
    link.outbox.seal();
    await backend.until(() => backend.of('results').length === 2, 3000, 'two batches');
    const sentBefore = backend.of('results');
    expect(sentBefore.map((b) => b.results.map((r) => r.checkId))).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);

    backend.autoAck = true;
    backend.messages.length = 0;
    backend.drop(); // before any ack
    await backend.until(() => backend.of('results').length === 2, 5000, 're-sent batches');
    expect(backend.connections).toBe(2);
    expect(backend.messages[0]?.type).toBe('register');
    const resent = backend.of('results');
    expect(resent.map((b) => b.batchId)).toEqual(sentBefore.map((b) => b.batchId));
    expect(resent.flatMap((b) => b.results.map((r) => r.id))).toEqual([...first, ...second].map((r) => r.id));
    await backend.until(() => link.outbox.pending === 0, 2000, 'acks after re-send');
  });

  it('obeys stop / restart / reload within 2 s and reports its state', async () => {
    const { backend, scheduler, link } = await setup();
    backend.onRegister = (socket) => {
      socket.send(JSON.stringify({ type: 'config', config: { version: 1, checks: [tcpCheck('t1', 1000)] } }));
      socket.send(JSON.stringify({ type: 'command', command: 'start' }));
    };
    link.start();
    await backend.until(() => backend.of('state').length === 1, 3000, 'start state');
    expect(scheduler.running).toBe(true);

    for (const [command, state] of [
      ['stop', 'stopped'],
      ['restart', 'running'],
      ['stop', 'stopped'],
      ['start', 'running'],
      ['reload', 'running'],
    ] as const) {
      const count = backend.of('state').length;
      const sentAt = Date.now();
      backend.send({ type: 'command', command });
      await backend.until(() => backend.of('state').length === count + 1, 2000, `${command} state`);
      expect(Date.now() - sentAt).toBeLessThan(2000);
      expect(backend.of('state').at(-1)).toEqual({ type: 'state', state });
      expect(scheduler.running).toBe(state === 'running');
    }
  });

  it('applies newer configs, ignores older ones, and ignores invalid messages', async () => {
    const { backend, scheduler, link, lines } = await setup();
    link.start();
    await backend.until(() => link.connected, 3000, 'connect');
    backend.send({ type: 'config', config: { version: 5, checks: [tcpCheck('five')] } });
    await backend.until(() => link.configVersion === 5, 2000, 'config 5');
    backend.send({ type: 'config', config: { version: 4, checks: [tcpCheck('four')] } });
    backend.send('not json');
    backend.send(JSON.stringify({ type: 'command', command: 'explode' }));
    backend.send(JSON.stringify({ type: 'config', config: { version: 6, checks: [{ id: 'x', type: 'icmp' }] } }));
    backend.send({ type: 'config', config: { version: 6, checks: [tcpCheck('six-a'), tcpCheck('six-b')] } });
    await backend.until(() => link.configVersion === 6, 2000, 'config 6');
    expect(scheduler.checks().map((c) => c.id)).toEqual(['six-a', 'six-b']);
    expect(lines.some((l) => l.msg === 'ignored an older config')).toBe(true);
    expect(lines.filter((l) => l.msg.startsWith('ignored a')).length).toBe(4);
    expect(link.connected).toBe(true);
    // after a reconnect the register tells the backend which config runs
    backend.messages.length = 0;
    backend.drop();
    await backend.until(() => backend.of('register').length === 1, 3000, 're-register');
    expect(backend.of('register')[0]?.configVersion).toBe(6);
  });

  it('says once, clearly, that the backend refused the token, and keeps retrying', async () => {
    const { backend, link, lines } = await setup({ token: 'wrong-token' });
    link.start();
    await backend.until(() => backend.authHeaders.length >= 3, 5000, 'three attempts');
    expect(backend.connections).toBe(0);
    expect(link.connected).toBe(false);
    const refused = lines.filter((l) => l.msg.includes('backend refused the agent token'));
    expect(refused).toHaveLength(1);
    expect(refused[0]?.status).toBe(401);
    expect(JSON.stringify(lines)).not.toContain('wrong-token');
  });

  it('close() flushes and waits for the ack before closing', async () => {
    const { backend, link } = await setup({ flushMs: 60_000 });
    link.start();
    await backend.until(() => link.connected, 3000, 'connect');
    link.push(fakeResult('last-words'));
    await link.close(2000);
    expect(backend.of('results').flatMap((b) => b.results.map((r) => r.checkId))).toEqual(['last-words']);
    expect(link.outbox.pending).toBe(0);
    expect(link.connected).toBe(false);
  });

  it('keeps results while the backend is down and delivers them once it is up', async () => {
    const probe = await BackendStub.start();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const link = new Link({
      backendUrl: `http://127.0.0.1:${port}`,
      token: probe.token,
      target: new Scheduler({ run: runCheck, onResult: () => undefined }),
      backoff: { minMs: 50, maxMs: 100 },
      outbox: { flushMs: 50 },
    });
    cleanups.push(() => link.close(0));
    link.start();
    const kept = [fakeResult('x1'), fakeResult('x2')];
    kept.forEach((r) => link.push(r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(link.connected).toBe(false);
    expect(link.outbox.pending).toBe(2);

    const backend = await BackendStub.start(probe.token, port);
    cleanups.push(() => backend.close());
    await backend.until(() => link.outbox.pending === 0, 3000, 'delivery after the backend came up');
    expect(backend.of('results').flatMap((b) => b.results.map((r) => r.id))).toEqual(kept.map((r) => r.id));
  });
});
