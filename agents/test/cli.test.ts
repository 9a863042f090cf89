import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_BIN } from '../src/index.ts';
import { BackendStub } from './backend-stub.ts';
import { type LocalPeers, startLocalPeers } from './local-peers.ts';
import { agentEnv, runAgentBin, tempDir, writeFile } from './helpers.ts';

const dir = tempDir('nop-cli-');
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

const goodChecks = () => `
name: cli-test
checks:
  - { id: ping, type: icmp, target: 127.0.0.1, count: 2, interval: 1s, timeout: 500ms }
  - { id: port, type: tcp, target: "127.0.0.1:${tcpPort}", interval: 1s, timeout: 500ms }
  - { id: web, type: http, target: "http://127.0.0.1:${webPort}/", interval: 1s, timeout: 500ms }
  - { id: name, type: dns, target: web.nop.test, server: "127.0.0.1:${dns.port}", interval: 1s, timeout: 500ms }
`;

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe('nop-agent CLI', () => {
  it('--help prints usage and exits 0', async () => {
    const out = await runAgentBin(['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('nop-agent --config FILE --once');
  });

  it('an unknown flag is one line on stderr and exit 2', async () => {
    const out = await runAgentBin(['--bogus']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe("nop-agent: Unknown option '--bogus' (see --help)\n");
  });

  it('a bad config stops with one line naming file, line and field, exit 2', async () => {
    const file = writeFile(dir, 'bad.yaml', 'checks:\n  - { id: a, type: icmp, target: 127.0.0.1, interval: 10x }\n');
    const out = await runAgentBin(['--config', file]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`${file}:2: checks[0].interval: "10x" is not a duration like 500ms, 10s, 1m\n`);
  });

  it('--once runs every check once: one JSON result per line, exit 0 when all succeed', async () => {
    const file = writeFile(dir, 'good.yaml', goodChecks());
    const out = await runAgentBin(['--config', file, '--once']);
    expect(out.stderr).not.toMatch(/"level":(50|60)/);
    expect(out.code).toBe(0);
    const results = lines(out.stdout).map((l) => CheckResult.parse(JSON.parse(l)));
    expect(results.map((r) => r.checkId)).toEqual(['ping', 'port', 'web', 'name']);
    expect(results.every((r) => r.success)).toBe(true);
    expect(results[0]!.metrics.packets_received).toBe(2);
    expect(results[2]!.metrics.status_code).toBe(200);
    expect(results[3]!.metrics.answers).toBe(2);
  });

  it('--once exits 1 when a check fails, and still prints every result', async () => {
    const file = writeFile(
      dir,
      'mixed.yaml',
      `checks:\n  - { id: up, type: tcp, target: "127.0.0.1:${tcpPort}" }\n  - { id: down, type: tcp, target: "127.0.0.1:${closedPort}" }\n`,
    );
    const out = await runAgentBin(['--config', file, '--once']);
    expect(out.code).toBe(1);
    const results = lines(out.stdout).map((l) => CheckResult.parse(JSON.parse(l)));
    expect(results.map((r) => [r.checkId, r.success, r.error])).toEqual([
      ['up', true, undefined],
      ['down', false, 'connection refused'],
    ]);
  });

  it('--once without --config is a usage error', async () => {
    const out = await runAgentBin(['--once']);
    expect(out.code).toBe(2);
    expect(lines(out.stderr)).toHaveLength(1);
  });
});

/** Spawns the agent for a long run and finds its status port in the log. */
async function startAgentProcess(args: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [AGENT_BIN, ...args], { env, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 8000;
  let base: string | undefined;
  while (!base) {
    if (Date.now() > deadline) throw new Error(`agent did not listen:\n${stderr}`);
    base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, base, exited, stderr: () => stderr };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('nop-agent as a service', () => {
  it('standalone: serves /health and /metrics, and exits 0 on SIGTERM', async () => {
    const file = writeFile(dir, 'svc.yaml', goodChecks());
    const agent = await startAgentProcess(['--config', file], agentEnv({ NOP_AGENT_LISTEN: '127.0.0.1:0' }));
    try {
      const health = (await (await fetch(`${agent.base}/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        status: 'ok',
        agent: 'cli-test',
        mode: 'standalone',
        running: true,
        connected: false,
        checks: 4,
      });
      const metrics = await waitFor(
        async () => {
          const text = await (await fetch(`${agent.base}/metrics`)).text();
          return ['ping', 'port', 'web', 'name'].every((c) =>
            text.includes(`probe_success{agent="cli-test",check="${c}"`),
          )
            ? text
            : undefined;
        },
        4000,
        'a result of every check in /metrics',
      );
      expect(metrics).toMatch(/probe_success\{agent="cli-test",check="ping",target="127.0.0.1",type="icmp"\} 1/);
      expect(metrics).toMatch(/probe_http_status_code\{agent="cli-test",check="web",[^}]*\} 200/);
      expect(metrics).toMatch(/probe_dns_lookup_time_seconds\{agent="cli-test",check="name",[^}]*\} \d/);
      expect(metrics).toMatch(/nop_probe_rtt_seconds\{agent="cli-test",check="ping",[^}]*stat="avg"\} \d/);
      expect((await fetch(`${agent.base}/nope`)).status).toBe(404);
    } finally {
      agent.child.kill('SIGTERM');
    }
    const started = Date.now();
    expect(await agent.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(3500);
  });

  it('linked by environment alone: obeys the backend, ships results, and as a managed child exits when stdin closes', async () => {
    const backend = await BackendStub.start('cli-secret-token');
    backend.onRegister = (socket) => {
      socket.send(
        JSON.stringify({
          type: 'config',
          config: {
            version: 7,
            checks: [{ id: 'lo', type: 'tcp', target: `127.0.0.1:${tcpPort}`, interval: 1000, timeout: 500 }],
          },
        }),
      );
      socket.send(JSON.stringify({ type: 'command', command: 'start' }));
    };
    const agent = await startAgentProcess(
      [],
      agentEnv({
        NOP_BACKEND_URL: backend.url,
        NOP_AGENT_TOKEN: backend.token,
        NOP_AGENT_NAME: 'managed-1',
        NOP_AGENT_MANAGED: '1',
      }),
    );
    try {
      await backend.until(() => backend.of('results').length > 0, 5000, 'a result batch from the agent');
      expect(backend.of('register')[0]).toMatchObject({ configVersion: 0 });
      expect(backend.of('state')[0]).toEqual({ type: 'state', state: 'running' });
      expect(backend.of('results')[0]!.results[0]).toMatchObject({ checkId: 'lo', success: true });
      const health = (await (await fetch(`${agent.base}/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        mode: 'backend',
        connected: true,
        backendUrl: backend.url,
        running: true,
        checks: 1,
        configVersion: 7,
      });

      agent.child.stdin.end(); // the backend went away
      const started = Date.now();
      expect(await agent.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(3500);
      expect(agent.stderr()).toContain('stdin closed (managed agent)');
      expect(agent.stderr()).not.toContain(backend.token);
    } finally {
      agent.child.kill('SIGKILL');
      await backend.close();
    }
  });
});
