import type { CheckResult, CheckSpec } from '@nop/protocol';
import { closeIcmpSockets, runCheck } from './checks/index.ts';
import type { AgentSettings } from './config.ts';
import { Link } from './link.ts';
import { PushgatewayExporter } from './pushgateway.ts';
import { DiskSpool } from './spool.ts';
import { DiagnosticCaptures } from './diagnostics.ts';
import { ConfigError, loadConfig } from './config.ts';
import { type ControlTarget, controlHandler } from './control-api.ts';
import { RedisChannel } from './redis-channel.ts';
import type { Logger } from './log.ts';
import { AgentMetrics } from './metrics.ts';
import { Scheduler } from './scheduler.ts';
import { type StatusServer, startStatusServer } from './server.ts';
import { AGENT_VERSION } from './version.ts';

export interface RunningAgent {
  scheduler: Scheduler;
  metrics: AgentMetrics;
  link?: Link;
  server: StatusServer;
  pusher?: PushgatewayExporter;
  reloadFile(): boolean;
  /** stop checks, flush results (waiting up to 2 s for acks), close link and server */
  stop(): Promise<void>;
}

const GRACE_MS = 1000;
const DRAIN_MS = 2000;

/**
 * Wires the parts together. With backend + token the backend's config is authoritative and the
 * scheduler waits for its start command; without a backend the YAML checks run standalone.
 */
