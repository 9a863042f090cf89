/**
 * CPU per check of nop-agent's probers vs prometheus blackbox_exporter, on loopback only.
 *
 *   npx tsx scripts/bench/probers-vs-blackbox.ts [--checks 1000] [--concurrency 100] [--reps 3]
 *                                                [--types http,tcp,dns,icmp] [--warmup N] [--profile DIR]
 *                                                [--fresh-connections]
 *
 * Targets (all 127.0.0.1, started here): an HTTP server, a TCP listener, the test DNS server
 * (agents/test/dns-server.ts) and 127.0.0.1 itself for ICMP. Three probers are driven:
 *   blackbox  Debian's prometheus-blackbox-exporter, on its own /probe (config written to a temp dir)
 *   /probe    nop-agent (agents/bin/nop-agent.mjs, no checks configured) on its /probe endpoint
 *   direct    runCheck() in a child process, no HTTP in front
 * For each type and repetition: a warm-up (--warmup probes, default the larger of 10% of `checks` and
 * 3,000), then `checks` probes at `concurrency` over the warm-up's keep-alive connections (as
 * Prometheus reuses its connections to an exporter; --fresh-connections opens new ones, as a first
 * scrape does); CPU per check =
 * Δ(utime+stime) of the exporter process (/proc/<pid>/stat) / checks. False failures = probe_success 0
 * (or a failed result) against these healthy targets. Medians of the repetitions are printed.
 * Queries the DNS target dropped (its socket's drop counter in /proc/net/udp) are printed too: a
 * failure of the target, not of a prober. --profile DIR writes V8 CPU profiles (node --cpu-prof) of
 * nop-agent and of the direct child there, for a look at where their CPU goes.
 * Every loop is bounded in count, and the whole run by a deadline (BENCH_DEADLINE_S, default 900).
 *
 * Why 3,000: V8 compiles a hot path with its optimising compiler only after a few thousand runs, and
 * that compilation (on helper threads, counted here) was a third of nop-agent's CPU in the first
 * thousand /probe requests; the Go exporter has nothing to warm up. A scraped exporter runs for days,
 * so its steady state is what counts; --warmup 100 shows the cold figures.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CheckSpecInput } from '@nop/protocol';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const TYPES = ['http', 'tcp', 'dns', 'icmp'] as const;
type Type = (typeof TYPES)[number];
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const DEADLINE = Date.now() + Number(process.env.BENCH_DEADLINE_S ?? 900) * 1000;
const PROBE_TIMEOUT_S = 10;
const LISTEN_BACKLOG = 65_535; // the kernel caps it at net.core.somaxconn

interface Targets {
  httpUrl: string;
  tcp: string;
  /** 127.0.0.1:port, UDP and TCP */
  dns: string;
  dnsName: string;
  icmp: string;
}

// ---------------------------------------------------------------- child mode: the local targets
if (process.argv.includes('--targets-child')) {
  const { targets } = await startTargets();
  process.send!({ targets });
  process.on('disconnect', () => process.exit(0));
  await new Promise(() => undefined);
}

// ---------------------------------------------------------------- child mode: runCheck directly
interface DirectRun {
  type: Type;
  checks: number;
  warmup: number;
  concurrency: number;
  targets: Targets;
}

if (process.argv.includes('--direct-child')) {
  const { runCheck, closeIcmpSockets } = await import('../../agents/src/checks/index.ts');
  const { CheckSpec } = await import('@nop/protocol');
  process.on('message', async (msg: DirectRun) => {
    const spec = CheckSpec.parse(directSpec(msg.type, msg.targets));
    let failures = 0;
    let firstError: string | undefined;
    const runMany = async (n: number) => {
      let left = n;
      const worker = async () => {
        while (left > 0) {
          left--;
          const result = await runCheck(spec);
          if (!result.success) {
            failures++;
            firstError ??= result.error;
          }
        }
      };
      // Workers start 10 per millisecond, as the scheduler spreads checks.
      await Promise.all(
        Array.from({ length: Math.min(msg.concurrency, n) }, (_, i) =>
          new Promise((r) => setTimeout(r, Math.floor(i / 10))).then(worker),
        ),
      );
    };
    await runMany(msg.warmup);
    failures = 0;
    firstError = undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await runMany(msg.checks);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    process.send!({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: wall, failures, firstError });
  });
  // A normal exit on either, so that --cpu-prof writes its profile.
  const quit = () => {
    closeIcmpSockets();
    process.exit(0);
  };
  process.on('disconnect', quit);
  process.on('SIGTERM', quit);
  process.send!({ ready: true });
  await new Promise(() => undefined);
}

