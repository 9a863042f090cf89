import { randomUUID } from 'node:crypto';
import { CheckSpec } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { AgentMetrics } from './metrics.ts';

const icmpSpec = CheckSpec.parse({ id: 'lo-ping', type: 'icmp', target: '127.0.0.1' });
const httpSpec = CheckSpec.parse({ id: 'web', type: 'http', target: 'http://127.0.0.1:1/' });
const base = { time: new Date().toISOString(), metrics: {} };

describe('AgentMetrics', () => {
  it('exposes blackbox-named gauges and nop_ extras on its own registry', async () => {
    const m = new AgentMetrics('edge-1');
    m.observe(
      {
        ...base,
        id: randomUUID(),
        checkId: 'lo-ping',
        type: 'icmp',
        target: '127.0.0.1',
        success: true,
        durationMs: 0.5,
        metrics: { rtt_min_ms: 0.25, rtt_avg_ms: 0.5, rtt_max_ms: 1, loss_ratio: 0.5 },
      },
      icmpSpec,
      201,
    );
    m.observe(
      {
        ...base,
        id: randomUUID(),
        checkId: 'web',
        type: 'http',
        target: httpSpec.target,
        success: false,
        durationMs: 12,
        metrics: { status_code: 503, dns_ms: 0, connect_ms: 1 },
      },
      httpSpec,
    );
    m.setConnected(true);
    m.addDropped(7);
    m.setUnacked(42);
    const text = await m.registry.metrics();
    const labels = 'agent="edge-1",check="lo-ping",target="127.0.0.1",type="icmp"';
    expect(text).toContain(`probe_success{${labels}} 1`);
    expect(text).toContain(`probe_duration_seconds{${labels}} 0.201`);
    expect(text).toContain(`probe_icmp_duration_seconds{${labels},phase="rtt"} 0.0005`);
    expect(text).toContain(`nop_probe_rtt_seconds{${labels},stat="max"} 0.001`);
    expect(text).toContain(`nop_probe_loss_ratio{${labels}} 0.5`);
    expect(text).toMatch(/probe_http_status_code\{agent="edge-1",check="web",[^}]*\} 503/);
    expect(text).toMatch(/probe_success\{agent="edge-1",check="web",[^}]*\} 0/);
    expect(text).toContain('nop_agent_connected{agent="edge-1"} 1');
    expect(text).toContain('nop_agent_results_dropped_total{agent="edge-1"} 7');
    expect(text).toContain('nop_agent_unacked_results{agent="edge-1"} 42');
    expect(text).toMatch(/nop_agent_results_total\{[^}]*check="web"[^}]*success="false"\} 1/);

    m.retain(['web']);
    const after = await m.registry.metrics();
    expect(after).not.toContain('check="lo-ping"');
  });

  it('exposes interface rates by direction, the spool size and diagnostic captures', async () => {
    const m = new AgentMetrics('edge-1');
    const ifSpec = CheckSpec.parse({ id: 'uplink', type: 'interface', target: 'eth0' });
    m.observe(
      {
        ...base,
        id: randomUUID(),
        checkId: 'uplink',
        type: 'interface',
        target: 'eth0',
        success: true,
        durationMs: null,
        metrics: { rx_bytes_per_second: 1250, tx_bytes_per_second: 500, rx_packets_per_second: 10, up: 1 },
      },
      ifSpec,
    );
    m.setSpoolBytes(4096);
    m.countDiagnostic('taken');
    const text = await m.registry.metrics();
    expect(text).toMatch(/nop_interface_bytes_per_second\{[^}]*check="uplink"[^}]*direction="rx"\} 1250/);
    expect(text).toMatch(/nop_interface_bytes_per_second\{[^}]*direction="tx"\} 500/);
    expect(text).toMatch(/nop_interface_up\{[^}]*check="uplink"[^}]*\} 1/);
    expect(text).toMatch(/nop_agent_spool_bytes\{agent="edge-1"\} 4096/);
    expect(text).toMatch(/nop_agent_diagnostic_traceroutes_total\{agent="edge-1",outcome="taken"\} 1/);
    m.forget('uplink');
    expect(await m.registry.metrics()).not.toContain('check="uplink"');
  });

  it('counts what the backend said of delivered results: rejected, duplicates, nacked batches', async () => {
    const m = new AgentMetrics('edge-1');
    const before = await m.registry.metrics();
    expect(before).toContain('nop_agent_results_rejected_total{agent="edge-1"} 0');
    expect(before).toContain('nop_agent_results_duplicate_total{agent="edge-1"} 0');
    expect(before).toContain('nop_agent_batches_nacked_total{agent="edge-1"} 0');
    m.addRejected(3);
    m.addDuplicates(5);
    m.countNack();
    m.countNack();
    const text = await m.registry.metrics();
    expect(text).toContain('nop_agent_results_rejected_total{agent="edge-1"} 3');
    expect(text).toContain('nop_agent_results_duplicate_total{agent="edge-1"} 5');
    expect(text).toContain('nop_agent_batches_nacked_total{agent="edge-1"} 2');
  });
});
