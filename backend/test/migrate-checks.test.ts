import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { currentVersion, migrateDown, migrateUp, readMigrations } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { createPgDatabase, ENGINES } from './helpers/databases.ts';

const CHECK_OBJECTS = 4;

// A database from before checks were objects: per-agent checks whose ids repeat across agents,
// with stored results. The migration must turn them into check objects without losing a result.
describe.each(ENGINES)('migration 0004 (checks become objects) on %s', (engine) => {
  let db: Db;
  let drop = async () => {};
  const managed = randomUUID();
  const remote = randomUUID();
  const spec = (id: string, target: string) => ({ id, type: 'icmp', target, interval: 10_000, timeout: 2_000 });

  beforeAll(async () => {
    if (engine === 'pglite') db = await openPglite();
    else {
      const database = await createPgDatabase();
      db = await openPostgres(database.url);
      drop = database.drop;
    }
    await migrateUp(
      db,
      readMigrations().filter((m) => m.version < CHECK_OBJECTS),
    );
    const config = (checks: object[]) => JSON.stringify({ version: 3, checks });
    await db.query(
      `INSERT INTO agents (id, name, type, managed, config, token_hash, created_at) VALUES
         ($1, 'local', 'multi', true, $3::jsonb, 'h1', now() - interval '1 day'),
         ($2, 'remote', 'multi', false, $4::jsonb, 'h2', now())`,
      [
        managed,
        remote,
        config([spec('ping', '127.0.0.1'), spec('only-local', '127.0.0.2')]),
        config([spec('ping', '127.0.0.3')]),
      ],
    );
    await db.query(
      `INSERT INTO checks (agent_id, id, type, target, spec) VALUES
         ($1, 'ping', 'icmp', '127.0.0.1', $3::jsonb), ($1, 'only-local', 'icmp', '127.0.0.2', $4::jsonb),
         ($2, 'ping', 'icmp', '127.0.0.3', $5::jsonb)`,
      [
        managed,
        remote,
        JSON.stringify(spec('ping', '127.0.0.1')),
        JSON.stringify(spec('only-local', '127.0.0.2')),
        JSON.stringify(spec('ping', '127.0.0.3')),
      ],
    );
    for (const [agent, check] of [
      [managed, 'ping'],
      [managed, 'only-local'],
      [remote, 'ping'],
      [remote, 'ping'],
    ])
      await db.query(
        `INSERT INTO check_results (id, agent_id, check_id, type, target, time, success)
         VALUES ($1, $2, $3, 'icmp', 'x', now(), true)`,
        [randomUUID(), agent, check],
      );
    await migrateUp(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('turns each per-agent check into a check object assigned to its agent; a repeated id is suffixed', async () => {
    const { rows: checks } = await db.query<{ id: string; target: string; spec: { id: string } }>(
      'SELECT id, target, spec FROM checks ORDER BY id',
    );
    const renamed = `ping-${remote.replace(/-/g, '').slice(0, 8)}`;
    expect(checks.map((c) => [c.id, c.target, c.spec.id])).toEqual([
      ['only-local', '127.0.0.2', 'only-local'],
      ['ping', '127.0.0.1', 'ping'],
      [renamed, '127.0.0.3', renamed],
    ]);
    const { rows: assignments } = await db.query<{ check_id: string; agent_id: string }>(
      'SELECT check_id, agent_id FROM check_assignments ORDER BY check_id',
    );
    expect(assignments).toEqual([
      { check_id: 'only-local', agent_id: managed },
      { check_id: 'ping', agent_id: managed },
      { check_id: renamed, agent_id: remote },
    ]);
    // the renamed agent's config follows (a new version, so the agent applies it); results too
    const { rows: agents } = await db.query<{ id: string; config: { version: number; checks: Array<{ id: string }> } }>(
      'SELECT id, config FROM agents WHERE id = $1',
      [remote],
    );
    expect(agents[0]!.config.version).toBe(4);
    expect(agents[0]!.config.checks.map((c) => c.id)).toEqual([renamed]);
    const { rows: results } = await db.query<{ agent_id: string; check_id: string; n: number }>(
      'SELECT agent_id, check_id, count(*)::int AS n FROM check_results GROUP BY 1, 2 ORDER BY 2',
    );
    expect(results).toEqual(
      expect.arrayContaining([
        { agent_id: managed, check_id: 'ping', n: 1 },
        { agent_id: managed, check_id: 'only-local', n: 1 },
        { agent_id: remote, check_id: renamed, n: 2 },
      ]),
    );
  });

  it('rolls back to per-agent checks', async () => {
    while ((await currentVersion(db)).version >= CHECK_OBJECTS) await migrateDown(db);
    const { rows } = await db.query<{ agent_id: string; id: string }>(
      'SELECT agent_id, id FROM checks ORDER BY agent_id = $1 DESC, id',
      [managed],
    );
    expect(rows.map((r) => r.id)).toEqual(['only-local', 'ping', `ping-${remote.replace(/-/g, '').slice(0, 8)}`]);
  });
});
