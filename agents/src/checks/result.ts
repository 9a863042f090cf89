import { randomUUID } from 'node:crypto';
import type { CheckResult, CheckSpec } from '@nop/protocol';

/** Every prober has this shape: a failed probe resolves with success=false, it never rejects. */
export type Prober<S extends CheckSpec = CheckSpec> = (spec: S, signal?: AbortSignal) => Promise<CheckResult>;

export type Metrics = Record<string, number>;

const MAX_ERROR_CHARS = 2000;

/** Milliseconds since `start` (a process.hrtime.bigint() reading), with µs precision. */
export function msSince(start: bigint, end: bigint = process.hrtime.bigint()): number {
  return round3(Number(end - start) / 1e6);
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

let lastMs = NaN;
let lastIso = '';

/** new Date().toISOString(), formatted once per millisecond (a burst starts many runs in one). */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

/** Starts the clock of one run: the ISO start time and a finisher that builds the result. */
export function beginRun(spec: CheckSpec): Run {
  return new Run(spec);
}

/** One run's start (time, id) and its finishers; methods on the prototype, no closures per run. */
export class Run {
  readonly started = process.hrtime.bigint();
  private readonly time = isoNow();
  private readonly id = randomUUID();
  constructor(private readonly spec: CheckSpec) {}

  ok(durationMs: number | null, metrics: Metrics = {}): CheckResult {
    return build(this.id, this.time, this.spec, true, durationMs, metrics);
  }

  fail(error: string, durationMs: number | null = null, metrics: Metrics = {}): CheckResult {
    return build(this.id, this.time, this.spec, false, durationMs, metrics, error);
  }

  result(success: boolean, durationMs: number | null, metrics: Metrics, error?: string): CheckResult {
    return build(this.id, this.time, this.spec, success, durationMs, metrics, error);
  }
}

function build(
  id: string,
  time: string,
  spec: CheckSpec,
  success: boolean,
  durationMs: number | null,
  metrics: Metrics,
  error?: string,
): CheckResult {
  // Non-finite values are dropped; the usual case (none) keeps the prober's own object, uncopied.
  let clean = metrics;
  for (const key in metrics) {
    if (Number.isFinite(metrics[key])) continue;
    clean = {};
    for (const k in metrics) if (Number.isFinite(metrics[k])) clean[k] = metrics[k]!;
    break;
  }
  const duration = durationMs === null || !Number.isFinite(durationMs) ? null : Math.max(0, round3(durationMs));
  // Two literal shapes (with / without `error`), same key order as before: no spread per result.
  if (error === undefined)
    return {
      id,
      checkId: spec.id,
      type: spec.type,
      target: spec.target,
      time,
      success,
      durationMs: duration,
      metrics: clean,
    };
  return {
    id,
    checkId: spec.id,
    type: spec.type,
    target: spec.target,
    time,
    success,
    durationMs: duration,
    error: error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error,
    metrics: clean,
  };
}

/** The error a run reports when its check timeout fires. */
export class ProbeTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timeout after ${ms} ms`);
    this.name = 'ProbeTimeout';
  }
}

/** The error a run reports when the agent aborts it (shutdown). */
export class ProbeAborted extends Error {
  constructor() {
    super('aborted: agent stopping');
    this.name = 'ProbeAborted';
  }
}

/**
 * One AbortSignal that fires on the check timeout or on the caller's signal, whichever first;
 * `reason` is a ProbeTimeout or ProbeAborted so the error text says which.
 */
export function runSignal(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new ProbeTimeout(timeoutMs)), timeoutMs);
  const onOuter = () => controller.abort(new ProbeAborted());
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

type StopReason = ProbeTimeout | ProbeAborted;

/**
 * runSignal for the hot probers (tcp, dns, http: thousands of runs a second through /probe): the
 * same two causes, the check timeout or the caller's signal, but delivered to one callback slot
 * instead of through an AbortController of its own per run, whose EventTarget and listeners were
 * a visible share of a probe's CPU. `reason` is set once stopped; `onStop` (set by whoever waits
 * at the moment, cleared when done) is called with it. dispose() when the run ends.
 */
export class RunDeadline {
  reason: StopReason | undefined;
  onStop: ((reason: StopReason) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onOuter = () => this.stop(new ProbeAborted());

  constructor(
    timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.stop(new ProbeTimeout(timeoutMs)), timeoutMs);
    if (outer?.aborted) this.stop(new ProbeAborted());
    else outer?.addEventListener('abort', this.onOuter);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuter);
  }

  private stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.onStop?.(reason);
  }
}
