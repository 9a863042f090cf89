import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
// only the path: importing the agent package itself would load its native ICMP module here
import { AGENT_BIN } from '@nop/agent/bin-path';
import type { CheckSpecInput } from '@nop/protocol';
import { CheckSpec } from '@nop/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import * as repo from './repo.ts';
import type { AgentCommandEnvelope, AgentService } from './service.ts';
import type { CheckService } from '../checks/service.ts';
import { hashAgentToken } from './tokens.ts';

export const MANAGED_AGENT_NAME = 'local';
const MAX_BACKOFF_MS = 30_000;

/** Loopback-only sample checks, so a fresh install shows live data within seconds. */
export function sampleChecks(port: number): CheckSpec[] {
  const input: CheckSpecInput[] = [
    { id: 'ping-loopback', type: 'icmp', target: '127.0.0.1', interval: '5s', timeout: '2s', count: 3 },
    { id: 'http-healthz', type: 'http', target: `http://127.0.0.1:${port}/healthz`, interval: '5s', timeout: '3s' },
    { id: 'tcp-backend', type: 'tcp', target: `127.0.0.1:${port}`, interval: '5s', timeout: '2s' },
  ];
  return input.map((c) => CheckSpec.parse(c));
}

/**
 * Makes sure the managed agent's row exists, its sample checks assigned to it; untouched sample
 * checks (still at version 1, nobody's) follow the current port.
 */
async function ensureRow(db: Db, checks: CheckService, port: number): Promise<repo.AgentRow> {
  const samples = sampleChecks(port);
  const existing = (await db.query<repo.AgentRow>('SELECT id FROM agents WHERE managed LIMIT 1')).rows[0];
  if (!existing) {
    const id = await db.transaction(async (tx) => {
      const row = await repo.insertAgent(tx, {
        name: MANAGED_AGENT_NAME,
        type: 'multi',
        ownerId: null,
        managed: true,
        tokenHash: hashAgentToken(crypto.randomUUID()), // replaced at every spawn
      });
      if (!row) return undefined;
      await checks.applyAgentChecks(tx, null, { id: row.id, ownerId: null }, samples, 'sample checks');
      return row.id;
    });
    if (id) return (await repo.getAgent(db, id))!;
    throw new Error(
      `an unmanaged agent is already named "${MANAGED_AGENT_NAME}"; rename it to let NOP start its local agent`,
    );
  }
  await db.transaction(async (tx) => {
    for (const sample of samples)
      await tx.query(
        `UPDATE checks SET spec = $2::jsonb, target = $3
         WHERE id = $1 AND version = 1 AND owner_id IS NULL AND spec IS DISTINCT FROM $2::jsonb`,
        [sample.id, JSON.stringify(sample), sample.target],
      );
    await checks.recompile(tx, [existing.id]);
  });
  return (await repo.getAgent(db, existing.id))!;
}

/**
 * Runs the embedded local agent as a child process: started with a fresh token at every spawn,
 * restarted with backoff if it dies, stopped and started by the agent actions API, and ended with
 * the backend (it also exits by itself when its stdin pipe closes, should the backend crash).
 */
export async function startManagedAgent(opts: {
  db: Db;
  bus: Bus;
  agents: AgentService;
  checks: CheckService;
  port: number;
  /** the embedded data folder: the agent keeps its unacked results in agent-spool/ there */
  dataDir: string;
  log: FastifyBaseLogger;
}) {
  const { db, bus, agents, log } = opts;
  const row = await ensureRow(db, opts.checks, opts.port);
  let desired = row.desired_state;
  let child: ChildProcess | undefined;
  let closing = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  async function spawnAgent() {
    if (child || closing || desired !== 'running') return;
    const token = await agents.rotateToken(row.id);
    const proc = spawn(process.execPath, [AGENT_BIN], {
      env: {
        ...process.env,
        NOP_BACKEND_URL: `http://127.0.0.1:${opts.port}`,
        NOP_AGENT_TOKEN: token,
        NOP_AGENT_NAME: MANAGED_AGENT_NAME,
        NOP_AGENT_LISTEN: '127.0.0.1:0',
        NOP_AGENT_MANAGED: '1',
        NOP_AGENT_SPOOL_DIR: path.resolve(opts.dataDir, 'agent-spool'),
      },
      stdio: ['pipe', 'inherit', 'inherit'],
      // its own process group: Ctrl-C reaches the backend only, which then stops the agent in order
      // (a second signal would make the agent skip flushing its last results)
      detached: true,
    });
    child = proc;
    const startedAt = Date.now();
    log.info({ pid: proc.pid }, 'managed local agent started');
    proc.on('exit', (code, signal) => {
      child = undefined;
      if (closing || desired !== 'running') return;
      // crashed: back off, but forget old failures once it has run for a while
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
      log.warn({ code, signal, retryInMs: delay }, 'managed local agent exited; restarting');
      restartTimer = setTimeout(() => spawnAgent().catch((err) => log.error({ err }, 'agent spawn failed')), delay);
    });
  }

  function stopAgent(): Promise<void> {
    clearTimeout(restartTimer);
    const proc = child;
    if (!proc) return Promise.resolve();
    return new Promise((resolve) => {
      const killTimer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      proc.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }

  const unsubscribe = await bus.subscribe(CHANNELS.agentCommand, (message) => {
    const { agentId, command } = message as AgentCommandEnvelope;
    if (agentId !== row.id) return;
    const act = async () => {
      if (command === 'stop') {
        desired = 'stopped';
        await stopAgent();
      } else if (command === 'start') {
        desired = 'running';
        await spawnAgent();
      } else if (command === 'restart') {
        desired = 'running';
        await stopAgent();
        await spawnAgent();
      }
    };
    act().catch((err) => log.error({ err, command }, 'managed agent command failed'));
  });

  await spawnAgent();
  return {
    agentId: row.id,
    pid: () => child?.pid,
    async close() {
      closing = true;
      unsubscribe();
      await stopAgent();
    },
  };
}
export type ManagedAgent = Awaited<ReturnType<typeof startManagedAgent>>;
