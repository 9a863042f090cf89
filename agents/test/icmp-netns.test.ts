import { fileURLToPath } from 'node:url';
import { type CheckResult, type CheckSpecInput } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIcmpSockets, ICMP_PERMISSION_MESSAGE, runCheck } from '../src/checks/index.ts';
import { runToEnd, spec } from './helpers.ts';
import { type TestNet, createEmptyNamespace, createTestNet, netnsUsable, removeStaleNamespaces } from './netns.ts';

// Real echoes over a veth pair into a namespace this file creates (and removes): nftables in
// there drops or rejects a known share of the echo requests. No other address is ever pinged.

const usable = netnsUsable();
const CHILD = fileURLToPath(new URL('./icmp-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** [lo, hi]: the central `1 - alpha` interval of Binomial(n, p), in counts. */
function binomialInterval(n: number, p: number, alpha: number): [number, number] {
  let pmf = (1 - p) ** n;
  let cdf = 0;
  let lo = -1;
  for (let k = 0; k <= n; k++) {
    cdf += pmf;
    if (lo < 0 && cdf > alpha / 2) lo = k;
    if (cdf >= 1 - alpha / 2) return [lo, k];
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return [lo, n];
}

describe.runIf(usable)('icmp prober over a real path with nftables loss (network namespace)', () => {
  let net: TestNet;

  beforeAll(() => {
    removeStaleNamespaces();
    net = createTestNet('loss');
  });
  afterAll(() => {
    closeIcmpSockets();
    net?.destroy();
  });

  const ping = (extra: Partial<CheckSpecInput> = {}) =>
    runCheck(
      spec({
        id: 'ns',
        type: 'icmp',
        target: net.remote,
        count: 3,
        echoInterval: 5,
        timeout: 1000,
        ...extra,
      } as CheckSpecInput),
    );

  it('0% loss: every echo answered, reply TTL 64 from the host one veth away', async () => {
    net.nft('');
    const result = await ping({ count: 100 });
    expect(result).toMatchObject({ success: true });
    expect(result.metrics).toMatchObject({ packets_sent: 100, packets_received: 100, loss_ratio: 0, reply_ttl: 64 });
    expect(result.metrics.jitter_ms).toBeGreaterThanOrEqual(0);
  });

  it('30% of requests dropped: the measured loss is inside the binomial 99.9% interval', async () => {
    net.nft(
      'table inet loss {\n  chain in {\n    type filter hook input priority 0; policy accept;\n' +
        '    icmp type echo-request numgen random mod 100 < 30 drop\n  }\n}\n',
    );
    const runs = await Promise.all(Array.from({ length: 5 }, () => ping({ count: 100, timeout: 800 })));
    let sent = 0;
    let received = 0;
    for (const r of runs) {
      const m = r.metrics;
      expect(m.loss_ratio).toBeCloseTo((m.packets_sent! - m.packets_received!) / m.packets_sent!, 3);
      sent += m.packets_sent!;
      received += m.packets_received!;
    }
    expect(sent).toBe(500);
    const [lo, hi] = binomialInterval(sent, 0.3, 0.001);
    expect(sent - received).toBeGreaterThanOrEqual(lo);
    expect(sent - received).toBeLessThanOrEqual(hi);
  });

  it('100% loss: a failed result with loss_ratio 1 after the timeout', async () => {
    net.nft(
      'table inet loss {\n  chain in {\n    type filter hook input priority 0;\n    icmp type echo-request drop\n  }\n}\n',
    );
    const result = await ping({ count: 20, timeout: 300 });
    expect(result).toMatchObject({
      success: false,
      durationMs: null,
      error: 'timeout after 300 ms (no reply to 20 echoes)',
    });
    expect(result.metrics).toMatchObject({ packets_sent: 20, packets_received: 0, loss_ratio: 1 });
  });

  it('puts the ttl asked for on the wire (the far side answers only TTL 7)', async () => {
    net.nft(
      'table inet t {\n  chain in {\n    type filter hook input priority 0;\n    icmp type echo-request ip ttl != 7 drop\n  }\n}\n',
    );
    expect((await ping({ ttl: 7 })).metrics).toMatchObject({ packets_received: 3 });
    expect((await ping({ ttl: 8, timeout: 200 })).metrics).toMatchObject({ packets_received: 0 });
    expect((await ping({ timeout: 200 })).metrics).toMatchObject({ packets_received: 0 });
  });

  it('sets Don’t Fragment only when asked (the far side drops DF echoes)', async () => {
    net.nft(
      'table inet t {\n  chain in {\n    type filter hook input priority 0;\n' +
        '    icmp type echo-request ip frag-off & 0x4000 != 0 drop\n  }\n}\n',
    );
    expect((await ping({ dontFragment: false })).metrics).toMatchObject({ packets_received: 3 });
    expect((await ping({ dontFragment: true, timeout: 200 })).metrics).toMatchObject({ packets_received: 0 });
  });

  it('fragments a datagram over the 1500-byte MTU, unless DF: then "message too long"', async () => {
    net.nft('');
    expect((await ping({ size: 3000 })).metrics).toMatchObject({ packets_received: 3 });
    const df = await ping({ size: 3000, dontFragment: true });
    expect(df).toMatchObject({ success: false, error: `cannot send to ${net.remote}: message too long` });
  });

  it('reports an ICMP error quoting our echo (administratively prohibited)', async () => {
    net.nft(
      'table inet t {\n  chain in {\n    type filter hook input priority 0;\n' +
        '    icmp type echo-request reject with icmp type admin-prohibited\n  }\n}\n',
    );
    const result = await ping({ count: 2 });
    expect(result).toMatchObject({
      success: false,
      error: `destination unreachable from ${net.remote} (ICMP type 3 code 13)`,
    });
    expect(result.metrics).toMatchObject({ packets_sent: 2, packets_received: 0, loss_ratio: 1 });
  });
});

interface ChildOutput {
  kind?: string;
  openError?: string;
  results: CheckResult[];
}

/** Runs icmp-child.ts inside `ns` (optionally as nobody) and returns what it printed. */
async function child(ns: string, job: object): Promise<ChildOutput> {
  const run = await runToEnd(
    'ip',
    ['netns', 'exec', ns, process.execPath, '--import', 'tsx', CHILD, JSON.stringify(job)],
    { cwd: REPO, timeoutMs: 20_000 },
  );
  if (run.code !== 0) throw new Error(`child exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as ChildOutput;
}

describe.runIf(usable)('icmp socket kinds (child processes in a fresh namespace)', () => {
  // net.ipv4.ping_group_range is per network namespace: these runs never touch the host's.
  let space: ReturnType<typeof createEmptyNamespace>;
  const setRange = (range: string) => space.exec(['sysctl', '-q', '-w', `net.ipv4.ping_group_range=${range}`]);
  const checks: CheckSpecInput[] = [
    { id: 'v4', type: 'icmp', target: '127.0.0.1', count: 2, echoInterval: 10 },
    { id: 'v6', type: 'icmp', target: '::1', count: 2, echoInterval: 10 },
  ];

  beforeAll(() => {
    removeStaleNamespaces();
    space = createEmptyNamespace('kind');
  });
  afterAll(() => space?.destroy());

  const expectAnswered = (out: ChildOutput) => {
    for (const r of out.results) {
      expect(r).toMatchObject({ success: true });
      expect(r.metrics).toMatchObject({ packets_received: 2, reply_ttl: 64 });
    }
  };

  it('uses the unprivileged datagram socket when ping_group_range covers the group', async () => {
    setRange('0 2147483647');
    const root = await child(space.ns, { checks });
    expect(root.kind).toBe('dgram');
    expectAnswered(root);
    setRange('65534 65534');
    const nobody = await child(space.ns, { uid: 65534, gid: 65534, checks });
    expect(nobody.kind).toBe('dgram');
    expectAnswered(nobody);
  });

  it('falls back to a raw socket with root/CAP_NET_RAW when the range excludes the group', async () => {
    setRange('1 0');
    const root = await child(space.ns, { checks });
    expect(root.kind).toBe('raw');
    expectAnswered(root);
  });

  it('names both remedies when neither socket can be opened', async () => {
    setRange('1 0');
    const nobody = await child(space.ns, { uid: 65534, gid: 65534, checks });
    expect(nobody.kind).toBeUndefined();
    expect(nobody.openError).toBe(ICMP_PERMISSION_MESSAGE);
    expect(ICMP_PERMISSION_MESSAGE).toMatch(/CAP_NET_RAW/);
    expect(ICMP_PERMISSION_MESSAGE).toMatch(/ping_group_range/);
    for (const r of nobody.results) expect(r).toMatchObject({ success: false, error: ICMP_PERMISSION_MESSAGE });
  });

  it('reads ICMP errors from the datagram socket’s error queue', async () => {
    setRange('0 2147483647');
    space.exec(['nft', 'flush', 'ruleset']);
    space.exec([
      'sh',
      '-c',
      'nft add table ip t && nft add chain ip t in "{ type filter hook input priority 0; }" && ' +
        'nft add rule ip t in ip daddr 127.0.0.2 icmp type echo-request reject with icmp type admin-prohibited',
    ]);
    const out = await child(space.ns, {
      checks: [
        { id: 'rej', type: 'icmp', target: '127.0.0.2', count: 2, echoInterval: 10, timeout: 1000 },
        { id: 'ok', type: 'icmp', target: '127.0.0.1', count: 2, echoInterval: 10, timeout: 1000 },
      ],
    });
    expect(out.kind).toBe('dgram');
    expect(out.results[0]).toMatchObject({
      success: false,
      error: 'destination unreachable from 127.0.0.2 (ICMP type 3 code 13)',
    });
    expect(out.results[1]).toMatchObject({ success: true, metrics: { packets_received: 2 } });
    space.exec(['nft', 'flush', 'ruleset']);
  });

  it('reports ICMPv6 errors quoting our echo on both socket kinds', async () => {
    space.exec(['ip', '-6', 'addr', 'replace', 'fd00:6e6f:706c::2/128', 'dev', 'lo', 'nodad']);
    space.exec(['nft', 'flush', 'ruleset']);
    space.exec([
      'sh',
      '-c',
      'nft add table ip6 t && nft add chain ip6 t in "{ type filter hook input priority 0; }" && ' +
        'nft add rule ip6 t in ip6 daddr fd00:6e6f:706c::2 icmpv6 type echo-request ' +
        'reject with icmpv6 type admin-prohibited',
    ]);
    for (const [range, kind] of [
      ['0 2147483647', 'dgram'],
      ['1 0', 'raw'],
    ] as const) {
      setRange(range);
      const out = await child(space.ns, {
        family: 6,
        checks: [
          { id: 'rej6', type: 'icmp', target: 'fd00:6e6f:706c::2', count: 2, echoInterval: 10, timeout: 1000 },
          { id: 'ok6', type: 'icmp', target: '::1', count: 2, echoInterval: 10, ttl: 5, dontFragment: true },
        ],
      });
      expect(out.kind).toBe(kind);
      expect(out.results[0]).toMatchObject({
        success: false,
        error: 'destination unreachable from fd00:6e6f:706c::2 (ICMP type 1 code 1)',
      });
      expect(out.results[1]).toMatchObject({ success: true, metrics: { packets_received: 2, reply_ttl: 64 } });
    }
    space.exec(['nft', 'flush', 'ruleset']);
  });
});
