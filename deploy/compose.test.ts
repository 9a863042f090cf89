import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const COMPOSE_FILE = fileURLToPath(new URL('./docker-compose.dev.yml', import.meta.url));
const compose = (args: string[], env: Record<string, string> = {}) =>
  run('docker-compose', ['-f', COMPOSE_FILE, ...args], { env: { ...process.env, ...env } });

// No Docker engine here: Debian's docker-compose validates the file offline.
describe('deploy/docker-compose.dev.yml', () => {
  it('is a valid compose file with every service, the agent included', async () => {
    const { stdout } = await compose(['--profile', 'agent', 'config', '--services'], {
      JWT_SECRET: 'x'.repeat(64),
      NOP_SECRET_KEY: 'k'.repeat(64),
    });
    expect(stdout.trim().split('\n').sort()).toEqual([
      'agent',
      'backend',
      'postgres',
      'prometheus',
      'pushgateway',
      'redis',
    ]);
  });

  it('runs the agent without root or capabilities, ping sockets opened by sysctl instead', async () => {
    const { stdout } = await compose(['--profile', 'agent', 'config'], {
      JWT_SECRET: 'x'.repeat(64),
      NOP_SECRET_KEY: 'k'.repeat(64),
    });
    const agent = (parse(stdout) as { services: Record<string, Record<string, unknown>> }).services.agent!;
    expect(agent.cap_drop).toEqual(['ALL']);
    expect(agent.cap_add).toBeUndefined();
    expect(agent.privileged).toBeUndefined();
    expect(agent.sysctls).toEqual({ 'net.ipv4.ping_group_range': '0 2147483647' });
    expect(agent.security_opt).toContain('no-new-privileges:true');
  });

  it('refuses to run the backend without JWT_SECRET, saying so', async () => {
    const failure = await compose(['config', '-q'], { JWT_SECRET: '', NOP_SECRET_KEY: 'k'.repeat(64) }).catch(
      (error) => error,
    );
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toContain('set JWT_SECRET');
  });

  it('refuses to run the backend without NOP_SECRET_KEY, saying so', async () => {
    const failure = await compose(['config', '-q'], { JWT_SECRET: 'x'.repeat(64), NOP_SECRET_KEY: '' }).catch(
      (error) => error,
    );
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toContain('set NOP_SECRET_KEY');
  });
});
