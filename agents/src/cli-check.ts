import { parseArgs } from 'node:util';
import { type CheckResult, CheckSpec, type CheckSpecInput, CheckType, parseDuration } from '@nop/protocol';
import { dnsQuery, type DnsOutcome } from './checks/dns.ts';
import { closeIcmpSockets, runCheck } from './checks/index.ts';
import { formatTrace } from './checks/traceroute-format.ts';

export const CHECK_HELP = `Usage: nop-agent check <type> <target> [options]
Runs one check now and prints the outcome like the classic tool (ping, curl -w, dig), or JSON.

  nop-agent check icmp 127.0.0.1 --count 5
  nop-agent check tcp 127.0.0.1 --port 22
  nop-agent check http https://example.com/ --timeout 2s
  nop-agent check dns example.com --record MX --server 127.0.0.1:53
  nop-agent check traceroute 127.0.0.1 --mode icmp --max-hops 10

Options:
  --count N           icmp: echoes (default 3); other types: runs (default 1)
  --interval DUR      between echoes (icmp) or runs (default 1s; icmp 100ms)
  --timeout DUR       per run (default 5s)
  --port N            tcp: the port, when the target is a bare host; http: the URL's port
  --record TYPE       dns: A AAAA CNAME MX TXT NS SOA SRV PTR (default A)
  --server HOST:PORT  dns: the resolver (default: first nameserver of /etc/resolv.conf)
  --transport udp|tcp dns: udp (falls back to tcp on truncation) or tcp
  --mode udp|tcp|icmp traceroute: probe packets (default udp); --port for udp/tcp
  --max-hops N        traceroute: give up after N hops (default 30)
  --flows N           traceroute: Paris flows per run, to see ECMP branches (default 1)
  --json              one JSON result per line
Exit codes: 0 every run succeeded, 1 a run failed, 2 bad usage.
`;

class Usage extends Error {}

const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'PTR'];

type Out = { write(text: string): unknown };

