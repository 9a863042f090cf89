import { randomBytes } from 'node:crypto';
import type { Role } from '@nop/protocol';
import { buildApp, type App, type AppConfig } from '../../src/app.ts';
import type { Bus } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory.ts';
import type { Db } from '../../src/db/db.ts';
import { createJwtService, type JwtService } from '../../src/modules/auth/jwt.ts';
import { createSecretCipher, type SecretCipher } from '../../src/secrets/cipher.ts';
import { openTestDb, type Engine } from './databases.ts';
import { testLogger } from './test-logs.ts';

export const TEST_SECRET = randomBytes(32).toString('hex');
export const TEST_PASSWORD = 'correct horse battery';

export interface TestApp {
  app: App;
  db: Db;
  bus: Bus;
  jwt: JwtService;
  cipher: SecretCipher;
  close(): Promise<void>;
}

/** The real app on a real database (PGlite or PostgreSQL) with the in-process bus. */
export async function createTestApp(
  engine: Engine,
  opts: { rateLimit?: number; signup?: 'open' | 'closed'; config?: Partial<AppConfig>; bus?: Bus } = {},
): Promise<TestApp> {
  const { db, cleanup } = await openTestDb(engine);
  const bus = opts.bus ?? createMemoryBus();
  const jwt = createJwtService(TEST_SECRET, 3600);
  const cipher = createSecretCipher(TEST_SECRET);
  const app = await buildApp({
    config: {
      NOP_AUTH_RATE_LIMIT: opts.rateLimit ?? 10_000,
      NOP_PUBLIC_URL: undefined,
      NOP_SIGNUP: opts.signup,
      NOP_ACCOUNT_LOGIN_LIMIT: 10_000,
      ...opts.config,
    },
    db,
    bus,
    jwt,
    cipher,
    // at debug level, into the run's log folder: the secrets scan reads what the app wrote
    logger: testLogger(`app-${engine}`),
  });
  return {
    app,
    db,
    bus,
    jwt,
    cipher,
    async close() {
      await app.close();
      if (!opts.bus) await bus.close();
      await cleanup();
    },
  };
}

export interface TestUser {
  token: string;
  user: { id: string; role: Role; name: string; email: string };
  email: string;
  headers: { authorization: string };
}

// The first account of each app (its admin), which makes the others.
const admins = new WeakMap<App, TestUser>();
let counter = 0;

/**
 * A signed-in user of `role`. The first call on an app signs up (and so makes the admin, whatever
 * `role` says); later calls have that admin create the account, then sign in as it.
 */
export async function signup(app: App, name = `user${++counter}`, role: Role = 'editor'): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.${randomBytes(3).toString('hex')}@example.test`;
  const admin = admins.get(app);
  if (!admin) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { name, email, password: TEST_PASSWORD },
    });
    if (response.statusCode !== 201) throw new Error(`signup failed: ${response.body}`);
    const body = response.json() as { token: string; user: TestUser['user'] };
    const first = { ...body, email, headers: { authorization: `Bearer ${body.token}` } };
    admins.set(app, first);
    return first;
  }
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin.headers,
    payload: { name, email, password: TEST_PASSWORD, role },
  });
  if (created.statusCode !== 201) throw new Error(`creating a user failed: ${created.body}`);
  return login(app, email);
}

/** Signs in again as an existing user (a new session). */
export async function login(app: App, email: string, password = TEST_PASSWORD): Promise<TestUser> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const body = response.json() as { token: string; user: TestUser['user'] };
  return { ...body, email, headers: { authorization: `Bearer ${body.token}` } };
}

/** The admin (first account) of an app, once signup() has made it. */
export const adminOf = (app: App) => admins.get(app);
