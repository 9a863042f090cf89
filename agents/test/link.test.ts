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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A link to `backendUrl` driving a scheduler nobody starts, cleaned up after the test. */
function bareLink(backendUrl: string, token: string, extra: Partial<ConstructorParameters<typeof Link>[0]> = {}) {
  const { log, lines } = captureLogger();
  const link = new Link({
    backendUrl,
    token,
    target: new Scheduler({ run: runCheck, onResult: () => undefined }),
    log,
    backoff: { minMs: 50, maxMs: 200 },
    ...extra,
    outbox: { flushMs: 60_000, ...extra.outbox },
  });
  cleanups.push(() => link.close(0));
  return { link, lines };
}

describe('delivery: nacks, acks with duplicates and rejected results', () => {
  it('a nacked batch arrives again on the same socket after retryAfterMs, until an ack stops it', async () => {
    const backend = await BackendStub.start();
    cleanups.push(() => backend.close());
    let nacks = 2;
    backend.respond = (m) =>
      nacks-- > 0
        ? { type: 'nack', batchId: m.batchId, retryAfterMs: 300, reason: 'database unavailable' }
        : { type: 'ack', batchId: m.batchId, inserted: m.results.length };
    let nacked = 0;
    const { link, lines } = bareLink(backend.url, backend.token, {
      onNack: () => nacked++,
      outbox: { retry: { minMs: 20, maxMs: 100 } },
    });
    link.start();
    await backend.until(() => link.connected, 3000, 'connect');
    const sent = [fakeResult('n1'), fakeResult('n2')];
    sent.forEach((r) => link.push(r));
    link.outbox.seal();
    await backend.until(() => link.outbox.pending === 0, 5000, 'the ack after two nacks');

    const arrivals = backend.arrivals;
    expect(arrivals).toHaveLength(3);
    expect(new Set(arrivals.map((a) => a.batchId)).size).toBe(1);
    expect(arrivals.every((a) => a.connection === 1)).toBe(true); // no reconnect
    expect(backend.connections).toBe(1);
    for (const a of arrivals) expect(a.ids).toEqual(sent.map((r) => r.id));
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(290);
    expect(arrivals[2]!.at - arrivals[1]!.at).toBeGreaterThanOrEqual(290);
    // every copy carries the agent's clock at its own send
    const sentAts = arrivals.map((a) => Date.parse(a.sentAt!));
    expect(sentAts.every((t, i) => i === 0 || t > sentAts[i - 1]!)).toBe(true);
    expect(nacked).toBe(2);
    expect(lines.filter((l) => l.msg.startsWith('backend could not commit results'))).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'batch nacked')).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'backend commits results again')).toBe(true);

    await sleep(700);
    expect(backend.arrivals).toHaveLength(3); // the ack stopped it
  });

  it('new batches wait while a retry is pending, then the whole backlog goes out at once, oldest first', async () => {
    const backend = await BackendStub.start();
    cleanups.push(() => backend.close());
    let down = true;
    backend.respond = (m) =>
      down
        ? { type: 'nack', batchId: m.batchId, retryAfterMs: 400, reason: 'database unavailable' }
        : { type: 'ack', batchId: m.batchId, inserted: m.results.length };
    const { link } = bareLink(backend.url, backend.token, { outbox: { retry: { minMs: 20, maxMs: 100 } } });
    link.start();
    await backend.until(() => link.connected, 3000, 'connect');
    link.push(fakeResult('first'));
    link.outbox.seal();
    await backend.until(() => backend.arrivals.length === 1, 2000, 'the first batch');
    await sleep(50); // its nack is in
    for (const id of ['second', 'third']) {
      link.push(fakeResult(id));
      link.outbox.seal();
    }
    const held = link.outbox.batches.slice(1).map((b) => b.batchId);
    await sleep(100);
    expect(backend.arrivals).toHaveLength(1); // held, not hammered at a failing backend
    down = false;
    await backend.until(() => link.outbox.pending === 0, 3000, 'the backlog acked');
    const backlog = backend.arrivals.slice(1);
    expect(backlog).toHaveLength(3);
    expect(backlog.map((a) => a.batchId)).toEqual([backend.arrivals[0]!.batchId, ...held]); // oldest first
    expect(backlog.at(-1)!.at - backlog[0]!.at).toBeLessThan(100); // all at once
    expect(backend.connections).toBe(1);
  });

  it('counts duplicates and rejected results, drops the rejected for good, and says so at warn once a minute', async () => {
    const backend = await BackendStub.start();
    cleanups.push(() => backend.close());
    backend.respond = (m) => ({
      type: 'ack',
      batchId: m.batchId,
      inserted: 0,
      duplicates: 1,
      rejected: m.results.slice(1).map((r) => ({ id: r.id, reason: `unknown check ${r.checkId}` })),
    });
    const counts = { rejected: 0, duplicates: 0 };
    const { link, lines } = bareLink(backend.url, backend.token, {
      onRejected: (n) => (counts.rejected += n),
      onDuplicates: (n) => (counts.duplicates += n),
    });
    link.start();
    await backend.until(() => link.connected, 3000, 'connect');
    for (let batch = 0; batch < 3; batch++) {
      for (const id of ['old', 'gone-a', 'gone-b']) link.push(fakeResult(id));
      link.outbox.seal();
    }
    await backend.until(() => link.outbox.pending === 0, 3000, 'acks');
    expect(counts).toEqual({ rejected: 6, duplicates: 3 });
    const warned = lines.filter((l) => l.msg.startsWith('backend rejected results for good'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ rejected: 2, reasons: ['unknown check gone-a', 'unknown check gone-b'] });
    // a reconnect re-sends nothing: the rejected results left with their batch's ack
    backend.drop();
    await backend.until(() => backend.connections === 2 && link.connected, 3000, 'reconnect');
    await sleep(200);
    expect(backend.arrivals).toHaveLength(3);
  });
});

