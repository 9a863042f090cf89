import path from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** PostgreSQL when DATABASE_URL is set, else PGlite in NOP_DATA_DIR/pg. */
export function openDb(config: Pick<Config, 'DATABASE_URL' | 'NOP_DATA_DIR'>): Promise<Db> {
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL);
  return openPglite(path.join(config.NOP_DATA_DIR, 'pg'));
}
