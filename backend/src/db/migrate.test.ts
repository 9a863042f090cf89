import { describe, expect, it } from 'vitest';
import { currentVersion, migrateDown, migrateUp, readMigrations } from './migrate.ts';
import { openPglite } from './pglite.ts';

describe('migrations', () => {
  it('are numbered, each with a down file', () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) {
      expect(m.name).toMatch(/^\d{4}_[a-z0-9_]+$/);
      expect(m.down.trim()).not.toBe('');
    }
  });

  it('apply up, are idempotent, and roll back down to an empty schema', async () => {
    const db = await openPglite();
    try {
      const latest = readMigrations().at(-1)!.version;
      expect(await migrateUp(db)).toContain(latest);
      expect(await migrateUp(db)).toEqual([]);
      expect(await currentVersion(db)).toEqual({ version: latest, dirty: false });
      const tables = async () =>
        (
          await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).rows.map((r) => r.t);
      expect(await tables()).toEqual(
        expect.arrayContaining(['users', 'agents', 'checks', 'check_results', 'alert_rules', 'alerts']),
      );
      while ((await migrateDown(db)) !== undefined);
      expect(await tables()).toEqual(['schema_migrations']);
      expect(await currentVersion(db)).toEqual({ version: 0, dirty: false });
    } finally {
      await db.close();
    }
  });
});
