import type { CheckResult, CheckSpec } from '@nop/protocol';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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
  private readonly sslExpiry = this.gauge(
    'probe_ssl_earliest_cert_expiry',
    'Earliest expiry (unix time) of the certificates the server presented in the last run',
  );
  private readonly httpRedirects = this.gauge('probe_http_redirects', 'Redirects followed in the last run');
  private readonly dnsAnswers = this.gauge('probe_dns_answer_rrs', 'Answer records of the last DNS run');
  private readonly rtt = this.gauge('nop_probe_rtt_seconds', 'ICMP round-trip time of the last run', ['stat']);
  // --- traceroute (see observeTrace) ---
  private readonly traceHops = this.gauge(
    'nop_traceroute_hop_count',
    'Hops to the destination in the last traceroute (maxHops when it was not reached)',
  );
  private readonly traceFingerprint = this.gauge(
    'nop_traceroute_route_fingerprint_info',
    'The route of the last traceroute as a short hash of its hop addresses (value 1)',
    ['fingerprint'],
  );
  private readonly fingerprintOf = new Map<string, string>();
  // --- end traceroute ---
  // --- interface throughput (rates over the check's sample window) ---
  private readonly ifRates = {
    bytes: this.gauge('nop_interface_bytes_per_second', 'Interface throughput over the last sample window', [
      'direction',
    ]),
    packets: this.gauge('nop_interface_packets_per_second', 'Interface packet rate over the last sample window', [
      'direction',
    ]),
    errors: this.gauge('nop_interface_errors_per_second', 'Interface error rate over the last sample window', [
      'direction',
    ]),
    drops: this.gauge('nop_interface_drops_per_second', 'Interface drop rate over the last sample window', [
      'direction',
    ]),
  };
  private readonly ifUp = this.gauge('nop_interface_up', 'Whether the interface (all of them for "*") is up');
  private readonly spoolBytes = new Gauge({
    name: 'nop_agent_spool_bytes',
    help: 'Bytes of unacked results in the disk spool',
    labelNames: ['agent'],
    registers: [this.registry],
  });
  private readonly lateness = new Histogram({
    name: 'nop_agent_schedule_lateness_seconds',
    help: 'How late scheduled runs started against their planned time (timer slack plus queueing)',
    labelNames: ['agent'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private readonly diagnostics = new Counter({
    name: 'nop_agent_diagnostic_traceroutes_total',
    help: 'Traceroutes taken because a check started failing (taken) or held back by the rate limit (suppressed)',
    labelNames: ['agent', 'outcome'],
    registers: [this.registry],
  });
  private readonly results: Counter;
  private readonly dropped: Counter;
  private readonly rejected: Counter;
  private readonly duplicates: Counter;
  private readonly nacks: Counter;
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
    this.rejected = new Counter({
      name: 'nop_agent_results_rejected_total',
      help: 'Results the backend refused for good (unknown check, time out of window…): dropped, never re-sent',
      labelNames: ['agent'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'nop_agent_results_duplicate_total',
      help: 'Results the backend already had under their id (normal after a re-send)',
      labelNames: ['agent'],
      registers,
    });
    this.nacks = new Counter({
      name: 'nop_agent_batches_nacked_total',
      help: 'Result batches the backend could not commit (its database or bus down); kept and re-sent',
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
    this.rejected.inc({ agent }, 0);
    this.duplicates.inc({ agent }, 0);
    this.nacks.inc({ agent }, 0);
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
    if (m.ssl_earliest_cert_expiry !== undefined) this.sslExpiry.set(labels, m.ssl_earliest_cert_expiry);
    if (spec.type === 'http' && m.redirects !== undefined) this.httpRedirects.set(labels, m.redirects);
    if (spec.type === 'dns' && m.answers !== undefined) this.dnsAnswers.set(labels, m.answers);

    if (spec.type === 'icmp') {
      this.icmpDuration.set({ ...labels, phase: 'rtt' }, seconds(result.durationMs) ?? 0);
      if (m.loss_ratio !== undefined) this.loss.set(labels, m.loss_ratio);
      for (const stat of ['min', 'avg', 'max'] as const) {
        const value = seconds(m[`rtt_${stat}_ms`]);
        if (value !== undefined) this.rtt.set({ ...labels, stat }, value);
        else this.rtt.remove({ ...labels, stat });
      }
    }
    if (spec.type === 'traceroute') this.observeTrace(result, labels);
    if (spec.type === 'interface') {
      for (const [kind, gauge] of Object.entries(this.ifRates))
        for (const direction of ['rx', 'tx']) {
          const value = m[`${direction}_${kind}_per_second`];
          if (value !== undefined) gauge.set({ ...labels, direction }, value);
        }
      if (m.up !== undefined) this.ifUp.set(labels, m.up);
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
    for (const gauge of [this.sslExpiry, this.httpRedirects, this.dnsAnswers]) gauge.remove(labels);
    this.icmpDuration.remove({ ...labels, phase: 'rtt' });
    for (const stat of ['min', 'avg', 'max']) this.rtt.remove({ ...labels, stat });
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer'])
      this.httpDuration.remove({ ...labels, phase });
    for (const success of ['true', 'false']) this.results.remove({ ...labels, success });
    this.forgetTrace(checkId, labels);
    for (const gauge of Object.values(this.ifRates))
      for (const direction of ['rx', 'tx']) gauge.remove({ ...labels, direction });
    this.ifUp.remove(labels);
  }

  /** Drops series of checks not in `ids` (after a config change). */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of [...this.labelsOf.keys()]) if (!keep.has(id)) this.forget(id);
  }

  observeLateness(ms: number): void {
    this.lateness.observe({ agent: this.agent }, Math.max(0, ms) / 1000);
  }

  setSpoolBytes(bytes: number): void {
    this.spoolBytes.set({ agent: this.agent }, bytes);
  }

  countDiagnostic(outcome: 'taken' | 'suppressed'): void {
    this.diagnostics.inc({ agent: this.agent, outcome });
  }

  addDropped(count: number): void {
    this.dropped.inc({ agent: this.agent }, count);
  }

  addRejected(count: number): void {
    this.rejected.inc({ agent: this.agent }, count);
  }

  addDuplicates(count: number): void {
    this.duplicates.inc({ agent: this.agent }, count);
  }

  countNack(): void {
    this.nacks.inc({ agent: this.agent });
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

  // --- traceroute ---
  /** Hop count and route fingerprint of a traceroute result; the previous fingerprint's series goes. */
  private observeTrace(result: CheckResult, labels: ProbeLabels): void {
    const hops = result.metrics.hop_count;
    if (hops !== undefined) this.traceHops.set(labels, hops);
    const fingerprint = result.trace?.fingerprint;
    if (fingerprint === undefined) return;
    const previous = this.fingerprintOf.get(result.checkId);
    if (previous !== undefined && previous !== fingerprint)
      this.traceFingerprint.remove({ ...labels, fingerprint: previous });
    this.fingerprintOf.set(result.checkId, fingerprint);
    this.traceFingerprint.set({ ...labels, fingerprint }, 1);
  }

  private forgetTrace(checkId: string, labels: ProbeLabels): void {
    this.traceHops.remove(labels);
    const fingerprint = this.fingerprintOf.get(checkId);
    if (fingerprint !== undefined) this.traceFingerprint.remove({ ...labels, fingerprint });
    this.fingerprintOf.delete(checkId);
  }
  // --- end traceroute ---

  private gauge(name: string, help: string, extra: string[] = []): Gauge {
    return new Gauge({ name, help, labelNames: [...PROBE_LABELS, ...extra], registers: [this.registry] });
  }
}
