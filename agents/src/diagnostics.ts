import { type CheckResult, CheckSpec } from '@nop/protocol';
import { splitHostPort } from './checks/target.ts';

type RunFn = (spec: CheckSpec, signal?: AbortSignal) => Promise<CheckResult>;

export interface DiagnosticOptions {
  run: RunFn;
  /** where a capture's result goes: the same path as scheduled results */
  onResult: (result: CheckResult, spec: CheckSpec) => void;
  /** at most one capture per destination host in this time (default 10 min) */
  perTargetCooldownMs?: number;
  /** and at most this many captures per hour in all (default 12) */
  maxPerHour?: number;
  now?: () => number;
}

const HOUR_MS = 3_600_000;

/** The host a check probes: what a traceroute should be taken to. */
export function destinationOf(spec: CheckSpec): { host: string; port?: number } | undefined {
  switch (spec.type) {
    case 'icmp':
      return { host: spec.target };
    case 'tcp': {
      const parsed = splitHostPort(spec.target);
      return parsed ? { host: parsed.host, port: parsed.port } : undefined;
    }
    case 'http': {
      const url = new URL(spec.target);
      const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
    }
    default:
      return undefined;
  }
}

/**
 * The traceroute taken when a check starts failing: ICMP for a ping check (what it saw), TCP SYN to
 * the service port for TCP and HTTP checks (the path their packets take through firewalls).
 * Its result carries the failing check's id plus ".trace".
 */
export function diagnosticSpec(spec: CheckSpec): CheckSpec | undefined {
  const destination = destinationOf(spec);
  if (!destination) return undefined;
  return CheckSpec.parse({
    id: `${spec.id.slice(0, 58)}.trace`,
    type: 'traceroute',
    target: destination.host,
    mode: spec.type === 'icmp' ? 'icmp' : 'tcp',
    ...(spec.type === 'icmp' ? {} : { port: destination.port }),
    probesPerHop: 2,
    timeout: 30_000,
  });
}

/**
 * Diagnostic capture: when a ping, HTTP or TCP check goes from passing (or unknown) to failing, a
 * traceroute to its destination is taken at once, so the path at the moment of failure is on
 * record. Rate-limited per destination and per hour, so a flapping check or a wide outage cannot
 * turn the agent into a traceroute storm.
 */
export class DiagnosticCaptures {
  private readonly passing = new Map<string, boolean>();
  private readonly lastCapture = new Map<string, number>();
  private readonly recent: number[] = [];
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  readonly perTargetCooldownMs: number;
  readonly maxPerHour: number;
  private readonly now: () => number;
  captures = 0;
  suppressed = 0;

  constructor(private readonly options: DiagnosticOptions) {
    this.perTargetCooldownMs = options.perTargetCooldownMs ?? 10 * 60_000;
    this.maxPerHour = options.maxPerHour ?? 12;
    this.now = options.now ?? Date.now;
  }

  /** Looks at a scheduled result; returns true when it started a capture. */
  observe(result: CheckResult, spec: CheckSpec): boolean {
    const wasPassing = this.passing.get(spec.id) ?? true;
    this.passing.set(spec.id, result.success);
    if (result.success || !wasPassing) return false;
    const trace = diagnosticSpec(spec);
    if (!trace) return false;
    const now = this.now();
    while (this.recent.length && this.recent[0]! <= now - HOUR_MS) this.recent.shift();
    const last = this.lastCapture.get(trace.target);
    if ((last !== undefined && now - last < this.perTargetCooldownMs) || this.recent.length >= this.maxPerHour) {
      this.suppressed++;
      return false;
    }
    this.lastCapture.set(trace.target, now);
    this.recent.push(now);
    this.captures++;
    const running = this.options
      .run(trace, this.abort.signal)
      .then((traced) => this.options.onResult(traced, trace))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return true;
  }

  /** Forgets checks that left the config. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of [...this.passing.keys()]) if (!keep.has(id)) this.passing.delete(id);
  }

  /** Aborts captures in flight and waits for them to settle. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}
