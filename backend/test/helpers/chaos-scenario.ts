import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AGENT_BIN } from '../../../agents/src/bin-path.ts';
import { freePort } from '../../../agents/test/local-peers.ts';
import { startOwnPostgres, startOwnRedis } from './own-services.ts';
import { startBackend, type BackendProcess } from './process.ts';
import { logFile, teeTo } from './test-logs.ts';

/**
 * Production shape under faults: PostgreSQL and Redis of its own (so it may stop them), two backend
 * replicas, two real agents that know both replicas, each running checks every second against a TCP
 * listener on loopback. Then, in turn: a replica SIGKILLed (and restarted), PostgreSQL stopped,
 * Redis stopped, an agent SIGKILLed (and restarted on its spool). Afterwards every agent's own
 * counters are compared with the rows stored, and each series is searched for holes and duplicates;
 * agents' statuses are sampled every second throughout.
 */

export interface ChaosOptions {
  /** how long PostgreSQL and Redis each stay down */
  outageMs: number;
  /** how long a killed replica / agent stays down */
  downMs: number;
  /** time to let the system settle between faults */
  settleMs: number;
  /** how many rounds of the four faults */
  rounds: number;
  log: (line: string) => void;
}

export interface SeriesCount {
  agent: string;
  check: string;
  /** results the agent says it made (its nop_agent_results_total) */
  made: number;
  stored: number;
  /** for the agent killed mid-run: results made before its counter was last read can be counted; the rest are judged by holes */
  madeIsLowerBound: boolean;
}

export interface ChaosReport {
  series: SeriesCount[];
  duplicateIds: number;
  duplicateRuns: number;
  /** gaps in a series longer than 1.5 intervals, except across the agent's own downtime */
  holes: Array<{ agent: string; check: string; from: string; to: string; ms: number }>;
  /** sampled statuses that were wrong, with when and why */
  statusProblems: string[];
  phases: Array<{ name: string; at: number }>;
  /** after each fault ends: how long until the agents hold no more than a few seconds of results */
  drains: Array<{ fault: string; ms: number }>;
  durationMs: number;
}

const INTERVAL_MS = 1000;
const LEASE_S = 5;
const CHECKS = ['tcp-a', 'tcp-b'];

