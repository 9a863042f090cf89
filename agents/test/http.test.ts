import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { agentEnv, runAgentBin, spec, tempDir, writeFile } from './helpers.ts';

const BODY = 'hello from the test server\n';
const seen: { method?: string; body: string; header?: string }[] = [];

function handler(req: IncomingMessage, res: ServerResponse) {
  let body = '';
  req.on('data', (c: Buffer) => (body += c));
  req.on('end', () => {
    seen.push({ method: req.method, body, header: req.headers['x-probe'] as string | undefined });
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end(BODY);
        return;
      case '/unavailable':
        res.writeHead(503).end('down\n');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/ok' }).end();
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
        return;
      case '/slow-body':
        res.writeHead(200);
        res.write('first part');
        setTimeout(() => res.end('rest'), 2000).unref();
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

beforeAll(async () => {
  server = createServer(handler);
  base = `http://127.0.0.1:${await listen(server)}`;
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const http = (id: string, path: string, extra: Record<string, unknown> = {}) =>
  runCheck(spec({ id, type: 'http', target: `${base}${path}`, timeout: 1500, ...extra }));

describe('http prober', () => {
  it('measures a 200 with its phases, status and size', async () => {
    const result = await http('ok', '/ok');
    expect(CheckResult.parse(result)).toEqual(result);
    expect(result).toMatchObject({ success: true, type: 'http' });
    const m = result.metrics;
    expect(m).toMatchObject({ status_code: 200, response_bytes: BODY.length, dns_ms: 0 });
    for (const phase of ['connect_ms', 'ttfb_ms', 'transfer_ms'] as const) expect(m[phase]).toBeGreaterThanOrEqual(0);
    expect(m.tls_ms).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs!).toBeGreaterThanOrEqual(m.connect_ms! + m.ttfb_ms! + m.transfer_ms! - 0.01);
  });

  it('fails a 503 against the default 200-399 and against an explicit list', async () => {
    const byDefault = await http('down', '/unavailable');
    expect(byDefault).toMatchObject({ success: false, error: 'HTTP 503 not in expected 200-399' });
    expect(byDefault.metrics.status_code).toBe(503);
    expect(byDefault.durationMs).toBeGreaterThan(0);
    const listed = await http('down2', '/unavailable', { expectStatus: [200] });
    expect(listed.error).toBe('HTTP 503 not in expected [200]');
  });

  it('accepts a 503 when expectStatus asks for it', async () => {
    expect((await http('want503', '/unavailable', { expectStatus: [503] })).success).toBe(true);
  });

  it('does not follow redirects: the 302 is the answer', async () => {
    const ok = await http('redir', '/redirect');
    expect(ok).toMatchObject({ success: true, metrics: { status_code: 302 } });
    const strict = await http('redir2', '/redirect', { expectStatus: [200] });
    expect(strict).toMatchObject({ success: false, error: 'HTTP 302 not in expected [200]' });
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
    expect(seen[0]).toEqual({ method: 'POST', body: 'payload', header: 'yes' });
    const head = await http('head', '/ok', { method: 'HEAD' });
    expect(head).toMatchObject({ success: true, metrics: { status_code: 200, response_bytes: 0 } });
  });

  it('times the name lookup when the target is a host name', async () => {
    const port = new URL(base).port;
    const result = await runCheck(spec({ id: 'byname', type: 'http', target: `http://localhost:${port}/ok` }));
    expect(result.success).toBe(true);
    expect(result.metrics.dns_ms).toBeGreaterThan(0);
  });

  it('reports a closed port as "connection refused"', async () => {
    const result = await runCheck(spec({ id: 'closed', type: 'http', target: `http://127.0.0.1:${closedPort}/` }));
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'connection refused' });
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(hasOpenssl())('http prober over TLS (self-signed cert made by openssl)', () => {
  let httpsBase: string;
  let certFile: string;
  let httpsServer: Server;

  beforeAll(async () => {
    const dir = tempDir('nop-tls-');
    certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    httpsServer = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, handler);
    httpsBase = `https://127.0.0.1:${await listen(httpsServer)}`;
  });

  afterAll(async () => {
    httpsServer.closeAllConnections();
    await new Promise((resolve) => httpsServer.close(resolve));
  });

  it('refuses an untrusted self-signed certificate, in words', async () => {
    const result = await runCheck(spec({ id: 'tls-untrusted', type: 'http', target: `${httpsBase}/ok` }));
    expect(result).toMatchObject({ success: false, error: 'TLS: self-signed certificate' });
    expect(result.metrics.connect_ms).toBeGreaterThanOrEqual(0);
  });

  it('times the TLS handshake when the certificate is trusted (agent run with NODE_EXTRA_CA_CERTS)', async () => {
    const dir = tempDir('nop-tls-cfg-');
    const config = writeFile(dir, 'c.yaml', `checks:\n  - { id: tls-ok, type: http, target: "${httpsBase}/ok" }\n`);
    const out = await runAgentBin(['--config', config, '--once'], { env: agentEnv({ NODE_EXTRA_CA_CERTS: certFile }) });
    expect(out.code).toBe(0);
    const result = CheckResult.parse(JSON.parse(out.stdout.trim()));
    expect(result).toMatchObject({ success: true, metrics: { status_code: 200, response_bytes: BODY.length } });
    expect(result.metrics.tls_ms).toBeGreaterThan(0);
    expect(result.metrics.ttfb_ms).toBeGreaterThanOrEqual(0);
  });
});
