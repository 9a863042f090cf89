import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../src/agent.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { tempDir, writeFile } from './helpers.ts';

// A real agent whose TCP check starts failing takes a real traceroute to the same destination.
describe('diagnostic traceroute', () => {
  let agent: RunningAgent;
  afterAll(() => agent?.stop());

  it('is taken once when a check starts failing, and recorded as <check>.trace', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const file = writeFile(
      tempDir('nop-diag-'),
      'agent.yaml',
      `name: diag\nlisten: 127.0.0.1:0\nchecks:\n  - { id: svc, type: tcp, target: "127.0.0.1:${port}", interval: 1s, timeout: 500ms }\n`,
    );
    agent = await startAgent(loadConfig({ file, env: {} }), silentLogger);
    const metrics = async () => agent.metrics.registry.metrics();
    await expect.poll(metrics, { timeout: 3000 }).toMatch(/probe_success\{[^}]*check="svc"[^}]*\} 1/);
    expect(await metrics()).not.toContain('check="svc.trace"');

    await new Promise((resolve) => server.close(resolve)); // the service goes away
    await expect
      .poll(metrics, { timeout: 5000 })
      .toMatch(/nop_agent_results_total\{[^}]*check="svc.trace"[^}]*type="traceroute"[^}]*\} 1/);
    const text = await metrics();
    expect(text).toMatch(/nop_traceroute_hop_count\{[^}]*check="svc.trace"[^}]*\} 1/);
    // still failing a second later: no second capture (one per destination per cooldown)
    await new Promise((r) => setTimeout(r, 1000));
    expect(await metrics()).toMatch(/nop_agent_results_total\{[^}]*check="svc.trace"[^}]*\} 1\n/);
  });
});