interface AgentProc {
  name: string;
  id: string;
  token: string;
  urls: string;
  spool: string;
  listen: number;
  child?: ChildProcess;
  /** counters of earlier incarnations (read just before a kill), per check */
  earlier: Map<string, number>;
  /** [from, to) when the process was not running */
  downtimes: Array<[number, number]>;
  alive: boolean;
  killedOnce: boolean;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const phases: ChaosReport['phases'] = [];
  const phase = (name: string) => {
    phases.push({ name, at: Date.now() - started });
    options.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const postgres = await startOwnPostgres();
  const redis = await startOwnRedis();
  const target = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetPort = (target.address() as net.AddressInfo).port;
  const ports = [await freePort(), await freePort()];
  const replicaEnv = (port: number) => ({
    PORT: String(port),
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    NOP_BUS_PREFIX: `chaos-${port}`,
    NOP_MANAGED_AGENT: 'false',
    JWT_SECRET: 'c'.repeat(40),
    NOP_AGENT_LEASE: String(LEASE_S),
    LOG_LEVEL: 'warn',
  });
  // one bus prefix for both replicas: they must hear each other
  const sharedEnv = (port: number) => ({ ...replicaEnv(port), NOP_BUS_PREFIX: `chaos-${ports[0]}` });
  const replicas: Array<BackendProcess | undefined> = [];
  replicas[0] = await startBackend(sharedEnv(ports[0]!));
  replicas[1] = await startBackend(sharedEnv(ports[1]!));
  const urlOf = (i: number) => `http://127.0.0.1:${ports[i]}`;

  let token = '';
  const api = async (method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> => {
    for (const replica of replicas) {
      if (!replica || replica.child.exitCode !== null || replica.child.signalCode !== null) continue;
      try {
        const response = await fetch(replica.url + url, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(5000),
        });
        return { status: response.status, body: await response.json().catch(() => null) };
      } catch {
        // this replica is not answering: ask the other
      }
    }
    return { status: 0, body: null };
  };

  const signup = await fetch(`${urlOf(0)}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'chaos', email: 'chaos@example.test', password: 'long enough' }),
  });
  token = ((await signup.json()) as { token: string }).token;

  const agents: AgentProc[] = [];
  for (const [i, name] of ['chaos-1', 'chaos-2'].entries()) {
    const created = await api('POST', '/api/v1/agents', {
      name,
      type: 'multi',
      config: {
        checks: CHECKS.map((id) => ({
          id,
          type: 'tcp',
          target: `127.0.0.1:${targetPort}`,
          interval: '1s',
          timeout: '500ms',
        })),
      },
    });
    if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    agents.push({
      name,
      id: created.body.agent.id,
      token: created.body.token,
      // each agent prefers a different replica, so both replicas hold links
      urls: i === 0 ? `${urlOf(0)},${urlOf(1)}` : `${urlOf(1)},${urlOf(0)}`,
      spool: mkdtempSync(path.join(os.tmpdir(), `nop-chaos-${name}-`)),
      listen: await freePort(),
      earlier: new Map(),
      downtimes: [],
      alive: false,
      killedOnce: false,
    });
  }

  const startAgent = (agent: AgentProc) => {
    const child = spawn(process.execPath, [AGENT_BIN], {
      env: {
        ...process.env,
        NOP_BACKEND_URL: agent.urls,
        NOP_AGENT_TOKEN: agent.token,
        NOP_AGENT_NAME: agent.name,
        NOP_AGENT_LISTEN: `127.0.0.1:${agent.listen}`,
        NOP_AGENT_SPOOL_DIR: agent.spool,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tee = teeTo(logFile(`chaos-${agent.name}`));
    child.stdout!.on('data', tee);
    child.stderr!.on('data', tee);
    agent.child = child;
    agent.alive = true;
    const last = agent.downtimes.at(-1);
    if (last && last[1] === Infinity) last[1] = Date.now();
  };
  const health = async (agent: AgentProc) =>
    (await fetch(`http://127.0.0.1:${agent.listen}/health`, { signal: AbortSignal.timeout(2000) }).then((r) =>
      r.json(),
    )) as {
      connected: boolean;
      running: boolean;
      unackedResults: number;
    };
  const counters = async (agent: AgentProc) => {
    const text = await fetch(`http://127.0.0.1:${agent.listen}/metrics`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.text(),
    );
    const made = new Map<string, number>();
    for (const m of text.matchAll(/^nop_agent_results_total\{([^}]*)\} (\d+)/gm)) {
      const check = /check="([^"]*)"/.exec(m[1]!)?.[1];
      if (check && CHECKS.includes(check)) made.set(check, (made.get(check) ?? 0) + Number(m[2]));
    }
    return made;
  };
  const waitFor = async (what: string, test: () => Promise<boolean>, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await test().catch(() => false)) return;
      await sleep(250);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  };
  const allConnected = () =>
    waitFor(
      'every agent linked',
      async () => (await Promise.all(agents.map(health))).every((h) => h.connected),
      30_000,
    );

  // statuses, every second: "online" while alive (outside the moments a fault is being absorbed),
  // never "online" once dead past the grace of a closing link
  const statusProblems: string[] = [];
  const absorbing: Array<[number, number]> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const listed = await api('GET', '/api/v1/agents?limit=100');
      const now = Date.now();
      if (listed.status === 200)
        for (const agent of agents) {
          const status = listed.body.items.find((a: { id: string }) => a.id === agent.id)?.status;
          const excused = absorbing.some(([from, to]) => now >= from && now <= to);
          const deadSince = agent.alive ? undefined : agent.downtimes.at(-1)?.[0];
          if (deadSince !== undefined && now - deadSince > 3000 && status === 'online')
            statusProblems.push(`${((now - started) / 1000).toFixed(1)} s: ${agent.name} is dead but shown online`);
          if (agent.alive && !excused && status !== 'online')
            statusProblems.push(
              `${((now - started) / 1000).toFixed(1)} s: ${agent.name} is running but shown ${status}`,
            );
        }
      await sleep(1000);
    }
  })();
  /** a fault and its recovery: statuses may lag while the system absorbs it */
  const drains: ChaosReport['drains'] = [];
  const absorb = async (name: string, fault: () => Promise<void>) => {
    const window: [number, number] = [Date.now(), Infinity];
    absorbing.push(window);
    phase(name);
    await fault();
    const recovered = Date.now();
    window[1] = recovered + LEASE_S * 1000 + 5000;
    // the backlog of the outage drains: each agent is back to the last ~2 s of results in flight
    await waitFor(
      `the backlog after "${name}" to drain`,
      async () => (await Promise.all(agents.map(health))).every((h) => h.unackedResults <= CHECKS.length * 2),
      60_000,
    );
    drains.push({ fault: name, ms: Date.now() - recovered });
    await sleep(options.settleMs);
  };

  try {
    await absorb('agents start', async () => {
      for (const agent of agents) startAgent(agent);
      await allConnected();
    });

    for (let round = 1; round <= options.rounds; round++) {
      await absorb(`round ${round}: replica A SIGKILLed`, async () => {
        replicas[0]!.child.kill('SIGKILL');
        await new Promise((r) => replicas[0]!.child.once('exit', r));
        await sleep(options.downMs);
        phase('replica A restarted');
        replicas[0] = await startBackend(sharedEnv(ports[0]!));
        await allConnected();
      });
      await absorb(`round ${round}: PostgreSQL stopped`, async () => {
        await postgres.stop();
        await sleep(options.outageMs);
        phase('PostgreSQL started');
        await postgres.start();
      });
      await absorb(`round ${round}: Redis stopped`, async () => {
        await redis.stop();
        await sleep(options.outageMs);
        phase('Redis started');
        await redis.start();
      });
      const victim = agents[1]!;
      await absorb(`round ${round}: agent ${victim.name} SIGKILLed`, async () => {
        // its counters die with it: read them, then kill at once; what it made in between is judged by holes
        const before = await counters(victim);
        victim.child!.kill('SIGKILL');
        victim.alive = false;
        victim.killedOnce = true;
        victim.downtimes.push([Date.now(), Infinity]);
        for (const [check, n] of before) victim.earlier.set(check, (victim.earlier.get(check) ?? 0) + n);
        await new Promise((r) => victim.child!.once('exit', r));
        await sleep(options.downMs);
        phase(`agent ${victim.name} restarted on its spool`);
        startAgent(victim);
        await allConnected();
      });
    }

    phase('stopping the checks; waiting for every result to be acked');
    for (const agent of agents) await api('POST', `/api/v1/agents/${agent.id}/actions`, { action: 'stop' });
    await waitFor(
      'checks stopped',
      async () => (await Promise.all(agents.map(health))).every((h) => !h.running),
      15_000,
    );
    await waitFor(
      'every result acked',
      async () => (await Promise.all(agents.map(health))).every((h) => h.unackedResults === 0),
      120_000,
    );
    sampling = false;
    await sampler;

    const series: SeriesCount[] = [];
    const sql = new pg.Client({ connectionString: postgres.url });
    await sql.connect();
    try {
      const holes: ChaosReport['holes'] = [];
      for (const agent of agents) {
        const now = await counters(agent);
        for (const check of CHECKS) {
          const { rows } = await sql.query<{ time: Date }>(
            'SELECT time FROM check_results WHERE agent_id = $1 AND check_id = $2 ORDER BY time',
            [agent.id, check],
          );
          series.push({
            agent: agent.name,
            check,
            made: (now.get(check) ?? 0) + (agent.earlier.get(check) ?? 0),
            stored: rows.length,
            madeIsLowerBound: agent.killedOnce,
          });
          for (let i = 1; i < rows.length; i++) {
            const from = rows[i - 1]!.time.getTime();
            const to = rows[i]!.time.getTime();
            const acrossDowntime = agent.downtimes.some(
              ([down, up]) => from <= down + INTERVAL_MS && to >= up - INTERVAL_MS,
            );
            if (to - from > INTERVAL_MS * 1.5 && !acrossDowntime)
              holes.push({
                agent: agent.name,
                check,
                from: rows[i - 1]!.time.toISOString(),
                to: rows[i]!.time.toISOString(),
                ms: to - from,
              });
          }
        }
      }
      const dupIds = await sql.query<{ n: number }>(
        'SELECT count(*)::int - count(DISTINCT id)::int AS n FROM check_results',
      );
      const dupRuns = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM check_results GROUP BY agent_id, check_id, time HAVING count(*) > 1) d`,
      );
      return {
        series,
        duplicateIds: dupIds.rows[0]!.n,
        duplicateRuns: dupRuns.rows[0]!.n,
        holes,
        statusProblems,
        phases,
        drains,
        durationMs: Date.now() - started,
      };
    } finally {
      await sql.end();
    }
  } finally {
    sampling = false;
    for (const agent of agents) {
      if (agent.child && agent.child.exitCode === null && agent.child.signalCode === null) {
        const exited = new Promise((r) => agent.child!.once('exit', r));
        agent.child.kill('SIGTERM');
        await exited;
      }
      rmSync(agent.spool, { recursive: true, force: true });
    }
    await Promise.all(replicas.map((r) => r?.stop()));
    target.close();
    await redis.destroy();
    await postgres.destroy();
  }
}
