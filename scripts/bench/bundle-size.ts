// What the dashboard costs a browser: the JavaScript a first visit must download before anything
// shows (index.html's entry script and its modulepreloads), raw, gzip and brotli, then each chunk
// loaded later when a page opens. The budget for the first part is 200 KB gzip.
//   npx tsx scripts/bench/bundle-size.ts            # reads frontend/dist (builds it when missing)
//   npx tsx scripts/bench/bundle-size.ts --build    # a fresh production build in a temp folder
//   npx tsx scripts/bench/bundle-size.ts path/to/dist
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const INITIAL_JS_BUDGET_GZIP = 200 * 1024;

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface BundleReport {
  /** the entry and its modulepreloads: downloaded before the first page renders */
  initial: FileSize[];
  /** every other chunk: fetched when a page that needs it opens */
  lazy: FileSize[];
  css: FileSize[];
  total: (files: FileSize[]) => Omit<FileSize, 'file'>;
}

/** A production build of the dashboard into `outDir` (a temp folder by default); returns the folder. */
export function buildDashboard(outDir = mkdtempSync(path.join(os.tmpdir(), 'nop-dist-'))): string {
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: path.join(root, 'frontend'),
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  return outDir;
}

function sizeOf(dist: string, file: string): FileSize {
  const bytes = readFileSync(path.join(dist, file));
  return {
    file,
    raw: bytes.length,
    // the same settings as the build's precompressed files (frontend/vite.config.ts)
    gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Sizes of a built dashboard, split by when the browser needs each file. */
export function measureBundle(dist: string): BundleReport {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const linked = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!.replace(/^\//, ''));
  const initialFiles = [
    ...linked(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...linked(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ];
  const assets = readdirSync(path.join(dist, 'assets')).map((f) => `assets/${f}`);
  const js = assets.filter((f) => f.endsWith('.js'));
  return {
    initial: initialFiles.map((f) => sizeOf(dist, f)),
    lazy: js.filter((f) => !initialFiles.includes(f)).map((f) => sizeOf(dist, f)),
    css: assets.filter((f) => f.endsWith('.css')).map((f) => sizeOf(dist, f)),
    total: (files) => ({
      raw: files.reduce((n, f) => n + f.raw, 0),
      gzip: files.reduce((n, f) => n + f.gzip, 0),
      brotli: files.reduce((n, f) => n + f.brotli, 0),
    }),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(10);

function print(report: BundleReport): void {
  const row = (name: string, s: Omit<FileSize, 'file'>) =>
    console.log(`${name.padEnd(44)}${kb(s.raw)}${kb(s.gzip)}${kb(s.brotli)}`);
  const section = (title: string, files: FileSize[]) => {
    console.log(`\n${title}`);
    for (const f of [...files].sort((a, b) => b.raw - a.raw)) row(`  ${f.file}`, f);
    row('  total', report.total(files));
  };
  console.log(`${''.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
  section('initial JavaScript (entry + modulepreload)', report.initial);
  section('lazy chunks (loaded when a page opens)', report.lazy);
  section('CSS', report.css);
  const initial = report.total(report.initial).gzip;
  const verdict = initial <= INITIAL_JS_BUDGET_GZIP ? 'within' : 'OVER';
  console.log(`\ninitial JS ${kb(initial).trim()} gzip: ${verdict} the ${kb(INITIAL_JS_BUDGET_GZIP).trim()} budget`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  const defaultDist = path.join(root, 'frontend/dist');
  let dist: string;
  if (arg === '--build') dist = buildDashboard();
  else if (arg) dist = path.resolve(arg);
  else dist = existsSync(path.join(defaultDist, 'index.html')) ? defaultDist : buildDashboard(defaultDist);
  console.log(`dashboard build: ${dist}`);
  const report = measureBundle(dist);
  print(report);
  if (arg === '--build') rmSync(dist, { recursive: true, force: true });
  if (report.total(report.initial).gzip > INITIAL_JS_BUDGET_GZIP) process.exitCode = 1;
}