/** `nop-agent check …`: returns the exit code. */
export async function checkCommand(
  argv: string[],
  io: { stdout: Out; stderr: Out } = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        count: { type: 'string' },
        interval: { type: 'string' },
        timeout: { type: 'string' },
        port: { type: 'string' },
        record: { type: 'string' },
        server: { type: 'string' },
        transport: { type: 'string' },
        mode: { type: 'string' },
        'max-hops': { type: 'string' },
        flows: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    io.stderr.write(`nop-agent check: ${message} (see nop-agent check --help)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  let plan: { spec: CheckSpec; runs: number; intervalMs: number };
  try {
    plan = buildPlan(positionals, values);
  } catch (error) {
    if (!(error instanceof Usage)) throw error;
    io.stderr.write(`nop-agent check: ${error.message}\n`);
    return 2;
  }
  const { spec, runs, intervalMs } = plan;
  const results: CheckResult[] = [];
  try {
    if (spec.type === 'icmp' && !values.json)
      io.stdout.write(`PING ${spec.target}: ${spec.count} echoes, ${spec.size} data bytes\n`);
    for (let i = 0; i < runs; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
      let dnsOutcome: DnsOutcome | undefined;
      let result: CheckResult;
      if (spec.type === 'dns' && !values.json) {
        dnsOutcome = await dnsQuery(spec);
        result = dnsOutcome.result;
      } else result = await runCheck(spec);
      results.push(result);
      if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
      else io.stdout.write(describe(spec, result, dnsOutcome));
    }
  } finally {
    closeIcmpSockets();
  }
  if (!values.json && runs > 1) io.stdout.write(summary(spec, results));
  return results.every((r) => r.success) ? 0 : 1;
}

function buildPlan(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
): { spec: CheckSpec; runs: number; intervalMs: number } {
  if (positionals.length !== 2)
    throw new Usage(
      positionals.length < 2
        ? 'needs <type> <target>, e.g. nop-agent check icmp 127.0.0.1 (see nop-agent check --help)'
        : `unexpected argument "${positionals[2]}"`,
    );
  const [type, rawTarget] = positionals as [string, string];
  const kind = CheckType.safeParse(type);
  if (!kind.success) throw new Usage(`unknown check type "${type}": one of ${CheckType.options.join(', ')}`);
  const str = (name: string) => values[name] as string | undefined;
  const only = (name: string, types: string[]) => {
    if (str(name) !== undefined && !types.includes(type))
      throw new Usage(`--${name} applies to ${types.join('/')} checks, not ${type}`);
  };
  const duration = (name: string): number | undefined => {
    const text = str(name);
    if (text === undefined) return undefined;
    const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
    if (ms === undefined || ms <= 0) throw new Usage(`--${name}: "${text}" is not a duration like 500ms, 2s, 1m`);
    return ms;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const text = str(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max)
      throw new Usage(`--${name}: "${text}" is not a whole number ${min}-${max}`);
    return n;
  };
  only('port', ['tcp', 'http', 'traceroute']);
  only('mode', ['traceroute']);
  only('max-hops', ['traceroute']);
  only('flows', ['traceroute']);
  only('record', ['dns']);
  only('server', ['dns']);
  only('transport', ['dns']);
  const count = integer('count', 1, 100);
  const port = integer('port', 1, 65_535);
  const timeout = duration('timeout');
  const interval = duration('interval');
  const record = str('record')?.toUpperCase();
  if (record !== undefined && !RECORD_TYPES.includes(record))
    throw new Usage(`--record: "${str('record')}" is not one of ${RECORD_TYPES.join(' ')}`);
  const transport = str('transport');
  if (transport !== undefined && transport !== 'udp' && transport !== 'tcp')
    throw new Usage(`--transport: "${transport}" is not udp or tcp`);

  let target = rawTarget;
  if (type === 'tcp' && port !== undefined)
    target = `${rawTarget.includes(':') && !rawTarget.startsWith('[') ? `[${rawTarget}]` : rawTarget}:${port}`;
  if (type === 'http') {
    if (!/^https?:\/\//i.test(target)) target = `http://${target}`;
    if (port !== undefined) {
      try {
        const url = new URL(target);
        url.port = String(port);
        target = url.href;
      } catch {
        throw new Usage(`"${rawTarget}" is not a URL`);
      }
    }
  }
  // runs are paced by --interval, not the spec's interval: a day leaves room for any timeout and echo count
  const input: Record<string, unknown> = { id: 'cli', type, target, interval: 86_400_000 };
  if (timeout !== undefined) input.timeout = timeout;
  if (type === 'icmp') {
    if (count !== undefined) input.count = count;
    if (interval !== undefined) input.echoInterval = interval;
  }
  if (type === 'traceroute') {
    const mode = str('mode');
    if (mode !== undefined && !['udp', 'tcp', 'icmp'].includes(mode))
      throw new Usage(`--mode: "${mode}" is not udp, tcp or icmp`);
    if (mode) input.mode = mode;
    if (port !== undefined) input.port = port;
    const maxHops = integer('max-hops', 1, 64);
    if (maxHops !== undefined) input.maxHops = maxHops;
    const flows = integer('flows', 1, 16);
    if (flows !== undefined) input.flows = flows;
  }
  if (type === 'dns') {
    if (record) input.recordType = record;
    if (str('server')) input.server = str('server');
    if (transport) input.transport = transport;
  }
  const parsed = CheckSpec.safeParse(input as CheckSpecInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'target');
    const flag = field === 'target' ? `target "${target}"` : `--${field}`;
    throw new Usage(`${flag}: ${issue.message}`);
  }
  return {
    spec: parsed.data,
    runs: type === 'icmp' ? 1 : (count ?? 1),
    intervalMs: interval ?? 1000,
  };
}

const ms = (value: number | undefined | null) =>
  value === undefined || value === null ? '-' : `${value.toFixed(3)} ms`;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function expiry(seconds: number | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  const days = (seconds * 1000 - Date.now()) / 86_400_000;
  const when = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  return days < 0 ? `certificate expired ${when}` : `certificate expires ${when} (in ${days.toFixed(0)} days)`;
}

