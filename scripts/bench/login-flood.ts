// What a login flood costs everyone else. One backend process on PostgreSQL; a signed-in user reads
// GET /api/v1/agents at a steady 50 requests/s for DURATION seconds, first alone (the baseline, the
// peer of this run), then while FLOOD clients hammer POST /auth/login with wrong passwords as fast
// as they are answered. Password hashing is bounded (NOP_HASH_CONCURRENCY, 2 by default) and its
// queue overflows into 503s, so the reads should stay near the baseline.
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

async function flood(stopAt: number) {
  const counts = new Map<number, number>();
  await Promise.all(
    Array.from({ length: floodClients }, async (_, c) => {
      for (let i = 0; performance.now() < stopAt; i++) {
        const r = await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ email: `guess-${c}-${i}@example.test`, password: 'wrong password' }),
        });
        await r.arrayBuffer();
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      }
    }),
  );
  return counts;
}

/** CPU seconds (user + system) the backend process has used so far, from /proc. */
const serverCpu = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

try {
  await steadyReads(1000); // warm-up
  let cpu = serverCpu();
  const baseline = await steadyReads(seconds * 1000);
  const cpuAlone = serverCpu() - cpu;
  cpu = serverCpu();
  const stopAt = performance.now() + seconds * 1000;
  const [during, logins] = await Promise.all([steadyReads(seconds * 1000), flood(stopAt)]);
  const cpuDuring = serverCpu() - cpu;
  const total = [...logins.values()].reduce((a, b) => a + b, 0);
  const line = (name: string, xs: number[]) =>
    `${name.padEnd(30)} p50 ${pct(xs, 0.5).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms (${xs.length} reads)`;
  console.log(`GET /api/v1/agents (20 agents) at 50/s, ${seconds} s each, PostgreSQL:`);
  console.log(line('alone (peer: same run)', baseline));
  console.log(line(`during ${floodClients} login clients`, during));
  console.log(
    `logins answered: ${total} (${(total / seconds).toFixed(0)}/s): ` +
      [...logins.entries()].map(([status, n]) => `${n}× ${status}`).join(', '),
  );
  console.log(
    `backend CPU: ${((cpuAlone / seconds) * 100).toFixed(0)} % of a core alone, ${((cpuDuring / seconds) * 100).toFixed(0)} % during the flood (hashing threads included)`,
  );
  console.log(
    `ratio during ÷ alone: p50 ${(pct(during, 0.5) / pct(baseline, 0.5)).toFixed(2)}×, p99 ${(pct(during, 0.99) / pct(baseline, 0.99)).toFixed(2)}×`,
  );
} finally {
  await backend.stop();
  await database.drop();
}
