import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/db.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

/** The machine's PostgreSQL (CI starts it); override with TEST_PG_URL. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A brand-new PostgreSQL database for one test file; `drop` removes it. */
export async function createPgDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `nop_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    name,
    url: urlFor(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A migrated, empty database on the given engine: in-memory PGlite or a fresh PostgreSQL database. */
export async function openTestDb(engine: Engine): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openPglite();
    await migrateUp(db);
    return { db, cleanup: () => db.close() };
  }
  const database = await createPgDatabase();
  const db = await openPostgres(database.url);
  await migrateUp(db);
  return {
    db,
    cleanup: async () => {
      await db.close();
      await database.drop();
    },
  };
}
