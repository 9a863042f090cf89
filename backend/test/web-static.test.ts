import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, INITIAL_JS_BUDGET_GZIP, measureBundle } from '../../scripts/bench/bundle-size.ts';
import { buildApp, type App } from '../src/app.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { createJwtService } from '../src/modules/auth/jwt.ts';
import { createSecretCipher } from '../src/secrets/cipher.ts';
import { openTestDb } from './helpers/databases.ts';

// How the real dashboard build is delivered: a production build into a temp folder (not
// frontend/dist, which a running `npm start` may be serving), served by the app as in production.
describe('dashboard delivery', () => {
  let app: App;
  let dist: string;
  let cleanup: () => Promise<void>;
  let entry: string;

  beforeAll(async () => {
    dist = buildDashboard();
    entry = /<script[^>]*type="module"[^>]*src="\/([^"]+)"/.exec(
      readFileSync(path.join(dist, 'index.html'), 'utf8'),
    )![1]!;
    const test = await openTestDb('pglite');
    cleanup = test.cleanup;
    app = await buildApp({
      config: { NOP_AUTH_RATE_LIMIT: 100, NOP_PUBLIC_URL: undefined },
      db: test.db,
      bus: createMemoryBus(),
      jwt: createJwtService('x'.repeat(32), 60),
      cipher: createSecretCipher('x'.repeat(32)),
      dashboardRoot: dist,
    });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await cleanup?.();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string, encoding?: string) =>
    app.inject({ url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('sends brotli or gzip as the browser accepts, decoding to the very bytes of the file', async () => {
    const original = readFileSync(path.join(dist, entry));
    const br = await get(`/${entry}`, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(original.length / 2);

    const gz = await get(`/${entry}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(original)).toBe(true);

    const plain = await get(`/${entry}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original)).toBe(true);

    const refused = await get(`/${entry}`, 'br;q=0, gzip;q=0, identity');
    expect(refused.headers['content-encoding']).toBeUndefined();

    for (const answer of [br, gz, plain]) expect(answer.headers.vary).toMatch(/accept-encoding/i);
  });

  it('compresses the CSS too, and serves index.html (compressed once over 1 KB) with the security headers', async () => {
    const css = readdirSync(path.join(dist, 'assets')).find((f) => f.endsWith('.css'))!;
    expect((await get(`/assets/${css}`, 'br')).headers['content-encoding']).toBe('br');
    const index = await get('/', 'br');
    const body = index.headers['content-encoding'] === 'br' ? brotliDecompressSync(index.rawPayload) : index.rawPayload;
    expect(body.equals(readFileSync(path.join(dist, 'index.html')))).toBe(true);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('lets browsers keep hashed assets for a year, and revalidate index.html and deep links', async () => {
    expect((await get(`/${entry}`, 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/index.html', '/users', '/checks/new', '/favicon.svg', '/theme-boot.js']) {
      const answer = await get(url, 'br');
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['cache-control'], url).toBe('no-cache');
    }
    const index = await get('/', 'br');
    const again = await app.inject({
      url: '/',
      headers: { 'accept-encoding': 'br', 'if-none-match': index.headers.etag! },
    });
    expect(again.statusCode).toBe(304);
  });

  it('never serves source maps, nor links them from the bundles', async () => {
    const maps = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.map'));
    for (const map of maps) {
      const answer = await get(`/assets/${map}`);
      expect(answer.statusCode, map).toBe(404);
      expect(answer.body).not.toContain('"mappings"');
    }
    expect((await get(`/assets/${maps[0]!.replace('.map', '.ma%70')}`)).statusCode).toBe(404);
    expect(readFileSync(path.join(dist, entry), 'utf8')).not.toContain('sourceMappingURL');
  });

  it('answers a bundle name no build has with a 404, not index.html', async () => {
    const answer = await get('/assets/index-0ld0ne.js');
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps the first download (entry and modulepreloads) within 200 KB gzip', () => {
    const report = measureBundle(dist);
    const initial = report.total(report.initial);
    expect(report.initial.map((f) => f.file)).toContain(entry);
    expect(report.lazy.length).toBeGreaterThan(0); // the pages are split off
    expect(initial.gzip).toBeLessThanOrEqual(INITIAL_JS_BUDGET_GZIP);
    // the build's own .gz files match what is measured (same settings)
    expect(existsSync(path.join(dist, `${entry}.gz`))).toBe(true);
  });
});