/** One run, in the classic tool's words. Types without a printer get pretty JSON. */
function describe(spec: CheckSpec, r: CheckResult, dnsOutcome?: DnsOutcome): string {
  const m = r.metrics;
  const lines: string[] = [];
  const failure = r.success ? undefined : `FAILED: ${r.error ?? 'unknown error'}`;
  switch (spec.type) {
    case 'icmp': {
      const sent = m.packets_sent ?? spec.count;
      const received = m.packets_received ?? 0;
      const loss = Math.round((m.loss_ratio ?? (sent ? (sent - received) / sent : 1)) * 100);
      lines.push(`--- ${spec.target} ping statistics ---`);
      lines.push(`${sent} packets transmitted, ${received} received, ${loss}% packet loss`);
      if (m.rtt_min_ms !== undefined)
        lines.push(
          `rtt min/avg/max/mdev = ${[m.rtt_min_ms, m.rtt_avg_ms, m.rtt_max_ms, m.rtt_mdev_ms].map((v) => (v ?? 0).toFixed(3)).join('/')} ms`,
        );
      if (failure) lines.push(failure);
      break;
    }
    case 'http': {
      const head =
        m.status_code === undefined
          ? `${spec.method} ${spec.target}`
          : `${spec.method} ${spec.target} -> HTTP ${m.status_code}`;
      const extra = [
        m.response_bytes === undefined ? undefined : bytes(m.response_bytes),
        m.redirects ? `${m.redirects} redirect${m.redirects === 1 ? '' : 's'}` : undefined,
      ].filter(Boolean);
      lines.push(extra.length ? `${head}, ${extra.join(', ')}` : head);
      lines.push(
        `  dns ${ms(m.dns_ms)}  connect ${ms(m.connect_ms)}  tls ${ms(m.tls_ms)}  ttfb ${ms(m.ttfb_ms)}  transfer ${ms(m.transfer_ms)}  total ${ms(r.durationMs)}`,
      );
      if (m.throughput_bytes_per_second) lines.push(`  throughput ${bytes(m.throughput_bytes_per_second)}/s`);
      const cert = expiry(m.ssl_earliest_cert_expiry);
      if (cert) lines.push(`  ${cert}`);
      lines.push(failure ?? 'OK');
      break;
    }
    case 'tcp': {
      const parts = [`dns ${ms(m.dns_ms)}`];
      if (m.tls_ms !== undefined) parts.push(`tls ${ms(m.tls_ms)}`);
      if (m.reply_ms !== undefined) parts.push(`reply ${ms(m.reply_ms)}`);
      if (m.connect_ms !== undefined)
        lines.push(`Connected to ${spec.target} in ${ms(m.connect_ms)} (${parts.join(', ')})`);
      else lines.push(`Connecting to ${spec.target}`);
      const cert = expiry(m.ssl_earliest_cert_expiry);
      if (cert) lines.push(`  ${cert}`);
      lines.push(failure ?? 'OK');
      break;
    }
    case 'dns': {
      const o = dnsOutcome;
      lines.push(
        `; <<>> nop-agent check dns <<>> ${spec.target} ${spec.recordType}${o?.server ? ` @${o.server}` : ''}`,
      );
      if (o?.rcode !== undefined) {
        lines.push(
          `;; status: ${o.rcode}, answers: ${m.answers ?? 0}, authority: ${m.authority ?? 0}, additional: ${m.additional ?? 0}`,
        );
        if (o.answers.length > 0) {
          lines.push('', ';; ANSWER SECTION:');
          for (const a of o.answers)
            lines.push(`${a.name.endsWith('.') ? a.name : `${a.name}.`}\t${a.ttl}\tIN\t${a.type}\t${a.data}`);
          lines.push('');
        }
        lines.push(`;; Query time: ${ms(m.dns_ms)}`);
        lines.push(
          `;; SERVER: ${o.server} (${m.transport_tcp ? 'tcp' : 'udp'}${m.truncated ? ', after a truncated udp answer' : ''})`,
        );
      }
      if (failure) lines.push(failure);
      break;
    }
    case 'traceroute':
      return formatTrace(r, spec.maxHops);
    default:
      return `${JSON.stringify(r, null, 2)}\n`;
  }
  return `${lines.join('\n')}\n`;
}

function summary(spec: CheckSpec, results: CheckResult[]): string {
  const ok = results.filter((r) => r.success);
  const times = ok.map((r) => r.durationMs).filter((v): v is number => v !== null);
  const lines = [
    `--- ${spec.target} ${spec.type} statistics ---`,
    `${results.length} runs, ${ok.length} succeeded, ${Math.round((1 - ok.length / results.length) * 100)}% failed`,
  ];
  if (times.length > 0) {
    const avg = times.reduce((a, b) => a + b, 0) / times.length;
    lines.push(
      `time min/avg/max = ${Math.min(...times).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...times).toFixed(3)} ms`,
    );
  }
  return `${lines.join('\n')}\n`;
}
