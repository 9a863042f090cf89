import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logFile, teeTo } from './test-logs.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface BackendProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts the real backend entry point (`backend/src/main.ts`, or `scripts/start.mjs` as `npm start`
 * runs it) on a free port and resolves once it prints where it listens. `stop()` sends SIGINT like Ctrl-C.
 */
export function startBackend(
  env: Record<string, string>,
  timeoutMs = 60_000,
  entry = ['--import', 'tsx', 'backend/src/main.ts'],
): Promise<BackendProcess> {
  const dataDir = env.NOP_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'nop-test-'));
  const child = spawn(process.execPath, entry, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NOP_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // also into the run's log folder, for the secrets scan
  const tee = teeTo(logFile('backend'));
  child.stdout!.on('data', (d) => ((output += d), tee(d)));
  child.stderr!.on('data', (d) => ((output += d), tee(d)));

  const stop = () =>
    new Promise<number | null>((resolve) => {
      const cleanup = (code: number | null) => {
        if (!env.NOP_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
        resolve(code);
      };
      // a process killed by a signal has signalCode set and exitCode null: it will not exit again
      if (child.exitCode !== null || child.signalCode !== null) return cleanup(child.exitCode);
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code) => (clearTimeout(kill), cleanup(code)));
      child.kill('SIGINT');
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`backend did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code}:\n${output}`));
    });
    const onData = () => {
      const match = /open (http:\/\/localhost:(\d+))/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.removeAllListeners('exit');
      resolve({
        url: match[1]!.replace('localhost', '127.0.0.1'),
        port: Number(match[2]),
        child,
        output: () => output,
        stop,
      });
    };
    child.stdout!.on('data', onData);
  });
}
