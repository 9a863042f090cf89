// The agent's scheduler at scale: N checks (default 10,000; mixed TCP, HTTP and ICMP, loopback
// only) on a 10 s interval for D seconds (default 60). Prints the agent process's RSS, CPU per run
// and the lateness of scheduled starts (p50/p99) against the aims (RSS <= 150 MB, p99 < 10 ms).
//   npx tsx scripts/bench/agent-scale.ts [checks] [seconds]
// The targets (an HTTP server and a TCP listener) run in a separate process so their CPU is not
// counted against the agent.
import { fork } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { CheckSpec, type CheckSpecInput } from '@nop/protocol';

const role = process.argv[2];

/** Targets listen on this many loopback addresses, so connections spread over many 4-tuples. */
const TARGET_HOSTS = 64;
const targetHost = (i: number) => `127.0.1.${1 + (i % TARGET_HOSTS)}`;

if (role === 'targets') {
  const listen = (server: import('node:net').Server, port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as { port: number }).port));
    });
  const httpPort = await listen(
    createHttpServer((_req, res) => res.end('ok')),
    0,
    targetHost(0),
  );
  const tcpPort = await listen(
    createTcpServer((socket) => socket.end()),
    0,
    targetHost(0),
  );
  for (let i = 1; i < TARGET_HOSTS; i++) {
    await listen(
      createHttpServer((_req, res) => res.end('ok')),
      httpPort,
      targetHost(i),
    );
    await listen(
      createTcpServer((socket) => socket.end()),
      tcpPort,
      targetHost(i),
    );
  }
  process.send!({ http: httpPort, tcp: tcpPort });
} else if (role === 'agent') {
  const { Scheduler } = await import('../../agents/src/scheduler.ts');
  const { runCheck, closeIcmpSockets } = await import('../../agents/src/checks/index.ts');
  const [count, seconds, httpPort, tcpPort] = process.argv.slice(3).map(Number) as [number, number, number, number];
  const specs: CheckSpec[] = [];
  for (let i = 0; i < count; i++) {
    const host = targetHost(i);
    const kind = i % 10;
    const input: CheckSpecInput =
      kind < 4
        ? { id: `tcp-${i}`, type: 'tcp', target: `${host}:${tcpPort}`, interval: '10s', timeout: '2s' }
        : kind < 7
          ? { id: `http-${i}`, type: 'http', target: `http://${host}:${httpPort}/`, interval: '10s', timeout: '2s' }
          : { id: `icmp-${i}`, type: 'icmp', target: host, interval: '10s', timeout: '2s', count: 1 };
    specs.push(CheckSpec.parse(input));
  }
  const lateness: number[] = [];
  let runs = 0;
  let failures = 0;
  const firstError = new Map<string, string>();
  const scheduler = new Scheduler({
    run: runCheck,
    concurrency: 256,
    onResult: (r) => {
      runs++;
      if (!r.success) {
        failures++;
        if (!firstError.has(r.type)) firstError.set(r.type, `${r.target}: ${r.error}`);
      }
    },
    onStart: (_s, ms) => lateness.push(ms),
  });
  scheduler.apply(specs);
  const cpu0 = process.cpuUsage();
  scheduler.start();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  scheduler.stop();
  await scheduler.idle();
  clearInterval(sampler);
  closeIcmpSockets();
  const cpu = process.cpuUsage(cpu0);
  const sorted = lateness.sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  process.send!({
    runs,
    failures,
    firstError: Object.fromEntries(firstError),
    peakRssMb: peakRss / 2 ** 20,
    cpuUsPerRun: (cpu.user + cpu.system) / runs,
    cpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
    latenessP50: q(0.5),
    latenessP99: q(0.99),
  });
} else {
  const count = Number(process.argv[2] ?? 10_000);
  const seconds = Number(process.argv[3] ?? 60);
  const self = new URL(import.meta.url).pathname;
  const child = (args: string[]) =>
    fork(self, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const targets = child(['targets']);
  const ports = await new Promise<{ http: number; tcp: number }>((r) => targets.once('message', r as never));
  const agent = child(['agent', String(count), String(seconds), String(ports.http), String(ports.tcp)]);
  const stats = (await new Promise((r) => agent.once('message', r))) as Record<string, number | object>;
  targets.kill();
  const fmt = (n: unknown, digits = 1) => (typeof n === 'number' ? n.toFixed(digits) : String(n));
  console.log(`agent scale: ${count} checks (40% tcp, 30% http, 30% icmp; 10 s interval), ${seconds} s, loopback`);
  console.log(`  runs ${stats.runs}, failures ${stats.failures} ${JSON.stringify(stats.firstError)}`);
  console.log(`  peak RSS ${fmt(stats.peakRssMb)} MB (aim <= 150)`);
  console.log(`  CPU ${fmt(stats.cpuUsPerRun)} us per run, ${fmt(Number(stats.cpuShare) * 100)}% of one core`);
  console.log(
    `  lateness of scheduled starts: p50 ${fmt(stats.latenessP50, 2)} ms, p99 ${fmt(stats.latenessP99, 2)} ms (aim p99 < 10)`,
  );
}
