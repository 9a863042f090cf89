import type { Db, Queryable } from '../../db/db.ts';

const DAY_MS = 86_400_000;
/** One advisory lock key: replicas take turns maintaining, nobody waits for it. */
const MAINTENANCE_LOCK = 727_007;
const PARENT = 'check_results';
const DEFAULT_PARTITION = 'check_results_default';

export interface PartitionPolicy {
  /** days of raw results kept; older days' partitions are dropped */
  retentionDays: number;
  /** days made ahead of today, so a result never waits for its partition */
  aheadDays: number;
}

export interface MaintenanceReport {
  created: string[];
  dropped: string[];
  /** rows moved out of the DEFAULT partition into the day they belong to */
  moved: number;
  /** rows older than the retention deleted from the DEFAULT partition */
  expired: number;
  /** false when another replica was maintaining at the time */
  ran: boolean;
}

/** check_results_p20261130 for the UTC day that starts at `dayStartMs`. */
export const partitionName = (dayStartMs: number) =>
  `${PARENT}_p${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '')}`;

const startOfUtcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function dayOf(name: string): number | undefined {
  const match = /^check_results_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}

/**
 * Keeps check_results' daily partitions in step with the clock: every UTC day from the start of the
 * retention window to `aheadDays` ahead has its partition (rows of that day already in DEFAULT are
 * moved into it, which is also how a fresh migration's rows find their days), days past retention
 * are dropped whole, and DEFAULT's rows past retention deleted. Idempotent; one replica at a time.
 */
export async function maintainPartitions(
  db: Db,
  policy: PartitionPolicy,
  nowMs = Date.now(),
): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { created: [], dropped: [], moved: 0, expired: 0, ran: false };
  const today = startOfUtcDay(nowMs);
  const oldestKept = today - policy.retentionDays * DAY_MS;
  await db.transaction(async (tx) => {
    const { rows: lock } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      MAINTENANCE_LOCK,
    ]);
    if (!lock[0]?.locked) return;
    report.ran = true;
    const existing = new Set(await partitionsOf(tx));
    for (const name of existing) {
      const day = dayOf(name);
      if (day !== undefined && day + DAY_MS <= oldestKept) {
        await tx.exec(`DROP TABLE ${name}`);
        report.dropped.push(name);
      }
    }
    for (let day = oldestKept; day <= today + policy.aheadDays * DAY_MS; day += DAY_MS) {
      const name = partitionName(day);
      if (existing.has(name)) continue;
      report.moved += await createDay(tx, name, day);
      report.created.push(name);
    }
    const { rows } = await tx.query<{ n: number }>(
      `WITH gone AS (DELETE FROM ${DEFAULT_PARTITION} WHERE time < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [new Date(oldestKept).toISOString()],
    );
    report.expired = rows[0]?.n ?? 0;
  });
  return report;
}

async function partitionsOf(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '${PARENT}'::regclass`,
  );
  return rows.map((r) => r.name);
}

/**
 * A day's partition. When DEFAULT holds none of its rows (the usual case) it is made in place; else
 * it is made apart, the rows are moved into it, and it is attached (attaching checks that DEFAULT
 * keeps none of the day). Returns the rows moved.
 */
async function createDay(tx: Queryable, name: string, dayStartMs: number): Promise<number> {
  const from = new Date(dayStartMs).toISOString();
  const to = new Date(dayStartMs + DAY_MS).toISOString();
  const bounds = `FOR VALUES FROM ('${from}') TO ('${to}')`;
  const { rows: waiting } = await tx.query(
    `SELECT 1 FROM ${DEFAULT_PARTITION} WHERE time >= $1 AND time < $2 LIMIT 1`,
    [from, to],
  );
  if (waiting.length === 0) {
    await tx.exec(`CREATE TABLE ${name} PARTITION OF ${PARENT} ${bounds}`);
    return 0;
  }
  await tx.exec(`CREATE TABLE ${name} (LIKE ${PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  const { rows } = await tx.query<{ n: number }>(
    `WITH moved AS (DELETE FROM ${DEFAULT_PARTITION} WHERE time >= $1 AND time < $2 RETURNING *),
          copied AS (INSERT INTO ${name} SELECT * FROM moved RETURNING 1)
     SELECT count(*)::int AS n FROM copied`,
    [from, to],
  );
  await tx.exec(`ALTER TABLE ${PARENT} ATTACH PARTITION ${name} ${bounds}`);
  return rows[0]?.n ?? 0;
}

/**
 * Runs the maintenance now and then every `everyMs` (an hour by default) until stopped; failures
 * are reported and tried again at the next turn.
 */
export function schedulePartitionMaintenance(
  db: Db,
  policy: PartitionPolicy,
  hooks: { onReport: (report: MaintenanceReport) => void; onError: (error: Error) => void },
  everyMs = 3_600_000,
): { first: Promise<void>; stop: () => void } {
  const run = () =>
    maintainPartitions(db, policy)
      .then(hooks.onReport)
      .catch((error: Error) => hooks.onError(error));
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { first: run(), stop: () => clearInterval(timer) };
}
