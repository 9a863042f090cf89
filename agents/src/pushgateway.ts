import type { Registry } from 'prom-client';
import type { Logger } from './log.ts';

export const PUSH_JOB = 'nop-agent';

/** The grouping key URL: job nop-agent, instance = the agent's name (PUT replaces that group). */
export function groupUrl(base: string, instance: string): string {
  return `${base.replace(/\/+$/, '')}/metrics/job/${PUSH_JOB}/instance/${encodeURIComponent(instance)}`;
}

/**
 * Pushes the agent's registry to a Prometheus Pushgateway every `intervalMs` and once more on stop,
 * for agents that Prometheus cannot scrape (behind NAT, short-lived). A failed push is logged when
 * the state changes (not on every attempt) and retried at the next tick.
 */
export class PushgatewayExporter {
  private timer?: NodeJS.Timeout;
  private failing = false;
  pushes = 0;

  constructor(
    private readonly opts: {
      url: string;
      instance: string;
      registry: Registry;
      intervalMs: number;
      log: Logger;
      beforePush?: () => void;
    },
  ) {}

  start() {
    this.timer = setInterval(() => void this.push(), this.opts.intervalMs);
    this.timer.unref();
  }

  async push(): Promise<boolean> {
    const { url, instance, registry, log } = this.opts;
    try {
      this.opts.beforePush?.();
      const response = await fetch(groupUrl(url, instance), {
        method: 'PUT',
        headers: { 'content-type': registry.contentType },
        body: await registry.metrics(),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200).trim()}`);
      this.pushes++;
      if (this.failing) log.info({ pushgateway: url }, 'pushgateway reachable again');
      this.failing = false;
      return true;
    } catch (error) {
      if (!this.failing) log.warn({ pushgateway: url, err: error }, 'pushgateway push failed; will retry');
      this.failing = true;
      return false;
    }
  }

  async stop() {
    clearInterval(this.timer);
    await this.push();
  }
}
