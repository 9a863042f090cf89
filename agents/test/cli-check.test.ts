import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../src/cli-check.ts';
import { runCheck } from '../src/checks/index.ts';
import { type LocalPeers, startLocalPeers } from './local-peers.ts';
import { runAgentBin, spec } from './helpers.ts';

let peers: LocalPeers;
let tcpPort: number;
let webPort: number;
let closedPort: number;
let dns: LocalPeers['dns'];

beforeAll(async () => {
  peers = await startLocalPeers();
  ({ tcpPort, webPort, closedPort, dns } = peers);
});

afterAll(() => peers.close());

/** Runs `nop-agent check …` in-process, capturing its output. */
async function check(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await checkCommand(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

describe('nop-agent check', () => {
  it('icmp prints a ping-like summary', async (ctx) => {
    const probe = await runCheck(spec({ id: 'can', type: 'icmp', target: '127.0.0.1', count: 1, timeout: 1000 }));
    if (!probe.success) ctx.skip(`no raw socket here: ${probe.error}`);
    const out = await check('icmp', '127.0.0.1', '--count', '3', '--interval', '20ms', '--timeout', '1s');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe('PING 127.0.0.1: 3 echoes, 56 data bytes');
    expect(lines[1]).toBe('--- 127.0.0.1 ping statistics ---');
    expect(lines[2]).toBe('3 packets transmitted, 3 received, 0% packet loss');
    expect(lines[3]).toMatch(/^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/);
  });

  it('traceroute prints hops like traceroute, with --mode, --flows and --max-hops', async () => {
    const out = await check('traceroute', '127.0.0.1', '--mode', 'udp', '--flows', '2', '--max-hops', '5');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^traceroute to 127\.0\.0\.1 \(127\.0\.0\.1\), udp probes .*5 hops max, 2 flows$/);
    expect(lines).toContain('flow 1');
    expect(lines.at(-1)).toMatch(/^reached 127\.0\.0\.1 in 1 hop, fingerprint [0-9a-f]{12}$/);
    const bad = await check('traceroute', '127.0.0.1', '--mode', 'gre');
    expect(bad).toMatchObject({ code: 2, stderr: 'nop-agent check: --mode: "gre" is not udp, tcp or icmp\n' });
  });

  it('http prints status, phases and size; a 500 exits 1', async () => {
    const ok = await check('http', `http://127.0.0.1:${webPort}/`);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`GET http://127.0.0.1:${webPort}/ -> HTTP 200, 6 B`);
    expect(ok.stdout).toMatch(/ {2}dns 0\.000 ms {2}connect \d+\.\d{3} ms {2}tls - {2}ttfb \d+\.\d{3} ms/);
    expect(ok.stdout.trim().endsWith('OK')).toBe(true);
    const down = await check('http', `127.0.0.1/down`, '--port', String(webPort));
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('-> HTTP 500');
    expect(down.stdout).toContain('FAILED: HTTP 500 not in expected 200-399');
  });

  it('tcp with --port, and --count runs with a summary', async () => {
    const one = await check('tcp', '127.0.0.1', '--port', String(tcpPort));
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`^Connected to 127\\.0\\.0\\.1:${tcpPort} in \\d+\\.\\d{3} ms`));
    const three = await check('tcp', `127.0.0.1:${tcpPort}`, '--count', '3', '--interval', '10ms');
    expect(three.code).toBe(0);
    expect(three.stdout).toContain('3 runs, 3 succeeded, 0% failed');
    const closed = await check('tcp', `127.0.0.1:${closedPort}`);
    expect(closed.code).toBe(1);
    expect(closed.stdout).toContain('FAILED: connection refused');
  });

  it('dns prints the answers like dig', async () => {
    const out = await check('dns', 'nop.test', '--record', 'mx', '--server', `127.0.0.1:${dns.port}`);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`; <<>> nop-agent check dns <<>> nop.test MX @127.0.0.1:${dns.port}`);
    expect(out.stdout).toContain(';; status: NOERROR, answers: 1');
    expect(out.stdout).toContain('nop.test.\t60\tIN\tMX\t10 mail.nop.test.');
    expect(out.stdout).toMatch(/;; Query time: \d+\.\d{3} ms/);
    const big = await check('dns', 'big.nop.test', '--server', `127.0.0.1:${dns.port}`);
    expect(big.stdout).toContain(`;; SERVER: 127.0.0.1:${dns.port} (tcp, after a truncated udp answer)`);
    const nx = await check('dns', 'missing.nop.test', '--server', `127.0.0.1:${dns.port}`, '--transport', 'tcp');
    expect(nx.code).toBe(1);
    expect(nx.stdout).toContain(';; status: NXDOMAIN');
    expect(nx.stdout).toContain('FAILED: NXDOMAIN: missing.nop.test does not exist');
  });

  it('--json prints one result per run', async () => {
    const out = await check('tcp', `127.0.0.1:${tcpPort}`, '--json', '--count', '2', '--interval', '10ms');
    const results = out.stdout
      .trim()
      .split('\n')
      .map((l) => CheckResult.parse(JSON.parse(l)));
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.success && r.type === 'tcp')).toBe(true);
  });

  it('bad usage: one line naming the flag, exit 2', async () => {
    const cases: [string[], string][] = [
      [['icmp', '127.0.0.1', '--count', 'x'], 'nop-agent check: --count: "x" is not a whole number 1-100\n'],
      [
        ['icmp', '127.0.0.1', '--timeout', '2 weeks'],
        'nop-agent check: --timeout: "2 weeks" is not a duration like 500ms, 2s, 1m\n',
      ],
      [['tcp', '127.0.0.1', '--record', 'A'], 'nop-agent check: --record applies to dns checks, not tcp\n'],
      [
        ['dns', 'x', '--record', 'ZZ'],
        'nop-agent check: --record: "ZZ" is not one of A AAAA CNAME MX TXT NS SOA SRV PTR\n',
      ],
      [
        ['ping', '127.0.0.1'],
        'nop-agent check: unknown check type "ping": one of icmp, http, tcp, dns, traceroute, interface\n',
      ],
      [['tcp', '127.0.0.1'], 'nop-agent check: target "127.0.0.1": must be host:port (the port is missing)\n'],
      [
        ['icmp'],
        'nop-agent check: needs <type> <target>, e.g. nop-agent check icmp 127.0.0.1 (see nop-agent check --help)\n',
      ],
      [['icmp', 'h', '--bogus'], "nop-agent check: Unknown option '--bogus' (see nop-agent check --help)\n"],
    ];
    for (const [args, message] of cases) {
      const out = await check(...args);
      expect({ args, code: out.code, stderr: out.stderr, stdout: out.stdout }).toEqual({
        args,
        code: 2,
        stderr: message,
        stdout: '',
      });
    }
  });

  it('is wired into the nop-agent executable', async () => {
    const out = await runAgentBin(['check', 'tcp', `127.0.0.1:${tcpPort}`, '--json']);
    expect(out.code).toBe(0);
    expect(CheckResult.parse(JSON.parse(out.stdout.trim())).success).toBe(true);
    const bad = await runAgentBin(['check', 'tcp', '127.0.0.1', '--port', '0']);
    expect(bad).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'nop-agent check: --port: "0" is not a whole number 1-65535\n',
    });
    const help = await runAgentBin(['--help']);
    expect(help.stdout).toContain('nop-agent check TYPE TARGET');
  });
});
