// The results export through the product against PostgreSQL's own COPY. A throwaway database gets
// ROWS results (default 1,000,000) on 10 agents × 20 checks; the real backend process (node
// backend/src/main.ts) serves GET /api/v1/results/export over HTTP, read to the end by a client that
// only counts; the peer, in the same run, is `psql -c "\copy (SELECT …) TO STDOUT CSV"` of the same
// rows and columns. Per format: rows/s, the ratio of our time to psql's, and the backend's peak RSS
// while it exports (sampled from /proc every 20 ms), medians of RUNS (default 3).
//   npx tsx scripts/bench/export.ts [rows] [runs]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres; TEST_PG_URL to change) and psql. Loopback only.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { benchDatabase, quantile, startBackendProcess } from './backend-process.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);
const FROM = Date.parse('2026-03-01T00:00:00Z');
// one result a second: the range is ROWS seconds long
const TO = FROM + ROWS * 1000;
const median = (xs: number[]) => quantile(xs, 0.5);

const database = await benchDatabase();
const backend = await startBackendProcess({
  DATABASE_URL: database.url,
  JWT_SECRET: 'e'.repeat(48),
  NOP_SECRET_KEY: 'k'.repeat(48),
  NODE_ENV: 'production',
  NOP_AUTH_RATE_LIMIT: '100000',
});

