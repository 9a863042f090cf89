import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJsonAssertions, parseJsonPath, statusAccepted } from '../src/checks/http-assert.ts';
import { runCheck } from '../src/checks/index.ts';
import { agentEnv, runAgentBin, spec, tempDir, writeFile } from './helpers.ts';
import { expiredCert, hasOpenssl, selfSignedCert, type TestCert } from './tls-certs.ts';

const BODY = 'hello from the test server\n';
const DELAY_MS = 200;
const BIG = Buffer.alloc(1024 * 1024, 'x');
const JSON_BODY = { status: 'up', version: '1.2.3', data: { items: [{ id: 7, name: 'a.b' }], count: 1 }, ok: true };
const seen: { method?: string; body: string; header?: string; url?: string; authorization?: string }[] = [];

function handler(req: IncomingMessage, res: ServerResponse) {
  let body = '';
  req.on('data', (c: Buffer) => (body += c));
  req.on('end', () => {
    seen.push({
      method: req.method,
      body,
      header: req.headers['x-probe'] as string | undefined,
      url: req.url,
      authorization: req.headers.authorization,
    });
    const url = req.url ?? '/';
    const chain = /^\/chain\/(\d+)$/.exec(url);
    if (chain) {
      const n = Number(chain[1]);
      res.writeHead(302, { location: n === 0 ? '/ok' : `/chain/${n - 1}` }).end();
      return;
    }
    const status = /^\/status\/(\d+)$/.exec(url);
    if (status) {
      res.writeHead(Number(status[1])).end('status\n');
      return;
    }
    switch (url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end(BODY);
        return;
      case '/unavailable':
        res.writeHead(503).end('down\n');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/ok' }).end();
        return;
      case '/loop':
        res.writeHead(301, { location: '/loop' }).end();
        return;
      case '/see-other':
        res.writeHead(303, { location: '/echo' }).end();
        return;
      case '/keep-method':
        res.writeHead(307, { location: '/echo' }).end();
        return;
      case '/delay':
        setTimeout(() => res.writeHead(200).end('late'), DELAY_MS).unref();
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
        return;
      case '/slow-body':
        res.writeHead(200);
        res.write('first part');
        setTimeout(() => res.end('rest'), 2000).unref();
        return;
      case '/chunked':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"status":');
        setTimeout(() => {
          res.write('"up", "n": ');
          res.end('[1,2,3]}');
        }, 20).unref();
        return;
      case '/big':
        res.writeHead(200, { 'content-length': BIG.length }).end(BIG);
        return;
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(JSON_BODY));
        return;
      case '/echo':
        res.writeHead(201).end(`${req.method} ${body}`);
        return;
      default:
        res.writeHead(404).end();
    }
  });
}

let server: Server;
let base: string;
let closedPort: number;

