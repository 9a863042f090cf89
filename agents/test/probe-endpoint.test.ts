import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDefaultResolver } from '../src/checks/dns-client.ts';
import { runCheck } from '../src/checks/index.ts';
import { AgentMetrics } from '../src/metrics.ts';
import { probeTimeoutMs } from '../src/probe-endpoint.ts';
import { type StatusServer, startStatusServer } from '../src/server.ts';
import { startDnsServer, type TestDnsServer } from './dns-server.ts';
import { spec } from './helpers.ts';
import { hasOpenssl, selfSignedCert } from './tls-certs.ts';

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

let status: StatusServer;
let metrics: AgentMetrics;
let web: Server;
let webPort: number;
let tls: Server | undefined;
let tlsPort = 0;
let tcp: TcpServer;
let tcpPort: number;
let closedPort: number;
let dns: TestDnsServer;

const portOf = (s: Server | TcpServer) => (s.address() as AddressInfo).port;
const listen = (s: Server | TcpServer) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));

beforeAll(async () => {
  web = createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(301, { location: '/' }).end();
    else if (req.url === '/down') res.writeHead(500).end('down');
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ok\n`);
  });
  await listen(web);
  webPort = portOf(web);
  if (hasOpenssl()) {
    const cert = selfSignedCert(2);
    tls = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('ok'));
    await listen(tls);
    tlsPort = portOf(tls);
  }
  tcp = createTcpServer((s) => s.destroy());
  await listen(tcp);
  tcpPort = portOf(tcp);
  const closed = createTcpServer();
  await listen(closed);
  closedPort = portOf(closed);
  await new Promise((resolve) => closed.close(resolve));
  dns = await startDnsServer('127.0.0.1');
  metrics = new AgentMetrics('probe-test');
  status = await startStatusServer('127.0.0.1:0', { registry: metrics.registry, health: () => ({ status: 'ok' }) });
});

afterAll(async () => {
  await status.close();
  for (const s of [web, tls]) {
    if (!s) continue;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await new Promise((resolve) => tcp.close(resolve));
  await dns.close();
});

async function probe(query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${status.url}/probe?${query}`, { headers });
  return {
    status: res.status,
    text: await res.text(),
    type: res.headers.get('content-type'),
    error: res.headers.get('x-probe-error'),
  };
}

