// How fast a revoked session stops working on another replica. Two backend processes share one
// PostgreSQL database and one Redis (the production shape); a user signs in on replica A, opens a
// stream and makes REST calls on replica B; A logs the session out. Measured per repetition: time
// until B refuses REST (401) and until B closes the open stream (1008). The peer, in the same run,
// is a bare Redis PUBLISH -> SUBSCRIBE between two connections: the floor any cross-replica signal
// has to pay. Medians and p95 of REPS (default 50).
//   npx tsx scripts/bench/revocation.ts [reps]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379 (TEST_PG_URL,
// TEST_REDIS_URL to change). Loopback only.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { benchDatabase, quantile as pct, REDIS_URL as REDIS, startBackendProcess } from './backend-process.ts';

const reps = Number(process.argv[2] ?? 50);
const database = await benchDatabase();
const startReplica = () =>
  startBackendProcess({
    DATABASE_URL: database.url,
    REDIS_URL: REDIS,
    NOP_BUS_PREFIX: `nop-bench-${process.pid}`,
    JWT_SECRET: 'b'.repeat(48),
    NOP_SECRET_KEY: 'k'.repeat(48),
    NODE_ENV: 'production',
    NOP_AUTH_RATE_LIMIT: '100000',
  });

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
  await Promise.all([a.stop(), b.stop()]);
  await database.drop();
}
