import { createServer, type Server, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { spec, unchecked } from './helpers.ts';
import { expiredCert, hasOpenssl, selfSignedCert, type TestCert } from './tls-certs.ts';

let v4: Server;
let v6: Server | undefined;
let openPort: number;
let v6Port = 0;
let closedPort: number;
let accepted = 0;
const servers: Server[] = [];
const sockets = new Set<Socket>();

async function listen(
  host: string,
  onSocket: (s: Socket) => void = (s) => s.destroy(),
  server?: Server,
): Promise<Server> {
  const s =
    server ??
    createServer((socket) => {
      onSocket(socket);
    });
  s.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => s.once('error', reject).listen(0, host, resolve));
  servers.push(s);
  return s;
}

const portOf = (s: Server) => (s.address() as AddressInfo).port;

let bannerPort: number;
let echoPort: number;
let silentPort: number;
let hangupPort: number;

beforeAll(async () => {
  v4 = await listen('127.0.0.1');
  openPort = portOf(v4);
  v6 = await listen('::1').catch(() => undefined);
  if (v6) v6Port = portOf(v6);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = portOf(closed);
  await new Promise((resolve) => closed.close(resolve));
  bannerPort = portOf(await listen('127.0.0.1', (s) => s.write('SSH-2.0-nop_test\r\n')));
  echoPort = portOf(await listen('127.0.0.1', (s) => s.pipe(s)));
  silentPort = portOf(await listen('127.0.0.1', () => undefined)); // accepts, never reads nor writes
  hangupPort = portOf(await listen('127.0.0.1', (s) => s.end('220 bye\r\n')));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const tcp = (id: string, port: number, extra: Record<string, unknown> = {}) =>
  runCheck(spec({ id, type: 'tcp', target: `127.0.0.1:${port}`, timeout: 1000, ...extra }));

describe('tcp prober', () => {
  it('connects to an open port and reports the connect time', async () => {
    const before = accepted;
    const result = await runCheck(spec({ id: 'open', type: 'tcp', target: `127.0.0.1:${openPort}` }));
    expect(CheckResult.parse(result)).toEqual(result);
    expect(result.success).toBe(true);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBe(result.metrics.connect_ms);
    expect(result.metrics).toMatchObject({ dns_ms: 0, ip_version: 4 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(accepted).toBe(before + 1);
  });

  it('connects to [::1]:port', async (ctx) => {
    if (!v6) ctx.skip();
    const result = await runCheck(spec({ id: 'open6', type: 'tcp', target: `[::1]:${v6Port}` }));
    expect(result).toMatchObject({ success: true, target: `[::1]:${v6Port}`, metrics: { ip_version: 6 } });
  });

  it('resolves a host name first and times it apart; ipVersion picks the family', async () => {
    const result = await runCheck(spec({ id: 'byname', type: 'tcp', target: `localhost:${openPort}` }));
    expect(result.success).toBe(true);
    expect(result.metrics.dns_ms).toBeGreaterThan(0);
    const v4only = await runCheck(spec({ id: 'byname4', type: 'tcp', target: `localhost:${openPort}`, ipVersion: 4 }));
    expect(v4only).toMatchObject({ success: true, metrics: { ip_version: 4 } });
  });

  it('reports a closed port as "connection refused"', async () => {
    const result = await runCheck(spec({ id: 'closed', type: 'tcp', target: `127.0.0.1:${closedPort}` }));
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'connection refused' });
  });

  it('reports port 0 and bad hosts without trying', async () => {
    expect(
      (await runCheck(unchecked({ id: 'p0', type: 'tcp', target: '127.0.0.1:1' }, { target: '127.0.0.1:0' }))).error,
    ).toMatch(/^invalid target "127.0.0.1:0"/);
    expect(
      (await runCheck(unchecked({ id: 'bad', type: 'tcp', target: 'h:80' }, { target: 'bad_host!:80' }))).error,
    ).toMatch(/^invalid target/);
  });

  it('expect: reads a banner that matches', async () => {
    const result = await tcp('banner', bannerPort, { expect: '^SSH-2\\.0-' });
    expect(result).toMatchObject({ success: true, metrics: { failed_due_to_regex: 0 } });
    expect(result.metrics.reply_ms).toBeGreaterThanOrEqual(0);
    expect(result.durationMs).toBe(result.metrics.connect_ms);
  });

  it('send then expect: an echo server answers', async () => {
    const result = await tcp('echo', echoPort, { send: 'PING nop\r\n', expect: 'PING (\\w+)' });
    expect(result.success).toBe(true);
    const sendOnly = await tcp('send', echoPort, { send: 'hello\n' });
    expect(sendOnly.success).toBe(true);
  });

  it('a reply that never matches: words for the closed connection and for the timeout', async () => {
    const closed = await tcp('hangup', hangupPort, { expect: '^SSH' });
    expect(closed).toMatchObject({
      success: false,
      error: 'reply "220 bye\\r\\n" does not match /^SSH/ (connection closed)',
      metrics: { failed_due_to_regex: 1 },
    });
    expect(closed.durationMs).toBe(closed.metrics.connect_ms);
    const started = Date.now();
    const silent = await tcp('silent', silentPort, { send: 'HELLO\r\n', expect: 'OK', timeout: 300 });
    expect(silent).toMatchObject({
      success: false,
      error: 'timeout after 300 ms waiting for a reply matching /OK/ (got "")',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up when the agent aborts the run (shutdown)', async () => {
    // (A connect that never completes cannot be staged on loopback: the kernel answers at once.)
    const controller = new AbortController();
    controller.abort();
    const result = await runCheck(
      spec({ id: 'abort', type: 'tcp', target: `127.0.0.1:${openPort}` }),
      controller.signal,
    );
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'aborted: agent stopping' });
  });
});

describe.runIf(hasOpenssl())('tcp prober with TLS', () => {
  let good: TestCert;
  let tlsPort: number;
  let expiredPort: number;

  beforeAll(async () => {
    good = selfSignedCert(2);
    const old = expiredCert();
    const echo = (s: Socket) => s.pipe(s);
    tlsPort = portOf(await listen('127.0.0.1', undefined, createTlsServer({ key: good.key, cert: good.cert }, echo)));
    expiredPort = portOf(await listen('127.0.0.1', undefined, createTlsServer({ key: old.key, cert: old.cert }, echo)));
  });

  it('does the handshake, times it and reports the certificate expiry', async () => {
    const result = await tcp('tls', tlsPort, { tls: true, tlsVerify: false, send: 'hi\n', expect: '^hi' });
    expect(result).toMatchObject({ success: true, metrics: { tls: 1, ssl_earliest_cert_expiry: good.notAfter } });
    expect(result.metrics.tls_ms).toBeGreaterThan(0);
    expect(result.durationMs).toBe(result.metrics.connect_ms);
  });

  it('verifies the chain when asked: self-signed and expired in words', async () => {
    expect(await tcp('tls-v', tlsPort, { tls: true })).toMatchObject({
      success: false,
      error: 'TLS: self-signed certificate',
      metrics: { ssl_earliest_cert_expiry: good.notAfter },
    });
    expect(await tcp('tls-old', expiredPort, { tls: true })).toMatchObject({
      success: false,
      error: 'TLS: certificate has expired',
    });
  });

  it('a TLS handshake against a plain TCP server fails in words', async () => {
    const result = await tcp('tls-plain', bannerPort, { tls: true, tlsVerify: false, timeout: 500 });
    expect(result.success).toBe(false);
    expect(result.error).toMatch(/TLS|protocol|wrong version|closed/i);
  });
});
