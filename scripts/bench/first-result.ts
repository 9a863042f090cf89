// Time from `npm start` to the first live result on the WebSocket stream, on a fresh data folder
// (so PGlite's initdb is included), as a new user meets it. Median of RUNS (default 3).
//   npx tsx scripts/bench/first-result.ts [runs]
// Loopback only: the managed agent probes 127.0.0.1 and the backend's own port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runs = Number(process.argv[2] ?? 3);

async function once(): Promise<{ listening: number; firstResult: number; allChecks: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nop-bench-'));
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NOP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own group, so the whole tree (npm, node, agent) stops together
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /open (http:\/\/localhost:\d+)/.exec(out);
        if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
      });
      child.once('exit', (code) => reject(new Error(`npm start exited ${code}`)));
      setTimeout(() => reject(new Error('no URL within 120 s')), 120_000).unref();
    });
    const listening = performance.now() - started;
    const signup = await fetch(`${url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', email: 'bench@example.test', password: 'bench password' }),
    });
    const { token } = (await signup.json()) as { token: string };
    const seen = new Set<string>();
    let firstResult = 0;
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/stream`, ['nop.v1', `nop.jwt.${token}`]);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.type !== 'result') return;
        firstResult ||= performance.now() - started;
        seen.add(frame.result.checkId);
        if (seen.size === 3) {
          ws.close();
          resolve();
        }
      });
      ws.on('error', reject);
      setTimeout(() => reject(new Error('no results within 60 s')), 60_000).unref();
    });
    return { listening, firstResult, allChecks: performance.now() - started };
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = [];
for (let i = 0; i < runs; i++) {
  const s = await once();
  samples.push(s);
  console.log(
    `run ${i + 1}: listening ${s.listening.toFixed(0)} ms, first live result ${s.firstResult.toFixed(0)} ms, all 3 sample checks ${s.allChecks.toFixed(0)} ms`,
  );
}
console.log(
  `median of ${runs}: listening ${median(samples.map((s) => s.listening)).toFixed(0)} ms, ` +
    `first live result ${median(samples.map((s) => s.firstResult)).toFixed(0)} ms, ` +
    `all 3 sample checks ${median(samples.map((s) => s.allChecks)).toFixed(0)} ms (aim: < 10,000 ms)`,
);
