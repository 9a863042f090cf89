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

/** Starts the clock of one run: the ISO start time and a finisher that builds the result. */
export function beginRun(spec: CheckSpec) {
  const time = new Date().toISOString();
  const id = randomUUID();
  return {
    started: process.hrtime.bigint(),
    ok(durationMs: number | null, metrics: Metrics = {}): CheckResult {
      return build(id, time, spec, true, durationMs, metrics);
    },
    fail(error: string, durationMs: number | null = null, metrics: Metrics = {}): CheckResult {
      return build(id, time, spec, false, durationMs, metrics, error);
    },
    result(success: boolean, durationMs: number | null, metrics: Metrics, error?: string): CheckResult {
      return build(id, time, spec, success, durationMs, metrics, error);
    },
  };
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
  const clean: Metrics = {};
  for (const [key, value] of Object.entries(metrics)) if (Number.isFinite(value)) clean[key] = value;
  return {
    id,
    checkId: spec.id,
    type: spec.type,
    target: spec.target,
    time,
    success,
    durationMs: durationMs === null || !Number.isFinite(durationMs) ? null : Math.max(0, round3(durationMs)),
    ...(error === undefined
      ? {}
      : { error: error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error }),
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
