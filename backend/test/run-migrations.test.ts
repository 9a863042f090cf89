import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp, readMigrations } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { createPgDatabase } from './helpers/databases.ts';
import { REPO_ROOT } from './helpers/process.ts';

const run = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'scripts/run-migrations.sh');

// scripts/run-migrations.sh and the backend's migrator keep the same books (golang-migrate's
// schema_migrations), so either can take over a database the other set up.
describe('scripts/run-migrations.sh on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  beforeAll(async () => {
    database = await createPgDatabase();
  });
  afterAll(() => database?.drop());

  it('stops with one line when DATABASE_URL is missing', async () => {
    const failure = await run('bash', [SCRIPT], { env: { ...process.env, DATABASE_URL: '' } }).catch((e) => e);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure.stderr).toContain('DATABASE_URL');
  });

  it('applies every migration, after which the backend has nothing left to do; down rolls each back', async () => {
    const env = { ...process.env, DATABASE_URL: database.url };
    await run('bash', [SCRIPT], { env });
    const db = await openPostgres(database.url);
    try {
      const latest = readMigrations().at(-1)!.version;
      const { rows } = await db.query<{ version: string; dirty: boolean }>(
        'SELECT version, dirty FROM schema_migrations',
      );
      expect(rows).toEqual([{ version: String(latest), dirty: false }]);
      expect(await migrateUp(db)).toEqual([]);
      for (const _ of readMigrations()) await run('bash', [SCRIPT, 'down'], { env });
      const tables = await db.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'agents'");
      expect(tables.rows).toHaveLength(0);
      expect(await migrateUp(db)).toEqual(readMigrations().map((m) => m.version));
    } finally {
      await db.close();
    }
  });
});
