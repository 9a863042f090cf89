import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../src/agent.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { tempDir, writeFile } from './helpers.ts';
import { freePort } from './local-peers.ts';

const PUSHGATEWAY = process.env.PUSHGATEWAY_BIN ?? '/usr/bin/prometheus-pushgateway';

// A real Prometheus Pushgateway (Debian's) on loopback receives the agent's metrics.
describe('Pushgateway export', () => {
  let gateway: ChildProcess;
  let url: string;
  let agent: RunningAgent;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Debian's build persists to /var/lib/prometheus by default: an empty file name keeps this one in memory
    gateway = spawn(PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${PUSHGATEWAY} did not become ready`);
  });
  afterAll(async () => {
    await agent?.stop();
    gateway?.kill();
  });

  it('pushes probe metrics grouped by job nop-agent and instance = agent name', async () => {
    const instance = `push-test-${randomBytes(3).toString('hex')}`;
    const file = writeFile(
      tempDir('nop-push-'),
      'agent.yaml',
      `name: ${instance}\nlisten: 127.0.0.1:0\npushInterval: 200ms\nchecks:\n  - id: ping-lo\n    type: icmp\n    target: 127.0.0.1\n    interval: 1s\n    timeout: 500ms\n    count: 1\n`,
    );
    const settings = loadConfig({ file, env: { PROM_PUSHGATEWAY: url } });
    expect(settings.pushgateway).toBe(url);
    agent = await startAgent(settings, silentLogger);

    const pushed = async () => (await fetch(`${url}/metrics`)).text();
    // the series this agent pushed: its check, under its own grouping key
    const line = (text: string) =>
      text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('probe_success{') && l.includes(`instance="${instance}"`) && l.includes('check="ping-lo"'),
        );
    await expect.poll(async () => line(await pushed()), { timeout: 5000 }).toBeDefined();
    expect(line(await pushed())).toMatch(/job="nop-agent".*\} 1$/);
    expect(agent.pusher!.pushes).toBeGreaterThan(0);
  });

  it('refuses a Pushgateway URL that is not http(s), naming the variable', () => {
    expect(() =>
      loadConfig({
        file: writeFile(tempDir('nop-push-'), 'a.yaml', 'name: a\n'),
        env: { PROM_PUSHGATEWAY: 'ftp://x' },
      }),
    ).toThrow(/PROM_PUSHGATEWAY/);
  });
});
