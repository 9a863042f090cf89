import { CheckResult } from '@nop/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { closeIcmpSockets, ICMP_PERMISSION_MESSAGE, runCheck } from '../src/checks/index.ts';
import { IcmpSocket } from '../src/checks/icmp-socket.ts';
import { runAgentBin, spec, tempDir, writeFile } from './helpers.ts';

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
  expect(result.success).toBe(true);
  expect(result.error).toBeUndefined();
  const m = result.metrics;
  expect(m).toMatchObject({ packets_sent: count, packets_received: count, loss_ratio: 0 });
  expect(m.rtt_min_ms).toBeGreaterThan(0);
  expect(m.rtt_min_ms!).toBeLessThanOrEqual(m.rtt_avg_ms!);
  expect(m.rtt_avg_ms!).toBeLessThanOrEqual(m.rtt_max_ms!);
  expect(m.rtt_max_ms!).toBeLessThan(1000);
  expect(m.rtt_mdev_ms).toBeGreaterThanOrEqual(0);
  expect(result.durationMs).toBe(m.rtt_avg_ms);
}

describe('icmp prober (raw socket, loopback)', () => {
  it('pings 127.0.0.1 with real echoes and real RTTs', async () => {
    const before = Date.now();
    const result = await runCheck(spec({ id: 'lo4', type: 'icmp', target: '127.0.0.1', count: 3, timeout: 2000 }));
    expectRealEchoes(result, 3);
    expect(result).toMatchObject({ checkId: 'lo4', type: 'icmp', target: '127.0.0.1' });
    expect(Date.parse(result.time)).toBeGreaterThanOrEqual(before - 1);
  });

  it.runIf(ipv6Supported())('pings ::1 over ICMPv6', async () => {
    expectRealEchoes(await runCheck(spec({ id: 'lo6', type: 'icmp', target: '::1', count: 2, timeout: 2000 })), 2);
    expectRealEchoes(await runCheck(spec({ id: 'lo6b', type: 'icmp', target: '[::1]', count: 1, timeout: 2000 })), 1);
  });

  it('matches replies of many concurrent probes on the one shared socket', async () => {
    const targets = Array.from({ length: 20 }, (_, i) => `127.0.0.${i + 1}`);
    const results = await Promise.all(
      targets.map((target, i) =>
        runCheck(spec({ id: `p${i}`, type: 'icmp', target, count: 3, size: 8 + i * 50, timeout: 2000 })),
      ),
    );
    for (const r of results) expectRealEchoes(r, 3);
    expect(new Set(results.map((r) => r.id)).size).toBe(20);
  });

  it('sends the payload size asked for, down to zero bytes and up to a large datagram', async () => {
    expectRealEchoes(await runCheck(spec({ id: 's0', type: 'icmp', target: '127.0.0.1', count: 1, size: 0 })), 1);
    expectRealEchoes(await runCheck(spec({ id: 'sbig', type: 'icmp', target: '127.0.0.1', count: 1, size: 9000 })), 1);
  });

  it('resolves host names (localhost from /etc/hosts) and reports the lookup time', async () => {
    const result = await runCheck(spec({ id: 'name', type: 'icmp', target: 'localhost', count: 1 }));
    expectRealEchoes(result, 1);
    expect(result.metrics.dns_ms).toBeGreaterThanOrEqual(0);
  });

  it('reports an invalid host as data, without asking any resolver', async () => {
    const result = await runCheck(spec({ id: 'bad', type: 'icmp', target: 'not a host!' }));
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

  it.runIf(process.getuid?.() === 0)(
    'says what is missing when the raw socket cannot be opened (run as nobody)',
    async () => {
      const dir = tempDir('nop-icmp-');
      const config = writeFile(dir, 'c.yaml', 'checks:\n  - { id: lo, type: icmp, target: 127.0.0.1, count: 1 }\n');
      const out = await runAgentBin(['--config', config, '--once'], { uid: 65534, gid: 65534 });
      expect(out.code).toBe(1);
      const result = CheckResult.parse(JSON.parse(out.stdout.trim()));
      expect(result).toMatchObject({ success: false, durationMs: null, error: ICMP_PERMISSION_MESSAGE });
    },
  );
});
