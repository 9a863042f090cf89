import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../src/agent.ts';
import { loadConfig } from '../src/config.ts';
import { AGENT_BIN } from '../src/index.ts';
import { silentLogger } from '../src/log.ts';
import { redisChannels } from '../src/redis-channel.ts';
import { agentEnv, tempDir, writeFile } from './helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = 'control-token-for-tests-0123456789';
const yaml = (checks: string) => `name: ctl-${randomBytes(3).toString('hex')}\nlisten: 127.0.0.1:0\nchecks:\n${checks}`;
const TCP = '  - id: t1\n    type: tcp\n    target: 127.0.0.1:1\n    interval: 1s\n    timeout: 500ms\n';

let agent: RunningAgent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

async function start(text: string, env: Record<string, string> = {}) {
  const file = writeFile(tempDir('nop-ctl-'), 'agent.yaml', text);
  agent = await startAgent(loadConfig({ file, env }), silentLogger);
  return agent;
}

describe('local control API', () => {
  const call = (a: RunningAgent, method: string, path: string, body?: string, token: string | null = TOKEN) =>
    fetch(`${a.server.url}${path}`, {
      method,
      body,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('applies a new set of checks, refuses a bad one in one line keeping the running config, and obeys commands', async () => {
    const a = await start(yaml(TCP), { NOP_AGENT_CONTROL_TOKEN: TOKEN });
    expect((await call(a, 'PUT', '/config', 'checks: []', null)).status).toBe(401);
    expect((await call(a, 'PUT', '/config', 'checks: []', 'wrong-token-wrong-token-wrong')).status).toBe(401);

    const bad = await call(
      a,
      'PUT',
      '/config',
      'checks:\n  - id: x\n    type: icmp\n    target: 127.0.0.1\n    interval: 10x\n',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('PUT /config:5: checks[0].interval: "10x" is not a duration like 500ms, 10s, 1m');
    expect(a.scheduler.size).toBe(1);

    const good = await call(
      a,
      'PUT',
      '/config',
      JSON.stringify({
        checks: [
          { id: 'p1', type: 'icmp', target: '127.0.0.1' },
          { id: 'p2', type: 'icmp', target: '127.0.0.2' },
        ],
      }),
    );
    expect(good).toMatchObject({ status: 200, body: { applied: { added: 2, removed: 1 }, checks: 2, running: true } });

    expect((await call(a, 'POST', '/commands', '{"command":"stop"}')).body).toMatchObject({ running: false });
    expect((await call(a, 'POST', '/commands', '{"command":"explode"}')).body.error).toContain(
      'command: must be one of',
    );
    expect((await call(a, 'GET', '/config')).status).toBe(405);
  });

  it('is off without a token, and refused on an agent the backend controls', async () => {
    const off = await start(yaml(TCP));
    const refused = await call(off, 'PUT', '/config', 'checks: []');
    expect(refused.status).toBe(404);
    expect(refused.body.error).toContain('NOP_AGENT_CONTROL_TOKEN');
    await off.stop();
    const linked = await start(yaml(TCP), {
      NOP_AGENT_CONTROL_TOKEN: TOKEN,
      NOP_BACKEND_URL: 'http://127.0.0.1:9',
      NOP_AGENT_TOKEN: 'x',
    });
    expect((await call(linked, 'PUT', '/config', 'checks: []')).status).toBe(409);
  });
});

describe('SIGHUP', () => {
  it('reloads the YAML file, and keeps the running checks when the new file is bad', async () => {
    const dir = tempDir('nop-hup-');
    const file = writeFile(dir, 'agent.yaml', yaml(TCP));
    const child = spawn(process.execPath, [AGENT_BIN, '--config', file], {
      env: agentEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      await expect.poll(() => /listening on (http:\/\/[0-9.:]+)/.exec(stderr)?.[1], { timeout: 10_000 }).toBeDefined();
      const url = /listening on (http:\/\/[0-9.:]+)/.exec(stderr)![1]!;
      const checks = async () => ((await (await fetch(`${url}/health`)).json()) as { checks: number }).checks;
      expect(await checks()).toBe(1);

      writeFileSync(file, yaml(`${TCP}  - id: t2\n    type: tcp\n    target: nope\n`));
      child.kill('SIGHUP');
      // logs are JSON lines: the one-line error is the message of one of them
      const messages = () =>
        stderr.split('\n').flatMap((l) => (l.startsWith('{') ? [JSON.parse(l).msg as string] : []));
      await expect
        .poll(messages, { timeout: 5000 })
        .toContain(
          `${file}:11: checks[1].target: "nope" must be host:port (the port is missing) (the running config stays)`,
        );
      expect(await checks()).toBe(1);

      writeFileSync(file, yaml(`${TCP}  - id: t2\n    type: tcp\n    target: 127.0.0.1:2\n`));
      child.kill('SIGHUP');
      await expect.poll(checks, { timeout: 5000 }).toBe(2);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('Redis channel', () => {
  it('publishes results and takes commands and configs, replying with what it did', async () => {
    const prefix = `nop-test-${randomBytes(4).toString('hex')}`;
    const a = await start(yaml(TCP), { REDIS_URL, NOP_REDIS_PREFIX: prefix });
    const name = (a as unknown as { metrics: { agent: string } }).metrics.agent;
    const channels = redisChannels(prefix, name);
    const sub = new Redis(REDIS_URL);
    const pub = new Redis(REDIS_URL);
    try {
      const heard: Record<string, any[]> = { [channels.results]: [], [channels.replies]: [] };
      sub.on('message', (channel: string, text: string) => heard[channel]?.push(JSON.parse(text)));
      await sub.subscribe(channels.results, channels.replies);

      await expect.poll(() => heard[channels.results]!.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(heard[channels.results]![0]).toMatchObject({ agent: name, checkId: 't1', type: 'tcp', success: false });

      await pub.publish(
        channels.commands,
        JSON.stringify({ config: { checks: [{ id: 'p', type: 'icmp', target: '127.0.0.1', count: 0 }] } }),
      );
      await expect.poll(() => heard[channels.replies]!.length, { timeout: 3000 }).toBe(1);
      expect(heard[channels.replies]![0]).toMatchObject({ ok: false });
      expect(heard[channels.replies]![0].error).toMatch(/checks\[0\]\.count/);
      expect(a.scheduler.size).toBe(1);

      await pub.publish(
        channels.commands,
        JSON.stringify({ config: { checks: [{ id: 'p', type: 'icmp', target: '127.0.0.1' }] } }),
      );
      await pub.publish(channels.commands, JSON.stringify({ command: 'stop' }));
      await expect.poll(() => heard[channels.replies]!.length, { timeout: 3000 }).toBe(3);
      expect(heard[channels.replies]![1]).toMatchObject({ ok: true, checks: 1 });
      expect(heard[channels.replies]![2]).toMatchObject({ ok: true, running: false });
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });
});