function directSpec(type: Type, t: Targets): CheckSpecInput {
  const timeout = PROBE_TIMEOUT_S * 1000 - 500;
  switch (type) {
    case 'http':
      return { id: 'bench-http', type: 'http', target: t.httpUrl, expectStatus: ['2xx'], timeout };
    case 'tcp':
      return { id: 'bench-tcp', type: 'tcp', target: t.tcp, timeout };
    case 'dns':
      return { id: 'bench-dns', type: 'dns', target: t.dnsName, server: t.dns, timeout };
    case 'icmp':
      return { id: 'bench-icmp', type: 'icmp', target: t.icmp, count: 1, timeout };
  }
}

// ---------------------------------------------------------------- parent
const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '100' },
    reps: { type: 'string', default: '3' },
    types: { type: 'string', default: TYPES.join(',') },
    warmup: { type: 'string' },
    profile: { type: 'string' },
    'fresh-connections': { type: 'boolean' },
  },
});
const CHECKS = Math.min(100_000, Math.max(10, Number(values.checks)));
const CONCURRENCY = Math.min(5_000, Math.max(1, Number(values.concurrency)));
const REPS = Math.min(10, Math.max(1, Number(values.reps)));
const WARMUP = Math.min(100_000, Math.max(10, Number(values.warmup ?? Math.max(3000, Math.round(CHECKS / 10)))));
const types = values.types.split(',').filter((t): t is Type => (TYPES as readonly string[]).includes(t));
const profileFlags = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values.profile)}`] : [];

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
}

/** Datagrams the kernel dropped on the UDP socket bound to 127.0.0.1:port (full receive buffer). */
function udpDrops(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const line = readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .find((l) => l.trim().split(/\s+/)[1] === local);
  return Number(line?.trim().split(/\s+/).at(-1) ?? 0);
}

async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function startTargets(): Promise<{ targets: Targets }> {
  const web = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'));
  web.keepAliveTimeout = 1000;
  // Backlogs as deep as the kernel allows (as Go's listeners, net.core.somaxconn): a burst of
  // 1,000 connects must not overflow the accept queue (a dropped SYN costs a 1 s retransmit).
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', LISTEN_BACKLOG, r));
  const tcp: Server = createTcpServer((s) => {
    s.on('error', () => undefined);
    s.end();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', LISTEN_BACKLOG, r));
  const { startDnsServer } = await import('../../agents/test/dns-server.ts');
  const dns = await startDnsServer('127.0.0.1');
  return {
    targets: {
      httpUrl: `http://127.0.0.1:${(web.address() as AddressInfo).port}/`,
      tcp: `127.0.0.1:${(tcp.address() as AddressInfo).port}`,
      dns: `127.0.0.1:${dns.port}`,
      dnsName: 'web.nop.test',
      icmp: '127.0.0.1',
    },
  };
}

