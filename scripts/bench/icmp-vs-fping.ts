// nop-agent's ICMP prober against Debian's fping, same targets, same pacing, one echo per target:
// CPU time per echo, RTT p50/p99 and lost replies; medians of REPS runs of each, interleaved.
//   npx tsx scripts/bench/icmp-vs-fping.ts [--targets 1000] [--reps 3] [--interval 1]
// (--targets 10000 for the big run). Loopback only: the targets are 127.1.x.y (host parts 1-250).
// Needs fping (apt-get install -y fping) and, like fping, root or ping_group_range for the socket.
//
// CPU: fping's is its whole process (user + system, from wait4's rusage via a python3 wrapper, µs
// precision). Ours is the prober's: a child process opens the socket, warms up, then reports
// process.cpuUsage() across the timed run (Node's start-up excluded; fping's start-up is
// included, it is tiny). Both stamp replies with SO_TIMESTAMPNS.
// Warm-up: 2,000 echoes to 127.0.0.1 in bursts, then (since November 2026) 3,000 more through the
// very pacing loop that is timed next, at the same interval. Without that second part the timed
// run also paid V8 compiling the paced path (timers, the one-echo-per-tick path: ~20 functions
// optimized inside the timed window, 10+ ms on V8's worker threads; 1,000 paced echoes still
// left ~10), a one-off cost a long-running agent never pays again; fping has no JIT. Targets,
// pacing, counts and the CPU measurement of the timed run are unchanged.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}

/** The i-th target: 127.1.0.1, 127.1.0.2, …, 127.1.0.250, 127.1.1.1, … */
const target = (i: number) => `127.${1 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;

const TIMEOUT_MS = 1000;

interface Run {
  cpuUs: number;
  /** RTT per target in ms, null when lost */
  rtts: (number | null)[];
  kind?: string;
}

// ---- our side: runs in a child process ---------------------------------------------------------

async function child(count: number, interval: number): Promise<void> {
  const { CheckSpec } = await import('@nop/protocol');
  type CheckSpec = import('@nop/protocol').CheckSpec;
  type CheckResult = import('@nop/protocol').CheckResult;
  const { runCheck, closeIcmpSockets } = await import('../../agents/src/checks/index.ts');
  const { icmpSocket } = await import('../../agents/src/checks/icmp-socket.ts');
  const kind = icmpSocket(4).kind;
  const spec = (id: string, t: string) =>
    CheckSpec.parse({ id, type: 'icmp', target: t, count: 1, timeout: TIMEOUT_MS, interval: 60_000 });
  // Warm-up (JIT, socket): a long-running agent is warm. 10 bursts of 200 echoes to 127.0.0.1.
  const warm = Array.from({ length: 200 }, (_, i) => spec(`w${i}`, '127.0.0.1'));
  for (let i = 0; i < 10; i++) await Promise.all(warm.map((s) => runCheck(s)));
  // Specs are parsed once, as the agent does when it loads its config.
  const specs = Array.from({ length: count }, (_, i) => spec(`t${i}`, target(i)));
  // Same pacing as fping -i: echo k leaves at t0 + k × interval (a 1 ms ticker sends all due ones).
  const paced = async (list: CheckSpec[]) => {
    const t0 = performance.now();
    const results: Promise<CheckResult>[] = [];
    const sendDue = () => {
      const due =
        interval === 0 ? list.length : Math.min(list.length, Math.floor((performance.now() - t0) / interval) + 1);
      while (results.length < due) results.push(runCheck(list[results.length]!));
    };
    sendDue();
    if (results.length < list.length)
      await new Promise<void>((resolve) => {
        const ticker = setInterval(() => {
          sendDue();
          if (results.length < list.length) return;
          clearInterval(ticker);
          resolve();
        }, 1);
      });
    return Promise.all(results);
  };
  await paced(Array.from({ length: 3000 }, (_, i) => spec(`p${i}`, '127.0.0.1')));

  const cpu0 = process.cpuUsage();
  const done = await paced(specs);
  const cpu = process.cpuUsage(cpu0);
  closeIcmpSockets();
  const run: Run = {
    cpuUs: cpu.user + cpu.system,
    rtts: done.map((r) => (r.success ? (r.metrics.rtt_avg_ms ?? null) : null)),
    kind,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function ours(count: number, interval: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', SELF, '--child', '--targets', String(count), '--interval', String(interval)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000 + (count + 3000) * (interval + 1));
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`prober child exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Run);
    });
  });
}

// ---- fping ---------------------------------------------------------------------------------

// Runs argv and prints "RUSAGE <user s> <system s>" from wait4 once it has exited.
const RUSAGE_WRAPPER = `
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print("RUSAGE %.6f %.6f %d" % (ru.ru_utime, ru.ru_stime, os.waitstatus_to_exitcode(status)), flush=True)
`;

