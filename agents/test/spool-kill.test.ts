import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_BIN } from '../src/bin-path.ts';
import { JOURNAL_FILE } from '../src/spool.ts';
import { BackendStub } from './backend-stub.ts';
import { agentEnv, tempDir } from './helpers.ts';
import { freePort } from './local-peers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let tcpServer: Server;
let tcpPort: number;
beforeAll(async () => {
  tcpServer = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcpServer.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => tcpServer.close(() => resolve())));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real agent (its bin, a process of its own) linked to `backendUrl`, spooling to `spoolDir`. */
async function startAgent(backendUrl: string, token: string, spoolDir: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [AGENT_BIN], {
    env: agentEnv({
      NOP_BACKEND_URL: backendUrl,
      NOP_AGENT_TOKEN: token,
      NOP_AGENT_NAME: 'kill-test',
      NOP_AGENT_LISTEN: `127.0.0.1:${port}`,
      NOP_AGENT_SPOOL_DIR: spoolDir,
      LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${port}`;
  return { child, base, exited, stderr: () => stderr };
}

/** nop_agent_results_total summed over checks and outcomes (results made), or -1 while not up. */
async function resultsMade(base: string): Promise<number> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    return [...text.matchAll(/^nop_agent_results_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  } catch {
    return -1;
  }
}

describe('the agent killed with SIGKILL', () => {
  it('loses none of the results it made: a restart on the same spool delivers them all, none twice', async () => {
    const spoolDir = tempDir('nop-kill-spool-');
    cleanups.push(() => rmSync(spoolDir, { recursive: true, force: true }));
    // a backend that takes the results and never acks them
    const silent = await BackendStub.start('kill-token');
    cleanups.push(() => silent.close());
    silent.autoAck = false;
    const checks = Array.from({ length: 20 }, (_, i) => ({
      id: `k${i}`,
      type: 'tcp',
      target: `127.0.0.1:${tcpPort}`,
      interval: 1000,
      timeout: 500,
    }));
    silent.onRegister = (socket) => {
      socket.send(JSON.stringify({ type: 'config', config: { version: 1, checks } }));
      socket.send(JSON.stringify({ type: 'command', command: 'start' }));
    };

    const first = await startAgent(silent.url, silent.token, spoolDir);
    let made = -1;
    for (let i = 0; i < 300 && made < 50; i++) {
      await sleep(50);
      made = await resultsMade(first.base);
    }
    expect(made).toBeGreaterThanOrEqual(50);
    first.child.kill('SIGKILL'); // right after /metrics said `made`: no chance to flush anything
    expect(await first.exited).toBe('SIGKILL');

    // what the old spool lost: the open batch, only in the journal
    const journal = readFileSync(join(spoolDir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);
    expect(journal.length).toBeGreaterThan(0);

    // restart on the same spool against a backend that acks (and starts no checks)
    const backend = await BackendStub.start('kill-token');
    cleanups.push(() => backend.close());
    const second = await startAgent(backend.url, backend.token, spoolDir);
    await backend.until(() => backend.resultIds.length >= made, 15_000, `${made} results delivered after the restart`);
    await expect
      .poll(async () => ((await (await fetch(`${second.base}/health`)).json()) as any).unackedResults, {
        timeout: 5000,
      })
      .toBe(0);

    const delivered = backend.resultIds;
    expect(delivered.length).toBeGreaterThanOrEqual(made);
    expect(new Set(delivered).size).toBe(delivered.length); // none twice
    // whatever the killed agent had sent (unacked) is among them, and so is its journal
    for (const id of silent.resultIds) expect(delivered).toContain(id);
    for (const line of journal) expect(delivered).toContain(JSON.parse(line).id);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(spoolDir) && readdirSync(spoolDir)).toEqual([]); // all acked: nothing left behind
    expect(second.stderr()).not.toMatch(/"level":50/);
  }, 60_000);
});
