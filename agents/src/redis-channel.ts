import type { CheckResult } from '@nop/protocol';
import { Redis } from 'ioredis';
import { ConfigError, parseChecksDocument } from './config.ts';
import { type ControlTarget, LINKED_REFUSAL } from './control-api.ts';
import type { Logger } from './log.ts';

/** Channel names, all under one prefix so stacks (and test runs) sharing a Redis stay apart. */
export const redisChannels = (prefix: string, agent: string) => ({
  /** every result, as JSON with the agent's name */
  results: `${prefix}:results`,
  /** {"command": "start"|"stop"|"reload"} or {"config": {"checks": [...]}} for this agent */
  commands: `${prefix}:agent:${agent}:commands`,
  /** what the agent made of each command: {"ok": true, ...} or {"ok": false, "error": "..."} */
  replies: `${prefix}:agent:${agent}:replies`,
});

/**
 * Redis as an output (results published as they are made) and as a command channel (start, stop,
 * reload, or a new set of checks validated like a config file and applied atomically).
 */
export class RedisChannel {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channels: ReturnType<typeof redisChannels>;

  constructor(
    url: string,
    private readonly options: { prefix: string; agent: string; target: ControlTarget; log: Logger },
  ) {
    this.channels = redisChannels(options.prefix, options.agent);
    // the agent keeps working without Redis: failures are logged, never thrown at the scheduler
    this.pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.sub = new Redis(url, { lazyConnect: true });
    for (const client of [this.pub, this.sub]) client.on('error', (err) => options.log.warn({ err }, 'redis error'));
  }

  async start(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    await this.sub.subscribe(this.channels.commands);
    this.sub.on('message', (_channel: string, text: string) => void this.handle(text));
  }

  publish(result: CheckResult): void {
    if (this.pub.status !== 'ready') return;
    this.pub.publish(this.channels.results, JSON.stringify({ agent: this.options.agent, ...result })).catch(() => {});
  }

  private async handle(text: string): Promise<void> {
    const { target, log } = this.options;
    const source = `redis ${this.channels.commands}`;
    let reply: object;
    try {
      let message: { command?: unknown; config?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        throw new ConfigError(`${source}: message must be JSON like {"command": "stop"}`);
      }
      if (target.linkedToBackend) throw new ConfigError(`${source}: ${LINKED_REFUSAL}`);
      if (message.config !== undefined) {
        const checks = parseChecksDocument(JSON.stringify(message.config), source);
        reply = { ok: true, applied: target.apply(checks), ...target.state() };
      } else if (message.command === 'start' || message.command === 'stop' || message.command === 'reload') {
        target.command(message.command);
        reply = { ok: true, ...target.state() };
      } else throw new ConfigError(`${source}: command: must be one of start, stop, reload, or send {"config": …}`);
    } catch (error) {
      log.warn(error instanceof ConfigError ? error.message : { err: error }, 'redis command refused');
      reply = { ok: false, error: (error as Error).message };
    }
    await this.pub.publish(this.channels.replies, JSON.stringify(reply)).catch(() => {});
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
