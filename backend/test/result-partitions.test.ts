import { randomUUID } from 'node:crypto';
import type { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { maintainPartitions, partitionName } from '../src/modules/results/partitions.ts';
import { insertResults } from '../src/modules/results/repo.ts';
import { ENGINES, openTestDb } from './helpers/databases.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T10:00:00Z');
const TODAY = Date.parse('2026-11-30T00:00:00Z');
const policy = { retentionDays: 14, aheadDays: 2 };

const result = (timeMs: number): CheckResult => ({
  id: randomUUID(),
  checkId: 'p',
  type: 'icmp',
  target: '127.0.0.1',
  time: new Date(timeMs).toISOString(),
  success: true,
  durationMs: 1,
  metrics: {},
});

describe.each(ENGINES)('result partitions on %s', (engine) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let agentId: string;

  const partitions = async () =>
    (
      await db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'check_results'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
  const countIn = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDb(engine));
    agentId = (
      await db.query<{ id: string }>(
        `INSERT INTO agents (name, type, token_hash) VALUES ('p', 'multi', 'h') RETURNING id`,
      )
    ).rows[0]!.id;
  });
  afterAll(() => cleanup());

  it('makes a partition per day of the retention window and ahead, moving the rows that waited in DEFAULT', async () => {
    // as after the migration: every row in DEFAULT, some past retention
    const rows = [
      result(NOW - 20 * DAY), // past the 14 days: deleted
      result(NOW - 3 * DAY),
      result(NOW - 3 * DAY + 1000),
      result(NOW),
      result(TODAY + DAY + 5), // tomorrow, just after midnight
    ];
    expect((await insertResults(db, agentId, rows)).size).toBe(5);
    const report = await maintainPartitions(db, policy, NOW);
    expect(report).toMatchObject({ ran: true, moved: 4, expired: 1, dropped: [] });
    expect(report.created).toHaveLength(14 + 1 + 2);
    expect(report.created[0]).toBe(partitionName(TODAY - 14 * DAY));
    expect(report.created.at(-1)).toBe(partitionName(TODAY + 2 * DAY));
    expect(await countIn('check_results_default')).toBe(0);
    expect(await countIn(partitionName(TODAY - 3 * DAY))).toBe(2);
    expect(await countIn(partitionName(TODAY))).toBe(1);
    expect(await countIn(partitionName(TODAY + DAY))).toBe(1);
    expect(await countIn('check_results')).toBe(4);
  });

  it('is idempotent, and a re-sent result is still stored once across partitions', async () => {
    const again = await maintainPartitions(db, policy, NOW);
    expect(again).toMatchObject({ created: [], dropped: [], moved: 0, expired: 0 });
    const once = result(NOW - DAY);
    expect((await insertResults(db, agentId, [once])).size).toBe(1);
    expect((await insertResults(db, agentId, [once])).size).toBe(0);
  });

  it('drops whole days past retention as the clock moves on, and makes the new ones', async () => {
    const before = await countIn('check_results');
    const later = await maintainPartitions(db, policy, NOW + 5 * DAY);
    expect(later.dropped).toEqual([0, 1, 2, 3, 4].map((d) => partitionName(TODAY - (14 - d) * DAY)));
    expect(later.created).toEqual([3, 4, 5, 6, 7].map((d) => partitionName(TODAY + d * DAY)));
    expect(await countIn('check_results')).toBe(before);
    expect((await partitions()).filter((name) => name !== 'check_results_default')).toHaveLength(17);
    // the 3-days-old rows go once their day leaves the window
    const much = await maintainPartitions(db, policy, NOW + 12 * DAY);
    expect(much.dropped).toContain(partitionName(TODAY - 3 * DAY));
    expect(await countIn('check_results')).toBe(before - 2);
  });
});
