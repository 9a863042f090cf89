import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { buildApp, type App } from './app.ts';
import { openBus } from './bus/open.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './db/data-lock.ts';
import { migrateUp } from './db/migrate.ts';
import { schedulePartitionMaintenance } from './modules/results/partitions.ts';
import { scheduleRollups } from './modules/rollups/job.ts';
import { openDb } from './db/open.ts';
import { startManagedAgent, type ManagedAgent } from './modules/agents/managed.ts';
import { resolveDataSecret } from './lib/data-secret.ts';
import { createJwtService } from './modules/auth/jwt.ts';
import { pruneSessions } from './modules/auth/sessions-repo.ts';
import { createSecretCipher } from './secrets/cipher.ts';
import { encryptStoredSecrets } from './secrets/encrypt-stored.ts';

export interface Platform {
  app: App;
  url: string;
  managedAgent?: ManagedAgent;
  close(): Promise<void>;
}

/**
 * Opens the store (PGlite or PostgreSQL) and applies migrations, opens the bus (in-process or
 * Redis), starts the HTTP server and, in embedded mode, the managed local agent.
 */
export async function startPlatform(config: Config, logger: FastifyBaseLogger): Promise<Platform> {
  // What has been opened is closed again, newest first, on stop or when a later step fails.
  const opened: Array<() => unknown> = [];
  const closeAll = async () => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  try {
    // embedded mode: PGlite's folder belongs to one process
    if (!config.DATABASE_URL) opened.push(lockDataDir(config.NOP_DATA_DIR));
    const db = await openDb(config);
    opened.push(() => db.close());
    const applied = await migrateUp(db);
    const cipher = createSecretCipher(resolveDataSecret('secret-key', config.NOP_SECRET_KEY, config.NOP_DATA_DIR));
    const sealed = await encryptStoredSecrets(db, cipher);
    await pruneSessions(db);
    // every day of the retention window gets its partition before the first result arrives
    const partitions = schedulePartitionMaintenance(
      db,
      { retentionDays: config.NOP_RETENTION_RAW, aheadDays: 2 },
      {
        onReport: (report) => {
          if (report.created.length || report.dropped.length || report.moved || report.expired)
            logger.info(report, 'result partitions maintained');
        },
        onError: (err) => logger.warn({ reason: err.message }, 'maintaining result partitions failed'),
      },
    );
    opened.push(() => partitions.stop());
    await partitions.first;
    // 1-minute and 1-hour rollups of the results, every 30 s (the metrics API reads them); not awaited
    const rollups = scheduleRollups(db, {
      onReport: (report) => {
        if (report.expired) logger.info(report, 'result rollups expired');
      },
      onError: (err) => logger.warn({ reason: err.message }, 'rolling up results failed'),
    });
    opened.push(() => rollups.stop());
    logger.info({ engine: db.engine, applied, agentsWithSecretsEncrypted: sealed }, 'database ready');

    const bus = await openBus(config, (err) => logger.error({ err }, 'bus error'));
    opened.push(() => bus.close());
    const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
    if (redis) {
      redis.on('error', (err) => logger.error({ err }, 'redis error'));
      opened.push(() => redis.disconnect());
    }
    const jwt = createJwtService(
      resolveDataSecret('jwt-secret', config.JWT_SECRET, config.NOP_DATA_DIR),
      config.NOP_TOKEN_TTL,
    );

    const app = await buildApp({ config, db, bus, jwt, cipher, redis, redisPrefix: config.NOP_BUS_PREFIX, logger });
    opened.push(() => app.close());
    if (config.NOP_ADMIN_EMAIL && config.NOP_ADMIN_PASSWORD) {
      const created = await app.services.auth.ensureAdmin(config.NOP_ADMIN_EMAIL, config.NOP_ADMIN_PASSWORD);
      if (created) logger.info({ email: config.NOP_ADMIN_EMAIL }, 'admin account created');
    }
    await app.listen({ host: config.HOST, port: config.PORT });
    const port = (app.server.address() as { port: number }).port;

    // ended sessions are kept 30 days (a user's list, the audit trail), then go
    const pruning = setInterval(
      () =>
        pruneSessions(db).catch((err) => logger.warn({ reason: (err as Error).message }, 'pruning sessions failed')),
      6 * 3_600_000,
    );
    pruning.unref();
    opened.push(() => clearInterval(pruning));

    const managedAgent = config.NOP_MANAGED_AGENT
      ? await startManagedAgent({
          db,
          bus,
          agents: app.services.agents,
          checks: app.services.checks,
          port,
          dataDir: config.NOP_DATA_DIR,
          log: logger,
        })
      : undefined;
    if (managedAgent) opened.push(() => managedAgent.close());

    return { app, url: `http://localhost:${port}`, managedAgent, close: closeAll };
  } catch (error) {
    await closeAll().catch((err) => logger.warn({ err }, 'cleanup after a failed start'));
    throw error;
  }
}
