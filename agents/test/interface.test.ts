import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { AGENT_BIN } from '../src/index.ts';
import { agentEnv, spec, tempDir, unchecked, writeFile } from './helpers.ts';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const tag = randomBytes(3).toString('hex');
const NS = `nopi-${tag}`;
const HOST_IF = `nopi${tag}a`;
const NS_IF = `nopi${tag}b`;
// a /30 that exists only on this veth pair, between the root namespace and the test's namespace
const subnet = 200 + (parseInt(tag, 16) % 50);
const HOST_ADDR = `10.204.${subnet}.1`;
const NS_ADDR = `10.204.${subnet}.2`;

/** Runs the agent's --once inside the namespace, so it reads that namespace's /proc/net/dev. */
function onceInNamespace(yaml: string): Promise<any> {
  const file = writeFile(tempDir('nop-if-'), 'agent.yaml', yaml);
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', NS, process.execPath, AGENT_BIN, '--config', file, '--once'], {
      env: agentEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n')[0]!));
      } catch (error) {
        reject(new Error(`no JSON from the agent: ${out}`, { cause: error }));
      }
    });
  });
}

// Real traffic of a known rate over a veth pair into a namespace made by the test.
describe('interface throughput', () => {
  beforeAll(() => {
    for (const stale of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).match(/^nopi-\w+/gm) ?? [])
      ip('netns', 'del', stale);
    ip('netns', 'add', NS);
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
    ip('link', 'set', NS_IF, 'netns', NS);
    ip('addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('-n', NS, 'addr', 'add', `${NS_ADDR}/30`, 'dev', NS_IF);
    ip('-n', NS, 'link', 'set', NS_IF, 'up');
    ip('-n', NS, 'link', 'set', 'lo', 'up');
  });
  afterAll(() => {
    ip('netns', 'del', NS); // takes the veth pair with it
  });

  it('measures the received byte and packet rates of a stream of known rate', async () => {
    const PAYLOAD = 1000;
    const FRAME = PAYLOAD + 8 + 20 + 14; // UDP + IPv4 + Ethernet headers, as /proc/net/dev counts them
    const socket = createSocket('udp4');
    const payload = Buffer.alloc(PAYLOAD, 7);
    let sent = 0;
    const started = performance.now();
    // 10 datagrams every 20 ms: ~500 packets/s, for as long as the agent runs (bounded below)
    const sender = setInterval(() => {
      for (let i = 0; i < 10; i++) socket.send(payload, 9, NS_ADDR, () => sent++);
    }, 20);
    const stopAt = setTimeout(() => clearInterval(sender), 20_000);
    try {
      const result = await onceInNamespace(
        `name: if-test\nchecks:\n  - id: veth\n    type: interface\n    target: ${NS_IF}\n    sampleWindow: 1500ms\n    timeout: 3s\n`,
      );
      const rate = sent / ((performance.now() - started) / 1000);
      expect(result).toMatchObject({ success: true, durationMs: null, type: 'interface' });
      expect(result.metrics.rx_packets_per_second).toBeGreaterThan(rate * 0.8);
      expect(result.metrics.rx_packets_per_second).toBeLessThan(rate * 1.2);
      // our frames, give or take a few small ones the kernel sends on a new link (ARP, IPv6 ND)
      const bytesPerPacket = result.metrics.rx_bytes_per_second / result.metrics.rx_packets_per_second;
      expect(bytesPerPacket).toBeGreaterThan(FRAME * 0.95);
      expect(bytesPerPacket).toBeLessThanOrEqual(FRAME);
      expect(result.metrics).toMatchObject({ interfaces: 1, up: 1, rx_errors_per_second: 0, rx_drops_per_second: 0 });
    } finally {
      clearInterval(sender);
      clearTimeout(stopAt);
      socket.close();
    }
  });

  it('reports an interface that is down, and one that does not exist, in words', async () => {
    ip('-n', NS, 'link', 'set', NS_IF, 'down');
    try {
      const down = await onceInNamespace(
        `name: if-test\nchecks:\n  - id: veth\n    type: interface\n    target: ${NS_IF}\n    sampleWindow: 100ms\n`,
      );
      expect(down).toMatchObject({ success: false, error: `${NS_IF} is down` });
      expect(down.metrics.up).toBe(0);
    } finally {
      ip('-n', NS, 'link', 'set', NS_IF, 'up');
    }
    const missing = await runCheck(spec({ id: 'x', type: 'interface', target: 'nope0', sampleWindow: '100ms' }));
    expect(missing).toMatchObject({ success: false });
    expect(missing.error).toMatch(/^no interface nope0 \(have: .*lo/);
  });

  it('sums every interface but loopback for "*", and refuses a window as long as the timeout', async () => {
    const all = await runCheck(spec({ id: 'all', type: 'interface', target: '*', sampleWindow: '200ms' }));
    expect(all.success).toBe(true);
    expect(all.metrics.interfaces).toBeGreaterThanOrEqual(1);
    const bad = await runCheck(
      unchecked({ id: 'bad', type: 'interface', target: 'lo' }, { sampleWindow: 5000, timeout: 5000 }),
    );
    expect(bad.error).toBe('sampleWindow (5000 ms) must be shorter than timeout (5000 ms)');
  });
});
