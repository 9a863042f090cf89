/**
 * Reconnect delays: exponential from `minMs`, capped at `maxMs`, each jittered by ±25% (and kept
 * within [minMs, maxMs]) so a backend restart is not met by all agents in the same millisecond.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    readonly minMs = 500,
    readonly maxMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const jittered = ceiling * (0.75 + 0.5 * this.random());
    return Math.round(Math.min(this.maxMs, Math.max(this.minMs, jittered)));
  }

  /** The slow lane (e.g. token refused): the capped delay, jittered. */
  slow(): number {
    this.attempt = 30;
    return this.next();
  }

  reset(): void {
    this.attempt = 0;
  }
}