try {
  const signup = await fetch(`${backend.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', email: 'bench@example.test', password: 'bench export password' }),
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
  const { token } = (await signup.json()) as { token: string };

  // ---- seed: the migrations ran when the backend started ----
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const seedStart = performance.now();
  await client.query(
    `INSERT INTO agents (name, type, token_hash, config)
     SELECT 'bench-agent-' || a, 'multi', md5(random()::text),
            jsonb_build_object('version', 1, 'checks',
              (SELECT jsonb_agg(jsonb_build_object('id', 'check-' || c, 'type', 'icmp', 'target', '10.0.' || a || '.' || c))
               FROM generate_series(1, 20) c))
     FROM generate_series(1, 10) a`,
  );
  await client.query(
    `INSERT INTO check_results (id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics)
     SELECT gen_random_uuid(), ag.id, 'check-' || (1 + g % 20), 'icmp', '10.0.' || (g % 10) || '.' || (1 + g % 20),
            to_timestamp($1::float8) + g * interval '1 second',
            g % 50 <> 0,
            CASE WHEN g % 50 <> 0 THEN round((random() * 40)::numeric, 3)::float8 END,
            CASE WHEN g % 50 = 0 THEN 'no reply within 2000 ms, 3 probes sent' END,
            jsonb_build_object('packets_sent', 3, 'packets_received', CASE WHEN g % 50 = 0 THEN 0 ELSE 3 END,
                               'loss_ratio', CASE WHEN g % 50 = 0 THEN 1 ELSE 0 END,
                               'rtt_min_ms', round((random() * 10)::numeric, 3), 'rtt_max_ms', round((random() * 50)::numeric, 3),
                               'jitter_ms', round((random() * 2)::numeric, 3))
     FROM generate_series(0, $2::int - 1) g
     JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM agents) ag ON ag.n = g % 10`,
    [FROM / 1000, ROWS],
  );
  // a table that has been live for a while has statistics and a visibility map
  await client.query('VACUUM ANALYZE check_results');
  await client.end();
  console.log(`seeded ${ROWS.toLocaleString('en')} rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const range = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;

  /** Peak RSS of the backend process while `work` runs, from /proc (the child is node itself). */
  async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
    const rss = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${backend.child.pid}/status`, 'utf8'))![1]) / 1024;
    let peak = rss();
    const timer = setInterval(() => (peak = Math.max(peak, rss())), 20);
    try {
      return { value: await work(), peakMb: Math.max(peak, rss()) };
    } finally {
      clearInterval(timer);
    }
  }

  /** Reads the whole export over node:http (a lean client, like psql's), counting lines. */
  function exportOnce(format: 'csv' | 'ndjson'): Promise<{ rows: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${backend.url}/api/v1/results/export?format=${format}&${range}`,
        { headers: { authorization: `Bearer ${token}` }, agent: false },
        (response) => {
          if (response.statusCode !== 200) return reject(new Error(`export: ${response.statusCode}`));
          let lines = 0;
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          });
          response.once('end', () => resolve({ rows: format === 'csv' ? lines - 1 : lines, bytes }));
          response.once('error', reject);
        },
      );
      request.once('error', reject);
    });
  }

  /** The same rows and columns through psql's \copy, to a pipe we count. */
  function psqlOnce(): Promise<{ rows: number; bytes: number }> {
    const select =
      `SELECT to_char(r.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, r.agent_id, ` +
      `a.name AS agent_name, r.check_id, r.type, r.target, r.success, r.duration_ms, r.error, r.metrics ` +
      `FROM check_results r JOIN agents a ON a.id = r.agent_id ` +
      `WHERE r.time >= '${new Date(FROM).toISOString()}' AND r.time < '${new Date(TO).toISOString()}' ` +
      `ORDER BY r.time, r.id`;
    return new Promise((resolve, reject) => {
      const child = spawn('psql', [database.url, '-X', '-q', '-c', `\\copy (${select}) TO STDOUT CSV HEADER`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let lines = 0;
      let bytes = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve({ rows: lines - 1, bytes }) : reject(new Error(`psql exited ${code}`)),
      );
    });
  }

  const baselineMb =
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${backend.child.pid}/status`, 'utf8'))![1]) / 1024;
  const results: Record<string, { seconds: number[]; peakMb: number[]; rows: number; bytes: number }> = {};
  for (let run = 1; run <= RUNS; run++) {
    for (const kind of ['csv', 'ndjson', 'psql'] as const) {
      const start = performance.now();
      const { value, peakMb } = await withPeakRss(() => (kind === 'psql' ? psqlOnce() : exportOnce(kind)));
      const seconds = (performance.now() - start) / 1000;
      if (value.rows !== ROWS) throw new Error(`${kind}: ${value.rows} rows, expected ${ROWS}`);
      const entry = (results[kind] ??= { seconds: [], peakMb: [], rows: value.rows, bytes: value.bytes });
      entry.seconds.push(seconds);
      entry.peakMb.push(peakMb);
      console.log(
        `run ${run} ${kind.padEnd(6)} ${seconds.toFixed(2)} s, ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s` +
          (kind === 'psql' ? '' : `, backend peak RSS ${peakMb.toFixed(0)} MB`),
      );
    }
  }

  // GET /api/v1/results/latest at the overview's size: 2,000 checks on each of 5 agents (the seeded
  // checks among them, so 100 pairs have a history of 1,000,000 / 200 rows and the rest none)
  const configure = new pg.Client({ connectionString: database.url });
  await configure.connect();
  await configure.query(
    `UPDATE agents SET config = jsonb_build_object('version', 2, 'checks',
       (SELECT jsonb_agg(jsonb_build_object('id', 'check-' || c, 'type', 'icmp', 'target', '10.0.0.' || c))
        FROM generate_series(1, 2000) c))
     WHERE name IN (SELECT name FROM agents ORDER BY name LIMIT 5)`,
  );
  await configure.end();
  const latestMs: number[] = [];
  let pairs = 0;
  for (let run = 0; run < RUNS + 1; run++) {
    const start = performance.now();
    const response = await fetch(`${backend.url}/api/v1/results/latest`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { items: { result: unknown }[] };
    if (run > 0) latestMs.push(performance.now() - start); // the first warms the caches
    pairs = body.items.length;
  }

  const psqlSeconds = median(results.psql!.seconds);
  console.log(
    `\n${ROWS.toLocaleString('en')} rows, medians of ${RUNS}; backend RSS before: ${baselineMb.toFixed(0)} MB`,
  );
  for (const kind of ['csv', 'ndjson', 'psql'] as const) {
    const r = results[kind]!;
    const seconds = median(r.seconds);
    console.log(
      `${kind.padEnd(6)} ${seconds.toFixed(2)} s  ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s  ` +
        `${(r.bytes / 1e6).toFixed(0)} MB  ×${(seconds / psqlSeconds).toFixed(2)} psql's time` +
        (kind === 'psql' ? '' : `  peak RSS ${median(r.peakMb).toFixed(0)} MB`),
    );
  }
  console.log(`latest: ${pairs.toLocaleString('en')} pairs in ${median(latestMs).toFixed(0)} ms (median of ${RUNS})`);
} finally {
  await backend.stop();
  await database.drop();
}