describe('several backends: failover', () => {
  it('given url1,url2: when backend 1 goes away it links to backend 2 within seconds and re-sends there', async () => {
    const one = await BackendStub.start();
    const two = await BackendStub.start(one.token);
    cleanups.push(
      () => one.close(),
      () => two.close(),
    );
    one.autoAck = false;
    const { link } = bareLink(`${one.url},${two.url}`, one.token);
    link.start();
    await one.until(() => link.connected, 3000, 'connect to backend 1');
    expect(link.backend).toEqual({ url: one.url });
    const kept = [fakeResult('a'), fakeResult('b'), fakeResult('c')];
    kept.forEach((r) => link.push(r));
    link.outbox.seal();
    await one.until(() => one.arrivals.length === 1, 2000, 'the batch at backend 1');

    await one.close(); // the replica dies: its connection cut, its port refusing
    const cut = Date.now();
    await two.until(() => link.outbox.pending === 0, 5000, 'the batch acked by backend 2');
    expect(Date.now() - cut).toBeLessThan(2000);
    expect(two.arrivals.map((a) => a.batchId)).toEqual([one.arrivals[0]!.batchId]);
    expect(two.resultIds).toEqual(kept.map((r) => r.id));
    expect(link.backend).toEqual({ url: two.url });
  });

  it('leaves a backend that stops answering pings (a vanished host) for the next one', async () => {
    const silent = await BackendStub.start('good-token', 0, { autoPong: false });
    const two = await BackendStub.start();
    cleanups.push(
      () => silent.close(),
      () => two.close(),
    );
    silent.autoAck = false;
    const { link, lines } = bareLink(`${silent.url},${two.url}`, two.token, { heartbeatMs: 200 });
    link.start();
    await silent.until(() => link.connected, 3000, 'connect to the silent backend');
    link.push(fakeResult('x'));
    link.outbox.seal();
    const started = Date.now();
    await two.until(() => link.outbox.pending === 0, 3000, 'delivery through backend 2');
    expect(Date.now() - started).toBeLessThan(1500); // two missed heartbeats at most, then 250 ms
    expect(lines.some((l) => l.msg.startsWith('link heartbeat lost'))).toBe(true);
    expect(link.backend?.url).toBe(two.url);
  });

  it('a name resolving to several addresses is several targets; Host stays the name', async () => {
    const backend = await BackendStub.start();
    cleanups.push(() => backend.close());
    const port = new URL(backend.url).port;
    const asked: string[] = [];
    const { link } = bareLink(`http://backend.nop.test:${port}`, backend.token, {
      // 127.0.0.3: nothing listens there (the stub is bound to 127.0.0.1 only): refused
      lookup: async (host) => {
        asked.push(host);
        return [
          { address: '127.0.0.3', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ];
      },
    });
    link.start();
    await backend.until(() => link.connected, 3000, 'connect through the second address');
    expect(asked).toEqual(['backend.nop.test']);
    expect(backend.hosts).toEqual([`backend.nop.test:${port}`]);
    expect(link.backend).toEqual({ url: `http://backend.nop.test:${port}`, address: '127.0.0.1' });
    // a closed link: a fresh round (resolved again), the other address first
    backend.drop();
    await backend.until(() => backend.connections === 2 && link.connected, 3000, 'reconnect');
    expect(asked).toEqual(['backend.nop.test', 'backend.nop.test']);
  });

  it('tries the next target after a short pause and backs off only after a whole round failed', async () => {
    // two ports that accept and hang up at once: every connect fails, each one is timed
    const attempts: { port: number; at: number }[] = [];
    const servers = await Promise.all(
      [0, 1].map(async () => {
        const server = createServer((socket) => {
          attempts.push({ port: (server.address() as AddressInfo).port, at: Date.now() });
          socket.destroy();
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
        return (server.address() as AddressInfo).port;
      }),
    );
    const [a, b] = servers as [number, number];
    const { link } = bareLink(`http://127.0.0.1:${a},http://127.0.0.1:${b}`, 'any-token', {
      backoff: { minMs: 1000, maxMs: 1000 },
    });
    link.start();
    for (let i = 0; i < 40 && attempts.length < 4; i++) await sleep(100);
    await link.close(0);
    expect(attempts.slice(0, 4).map((x) => x.port)).toEqual([a, b, a, b]);
    const gaps = attempts.slice(1, 4).map((x, i) => x.at - attempts[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(200); // the failover pause…
    expect(gaps[0]).toBeLessThan(700);
    expect(gaps[1]).toBeGreaterThanOrEqual(950); // …the backoff after the round…
    expect(gaps[2]).toBeLessThan(700); // …and the next round's failover pause
  });
});
