import { CheckResult } from '@nop/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { closeIcmpSockets, ICMP_PERMISSION_MESSAGE, runCheck } from '../src/checks/index.ts';
import { type EchoOutcome, IcmpSocket } from '../src/checks/icmp-socket.ts';
import { runAgentBin, spec, tempDir, unchecked, writeFile } from './helpers.ts';

// Real echoes, to loopback only (127.0.0.0/8 and ::1).

afterAll(() => closeIcmpSockets());

function ipv6Supported(): boolean {
  try {
    new IcmpSocket(6).close();
    return true;
  } catch {
    return false;
  }
}

function expectRealEchoes(result: CheckResult, count: number) {
  expect(CheckResult.parse(result)).toEqual(result);
  expect(result.error).toBeUndefined();
  expect(result.success).toBe(true);
  const m = result.metrics;
  expect(m).toMatchObject({ packets_sent: count, packets_received: count, loss_ratio: 0 });
  expect(m.rtt_min_ms).toBeGreaterThan(0);
  expect(m.rtt_min_ms!).toBeLessThanOrEqual(m.rtt_avg_ms!);
  expect(m.rtt_avg_ms!).toBeLessThanOrEqual(m.rtt_max_ms!);
  expect(m.rtt_max_ms!).toBeLessThan(1000);
  expect(m.rtt_mdev_ms).toBeGreaterThanOrEqual(0);
  expect(result.durationMs).toBe(m.rtt_avg_ms);
  if (count >= 2) expect(m.jitter_ms).toBeGreaterThanOrEqual(0);
  else expect(m.jitter_ms).toBeUndefined();
}

