// GET /api/v1/metrics for a 24 h range from the rollups, against the same query on raw rows (the
// old path). A throwaway PostgreSQL database gets 100 checks (5 agents × 20) × 24 h of results, one
// every EVERY seconds per check (default 5: 1,728,000 rows), made with generate_series; the rollup
// job folds them in; the real backend process (node backend/src/main.ts) serves
// GET /api/v1/metrics?check_id=…&from=…&to=… (24 h, the automatic step: 288 s) to an open-loop
// client at RATE requests/s (default 200) for SECONDS (default 20), at most 32 in flight (a request
// due while 32 are out is counted as dropped). The peer, in the same run, is the old path: the raw
// percentile_cont query (aggregateRaw, the code the API ran before rollups) on a pg pool of 32,
// same checks, rate and bound. Prints p50/p99 latency, CPU per request of the backend process and
// of the database's backends (from /proc), and the ratios.
//   npx tsx scripts/bench/metrics-query.ts [every-seconds] [rate] [seconds]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres; TEST_PG_URL to change). Loopback only.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import type { Queryable } from '../../backend/src/db/db.ts';
import { openPostgres } from '../../backend/src/db/postgres.ts';
import { MetricsQuery } from '../../backend/src/modules/metrics/query.ts';
import { aggregateRaw } from '../../backend/src/modules/metrics/repo.ts';
import { rollUp, rollupWatermark } from '../../backend/src/modules/rollups/job.ts';
import { benchDatabase, quantile, startBackendProcess } from './backend-process.ts';

const EVERY = Number(process.argv[2] ?? 5);
const RATE = Number(process.argv[3] ?? 200);
const SECONDS = Number(process.argv[4] ?? 20);
const IN_FLIGHT = 32;
const AGENTS = 5;
const CHECKS_PER_AGENT = 20;
const HOUR = 3_600_000;
const TO = Math.floor(Date.now() / HOUR) * HOUR;
const FROM = TO - 24 * HOUR;

const database = await benchDatabase();
const backend = await startBackendProcess({
  DATABASE_URL: database.url,
  JWT_SECRET: 'e'.repeat(48),
  NOP_SECRET_KEY: 'k'.repeat(48),
  NODE_ENV: 'production',
  NOP_AUTH_RATE_LIMIT: '100000',
});
const pool = new pg.Pool({ connectionString: database.url, max: IN_FLIGHT });

/** CPU seconds (user + system) of a process so far. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // gone
  }
}
/**
 * CPU seconds of the PostgreSQL backends of the bench database while sampling runs: their list is
 * read every 200 ms (connections come and go), each one's growth since it was first seen summed.
 */
function sampleDbCpu(): { stop: () => Promise<number> } {
  const seen = new Map<number, { first: number; last: number }>();
  const sample = async () => {
    const { rows } = await pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    );
    for (const { pid } of rows) {
      const cpu = cpuOf(pid);
      const entry = seen.get(pid);
      if (entry) entry.last = Math.max(entry.last, cpu);
      else seen.set(pid, { first: cpu, last: cpu });
    }
  };
  const first = sample();
  const timer = setInterval(() => void sample().catch(() => {}), 200);
  return {
    stop: async () => {
      await first;
      clearInterval(timer);
      await sample();
      return [...seen.values()].reduce((sum, e) => sum + e.last - e.first, 0);
    },
  };
}

