import { randomBytes } from 'node:crypto';
import { buildApp, type App } from '../../src/app.ts';
import type { Bus } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import type { Db } from '../../src/db/db.ts';
import { createJwtService, type JwtService } from '../../src/modules/auth/jwt.ts';
import { openTestDb, type Engine } from './databases.ts';

export const TEST_SECRET = randomBytes(32).toString('hex');

export interface TestApp {
  app: App;
  db: Db;
  bus: Bus;
  jwt: JwtService;
  close(): Promise<void>;
}

/** The real app on a real database (PGlite or PostgreSQL) with the in-process bus. */
export async function createTestApp(
  engine: Engine,
  opts: { rateLimit?: number; signup?: 'open' | 'closed' } = {},
): Promise<TestApp> {
  const { db, cleanup } = await openTestDb(engine);
  const bus = createMemoryBus();
  const jwt = createJwtService(TEST_SECRET, 3600);
  const app = await buildApp({
    config: { NOP_AUTH_RATE_LIMIT: opts.rateLimit ?? 10_000, NOP_PUBLIC_URL: undefined, NOP_SIGNUP: opts.signup },
    db,
    bus,
    jwt,
  });
  return {
    app,
    db,
    bus,
    jwt,
    async close() {
      await app.close();
      await bus.close();
      await cleanup();
    },
  };
}

let counter = 0;
/** Signs up a fresh user and returns its bearer header. The first user of an app is admin. */
export async function signup(app: App, name = `user${++counter}`) {
  const email = `${name}.${randomBytes(3).toString('hex')}@example.test`;
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { name, email, password: 'correct horse battery' },
  });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.body}`);
  const body = response.json() as { token: string; user: { id: string; role: string } };
  return { ...body, email, headers: { authorization: `Bearer ${body.token}` } };
}
