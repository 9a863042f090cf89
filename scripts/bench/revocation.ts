// How fast a revoked session stops working on another replica. Two backend processes share one
// PostgreSQL database and one Redis (the production shape); a user signs in on replica A, opens a
// stream and makes REST calls on replica B; A logs the session out. Measured per repetition: time
// until B refuses REST (401) and until B closes the open stream (1008). The peer, in the same run,
// is a bare Redis PUBLISH -> SUBSCRIBE between two connections: the floor any cross-replica signal
// has to pay. Medians and p95 of REPS (default 50).
//   npx tsx scripts/bench/revocation.ts [reps]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379 (TEST_PG_URL,
// TEST_REDIS_URL to change). Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('../../', import.meta.url));
const reps = Number(process.argv[2] ?? 50);
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const database = `nop_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const dbUrl = Object.assign(new URL(PG), { pathname: `/${database}` }).toString();

function startReplica(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nop-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NOP_DATA_DIR: dataDir,
      DATABASE_URL: dbUrl,
      REDIS_URL: REDIS,
      NOP_BUS_PREFIX: `nop-bench-${process.pid}`,
      JWT_SECRET: 'b'.repeat(48),
      NOP_SECRET_KEY: 'k'.repeat(48),
      NODE_ENV: 'production',
      NOP_AUTH_RATE_LIMIT: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /open (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), child, dataDir });
    });
    child.once('exit', (code) => reject(new Error(`backend exited ${code}`)));
  });
}

async function api(base: string, method: string, url: string, body?: object, token?: string) {
  const r = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

const [a, b] = await Promise.all([startReplica(), startReplica()]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function oneRevocation(adminToken: string, i: number) {
  const email = `bench-${i}-${randomBytes(3).toString('hex')}@example.test`;
  await api(
    a.url,
    'POST',
    '/api/v1/users',
    { name: 'B', email, password: 'bench password', role: 'viewer' },
    adminToken,
  );
  const { token } = (await api(a.url, 'POST', '/api/v1/auth/login', { email, password: 'bench password' })).body;
  const ws = new WebSocket(`${b.url.replace('http', 'ws')}/ws/stream`, ['nop.v1', `nop.jwt.${token}`]);
  await new Promise((resolve, reject) => (ws.once('message', resolve), ws.once('error', reject)));
  await api(b.url, 'GET', '/api/v1/auth/me', undefined, token); // B has it cached, as a busy replica would
  const closed = new Promise<number>((resolve) => ws.once('close', () => resolve(performance.now())));
  const start = performance.now();
  await api(a.url, 'POST', '/api/v1/auth/logout', undefined, token);
  let refused = 0;
  while (!refused) {
    if ((await api(b.url, 'GET', '/api/v1/auth/me', undefined, token)).status === 401) refused = performance.now();
    else if (performance.now() - start > 5000) throw new Error('replica B still accepts the token after 5 s');
  }
  return { rest: refused - start, stream: (await closed) - start };
}

async function redisFloor(samples: number) {
  const pub = new Redis(REDIS);
  const sub = new Redis(REDIS);
  const channel = `nop-bench-floor-${process.pid}`;
  await sub.subscribe(channel);
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const got = new Promise<number>((resolve) => sub.once('message', () => resolve(performance.now())));
    const start = performance.now();
    await pub.publish(channel, JSON.stringify({ sessions: [randomBytes(16).toString('hex')] }));
    out.push((await got) - start);
    await sleep(5);
  }
  pub.disconnect();
  sub.disconnect();
  return out;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
try {
  const signup = await api(a.url, 'POST', '/api/v1/auth/signup', {
    name: 'Bench',
    email: 'bench-admin@example.test',
    password: 'bench password',
  });
  const adminToken = signup.body.token as string;
  const rest: number[] = [];
  const stream: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await oneRevocation(adminToken, i);
    rest.push(r.rest);
    stream.push(r.stream);
  }
  const floor = await redisFloor(reps);
  const line = (name: string, xs: number[]) =>
    `${name.padEnd(38)} median ${pct(xs, 0.5).toFixed(2)} ms, p95 ${pct(xs, 0.95).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`;
  console.log(`revocation across two replicas (PostgreSQL + Redis), ${reps} logouts on A:`);
  console.log(line('B refuses REST (401), from logout call', rest));
  console.log(line('B closes the open stream (1008)', stream));
  console.log(line('peer: bare Redis PUBLISH -> message', floor));
  // the first two include the logout request itself (an UPDATE and a PUBLISH on replica A)
  console.log(
    `ratio stream close ÷ Redis floor (medians): ${(pct(stream, 0.5) / pct(floor, 0.5)).toFixed(1)}×; ` +
      `aim: < 1,000 ms on every replica, measured ${pct(stream, 0.5).toFixed(1)} ms median, ${Math.max(...stream, ...rest).toFixed(1)} ms worst`,
  );
} finally {
  for (const r of [a, b]) {
    r.child.kill('SIGINT');
    await new Promise((res) => r.child.once('exit', res));
    rmSync(r.dataDir, { recursive: true, force: true });
  }
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}