async function waitHttp(url: string, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      await res.text();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not come up at ${url}`);
}

async function startBlackbox(t: Targets, dir: string): Promise<{ child: ChildProcess; base: string }> {
  const config = join(dir, 'blackbox.yml');
  writeFileSync(
    config,
    `modules:
  http_2xx:
    prober: http
    timeout: ${PROBE_TIMEOUT_S}s
    http:
      preferred_ip_protocol: ip4
  tcp_connect:
    prober: tcp
    timeout: ${PROBE_TIMEOUT_S}s
    tcp:
      preferred_ip_protocol: ip4
  dns:
    prober: dns
    timeout: ${PROBE_TIMEOUT_S}s
    dns:
      query_name: ${t.dnsName}
      query_type: A
      transport_protocol: udp
      preferred_ip_protocol: ip4
  icmp:
    prober: icmp
    timeout: ${PROBE_TIMEOUT_S}s
    icmp:
      preferred_ip_protocol: ip4
`,
  );
  const port = await freePort();
  const child = spawn(
    'prometheus-blackbox-exporter',
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitHttp(`${base}/metrics`, 'blackbox_exporter');
  return { child, base };
}

async function startAgent(dir: string): Promise<{ child: ChildProcess; base: string }> {
  const config = join(dir, 'agent.yaml');
  writeFileSync(config, 'name: bench\nchecks: []\n');
  const port = await freePort();
  const child = spawn(process.execPath, [...profileFlags, join(ROOT, 'agents/bin/nop-agent.mjs'), '--config', config], {
    env: {
      ...process.env,
      NOP_BACKEND_URL: '',
      NOP_AGENT_TOKEN: '',
      NOP_AGENT_MANAGED: '',
      NOP_AGENT_LISTEN: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHttp(`${base}/health`, 'nop-agent');
  return { child, base };
}

function probeQuery(exporter: 'blackbox' | 'agent', type: Type, t: Targets): string {
  const q = (target: string, module: string, extra = '') =>
    `/probe?module=${module}&target=${encodeURIComponent(target)}${extra}`;
  switch (type) {
    case 'http':
      return q(t.httpUrl, 'http_2xx');
    case 'tcp':
      return q(t.tcp, 'tcp_connect');
    case 'icmp':
      return q(t.icmp, 'icmp');
    case 'dns':
      return exporter === 'blackbox' ? q(t.dns, 'dns') : q(t.dns, 'dns_udp', `&query_name=${t.dnsName}`);
  }
}

interface Sample {
  cpuUsPerCheck: number;
  checksPerS: number;
  failures: number;
  firstError?: string;
}

/** `n` GETs of base+path at `concurrency` over `agent`'s keep-alive connections; counts probe_success 0. */
async function drive(
  agent: Agent,
  base: string,
  path: string,
  n: number,
  concurrency: number,
): Promise<{ failures: number; firstError?: string }> {
  const url = new URL(path, base);
  let left = n;
  let failures = 0;
  let firstError: string | undefined;
  const one = () =>
    new Promise<void>((resolveOne) => {
      const req = request(
        url,
        {
          agent,
          headers: { 'x-prometheus-scrape-timeout-seconds': String(PROBE_TIMEOUT_S) },
          timeout: (PROBE_TIMEOUT_S + 5) * 1000,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => {
            if (!/^probe_success 1$/m.test(body)) {
              failures++;
              const why =
                res.headers['x-probe-error'] ??
                (/^probe_success 0$/m.test(body) ? 'probe_success 0' : body.slice(0, 200));
              firstError ??= `HTTP ${res.statusCode}: ${why}`;
            }
            resolveOne();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timeout')));
      req.on('error', (e) => {
        failures++;
        firstError ??= e.message;
        resolveOne();
      });
      req.end();
    });
  const worker = async () => {
    while (left > 0 && Date.now() < DEADLINE) {
      left--;
      await one();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  if (left > 0) throw new Error('deadline reached');
  return { failures, firstError };
}

/**
 * Warm-up, then the timed run over the same keep-alive connections, as Prometheus keeps its
 * connections to an exporter from one scrape to the next (--fresh-connections: the timed run
 * opens its own, as a first scrape does).
 */
async function measureExporter(pid: number, base: string, path: string): Promise<Sample> {
  const warmAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  await drive(warmAgent, base, path, WARMUP, CONCURRENCY);
  const agent = values['fresh-connections'] ? new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) : warmAgent;
  const before = cpuTicks(pid);
  const t0 = performance.now();
  const { failures, firstError } = await drive(agent, base, path, CHECKS, CONCURRENCY);
  const wall = performance.now() - t0;
  const cpuS = (cpuTicks(pid) - before) / CLK_TCK;
  warmAgent.destroy();
  agent.destroy();
  return { cpuUsPerCheck: (cpuS * 1e6) / CHECKS, checksPerS: CHECKS / (wall / 1000), failures, firstError };
}

async function startDirect(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...profileFlags, '--import', 'tsx', fileURLToPath(import.meta.url), '--direct-child'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  await new Promise<void>((resolveReady, reject) => {
    child.once('message', () => resolveReady());
    child.once('exit', (code) => reject(new Error(`direct child exited ${code}`)));
  });
  return child;
}

function measureDirect(child: ChildProcess, type: Type, targets: Targets): Promise<Sample> {
  return new Promise((resolveSample, reject) => {
    const timer = setTimeout(
      () => reject(new Error('direct run: deadline reached')),
      Math.max(1000, DEADLINE - Date.now()),
    );
    child.once('message', (m: { cpuMs: number; wallMs: number; failures: number; firstError?: string }) => {
      clearTimeout(timer);
      resolveSample({
        cpuUsPerCheck: (m.cpuMs * 1000) / CHECKS,
        checksPerS: CHECKS / (m.wallMs / 1000),
        failures: m.failures,
        firstError: m.firstError,
      });
    });
    child.send({ type, checks: CHECKS, warmup: WARMUP, concurrency: CONCURRENCY, targets } satisfies DirectRun);
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nop-bench-'));
  const children: ChildProcess[] = [];
  // The targets get a process of their own, so that neither the driver nor they slow the other.
  const targetsChild = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--targets-child'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(targetsChild);
  try {
    const targets = await new Promise<Targets>((resolveTargets, reject) => {
      targetsChild.once('message', (m: { targets: Targets }) => resolveTargets(m.targets));
      targetsChild.once('exit', (code) => reject(new Error(`targets child exited ${code}`)));
    });
    const bb = await startBlackbox(targets, dir);
    children.push(bb.child);
    const agent = await startAgent(dir);
    children.push(agent.child);
    const direct = await startDirect();
    children.push(direct);
    console.log(
      `blackbox_exporter pid ${bb.child.pid}, nop-agent pid ${agent.child.pid}, direct pid ${direct.pid}; ` +
        `${CHECKS} checks per type at concurrency ${CONCURRENCY} after ${WARMUP} to warm up, ${REPS} repetitions, ` +
        `CLK_TCK ${CLK_TCK}\n`,
    );
    const rows: string[][] = [];
    const notes: string[] = [];
    const dnsPort = Number(targets.dns.split(':')[1]);
    for (const type of types) {
      const runs: Record<'blackbox' | 'probe' | 'direct', Sample[]> = { blackbox: [], probe: [], direct: [] };
      const dropped: Record<keyof typeof runs, number> = { blackbox: 0, probe: 0, direct: 0 };
      const measured = async (k: keyof typeof runs, measure: () => Promise<Sample>) => {
        const drops = udpDrops(dnsPort);
        runs[k].push(await measure());
        dropped[k] += udpDrops(dnsPort) - drops;
      };
      for (let rep = 0; rep < REPS; rep++) {
        await measured('blackbox', () =>
          measureExporter(bb.child.pid!, bb.base, probeQuery('blackbox', type, targets)),
        );
        await measured('probe', () =>
          measureExporter(agent.child.pid!, agent.base, probeQuery('agent', type, targets)),
        );
        await measured('direct', () => measureDirect(direct, type, targets));
      }
      if (dropped.blackbox + dropped.probe + dropped.direct > 0)
        notes.push(
          `${type}: the DNS target dropped ${dropped.blackbox}/${dropped.probe}/${dropped.direct} queries ` +
            '(bb/probe/direct, warm-ups included): its receive buffer overflowed',
        );
      const med = (k: keyof typeof runs, f: (s: Sample) => number) => median(runs[k].map(f));
      const cpu = (k: keyof typeof runs) => med(k, (s) => s.cpuUsPerCheck);
      const fails = (k: keyof typeof runs) => runs[k].reduce((a, s) => a + s.failures, 0);
      for (const k of ['blackbox', 'probe', 'direct'] as const) {
        const err = runs[k].find((s) => s.firstError)?.firstError;
        if (err) notes.push(`${type} ${k}: first failure: ${err}`);
      }
      rows.push([
        type,
        cpu('blackbox').toFixed(0),
        cpu('probe').toFixed(0),
        cpu('direct').toFixed(0),
        (cpu('probe') / cpu('blackbox')).toFixed(2),
        (cpu('direct') / cpu('blackbox')).toFixed(2),
        `${fails('blackbox')}/${fails('probe')}/${fails('direct')}`,
        `${med('blackbox', (s) => s.checksPerS).toFixed(0)}/${med('probe', (s) => s.checksPerS).toFixed(0)}/${med('direct', (s) => s.checksPerS).toFixed(0)}`,
      ]);
      console.log(`${type}: done (${rows.at(-1)!.join(' | ')})`);
    }
    const header = [
      'type',
      'blackbox µs/check',
      'nop /probe µs/check',
      'nop direct µs/check',
      '/probe ÷ bb',
      'direct ÷ bb',
      'false failures bb/probe/direct',
      'checks/s bb/probe/direct',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(
      `\nCPU per check (median of ${REPS}; ${CHECKS} checks, concurrency ${CONCURRENCY}; total over reps for failures)`,
    );
    console.log(line(header));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) console.log(line(r));
    for (const n of notes) console.log(n);
  } finally {
    for (const c of children) {
      if (c.connected) c.disconnect();
      if (c.exitCode === null) c.kill('SIGTERM');
    }
  }
}

if (!process.argv.includes('--direct-child'))
  await main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
