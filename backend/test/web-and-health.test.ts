import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { createJwtService } from '../src/modules/auth/jwt.ts';
import { createSecretCipher } from '../src/secrets/cipher.ts';
import { openTestDb } from './helpers/databases.ts';

describe('dashboard files', () => {
  let app: App;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'nop-dist-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    const test = await openTestDb('pglite');
    cleanup = test.cleanup;
    app = await buildApp({
      config: { NOP_AUTH_RATE_LIMIT: 100, NOP_PUBLIC_URL: undefined },
      db: test.db,
      bus: createMemoryBus(),
      jwt: createJwtService('x'.repeat(32), 60),
      cipher: createSecretCipher('x'.repeat(32)),
      dashboardRoot: root,
    });
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('serves the app and its assets without a token', async () => {
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('id="root"');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('SAMEORIGIN');
    const asset = await app.inject({ url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('answers deep links with index.html, but unknown API paths with a 404 problem', async () => {
    const deep = await app.inject({ url: '/login?next=/' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('id="root"');
    const api = await app.inject({ url: '/api/v2/agents' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });

  it('still guards the API', async () => {
    expect((await app.inject({ url: '/api/v1/agents' })).statusCode).toBe(401);
  });
});

describe('readiness', () => {
  it('answers /readyz with a 503 problem naming the engine when the database is gone', async () => {
    const test = await openTestDb('pglite');
    const app = await buildApp({
      config: { NOP_AUTH_RATE_LIMIT: 100, NOP_PUBLIC_URL: undefined },
      db: test.db,
      bus: createMemoryBus(),
      jwt: createJwtService('x'.repeat(32), 60),
      cipher: createSecretCipher('x'.repeat(32)),
    });
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await test.db.close();
    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toContain('application/problem+json');
    expect(down.json().detail).toContain('pglite');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });
});