function fping(count: number, interval: number, list: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = ['-C', '1', '-q', '-t', String(TIMEOUT_MS), '-i', String(interval), '-f', list];
    const proc = spawn('python3', ['-c', RUSAGE_WRAPPER, 'fping', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d));
    proc.stderr.on('data', (d: Buffer) => (err += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000 + count * (interval + 1));
    proc.on('error', reject);
    proc.on('close', () => {
      clearTimeout(timer);
      const m = /RUSAGE ([\d.]+) ([\d.]+) (-?\d+)/.exec(out);
      if (!m) return reject(new Error(`fping wrapper failed: ${out}${err}`));
      // "-C 1 -q": one line per target on stderr, "127.1.0.1 : 0.012" or "127.1.0.1 : -" when lost.
      const byTarget = new Map<string, number | null>();
      for (const line of err.split('\n')) {
        const r = /^(\S+)\s+:\s+(\S+)$/.exec(line.trim());
        if (r) byTarget.set(r[1]!, r[2] === '-' ? null : Number(r[2]));
      }
      const rtts = Array.from({ length: count }, (_, i) => byTarget.get(target(i)) ?? null);
      resolve({ cpuUs: (Number(m[1]) + Number(m[2])) * 1e6, rtts });
    });
  });
}

// ---- report --------------------------------------------------------------------------------

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

interface Stats {
  cpuPerEchoUs: number;
  p50Us: number;
  p99Us: number;
  lost: number;
}

function stats(run: Run): Stats {
  const got = run.rtts.filter((r): r is number => r !== null).map((ms) => ms * 1000);
  got.sort((a, b) => a - b);
  return {
    cpuPerEchoUs: run.cpuUs / run.rtts.length,
    p50Us: quantile(got, 0.5),
    p99Us: quantile(got, 0.99),
    lost: run.rtts.length - got.length,
  };
}

async function main(): Promise<void> {
  const count = Math.floor(option('targets', 1000));
  const reps = Math.max(1, Math.floor(option('reps', 3)));
  const interval = option('interval', 1);
  if (count < 1 || count > 60_000) throw new Error('--targets must be 1-60000');
  try {
    execFileSync('fping', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('fping is not installed (apt-get install -y fping)');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nop-fping-'));
  const list = path.join(dir, 'targets');
  writeFileSync(list, `${Array.from({ length: count }, (_, i) => target(i)).join('\n')}\n`);
  const mine: Stats[] = [];
  const theirs: Stats[] = [];
  let kind = '';
  try {
    for (let rep = 0; rep < reps; rep++) {
      const f = stats(await fping(count, interval, list));
      const runOurs = await ours(count, interval);
      kind = runOurs.kind ?? '';
      const o = stats(runOurs);
      theirs.push(f);
      mine.push(o);
      console.error(
        `rep ${rep + 1}/${reps}: fping ${f.cpuPerEchoUs.toFixed(2)} µs CPU/echo, p50 ${f.p50Us} µs, p99 ${f.p99Us} µs, lost ${f.lost}` +
          ` | nop ${o.cpuPerEchoUs.toFixed(2)} µs CPU/echo, p50 ${o.p50Us} µs, p99 ${o.p99Us} µs, lost ${o.lost}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: Stats[], key: keyof Stats) => median(xs.map((s) => s[key]));
  const rows: [string, keyof Stats, number][] = [
    ['CPU per echo (µs)', 'cpuPerEchoUs', 2],
    ['RTT p50 (µs)', 'p50Us', 0],
    ['RTT p99 (µs)', 'p99Us', 0],
    ['lost replies', 'lost', 0],
  ];
  const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
  console.log(
    `\n${count} loopback targets, 1 echo each, ${interval} ms apart, median of ${reps}; nop socket: ${kind}\n`,
  );
  console.log('| metric | nop-agent | fping | nop/fping |');
  console.log('|---|---:|---:|---:|');
  for (const [label, key, digits] of rows) {
    const a = med(mine, key);
    const b = med(theirs, key);
    const ratio = b === 0 ? (a === 0 ? '1.00' : '∞') : (a / b).toFixed(2);
    console.log(`| ${label} | ${fmt(a, digits)} | ${fmt(b, digits)} | ${ratio} |`);
  }
  const cpuRatio = med(mine, 'cpuPerEchoUs') / med(theirs, 'cpuPerEchoUs');
  const p50Diff = med(mine, 'p50Us') - med(theirs, 'p50Us');
  const p99Diff = med(mine, 'p99Us') - med(theirs, 'p99Us');
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`\naims: CPU/echo ≤ 1.3× fping: ${cpuRatio.toFixed(2)}× (${verdict(cpuRatio <= 1.3)})`);
  console.log(`      RTT p50 within 10 µs: ${p50Diff.toFixed(0)} µs (${verdict(Math.abs(p50Diff) <= 10)})`);
  console.log(`      RTT p99 within 100 µs: ${p99Diff.toFixed(0)} µs (${verdict(Math.abs(p99Diff) <= 100)})`);
  const lost = Math.max(...mine.map((s) => s.lost));
  console.log(`      0 lost replies: ${lost} in the worst run (${verdict(lost === 0)})`);
}

if (process.argv.includes('--child')) await child(Math.floor(option('targets', 1000)), option('interval', 1));
else await main();
