#!/usr/bin/env node
// `npm start`: builds the dashboard when its sources are newer than the build, then runs the
// backend in this same process (tsx runs the TypeScript directly; there is no compile step).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const built = path.join(root, 'frontend/dist/index.html');

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

const sources = ['frontend/src', 'frontend/index.html', 'frontend/vite.config.ts', 'protocol/src'];
const sourceTime = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  console.log('nop: building the dashboard…');
  // a production bundle whatever NODE_ENV the caller runs under (vitest sets it to test)
  const result = spawnSync('npm', ['run', 'build', '-w', '@nop/frontend'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.chdir(root);
const { register } = await import('tsx/esm/api');
register();
await import('../backend/src/main.ts');
