import type { CheckResult, CheckSpec } from '@nop/protocol';
import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The agent's Prometheus metrics, on a registry of its own. Names follow blackbox_exporter's
 * where the meaning is the same, so its dashboards work; NOP's additions are prefixed nop_.
 */

const PROBE_LABELS = ['agent', 'check', 'target', 'type'] as const;
type ProbeLabels = Record<(typeof PROBE_LABELS)[number], string>;

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly labelsOf = new Map<string, ProbeLabels>();

  private readonly success = this.gauge('probe_success', 'Whether the last run of the check succeeded (1) or not (0)');
  private readonly duration = this.gauge('probe_duration_seconds', 'Wall time of the last run of the check');
  private readonly icmpDuration = this.gauge(
    'probe_icmp_duration_seconds',
    'ICMP average round-trip time of the last run',
    ['phase'],
  );
  private readonly httpStatus = this.gauge('probe_http_status_code', 'HTTP status code of the last run');
  private readonly httpDuration = this.gauge('probe_http_duration_seconds', 'HTTP request phases of the last run', [
    'phase',
  ]);
  private readonly dnsLookup = this.gauge('probe_dns_lookup_time_seconds', 'DNS lookup time of the last run');
  private readonly loss = this.gauge('nop_probe_loss_ratio', 'ICMP echoes lost in the last run, 0..1');
  private readonly rtt = this.gauge('nop_probe_rtt_seconds', 'ICMP round-trip time of the last run', ['stat']);
  private readonly results: Counter;
  private readonly dropped: Counter;
  private readonly unacked: Gauge;
  private readonly connected: Gauge;
  private readonly running: Gauge;

  constructor(readonly agent: string) {
    const registers = [this.registry];
    this.results = new Counter({
      name: 'nop_agent_results_total',
      help: 'Check results produced, by check and outcome',
      labelNames: [...PROBE_LABELS, 'success'],
      registers,
    });
    this.dropped = new Counter({
      name: 'nop_agent_results_dropped_total',
      help: 'Results dropped because the unacked buffer was full',
      labelNames: ['agent'],
      registers,
    });
    this.unacked = new Gauge({
      name: 'nop_agent_unacked_results',
      help: 'Results not yet acked by the backend',
      labelNames: ['agent'],
      registers,
    });
    this.connected = new Gauge({
      name: 'nop_agent_connected',
      help: 'Whether the control link is up (1) or not (0)',
      labelNames: ['agent'],
      registers,
    });
    this.running = new Gauge({
      name: 'nop_agent_running',
      help: 'Whether the scheduler runs checks (1) or is stopped (0)',
      labelNames: ['agent'],
      registers,
    });
    this.dropped.inc({ agent }, 0);
    this.unacked.set({ agent }, 0);
    this.connected.set({ agent }, 0);
    this.running.set({ agent }, 0);
  }

  observe(result: CheckResult, spec: CheckSpec, elapsedMs?: number): void {
    const labels: ProbeLabels = { agent: this.agent, check: result.checkId, target: result.target, type: result.type };
    const previous = this.labelsOf.get(result.checkId);
    if (previous && previous.target !== labels.target) this.forget(result.checkId);
    this.labelsOf.set(result.checkId, labels);
    const m = result.metrics;
    const seconds = (ms: number | undefined | null) => (ms === undefined || ms === null ? undefined : ms / 1000);

    this.success.set(labels, result.success ? 1 : 0);
    this.results.inc({ ...labels, success: String(result.success) });
    const wall = seconds(elapsedMs) ?? seconds(result.durationMs);
    if (wall !== undefined) this.duration.set(labels, wall);
    const dns = seconds(spec.type === 'dns' ? result.durationMs : m.dns_ms);
    if (dns !== undefined) this.dnsLookup.set(labels, dns);

    if (spec.type === 'icmp') {
      this.icmpDuration.set({ ...labels, phase: 'rtt' }, seconds(result.durationMs) ?? 0);
      if (m.loss_ratio !== undefined) this.loss.set(labels, m.loss_ratio);
      for (const stat of ['min', 'avg', 'max'] as const) {
        const value = seconds(m[`rtt_${stat}_ms`]);
        if (value !== undefined) this.rtt.set({ ...labels, stat }, value);
        else this.rtt.remove({ ...labels, stat });
      }
    }
    if (spec.type === 'http') {
      this.httpStatus.set(labels, m.status_code ?? 0);
      const phases = {
        resolve: m.dns_ms,
        connect: m.connect_ms,
        tls: m.tls_ms,
        processing: m.ttfb_ms,
        transfer: m.transfer_ms,
      };
      for (const [phase, ms] of Object.entries(phases)) {
        const value = seconds(ms);
        if (value !== undefined) this.httpDuration.set({ ...labels, phase }, value);
      }
    }
  }

  /** Removes the series of a check that left the config. */
  forget(checkId: string): void {
    const labels = this.labelsOf.get(checkId);
    if (!labels) return;
    this.labelsOf.delete(checkId);
    for (const gauge of [this.success, this.duration, this.httpStatus, this.dnsLookup, this.loss]) gauge.remove(labels);
    this.icmpDuration.remove({ ...labels, phase: 'rtt' });
    for (const stat of ['min', 'avg', 'max']) this.rtt.remove({ ...labels, stat });
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer'])
      this.httpDuration.remove({ ...labels, phase });
    for (const success of ['true', 'false']) this.results.remove({ ...labels, success });
  }

  /** Drops series of checks not in `ids` (after a config change). */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of [...this.labelsOf.keys()]) if (!keep.has(id)) this.forget(id);
  }

  addDropped(count: number): void {
    this.dropped.inc({ agent: this.agent }, count);
  }

  setUnacked(count: number): void {
    this.unacked.set({ agent: this.agent }, count);
  }

  setConnected(connected: boolean): void {
    this.connected.set({ agent: this.agent }, connected ? 1 : 0);
  }

  setRunning(running: boolean): void {
    this.running.set({ agent: this.agent }, running ? 1 : 0);
  }

  private gauge(name: string, help: string, extra: string[] = []): Gauge {
    return new Gauge({ name, help, labelNames: [...PROBE_LABELS, ...extra], registers: [this.registry] });
  }
}
