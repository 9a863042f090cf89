import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));

// Same bookkeeping as golang-migrate (one row: latest version + dirty flag), so its CLI and
// scripts/run-migrations.sh can take over a database this migrator set up, and the reverse.
const TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`;
// Replicas starting together must not apply the same file twice.
const LOCK_KEY = 727_001;

export interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir);
  return files
    .filter((f) => /^\d+_.+\.up\.sql$/.test(f))
    .map((f) => {
      const version = Number(f.split('_')[0]);
      const downFile = f.replace(/\.up\.sql$/, '.down.sql');
      return {
        version,
        name: f.replace(/\.up\.sql$/, ''),
        up: readFileSync(path.join(dir, f), 'utf8'),
        down: files.includes(downFile) ? readFileSync(path.join(dir, downFile), 'utf8') : '',
      };
    })
    .sort((a, b) => a.version - b.version);
}

export async function currentVersion(db: Db): Promise<{ version: number; dirty: boolean }> {
  // under the lock: two replicas creating the table at once would collide in the catalogue
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(TABLE);
  });
  const { rows } = await db.query<{ version: string | number; dirty: boolean }>(
    'SELECT version, dirty FROM schema_migrations LIMIT 1',
  );
  return rows[0] ? { version: Number(rows[0].version), dirty: rows[0].dirty } : { version: 0, dirty: false };
}

/** Applies every migration newer than the database's version, each in its own transaction. */
export async function migrateUp(db: Db, migrations = readMigrations()): Promise<number[]> {
  const state = await currentVersion(db);
  if (state.dirty) throw new Error(`database is marked dirty at migration ${state.version}: fix it by hand first`);
  const applied: number[] = [];
  for (const migration of migrations.filter((m) => m.version > state.version)) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const { rows } = await tx.query<{ version: string | number }>('SELECT version FROM schema_migrations LIMIT 1');
      if (rows[0] && Number(rows[0].version) >= migration.version) return false;
      await tx.exec(migration.up);
      await tx.query('DELETE FROM schema_migrations');
      await tx.query('INSERT INTO schema_migrations (version, dirty) VALUES ($1, false)', [migration.version]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Rolls back the latest applied migration with its .down.sql. */
export async function migrateDown(db: Db, migrations = readMigrations()): Promise<number | undefined> {
  const { version } = await currentVersion(db);
  const index = migrations.findIndex((m) => m.version === version);
  if (index < 0) return undefined;
  const migration = migrations[index]!;
  const previous = migrations[index - 1]?.version;
  await db.transaction(async (tx) => {
    await tx.exec(migration.down);
    await tx.query('DELETE FROM schema_migrations');
    if (previous !== undefined)
      await tx.query('INSERT INTO schema_migrations (version, dirty) VALUES ($1, false)', [previous]);
  });
  return version;
}