/** The i-th of many distinct loopback addresses: 127.1.0.1, 127.1.0.2, … (host parts 1-250). */
const loopback = (i: number) => `127.${1 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;

describe('icmp prober (loopback)', () => {
  it('pings 127.0.0.1 with real echoes and real RTTs', async () => {
    const before = Date.now();
    const result = await runCheck(spec({ id: 'lo4', type: 'icmp', target: '127.0.0.1', count: 3, timeout: 2000 }));
    expectRealEchoes(result, 3);
    expect(result).toMatchObject({ checkId: 'lo4', type: 'icmp', target: '127.0.0.1' });
    expect(Date.parse(result.time)).toBeGreaterThanOrEqual(before - 1);
  });

  it('times RTTs with kernel timestamps: microseconds on loopback, with jitter and the reply TTL', async () => {
    const result = await runCheck(
      spec({ id: 'us', type: 'icmp', target: '127.0.0.1', count: 5, echoInterval: 10, timeout: 2000 }),
    );
    expectRealEchoes(result, 5);
    const m = result.metrics;
    expect(m.rtt_max_ms).toBeLessThan(1); // event-loop stalls do not count: the kernel stamps the reply
    expect(m.jitter_ms!).toBeLessThan(1);
    expect(m.reply_ttl).toBe(64); // Linux's default TTL, and loopback has no hop to decrement it
  });

  it.runIf(ipv6Supported())('pings ::1 over ICMPv6, with the reply hop limit', async () => {
    const result = await runCheck(spec({ id: 'lo6', type: 'icmp', target: '::1', count: 3, echoInterval: 10 }));
    expectRealEchoes(result, 3);
    expect(result.metrics.reply_ttl).toBe(64);
    expect(result.metrics.rtt_max_ms).toBeLessThan(1);
    expectRealEchoes(await runCheck(spec({ id: 'lo6b', type: 'icmp', target: '[::1]', count: 1, timeout: 2000 })), 1);
  });

  it('spaces the echoes echoInterval apart: a run lasts about (count - 1) × interval', async () => {
    const started = performance.now();
    const result = await runCheck(spec({ id: 'gap', type: 'icmp', target: '127.0.0.1', count: 6, echoInterval: 40 }));
    const elapsed = performance.now() - started;
    expectRealEchoes(result, 6);
    expect(elapsed).toBeGreaterThanOrEqual(5 * 40 - 2);
    expect(elapsed).toBeLessThan(5 * 40 + 150);
  });

  it('applies ttl and Don’t Fragment without error (a big DF datagram fits loopback’s 64 KiB MTU)', async () => {
    for (const ttl of [1, 7, 255])
      expectRealEchoes(await runCheck(spec({ id: `ttl${ttl}`, type: 'icmp', target: '127.0.0.1', count: 2, ttl })), 2);
    const df = await runCheck(
      spec({ id: 'df', type: 'icmp', target: '127.0.0.1', count: 2, size: 65_000, dontFragment: true }),
    );
    expectRealEchoes(df, 2);
    if (ipv6Supported())
      expectRealEchoes(
        await runCheck(
          spec({ id: 'df6', type: 'icmp', target: '::1', count: 1, size: 60_000, dontFragment: true, ttl: 3 }),
        ),
        1,
      );
  });

  it('sends the payload size asked for, down to zero bytes and up to a large datagram', async () => {
    expectRealEchoes(await runCheck(spec({ id: 's0', type: 'icmp', target: '127.0.0.1', count: 1, size: 0 })), 1);
    expectRealEchoes(await runCheck(spec({ id: 'sbig', type: 'icmp', target: '127.0.0.1', count: 1, size: 9000 })), 1);
  });

  it('answers 200 concurrent checks over 127.0.0.0/8 on the one shared socket', async () => {
    const targets = Array.from({ length: 200 }, (_, i) => loopback(i));
    const results = await Promise.all(
      targets.map((target, i) =>
        runCheck(
          spec({
            id: `p${i}`,
            type: 'icmp',
            target,
            count: 3,
            echoInterval: 20,
            size: 8 + (i % 20) * 50,
            timeout: 3000,
          }),
        ),
      ),
    );
    results.forEach((r, i) => {
      expectRealEchoes(r, 3);
      expect(r.target).toBe(targets[i]);
    });
  });

  it('matches every reply to its own echo: 3,000 targets at once, no cross-talk between two sockets', async () => {
    const a = new IcmpSocket(4);
    const b = new IcmpSocket(4);
    try {
      expect(a.identifier).not.toBe(b.identifier);
      const targets = Array.from({ length: 3000 }, (_, i) => loopback(i));
      const [fromA, fromB] = await Promise.all(
        [a, b].map((socket) => Promise.all(targets.map((t) => socket.echo(t, 16, 3000)))),
      );
      const check = (outcomes: EchoOutcome[]) =>
        outcomes.forEach((o, i) => {
          expect(o).toMatchObject({ from: targets[i] });
          expect((o as { rttMs: number }).rttMs).toBeLessThan(1000);
        });
      check(fromA!);
      check(fromB!);
    } finally {
      a.close();
      b.close();
    }
  });

  it('draws a fresh random identifier for every socket it opens', () => {
    const ids = Array.from({ length: 4 }, () => {
      const socket = new IcmpSocket(4);
      socket.close();
      return socket.identifier;
    });
    expect(new Set(ids).size).toBeGreaterThan(1);
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(0);
      expect(id).toBeLessThan(0x10000);
    }
  });

  it('resolves host names (localhost from /etc/hosts), honours ipVersion, and reports the lookup time', async () => {
    const result = await runCheck(spec({ id: 'name', type: 'icmp', target: 'localhost', count: 1, ipVersion: 4 }));
    expectRealEchoes(result, 1);
    expect(result.metrics.dns_ms).toBeGreaterThanOrEqual(0);
    const mismatch = await runCheck(spec({ id: 'v', type: 'icmp', target: '127.0.0.1', ipVersion: 6 }));
    expect(mismatch).toMatchObject({ success: false, error: '127.0.0.1 is not an IPv6 address (ipVersion is 6)' });
  });

  it('reports an invalid host as data, without asking any resolver', async () => {
    const result = await runCheck(unchecked({ id: 'bad', type: 'icmp', target: 'h' }, { target: 'not a host!' }));
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'invalid host "not a host!"' });
    expect(CheckResult.parse(result)).toEqual(result);
  });

  it('stops early when aborted', async () => {
    const controller = new AbortController();
    const pending = runCheck(spec({ id: 'abort', type: 'icmp', target: '127.0.0.1', count: 50 }), controller.signal);
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.metrics.packets_sent).toBeLessThan(50);
  });

  it('settles pending echoes when the socket closes, and the next run opens a new one', async () => {
    const socket = new IcmpSocket(4);
    const pending = socket.echo('127.0.0.1', 8, 5000);
    socket.close();
    expect(await pending).toEqual({ error: 'ICMP socket closed' });
    expect(await socket.echo('127.0.0.1', 8, 5000)).toEqual({ error: 'ICMP socket closed' });
    closeIcmpSockets();
    expectRealEchoes(await runCheck(spec({ id: 'again', type: 'icmp', target: '127.0.0.1', count: 1 })), 1);
  });

  it.runIf(process.getuid?.() === 0)(
    'says what is missing when no ICMP socket can be opened (run as nobody)',
    async () => {
      const dir = tempDir('nop-icmp-');
      const config = writeFile(dir, 'c.yaml', 'checks:\n  - { id: lo, type: icmp, target: 127.0.0.1, count: 1 }\n');
      const out = await runAgentBin(['--config', config, '--once'], { uid: 65534, gid: 65534 });
      const range = await import('node:fs').then((fs) =>
        fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8'),
      );
      const [low, high] = range.trim().split(/\s+/).map(Number) as [number, number];
      if (low <= 65534 && 65534 <= high) return; // this host lets nobody ping: covered by icmp-netns.test.ts
      expect(out.code).toBe(1);
      const result = CheckResult.parse(JSON.parse(out.stdout.trim()));
      expect(result).toMatchObject({ success: false, durationMs: null, error: ICMP_PERMISSION_MESSAGE });
    },
  );
});