export async function startAgent(settings: AgentSettings, log: Logger): Promise<RunningAgent> {
  const metrics = new AgentMetrics(settings.name);
  const startedAt = Date.now();
  let accepting = true;
  let link: Link | undefined;
  let redis: RedisChannel | undefined;

  const record = (result: CheckResult, spec: CheckSpec, elapsedMs?: number) => {
    if (!accepting) return;
    metrics.observe(result, spec, elapsedMs);
    redis?.publish(result);
    if (link) link.push(result);
    else log.debug({ result }, 'result');
  };
  // a traceroute when a ping/HTTP/TCP check starts failing, recorded like any result
  const diagnostics = settings.diagnosticTraces
    ? new DiagnosticCaptures({
        run: runCheck,
        onResult: (result, spec) => {
          log.info(
            { check: spec.id, target: spec.target, fingerprint: result.trace?.fingerprint },
            'diagnostic traceroute',
          );
          record(result, spec);
        },
      })
    : undefined;
  const scheduler = new Scheduler({
    run: runCheck,
    onResult: (result, spec, elapsedMs) => {
      record(result, spec, elapsedMs);
      if (!accepting || !diagnostics) return;
      const suppressed = diagnostics.suppressed;
      if (diagnostics.observe(result, spec)) metrics.countDiagnostic('taken');
      else if (diagnostics.suppressed > suppressed) metrics.countDiagnostic('suppressed');
    },
    onError: (error, spec) => log.error({ err: error, check: spec.id }, 'check run failed'),
    onStart: (_spec, latenessMs) => metrics.observeLateness(latenessMs),
  });
  const target = {
    apply: (checks: CheckSpec[]) => {
      const counts = scheduler.apply(checks);
      metrics.retain(checks.map((c) => c.id));
      diagnostics?.retain(checks.map((c) => c.id));
      return counts;
    },
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    reload: () => scheduler.reload(),
    get running() {
      return scheduler.running;
    },
  };

  const linkedToBackend = Boolean(settings.backend && settings.token);
  const control: ControlTarget = {
    linkedToBackend,
    apply: target.apply,
    command: (command) => target[command](),
    state: () => ({ running: scheduler.running, checks: scheduler.size }),
  };

  // gauges that are cheaper to read when someone looks (a scrape or a push) than to keep current
  const refreshGauges = () => {
    metrics.setUnacked(link?.outbox.pending ?? 0);
    metrics.setSpoolBytes(link?.outbox.spooledBytes ?? 0);
    metrics.setRunning(scheduler.running);
  };
  const server = await startStatusServer(settings.listen, {
    registry: metrics.registry,
    handle: controlHandler(settings.controlToken, control),
    beforeScrape: refreshGauges,
    health: () => ({
      status: 'ok',
      agent: settings.name,
      version: AGENT_VERSION,
      mode: link ? 'backend' : 'standalone',
      uptime: Math.round((Date.now() - startedAt) / 1000),
      connected: link ? link.connected : false,
      /** the backend URL the link is up to (null when down or standalone) */
      backendUrl: link?.backend?.url ?? null,
      ...(link?.backend?.address ? { backendAddress: link.backend.address } : {}),
      running: scheduler.running,
      checks: scheduler.size,
      configVersion: link?.configVersion ?? 0,
      unackedResults: link?.outbox.pending ?? 0,
      droppedResults: link?.outbox.dropped ?? 0,
    }),
  });
  log.info(`listening on ${server.url}`);

  const pusher = settings.pushgateway
    ? new PushgatewayExporter({
        url: settings.pushgateway,
        instance: settings.name,
        registry: metrics.registry,
        intervalMs: settings.pushInterval,
        log,
        beforePush: refreshGauges,
      })
    : undefined;
  pusher?.start();

  if (settings.redis) {
    redis = new RedisChannel(settings.redis, {
      prefix: settings.redisPrefix,
      agent: settings.name,
      target: control,
      log,
    });
    await redis.start().catch((err) => log.warn({ err }, 'redis unreachable: results are not published there'));
  }

  if (linkedToBackend && settings.backend && settings.token) {
    if (settings.checks.length > 0)
      log.info(
        { ignored: settings.checks.length },
        'backend set: its config is authoritative, the YAML checks are ignored',
      );
    link = new Link({
      backendUrl: settings.backend,
      token: settings.token,
      target,
      log,
      onConnectedChange: (connected) => metrics.setConnected(connected),
      onNack: () => metrics.countNack(),
      onRejected: (count) => metrics.addRejected(count),
      onDuplicates: (count) => metrics.addDuplicates(count),
      outbox: {
        onDrop: (count) => metrics.addDropped(count),
        spool: settings.spoolDir
          ? new DiskSpool(settings.spoolDir, {
              fsync: settings.spoolFsync,
              onError: (err, what) =>
                log.error(
                  { err, what, dir: settings.spoolDir },
                  'spool: the disk refused a write (results kept in memory)',
                ),
            })
          : undefined,
        maxBytes: settings.spoolMaxBytes,
      },
    });
    if (link.outbox.restored)
      log.info(
        { batches: link.outbox.restored, results: link.outbox.pending },
        'spool: re-sending results of an earlier run',
      );
    if (link.outbox.restoreSkipped)
      log.warn(
        { skipped: link.outbox.restoreSkipped },
        'spool: skipped unreadable batches or journal lines of an earlier run',
      );
    if (!settings.spoolDir) log.info('no spoolDir: unacked results are kept in memory only (set NOP_AGENT_SPOOL_DIR)');
    link.start();
  } else {
    target.apply(settings.checks);
    scheduler.start();
    log.info({ checks: settings.checks.length }, 'standalone: running the YAML checks');
  }

  return {
    scheduler,
    metrics,
    link,
    server,
    pusher,
    /** SIGHUP: re-reads the YAML file; a bad file is refused in one line and the running checks stay */
    reloadFile(): boolean {
      if (!settings.file || linkedToBackend) return false;
      try {
        const fresh = loadConfig({ file: settings.file });
        const counts = target.apply(fresh.checks);
        log.info({ file: settings.file, ...counts }, 'config reloaded');
        return true;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        log.error(`${error.message} (the running config stays)`);
        return false;
      }
    },
    async stop() {
      scheduler.stop();
      // Let runs in flight finish briefly; abort the rest and keep their "aborted" results out.
      const quiet = await Promise.race([scheduler.idle().then(() => true), delay(GRACE_MS).then(() => false)]);
      if (!quiet) {
        accepting = false;
        scheduler.abortRuns();
      }
      await diagnostics?.stop();
      await link?.close(DRAIN_MS);
      await pusher?.stop();
      await redis?.close();
      await server.close();
      closeIcmpSockets();
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