/** The value of a sample line "name{labels} value" in Prometheus text. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

function promtool(text: string): { ok: boolean; out: string } {
  const run = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
  return { ok: run.status === 0, out: `${run.stdout}${run.stderr}` };
}

const target = encodeURIComponent;

describe('/probe (blackbox_exporter compatible)', () => {
  it('http_2xx: success, status, length, redirects, phases', async () => {
    const out = await probe(`module=http_2xx&target=${target(`http://127.0.0.1:${webPort}/moved`)}`);
    expect(out.status).toBe(200);
    expect(out.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(out.text, 'probe_success')).toBe(1);
    expect(sample(out.text, 'probe_http_status_code')).toBe(200);
    expect(sample(out.text, 'probe_http_redirects')).toBe(1);
    expect(sample(out.text, 'probe_http_content_length')).toBe('GET ok\n'.length);
    expect(sample(out.text, 'probe_ip_protocol')).toBe(4);
    expect(sample(out.text, 'probe_duration_seconds')).toBeGreaterThan(0);
    expect(out.text).toMatch(/^probe_http_duration_seconds\{phase="processing"\} [\d.e-]+$/m);
    expect(out.error).toBeNull();
  });

  it('http_2xx: a target without scheme gets http://; a 500 fails with the reason in a header', async () => {
    const ok = await probe(`target=127.0.0.1:${webPort}/`); // module defaults to http_2xx
    expect(sample(ok.text, 'probe_success')).toBe(1);
    const down = await probe(`module=http_2xx&target=${target(`http://127.0.0.1:${webPort}/down`)}`);
    expect(sample(down.text, 'probe_success')).toBe(0);
    expect(sample(down.text, 'probe_http_status_code')).toBe(500);
    expect(down.error).toBe('HTTP 500 not in expected [2xx]');
  });

  it('http_post_2xx posts', async () => {
    const out = await probe(`module=http_post_2xx&target=${target(`http://127.0.0.1:${webPort}/`)}`);
    expect(sample(out.text, 'probe_success')).toBe(1);
    expect(sample(out.text, 'probe_http_uncompressed_body_length')).toBe('POST ok\n'.length);
  });

  it.runIf(hasOpenssl())(
    'https target: the certificate expiry (self-signed: probe fails, expiry still shown)',
    async () => {
      const out = await probe(`module=http_2xx&target=${target(`https://127.0.0.1:${tlsPort}/`)}`);
      expect(sample(out.text, 'probe_success')).toBe(0);
      expect(sample(out.text, 'probe_ssl_earliest_cert_expiry')).toBeGreaterThan(Date.now() / 1000);
      expect(out.error).toBe('TLS: self-signed certificate');
    },
  );

  it('tcp_connect: open and closed ports', async () => {
    const open = await probe(`module=tcp_connect&target=127.0.0.1:${tcpPort}`);
    expect(sample(open.text, 'probe_success')).toBe(1);
    expect(sample(open.text, 'probe_dns_lookup_time_seconds')).toBe(0);
    const closed = await probe(`module=tcp_connect&target=127.0.0.1:${closedPort}`);
    expect(sample(closed.text, 'probe_success')).toBe(0);
    expect(closed.error).toBe('connection refused');
  });

  it('icmp: the rtt phase (needs a raw socket: root or CAP_NET_RAW)', async (ctx) => {
    const direct = await runCheck(spec({ id: 'can-ping', type: 'icmp', target: '127.0.0.1', count: 1, timeout: 1000 }));
    if (!direct.success) ctx.skip();
    const out = await probe('module=icmp&target=127.0.0.1');
    expect(sample(out.text, 'probe_success')).toBe(1);
    expect(out.text).toMatch(/^probe_icmp_duration_seconds\{phase="rtt"\} [\d.e-]+$/m);
    expect(sample(out.text, 'probe_ip_protocol')).toBe(4);
  });

  it('dns_udp / dns_tcp: target = resolver, query_name and query_type', async () => {
    const udp = await probe(`module=dns_udp&target=127.0.0.1:${dns.port}&query_name=web.nop.test`);
    expect(sample(udp.text, 'probe_success')).toBe(1);
    expect(sample(udp.text, 'probe_dns_answer_rrs')).toBe(2);
    expect(sample(udp.text, 'probe_dns_lookup_time_seconds')).toBeGreaterThan(0);
    expect(sample(udp.text, 'probe_dns_query_succeeded')).toBe(1);
    const big = await probe(`module=dns_udp&target=127.0.0.1:${dns.port}&query_name=big.nop.test`);
    expect(sample(big.text, 'probe_dns_answer_rrs')).toBe(40);
    expect(sample(big.text, 'nop_probe_dns_truncated')).toBe(1);
    const mx = await probe(`module=dns_tcp&target=127.0.0.1:${dns.port}&query_name=nop.test&query_type=MX`);
    expect(sample(mx.text, 'probe_success')).toBe(1);
    expect(sample(mx.text, 'nop_probe_dns_tcp')).toBe(1);
    const nx = await probe(`module=dns_udp&target=127.0.0.1:${dns.port}&query_name=missing.nop.test`);
    expect(sample(nx.text, 'probe_success')).toBe(0);
    expect(nx.error).toBe('NXDOMAIN: missing.nop.test does not exist');
    const noName = await probe(`module=dns_tcp&target=127.0.0.1:${dns.port}`);
    expect(noName).toMatchObject({ status: 400, text: 'query_name parameter is missing for module dns_tcp\n' });
  });

  it('dns: the name target through the system resolver (pointed at the local server here)', async () => {
    setDefaultResolver(`127.0.0.1:${dns.port}`);
    try {
      const out = await probe('module=dns&target=web.nop.test');
      expect(sample(out.text, 'probe_success')).toBe(1);
      expect(sample(out.text, 'probe_dns_answer_rrs')).toBe(2);
    } finally {
      setDefaultResolver(undefined);
    }
  });

  it('the scrape timeout header bounds the probe (minus 0.5 s)', async () => {
    expect(probeTimeoutMs('10')).toBe(9500);
    expect(probeTimeoutMs(undefined)).toBe(5000);
    expect(probeTimeoutMs('0.55')).toBe(100);
    const started = Date.now();
    const out = await probe(`module=dns_udp&target=127.0.0.1:${dns.port}&query_name=slow.nop.test`, {
      'X-Prometheus-Scrape-Timeout-Seconds': '0.8',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(sample(out.text, 'probe_success')).toBe(0);
    expect(out.error).toBe('timeout after 300 ms');
  });

  it('a scraper that hangs up stops its probe: the query socket closes at once', async () => {
    // UDP sockets connected to the DNS server, as the kernel lists them
    const server = `0100007F:${dns.port.toString(16).toUpperCase().padStart(4, '0')}`;
    const udpSockets = () =>
      readFileSync('/proc/net/udp', 'utf8')
        .split('\n')
        .filter((line) => line.trim().split(/\s+/)[2] === server).length;
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return done();
    };
    const before = udpSockets();
    const req = get(`${status.url}/probe?module=dns_udp&target=127.0.0.1:${dns.port}&query_name=slow.nop.test`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '5' },
    });
    req.on('error', () => undefined);
    expect(await until(() => udpSockets() === before + 1)).toBe(true);
    req.destroy();
    expect(await until(() => udpSockets() === before)).toBe(true);
  });

  it('bad requests: unknown module, missing target, a target the module cannot take', async () => {
    expect(await probe('module=x&target=a')).toMatchObject({ status: 400, text: 'Unknown module "x"\n' });
    expect(await probe('module=icmp')).toMatchObject({ status: 400, text: 'Target parameter is missing\n' });
    const bad = await probe('module=tcp_connect&target=no-port');
    expect(bad.status).toBe(200);
    expect(sample(bad.text, 'probe_success')).toBe(0);
    expect(bad.error).toMatch(/^invalid target "no-port" for module tcp_connect: target/);
    const debug = await probe(`module=tcp_connect&target=127.0.0.1:${tcpPort}&debug=true`);
    expect(JSON.parse(debug.text)).toMatchObject({ module: 'tcp_connect', result: { success: true } });
  });

  it.runIf(PROMTOOL)('promtool check metrics accepts /probe of every module and /metrics', async () => {
    const queries = [
      `module=http_2xx&target=${target(`http://127.0.0.1:${webPort}/moved`)}`,
      `module=http_2xx&target=${target(`http://127.0.0.1:${closedPort}/`)}`,
      `module=tcp_connect&target=127.0.0.1:${tcpPort}`,
      'module=icmp&target=127.0.0.1',
      `module=dns_udp&target=127.0.0.1:${dns.port}&query_name=web.nop.test`,
      'module=tcp_connect&target=bad',
      ...(tls ? [`module=http_2xx&target=${target(`https://127.0.0.1:${tlsPort}/`)}`] : []),
    ];
    for (const query of queries) {
      const out = await probe(query);
      const check = promtool(out.text);
      expect(check.out, `${query}\n${out.text}`).toBe('');
      expect(check.ok).toBe(true);
    }
    for (const [id, type, t] of [
      ['web', 'http', `http://127.0.0.1:${webPort}/`],
      ['port', 'tcp', `127.0.0.1:${tcpPort}`],
      ['name', 'dns', 'web.nop.test'],
    ] as const) {
      const s = spec({ id, type, target: t, ...(type === 'dns' ? { server: `127.0.0.1:${dns.port}` } : {}) });
      metrics.observe(await runCheck(s), s, 5);
    }
    const text = await (await fetch(`${status.url}/metrics`)).text();
    expect(text).toContain('probe_success{');
    expect(text).toMatch(/^probe_dns_answer_rrs\{.*\} 2$/m);
    expect(text).toMatch(/^probe_http_redirects\{.*\} 0$/m);
    const check = promtool(text);
    expect(check.out).toBe('');
    expect(check.ok).toBe(true);
  });
});
