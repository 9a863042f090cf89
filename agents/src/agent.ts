import type { CheckSpec } from '@nop/protocol';
import { closeIcmpSockets, runCheck } from './checks/index.ts';
import type { AgentSettings } from './config.ts';
import { Link } from './link.ts';
import { PushgatewayExporter } from './pushgateway.ts';
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

  const scheduler = new Scheduler({
    run: runCheck,
    onResult: (result, spec, elapsedMs) => {
      if (!accepting) return;
      metrics.observe(result, spec, elapsedMs);
      if (link) link.push(result);
      else log.debug({ result }, 'result');
    },
    onError: (error, spec) => log.error({ err: error, check: spec.id }, 'check run failed'),
  });
  const target = {
    apply: (checks: CheckSpec[]) => {
      const counts = scheduler.apply(checks);
      metrics.retain(checks.map((c) => c.id));
      return counts;
    },
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    reload: () => scheduler.reload(),
    get running() {
      return scheduler.running;
    },
  };

  const server = await startStatusServer(settings.listen, {
    registry: metrics.registry,
    beforeScrape: () => {
      metrics.setUnacked(link?.outbox.pending ?? 0);
      metrics.setRunning(scheduler.running);
    },
    health: () => ({
      status: 'ok',
      agent: settings.name,
      version: AGENT_VERSION,
      mode: link ? 'backend' : 'standalone',
      uptime: Math.round((Date.now() - startedAt) / 1000),
      connected: link ? link.connected : false,
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
        beforePush: () => {
          metrics.setUnacked(link?.outbox.pending ?? 0);
          metrics.setRunning(scheduler.running);
        },
      })
    : undefined;
  pusher?.start();

  if (settings.backend && settings.token) {
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
      outbox: { onDrop: (count) => metrics.addDropped(count) },
    });
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
    async stop() {
      scheduler.stop();
      // Let runs in flight finish briefly; abort the rest and keep their "aborted" results out.
      const quiet = await Promise.race([scheduler.idle().then(() => true), delay(GRACE_MS).then(() => false)]);
      if (!quiet) {
        accepting = false;
        scheduler.abortRuns();
      }
      await link?.close(DRAIN_MS);
      await pusher?.stop();
      await server.close();
      closeIcmpSockets();
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