async function listen(s: Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

async function close(s: Server): Promise<void> {
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
}

beforeAll(async () => {
  server = createServer(handler);
  base = `http://127.0.0.1:${await listen(server)}`;
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(() => close(server));

const http = (id: string, path: string, extra: Record<string, unknown> = {}) =>
  runCheck(spec({ id, type: 'http', target: `${base}${path}`, timeout: 1500, ...extra }));

describe('http prober', () => {
  it('measures a 200 with its phases, status, size and throughput', async () => {
    const result = await http('ok', '/ok');
    expect(CheckResult.parse(result)).toEqual(result);
    expect(result).toMatchObject({ success: true, type: 'http' });
    const m = result.metrics;
    expect(m).toMatchObject({ status_code: 200, response_bytes: BODY.length, dns_ms: 0, redirects: 0, ip_version: 4 });
    for (const phase of ['connect_ms', 'ttfb_ms', 'transfer_ms'] as const) expect(m[phase]).toBeGreaterThanOrEqual(0);
    expect(m.tls_ms).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs!).toBeGreaterThanOrEqual(m.connect_ms! + m.ttfb_ms! + m.transfer_ms! - 0.01);
  });

  it('ttfb is the server delay; a big body reports size and download throughput', async () => {
    const slow = await http('delay', '/delay');
    expect(slow.success).toBe(true);
    expect(slow.metrics.ttfb_ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
    expect(slow.metrics.ttfb_ms).toBeLessThan(DELAY_MS + 150);
    const big = await http('big', '/big');
    expect(big.metrics).toMatchObject({ response_bytes: BIG.length, content_length: BIG.length });
    expect(big.metrics.throughput_bytes_per_second).toBeGreaterThan(0);
  });

  it('status rules: codes, classes and ranges; default 200-399', async () => {
    const byDefault = await http('down', '/unavailable');
    expect(byDefault).toMatchObject({ success: false, error: 'HTTP 503 not in expected 200-399' });
    expect(byDefault.metrics.status_code).toBe(503);
    expect(byDefault.durationMs).toBeGreaterThan(0);
    expect((await http('down2', '/unavailable', { expectStatus: [200] })).error).toBe('HTTP 503 not in expected [200]');
    expect((await http('want503', '/unavailable', { expectStatus: [503] })).success).toBe(true);
    expect((await http('5xx', '/status/504', { expectStatus: ['5xx'] })).success).toBe(true);
    expect((await http('range', '/status/504', { expectStatus: ['200-299', 301] })).error).toBe(
      'HTTP 504 not in expected [200-299, 301]',
    );
    expect((await http('range2', '/status/204', { expectStatus: ['200-299'] })).success).toBe(true);
    expect(statusAccepted(404, ['2xx', '400-404'])).toBe(true);
    expect(statusAccepted(399, undefined)).toBe(true);
    expect(statusAccepted(400, undefined)).toBe(false);
  });

  it('follows redirects (counted), up to maxRedirects', async () => {
    const one = await http('redir', '/redirect');
    expect(one).toMatchObject({
      success: true,
      metrics: { status_code: 200, redirects: 1, response_bytes: BODY.length },
    });
    const chain = await http('chain', '/chain/4');
    expect(chain).toMatchObject({ success: true, metrics: { status_code: 200, redirects: 5 } });
    const tooLong = await http('chain2', '/chain/5');
    expect(tooLong).toMatchObject({
      success: false,
      error: 'too many redirects (more than 5)',
      metrics: { redirects: 5 },
    });
    const loop = await http('loop', '/loop', { maxRedirects: 3 });
    expect(loop).toMatchObject({
      success: false,
      error: 'too many redirects (more than 3)',
      metrics: { status_code: 301 },
    });
  });

  it('maxRedirects 0: the 3xx is the answer', async () => {
    const ok = await http('redir0', '/redirect', { maxRedirects: 0 });
    expect(ok).toMatchObject({ success: true, metrics: { status_code: 302, redirects: 0 } });
    const strict = await http('redir0s', '/redirect', { maxRedirects: 0, expectStatus: [200] });
    expect(strict).toMatchObject({ success: false, error: 'HTTP 302 not in expected [200]' });
  });

  it('a 303 turns a POST into a GET; a 307 keeps method and body', async () => {
    seen.length = 0;
    const see = await http('303', '/see-other', { method: 'POST', body: 'x', expectStatus: [201] });
    expect(see.success).toBe(true);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/see-other', 'x'],
      ['GET', '/echo', ''],
    ]);
    seen.length = 0;
    await http('307', '/keep-method', { method: 'POST', body: 'y', expectStatus: [201] });
    expect(seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', 'y'],
      ['POST', 'y'],
    ]);
  });

  it('bodyRegex: a match passes, a miss fails in words', async () => {
    expect(await http('re', '/ok', { bodyRegex: 'hello from' })).toMatchObject({
      success: true,
      metrics: { failed_due_to_regex: 0 },
    });
    const miss = await http('re2', '/ok', { bodyRegex: '^goodbye' });
    expect(miss).toMatchObject({
      success: false,
      error: 'body does not match /^goodbye/',
      metrics: { failed_due_to_regex: 1, status_code: 200 },
    });
  });

  it('JSON assertions: exists, equals, matches, with dotted and bracket paths', async () => {
    const pass = await http('json', '/json', {
      jsonAssertions: [
        { path: 'status', equals: 'up' },
        { path: '$.data.items[0].id', equals: 7 },
        { path: "data.items[0]['name']", matches: '^a\\.b$' },
        { path: 'data.items[-1].id' },
        { path: 'ok', equals: true },
        { path: 'version', matches: '^1\\.' },
      ],
    });
    expect(pass.success).toBe(true);
    const down = await http('json2', '/json', { jsonAssertions: [{ path: 'status', equals: 'down' }] });
    expect(down.error).toBe('$.status is "up", expected "down"');
    const missing = await http('json3', '/json', { jsonAssertions: [{ path: 'data.items[3].id' }] });
    expect(missing.error).toBe('$.data.items[3].id is missing');
    const nomatch = await http('json4', '/json', { jsonAssertions: [{ path: 'data.count', matches: '^2' }] });
    expect(nomatch.error).toBe('$.data.count is 1, does not match /^2/');
    const notJson = await http('json5', '/ok', { jsonAssertions: [{ path: 'status' }] });
    expect(notJson.error).toBe('body is not valid JSON');
  });

  it('reads chunked and close-delimited bodies', async () => {
    const chunked = await http('chunked', '/chunked', { jsonAssertions: [{ path: 'n[2]', equals: 3 }] });
    expect(chunked).toMatchObject({
      success: true,
      metrics: { response_bytes: '{"status":"up", "n": [1,2,3]}'.length },
    });
    expect(chunked.metrics.content_length).toBeUndefined();
    const raw = createTcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\nX-A: b\r\n\r\nuntil close'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const port = (raw.address() as AddressInfo).port;
    const result = await runCheck(
      spec({ id: 'raw', type: 'http', target: `http://127.0.0.1:${port}/`, bodyRegex: 'close$' }),
    );
    expect(result).toMatchObject({ success: true, metrics: { status_code: 200, response_bytes: 11 } });
    const garbage = createTcpServer((socket) => {
      socket.once('data', () => socket.end('SSH-2.0-nope\r\n\r\n'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const bad = await runCheck(
      spec({ id: 'garbage', type: 'http', target: `http://127.0.0.1:${(garbage.address() as AddressInfo).port}/` }),
    );
    expect(bad).toMatchObject({ success: false, error: 'invalid HTTP response' });
    await new Promise((resolve) => raw.close(resolve));
    await new Promise((resolve) => garbage.close(resolve));
  });

  it('JSON path parser and evaluator', () => {
    expect(parseJsonPath('a.b[0]["c.d"]')).toEqual(['a', 'b', 0, 'c.d']);
    expect(parseJsonPath('$[1].x')).toEqual([1, 'x']);
    expect(parseJsonPath('a[')).toBeUndefined();
    expect(parseJsonPath('a]b')).toBeUndefined();
    expect(checkJsonAssertions({ a: [1, { b: null }] }, [{ path: 'a[1].b', equals: null }])).toBeUndefined();
    expect(checkJsonAssertions({ a: { b: 1 } }, [{ path: 'a', equals: 1 }])).toBe('$.a is {"b":1}, expected 1');
    expect(checkJsonAssertions([], [{ path: 'a b[', equals: 1 }])).toBe('invalid JSON path $.a b[');
  });

  it('aborts a response slower than the timeout', async () => {
    const started = Date.now();
    const result = await http('slow', '/slow', { timeout: 300 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'timeout after 300 ms' });
    expect(result.metrics.connect_ms).toBeGreaterThanOrEqual(0);
  });

  it('times out a body that trickles in too slowly, keeping the status it saw', async () => {
    const result = await http('slowbody', '/slow-body', { timeout: 300 });
    expect(result).toMatchObject({ success: false, error: 'timeout after 300 ms' });
    expect(result.metrics.status_code).toBe(200);
  });

  it('sends method, headers and body', async () => {
    seen.length = 0;
    const result = await http('post', '/echo', {
      method: 'POST',
      headers: { 'x-probe': 'yes' },
      body: 'payload',
      expectStatus: [201],
    });
    expect(result.success).toBe(true);
    expect(result.metrics.response_bytes).toBe('POST payload'.length);
    expect(seen[0]).toMatchObject({ method: 'POST', body: 'payload', header: 'yes' });
    const head = await http('head', '/ok', { method: 'HEAD' });
    expect(head).toMatchObject({ success: true, metrics: { status_code: 200, response_bytes: 0 } });
  });

  it('sends basicAuth as an Authorization header, unless the headers carry one of their own', async () => {
    seen.length = 0;
    await http('basic', '/ok', { basicAuth: { username: 'svc', password: 'pa:ss wörd' } });
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from('svc:pa:ss wörd').toString('base64')}`);
    await http('both', '/ok', {
      basicAuth: { username: 'svc', password: 'x' },
      headers: { Authorization: 'Bearer t' },
    });
    expect(seen[1]!.authorization).toBe('Bearer t');
  });

  it('times the name lookup when the target is a host name; ipVersion picks the family', async () => {
    const port = new URL(base).port;
    const result = await runCheck(spec({ id: 'byname', type: 'http', target: `http://localhost:${port}/ok` }));
    expect(result.success).toBe(true);
    expect(result.metrics.dns_ms).toBeGreaterThan(0);
    const v4 = await runCheck(spec({ id: 'v4', type: 'http', target: `http://localhost:${port}/ok`, ipVersion: 4 }));
    expect(v4).toMatchObject({ success: true, metrics: { ip_version: 4 } });
  });

  it('reports a closed port as "connection refused"', async () => {
    const result = await runCheck(spec({ id: 'closed', type: 'http', target: `http://127.0.0.1:${closedPort}/` }));
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'connection refused' });
  });
});

describe.runIf(hasOpenssl())('http prober over TLS (certificates made by openssl)', () => {
  let good: TestCert;
  let old: TestCert;
  let httpsBase: string;
  let expiredBase: string;
  let httpsServer: Server;
  let expiredServer: Server;

  beforeAll(async () => {
    good = selfSignedCert(2);
    old = expiredCert();
    httpsServer = createHttpsServer({ key: good.key, cert: good.cert }, handler);
    httpsBase = `https://127.0.0.1:${await listen(httpsServer)}`;
    expiredServer = createHttpsServer({ key: old.key, cert: old.cert }, handler);
    expiredBase = `https://127.0.0.1:${await listen(expiredServer)}`;
  });

  afterAll(async () => {
    await close(httpsServer);
    await close(expiredServer);
  });

  it('refuses an untrusted self-signed certificate, in words, still reporting its expiry', async () => {
    const result = await runCheck(spec({ id: 'tls-untrusted', type: 'http', target: `${httpsBase}/ok` }));
    expect(result).toMatchObject({ success: false, error: 'TLS: self-signed certificate' });
    expect(result.metrics.connect_ms).toBeGreaterThanOrEqual(0);
    expect(result.metrics.ssl_earliest_cert_expiry).toBe(good.notAfter);
  });

  it('refuses an expired certificate in words', async () => {
    const result = await runCheck(spec({ id: 'tls-expired', type: 'http', target: `${expiredBase}/ok` }));
    expect(result).toMatchObject({ success: false, error: 'TLS: certificate has expired' });
    expect(result.metrics.ssl_earliest_cert_expiry).toBe(Date.UTC(2020, 0, 2) / 1000);
  });

  it('tlsVerify false accepts both, with TLS timing and the expiry', async () => {
    const result = await runCheck(spec({ id: 'tls-off', type: 'http', target: `${httpsBase}/ok`, tlsVerify: false }));
    expect(result).toMatchObject({ success: true, metrics: { status_code: 200, tls: 1 } });
    expect(result.metrics.tls_ms).toBeGreaterThan(0);
    expect(result.metrics.ssl_earliest_cert_expiry).toBe(good.notAfter);
    const expired = await runCheck(
      spec({ id: 'tls-off2', type: 'http', target: `${expiredBase}/redirect`, tlsVerify: false }),
    );
    expect(expired).toMatchObject({ success: true, metrics: { status_code: 200, redirects: 1 } });
  });

  it('times the TLS handshake when the certificate is trusted (agent run with NODE_EXTRA_CA_CERTS)', async () => {
    const dir = tempDir('nop-tls-cfg-');
    const config = writeFile(dir, 'c.yaml', `checks:\n  - { id: tls-ok, type: http, target: "${httpsBase}/ok" }\n`);
    const out = await runAgentBin(['--config', config, '--once'], {
      env: agentEnv({ NODE_EXTRA_CA_CERTS: good.certFile }),
    });
    expect(out.code).toBe(0);
    const result = CheckResult.parse(JSON.parse(out.stdout.trim()));
    expect(result).toMatchObject({ success: true, metrics: { status_code: 200, response_bytes: BODY.length } });
    expect(result.metrics.tls_ms).toBeGreaterThan(0);
    expect(result.metrics.ttfb_ms).toBeGreaterThanOrEqual(0);
    expect(result.metrics.ssl_earliest_cert_expiry).toBe(good.notAfter);
  });
});
