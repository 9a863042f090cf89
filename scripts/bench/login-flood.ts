// What a login flood costs everyone else. One backend process on PostgreSQL; a signed-in user reads
// GET /api/v1/agents at a steady 50 requests/s for DURATION seconds: alone, then beside FLOOD clients
// hammering GET /healthz as fast as they are answered (the peer: what any flood of requests costs a
// one-process server), then beside the same clients sending wrong passwords to POST /auth/login.
// Password hashing is bounded (NOP_HASH_CONCURRENCY) and its queue overflows into 503s before any
// database work, so the login flood should cost the reads about what the /healthz flood does. The
// address limit is lifted for the run (the flood comes from one address): this measures hashing.
//   npx tsx scripts/bench/login-flood.ts [flood clients, default 200] [seconds, default 10]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres; TEST_PG_URL to change). Loopback only.
import { readFileSync } from 'node:fs';
import { benchDatabase, quantile as pct, startBackendProcess } from './backend-process.ts';

const floodClients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 10);

const database = await benchDatabase();
const backend = await startBackendProcess({
  LOG_LEVEL: 'error',
  DATABASE_URL: database.url,
  NOP_AUTH_RATE_LIMIT: '100000', // the flood comes from one address: measure hashing, not the address limit
  NOP_ACCOUNT_LOGIN_LIMIT: '10000',
  NOP_MAX_CONNECTIONS_PER_ADDRESS: '0',
  ...(process.env.NOP_HASH_CONCURRENCY ? { NOP_HASH_CONCURRENCY: process.env.NOP_HASH_CONCURRENCY } : {}),
});
const { url, child } = backend;

const json = { 'content-type': 'application/json' };
const signup = await fetch(`${url}/api/v1/auth/signup`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({ name: 'Bench', email: 'bench@example.test', password: 'bench password' }),
});
const { token } = (await signup.json()) as { token: string };
for (let i = 0; i < 20; i++)
  await fetch(`${url}/api/v1/agents`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: `agent-${i}`,
      type: 'ping',
      config: { checks: [{ id: 'p', type: 'icmp', target: '127.0.0.1' }] },
    }),
  });

/** Reads at a steady rate; latency of each, in ms. */
async function steadyReads(durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; performance.now() - start < durationMs; i++) {
    const due = start + i * 20;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      (async () => {
        const t0 = performance.now();
        const r = await fetch(`${url}/api/v1/agents`, { headers: { authorization: `Bearer ${token}` } });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`read answered ${r.status}`);
        latencies.push(performance.now() - t0);
      })(),
    );
  }
  await Promise.all(pending);
  return latencies;
}

/** FLOOD clients sending `request` back to back until stopAt; answers counted by status. */
async function flood(stopAt: number, request: (client: number, i: number) => Promise<Response>) {
  const counts = new Map<number, number>();
  await Promise.all(
    Array.from({ length: floodClients }, async (_, c) => {
      for (let i = 0; performance.now() < stopAt; i++) {
        const r = await request(c, i);
        await r.arrayBuffer();
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      }
    }),
  );
  return counts;
}

const wrongLogin = (c: number, i: number) =>
  fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: `guess-${c}-${i}@example.test`, password: 'wrong password' }),
  });
// the peer flood: as many clients, as fast, on a route that does no work at all
const healthCheck = () => fetch(`${url}/healthz`);

/** CPU seconds (user + system) the backend process has used so far, from /proc. */
const serverCpu = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** Steady reads for `seconds`, alone or beside a flood; with the backend's CPU over the phase. */
async function phase(request?: (client: number, i: number) => Promise<Response>) {
  const cpu = serverCpu();
  const stopAt = performance.now() + seconds * 1000;
  const [reads, answers] = await Promise.all([
    steadyReads(seconds * 1000),
    request ? flood(stopAt, request) : Promise.resolve(new Map<number, number>()),
  ]);
  return { reads, answers, cpu: (serverCpu() - cpu) / seconds };
}

try {
  await steadyReads(1000); // warm-up
  const alone = await phase();
  const cheap = await phase(healthCheck);
  const logins = await phase(wrongLogin);
  const line = (name: string, p: Awaited<ReturnType<typeof phase>>) => {
    const total = [...p.answers.values()].reduce((a, b) => a + b, 0);
    const statuses = [...p.answers.entries()].map(([status, n]) => `${n}× ${status}`).join(', ');
    return (
      `${name.padEnd(34)} reads p50 ${pct(p.reads, 0.5).toFixed(2)} ms, p99 ${pct(p.reads, 0.99).toFixed(2)} ms; ` +
      `backend CPU ${(p.cpu * 100).toFixed(0)} %` +
      (total ? `; flood answered ${(total / seconds).toFixed(0)}/s (${statuses})` : '')
    );
  };
  console.log(`GET /api/v1/agents (20 agents) at 50/s for ${seconds} s, PostgreSQL, ${floodClients} flood clients:`);
  console.log(line('alone', alone));
  console.log(line('beside a /healthz flood (peer)', cheap));
  console.log(line('beside a wrong-password flood', logins));
  console.log(
    `ratio login flood ÷ /healthz flood (read p50): ${(pct(logins.reads, 0.5) / pct(cheap.reads, 0.5)).toFixed(2)}×; ` +
      `÷ alone: ${(pct(logins.reads, 0.5) / pct(alone.reads, 0.5)).toFixed(1)}×`,
  );
} finally {
  await backend.stop();
  await database.drop();
}
