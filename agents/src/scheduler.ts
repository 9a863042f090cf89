import { setMaxListeners } from 'node:events';
import type { CheckResult, CheckSpec } from '@nop/protocol';

/**
 * Runs every check every `interval` ms:
 * - the first run of a check is offset into its interval by a hash of its id (no herd at t=0);
 * - later runs are planned from the previous *planned* time, not from completion (no drift);
 * - a check never overlaps itself: a slot that comes while it still runs (or waits) is skipped;
 * - at most `concurrency` runs at once, the rest wait in FIFO order;
 * - apply() swaps the check list, leaving unchanged checks' timers alone.
 */

export type RunFn = (spec: CheckSpec, signal: AbortSignal) => Promise<CheckResult>;
/** `elapsedMs` is the wall time of the whole run (blackbox's probe_duration_seconds). */
export type ResultListener = (result: CheckResult, spec: CheckSpec, elapsedMs: number) => void;

export interface SchedulerOptions {
  run: RunFn;
  onResult: ResultListener;
  concurrency?: number;
  /** monotonic clock in ms; tests may swap it */
  now?: () => number;
  onError?: (error: unknown, spec: CheckSpec) => void;
  /** told how late each run started against its planned time (timer slack plus queueing) */
  onStart?: (spec: CheckSpec, latenessMs: number) => void;
}

interface Entry {
  spec: CheckSpec;
  key: string;
  /** the planned start of the next run */
  due: number;
  timer?: NodeJS.Timeout;
  /** the planned start of the run now queued or running */
  planned: number;
  /** queued or running */
  busy: boolean;
  skipped: number;
}

/** FNV-1a of the check id: the same id always lands at the same offset within its interval. */
export function spreadOffset(checkId: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < checkId.length; i++) {
    hash ^= checkId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, Math.floor(intervalMs));
}

/**
 * The window first runs are spread over: the whole interval for many checks, but no wider than
 * 10 ms per check (at most ~100 starts a second), so a handful of checks report within a second
 * of start instead of waiting up to a full interval.
 */
export const START_SPREAD_PER_CHECK_MS = 10;
export const MIN_START_SPREAD_MS = 1000;
export function spreadWindow(intervalMs: number, checkCount: number): number {
  return Math.min(intervalMs, Math.max(MIN_START_SPREAD_MS, checkCount * START_SPREAD_PER_CHECK_MS));
}

/** One signal that every run in flight listens to: hundreds of listeners are expected, not a leak. */
function sharedAbort(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: Entry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private abort = sharedAbort();
  private active = 0;
  private started = false;
  private readonly concurrency: number;
  private readonly now: () => number;

  constructor(private readonly options: SchedulerOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 64);
    this.now = options.now ?? (() => performance.now());
  }

  get running(): boolean {
    return this.started;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Runs currently executing (not counting waiting ones). */
  get activeRuns(): number {
    return this.active;
  }

  /** Slots skipped because the check was still busy, per check id. */
  skipped(checkId: string): number {
    return this.entries.get(checkId)?.skipped ?? 0;
  }

  checks(): CheckSpec[] {
    return [...this.entries.values()].map((e) => e.spec);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.abort.signal.aborted) this.abort = sharedAbort();
    const now = this.now();
    for (const entry of this.entries.values()) this.plan(entry, now);
  }

  /** No new runs from now on; runs in flight finish and still report. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    for (const entry of this.entries.values()) this.unplan(entry);
    for (const entry of this.waiting.splice(0)) entry.busy = false;
  }

  /** stop() and abort what is in flight (their results still arrive, as failures). */
  abortRuns(): void {
    this.stop();
    this.abort.abort();
  }

  /** Resolves when no run is in flight (after stop(), that is when the scheduler is quiet). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Hot reload: adds new checks, drops missing ones, replans changed ones, leaves the rest alone. */
  apply(specs: readonly CheckSpec[]): { added: number; removed: number; changed: number; unchanged: number } {
    const next = new Map(specs.map((spec) => [spec.id, spec]));
    const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
    for (const [id, entry] of this.entries) {
      if (next.has(id)) continue;
      this.unplan(entry);
      this.dropWaiting(entry);
      this.entries.delete(id);
      counts.removed++;
    }
    const now = this.now();
    for (const spec of specs) {
      const key = JSON.stringify(spec);
      const entry = this.entries.get(spec.id);
      if (entry && entry.key === key) {
        counts.unchanged++;
        continue;
      }
      if (entry) {
        // Keep `busy` so a run of the old spec still in flight is not overlapped by the new one.
        this.unplan(entry);
        entry.spec = spec;
        entry.key = key;
        counts.changed++;
        if (this.started) this.plan(entry, now);
        continue;
      }
      const fresh: Entry = { spec, key, due: 0, planned: 0, busy: false, skipped: 0 };
      this.entries.set(spec.id, fresh);
      counts.added++;
      if (this.started) this.plan(fresh, now);
    }
    return counts;
  }

  /** Replans every check as if just added (the `reload` command). */
  reload(): void {
    if (!this.started) return;
    const now = this.now();
    for (const entry of this.entries.values()) {
      this.unplan(entry);
      this.plan(entry, now);
    }
  }

  private plan(entry: Entry, now: number): void {
    entry.due = now + spreadOffset(entry.spec.id, spreadWindow(entry.spec.interval, this.entries.size));
    this.arm(entry);
  }

  private unplan(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private arm(entry: Entry): void {
    const delay = Math.max(0, entry.due - this.now());
    entry.timer = setTimeout(() => this.fire(entry), delay);
  }

  private fire(entry: Entry): void {
    entry.timer = undefined;
    if (!this.started || this.entries.get(entry.spec.id) !== entry) return;
    if (entry.busy) entry.skipped++;
    else {
      entry.planned = entry.due;
      this.enqueue(entry);
    }
    // Next slot from the planned time; slots already in the past (a stalled loop) are skipped.
    const { interval } = entry.spec;
    const now = this.now();
    entry.due += interval;
    if (entry.due <= now) {
      const missed = Math.floor((now - entry.due) / interval) + 1;
      entry.skipped += missed;
      entry.due += missed * interval;
    }
    this.arm(entry);
  }

  private enqueue(entry: Entry): void {
    entry.busy = true;
    this.waiting.push(entry);
    this.pump();
  }

  private dropWaiting(entry: Entry): void {
    const index = this.waiting.indexOf(entry);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      entry.busy = false;
    }
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      this.active++;
      const spec = entry.spec;
      this.options.onStart?.(spec, this.now() - entry.planned);
      const done = this.execute(spec).finally(() => {
        this.active--;
        entry.busy = false;
        this.inFlight.delete(done);
        this.pump();
      });
      this.inFlight.add(done);
    }
  }

  private async execute(spec: CheckSpec): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.options.run(spec, this.abort.signal);
      this.options.onResult(result, spec, performance.now() - started);
    } catch (error) {
      this.options.onError?.(error, spec);
    }
  }
}
