import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CheckResult, CheckSpec, type CheckSpecInput } from '@nop/protocol';
import { AGENT_BIN } from '../src/index.ts';

export const spec = (input: CheckSpecInput): CheckSpec => CheckSpec.parse(input);

/**
 * A spec the schema would refuse (`valid` with `changes` applied after parsing), for tests of the
 * probers' own guards: a spec can reach a prober without the schema (the probe endpoint, code).
 */
export const unchecked = (valid: CheckSpecInput, changes: Record<string, unknown>): CheckSpec =>
  ({ ...spec(valid), ...changes }) as CheckSpec;

/** A result stamped now, for tests of the plumbing rather than of a prober. */
export function fakeResult(checkId = 'fake', success = true): CheckResult {
  return {
    id: randomUUID(),
    checkId,
    type: 'tcp',
    target: '127.0.0.1:1',
    time: new Date().toISOString(),
    success,
    durationMs: 1,
    metrics: {},
  };
}

/** A world-readable temp dir (so a child running as nobody can read files in it). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

export interface RunOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a spawned agent: no backend leaking in from the caller or agents/.env. */
export function agentEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NOP_BACKEND_URL: '',
    NOP_AGENT_TOKEN: '',
    NOP_AGENT_NAME: '',
    NOP_AGENT_LISTEN: '127.0.0.1:0',
    NOP_AGENT_MANAGED: '',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Runs a command to completion, collecting its output; SIGKILLed after `timeoutMs`. */
export function runToEnd(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the agent's bin to completion. */
export function runAgentBin(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<RunOutput> {
  return runToEnd(process.execPath, [AGENT_BIN, ...args], { ...options, env: options.env ?? agentEnv() });
}