try {
  const signup = await fetch(`${backend.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', email: 'bench@example.test', password: 'bench metrics password' }),
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
  const { token } = (await signup.json()) as { token: string };

  // ---- seed: the migrations and today's partitions were made when the backend started ----
  const seedStart = performance.now();
  await pool.query(
    `INSERT INTO agents (name, type, token_hash)
     SELECT 'bench-agent-' || a, 'multi', md5(random()::text) FROM generate_series(1, ${AGENTS}) a`,
  );
  // one statement, so the backend's own rollup turn never sees a half-made row: durations
  // log-normal-ish around 20 ms, 2 % failures without one, loss and jitter like a ping's
  const { rows: seeded } = await pool.query<{ n: number }>(
    `WITH ag AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM agents),
     ins AS (
       INSERT INTO check_results (id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics)
       SELECT gen_random_uuid(), ag.id, 'check-' || (ag.n * ${CHECKS_PER_AGENT} + c), 'icmp', '10.0.' || ag.n || '.' || c,
              to_timestamp($1::float8) + g * ($3::int * interval '1 second') + c * interval '10 milliseconds',
              ok,
              CASE WHEN ok THEN round((5 + 15 * exp(random() * 2))::numeric, 3)::float8 END,
              CASE WHEN NOT ok THEN 'no reply within 2000 ms, 3 probes sent' END,
              jsonb_build_object('packets_sent', 3, 'packets_received', CASE WHEN ok THEN 3 ELSE 0 END,
                                 'loss_ratio', CASE WHEN ok THEN 0 ELSE 1 END,
                                 'jitter_ms', round((random() * 2)::numeric, 3))
       FROM ag, generate_series(1, ${CHECKS_PER_AGENT}) c, generate_series(0, $2::int - 1) g,
            LATERAL (SELECT random() > 0.02 + 0 * g AS ok) o
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [FROM / 1000, (TO - FROM) / 1000 / EVERY, EVERY],
  );
  await pool.query('VACUUM ANALYZE check_results');
  const rows = seeded[0]!.n;
  console.log(
    `seeded ${rows.toLocaleString('en')} rows (${AGENTS * CHECKS_PER_AGENT} checks, one result every ${EVERY} s each, ` +
      `24 h) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  // ---- the rollup job (the backend runs it too, every 30 s: whoever holds the lock does it) ----
  // the seed's rows carry its transaction's start as received_at, a minute or more before it
  // committed: a turn of the backend's job meanwhile may have moved the watermark past them, so
  // start it over (whoever takes the lock first rolls everything up)
  await pool.query(`UPDATE rollup_state SET watermark = '-infinity'`);
  const rollupStart = performance.now();
  const db = await openPostgres(database.url);
  const seededAt = Date.now();
  for (;;) {
    const report = await rollUp(db, { lagMs: 0 });
    if ((await rollupWatermark(db)) >= seededAt) {
      console.log(
        `rollup job: ${report.minutes ? `${report.minutes.toLocaleString('en')} minutes, ${report.hours} hours` : "done by the backend's own turn"} ` +
          `in ${((performance.now() - rollupStart) / 1000).toFixed(1)} s`,
      );
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await db.close();
  await pool.query('VACUUM ANALYZE check_rollups_1m');
  await pool.query('VACUUM ANALYZE check_rollups_1h');

  const checks = Array.from({ length: AGENTS * CHECKS_PER_AGENT }, (_, i) => `check-${i + 1}`);
  const range = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

  function apiOnce(checkId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      http
        .get(
          `${backend.url}/api/v1/metrics?check_id=${checkId}&${range}`,
          { headers: { authorization: `Bearer ${token}` }, agent },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.once('end', () => {
              if (response.statusCode !== 200)
                return reject(new Error(`metrics: ${response.statusCode} ${Buffer.concat(chunks)}`));
              const body = JSON.parse(Buffer.concat(chunks).toString()) as { series: { points: unknown[] }[] };
              if (body.series.length !== 1 || body.series[0]!.points.length < 290)
                return reject(new Error(`metrics: unexpected answer for ${checkId}`));
              resolve();
            });
            response.once('error', reject);
          },
        )
        .once('error', reject);
    });
  }
  const poolDb: Queryable = {
    query: (sql, params) => pool.query(sql, params) as never,
    exec: async (sql) => void (await pool.query(sql)),
  };
  async function rawOnce(checkId: string): Promise<void> {
    const q = MetricsQuery.parse({
      check_id: checkId,
      from: new Date(FROM).toISOString(),
      to: new Date(TO).toISOString(),
    });
    const body = await aggregateRaw(poolDb, q);
    if (body.series.length !== 1 || body.series[0]!.points.length < 290)
      throw new Error(`raw: unexpected answer for ${checkId}`);
  }

  /** RATE requests/s for SECONDS, open loop, at most IN_FLIGHT out; latencies from each send. */
  async function load(name: string, once: (checkId: string) => Promise<void>, pid?: number) {
    for (const c of checks.slice(0, 20)) await once(c); // warm up
    const cpu0 = pid ? cpuOf(pid) : 0;
    const dbCpu = sampleDbCpu();
    const latencies: number[] = [];
    let inFlight = 0;
    let dropped = 0;
    let failed = 0;
    const total = RATE * SECONDS;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inFlight >= IN_FLIGHT) {
        dropped++;
        continue;
      }
      inFlight++;
      const sent = performance.now();
      pending.push(
        once(checks[i % checks.length]!)
          .then(
            () => void latencies.push(performance.now() - sent),
            (error: Error) => {
              if (failed++ === 0) console.error(`${name}: ${error.message}`);
            },
          )
          .finally(() => inFlight--),
      );
    }
    await Promise.all(pending);
    const wall = (performance.now() - start) / 1000;
    const served = latencies.length;
    const result = {
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      served,
      dropped,
      failed,
      rate: served / wall,
      backendCpuMs: pid ? ((cpuOf(pid) - cpu0) * 1000) / served : undefined,
      dbCpuMs: ((await dbCpu.stop()) * 1000) / served,
    };
    console.log(
      `${name.padEnd(22)} p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  ` +
        `${served} served (${result.rate.toFixed(0)}/s), ${dropped} dropped, ${failed} failed  ` +
        (result.backendCpuMs === undefined ? '' : `backend CPU ${result.backendCpuMs.toFixed(2)} ms/req  `) +
        `PostgreSQL CPU ${result.dbCpuMs.toFixed(2)} ms/req`,
    );
    return result;
  }

  console.log(
    `\n24 h range, one check per request, ${RATE}/s for ${SECONDS} s, at most ${IN_FLIGHT} in flight; ` +
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')} (${os.cpus().length} cores)`,
  );
  const api = await load('API (rollups)', apiOnce, backend.child.pid);
  const raw = await load('raw query (old path)', rawOnce);
  console.log(
    `ratio raw/API: p50 ×${(raw.p50 / api.p50).toFixed(1)}, p99 ×${(raw.p99 / api.p99).toFixed(1)}, ` +
      `PostgreSQL CPU ×${(raw.dbCpuMs / api.dbCpuMs).toFixed(1)}; ` +
      `load average after ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  agent.destroy();
} finally {
  await pool.end();
  await backend.stop();
  await database.drop();
}
