// Live results to many browsers: the real backend process (PostgreSQL, in-process bus) receives
// result batches over the real agent link (driven here with `ws`) and streams them to CLIENTS
// WebSocket clients of /ws/stream; the peer, in the same run, is a bare `ws` server
// (bare-ws-broadcast.ts) that only broadcasts the same batches as one frame each to as many
// clients. Per rate (batches/s, BATCH results each, for SECONDS): latency from sending a batch to a
// client receiving it (p50/p99 over a sample of 50 clients), CPU of the server process per second,
// and the ratios ours/bare. Ours also stores every result (one transaction per batch) before it
// streams it: that is in its CPU, not in the peer's.
//   npx tsx scripts/bench/stream-fanout.ts [clients=1000] [rates=10,100] [batch=10] [seconds=10]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Loopback only; bounded in count and time.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { benchDatabase, quantile, startBackendProcess } from './backend-process.ts';

const CLIENTS = Number(process.argv[2] ?? 1000);
const RATES = (process.argv[3] ?? '10,100').split(',').map(Number);
const BATCH = Number(process.argv[4] ?? 10);
const SECONDS = Number(process.argv[5] ?? 10);
const SAMPLED = 50;
const CHECKS = 20;

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, clock ticks of 10 ms
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CLIENTS sockets; the first SAMPLED parse frames and record latency, the rest only count them. */
async function connectClients(url: string, protocols: string[]) {
  const latencies: number[] = [];
  let frames = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => {
        const sampled = i + j < SAMPLED;
        const socket = new WebSocket(url, protocols);
        socket.on('message', (data) => {
          frames++;
          if (!sampled) return;
          const message = JSON.parse(String(data));
          if (message.type !== 'results') return;
          const now = Date.now();
          latencies.push(now - Number(message.results[0].metrics.sent_ms));
        });
        sockets.push(socket);
        return new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
      }),
    );
  }
  return {
    latencies,
    get frames() {
      return frames;
    },
    close: () => sockets.forEach((s) => s.terminate()),
  };
}

function batchOf(now: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    id: randomUUID(),
    checkId: `c${i % CHECKS}`,
    type: 'icmp',
    target: '127.0.0.1',
    time: new Date(now).toISOString(),
    success: true,
    durationMs: 0.05,
    metrics: { rtt_min_ms: 0.04, rtt_max_ms: 0.06, loss_ratio: 0, jitter_ms: 0.01, sent_ms: now },
  }));
}

/** Sends `rate` batches a second for SECONDS through `send`; returns when done. */
async function drive(rate: number, send: (results: object[]) => void) {
  const total = rate * SECONDS;
  const started = Date.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    send(batchOf(Date.now()));
  }
  await sleep(1000); // the last frames arrive
}

interface Figures {
  p50: number;
  p99: number;
  cpuPerSecond: number;
  frames: number;
}

async function measure(
  pid: number,
  clients: Awaited<ReturnType<typeof connectClients>>,
  rate: number,
  send: (r: object[]) => void,
): Promise<Figures> {
  clients.latencies.length = 0;
  const framesBefore = clients.frames;
  const cpuBefore = cpuSeconds(pid);
  const started = Date.now();
  await drive(rate, send);
  const elapsed = (Date.now() - started) / 1000;
  return {
    p50: quantile(clients.latencies, 0.5),
    p99: quantile(clients.latencies, 0.99),
    cpuPerSecond: (cpuSeconds(pid) - cpuBefore) / elapsed,
    frames: clients.frames - framesBefore,
  };
}

// --- ours ---
const database = await benchDatabase();
const backend = await startBackendProcess({
  DATABASE_URL: database.url,
  JWT_SECRET: 'f'.repeat(48),
  NOP_SECRET_KEY: 'k'.repeat(48),
  NODE_ENV: 'production',
  NOP_AUTH_RATE_LIMIT: '100000',
  NOP_MANAGED_AGENT: 'false',
  NOP_MAX_CONNECTIONS_PER_ADDRESS: '0',
});
const ours: Record<number, Figures> = {};
const bare: Record<number, Figures> = {};
let peer: ChildProcess | undefined;
try {
  const signup = await fetch(`${backend.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', email: 'bench@example.test', password: 'long enough' }),
  });
  const token = ((await signup.json()) as { token: string }).token;
  const created = (await (
    await fetch(`${backend.url}/api/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'fanout',
        type: 'multi',
        config: {
          checks: Array.from({ length: CHECKS }, (_, i) => ({
            id: `c${i}`,
            type: 'icmp',
            target: '127.0.0.1',
            interval: '10s',
          })),
        },
      }),
    })
  ).json()) as { token: string };
  const link = new WebSocket(`${backend.url.replace('http', 'ws')}/api/v1/agents/link`, {
    headers: { authorization: `Bearer ${created.token}` },
  });
  await new Promise((resolve) => link.once('open', resolve));
  link.send(JSON.stringify({ type: 'register', agentVersion: 'bench', hostname: 'bench', configVersion: 0 }));
  await sleep(500);
  const clients = await connectClients(`${backend.url.replace('http', 'ws')}/ws/stream`, [
    'nop.v1',
    `nop.jwt.${token}`,
  ]);
  for (const rate of RATES)
    ours[rate] = await measure(backend.child.pid!, clients, rate, (results) =>
      link.send(JSON.stringify({ type: 'results', batchId: randomUUID(), results })),
    );
  clients.close();
  link.close();

  // --- the peer ---
  peer = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/bare-ws-broadcast.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) =>
    peer!.stdout!.on('data', (d) => {
      const m = /port (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    }),
  );
  const peerClients = await connectClients(`ws://127.0.0.1:${port}/`, []);
  const feed = new WebSocket(`ws://127.0.0.1:${port}/feed`);
  await new Promise((resolve) => feed.once('open', resolve));
  for (const rate of RATES)
    bare[rate] = await measure(peer.pid!, peerClients, rate, (results) => feed.send(JSON.stringify({ results })));
  peerClients.close();
  feed.close();
} finally {
  peer?.kill('SIGTERM');
  await backend.stop();
  await database.drop();
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `\n${CLIENTS} stream clients, batches of ${BATCH}, ${SECONDS} s per rate, latency over ${SAMPLED} clients (load ${load})`,
);
console.log('rate/s  ours p50  p99     CPU/s   bare p50  p99     CPU/s   p99 ratio  CPU ratio  frames ours/bare');
for (const rate of RATES) {
  const o = ours[rate]!;
  const b = bare[rate]!;
  console.log(
    `${String(rate).padStart(6)}  ${String(o.p50).padStart(5)} ms ${String(o.p99).padStart(5)} ms ${o.cpuPerSecond.toFixed(2).padStart(5)}   ${String(b.p50).padStart(5)} ms ${String(b.p99).padStart(5)} ms ${b.cpuPerSecond.toFixed(2).padStart(5)}   ${(o.p99 / Math.max(1, b.p99)).toFixed(2).padStart(8)}  ${(o.cpuPerSecond / b.cpuPerSecond).toFixed(2).padStart(9)}  ${o.frames}/${b.frames}`,
  );
}
process.exit(0);
