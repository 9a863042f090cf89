import { randomUUID } from 'node:crypto';
import { type CheckResult, CheckSpec, type CheckSpecInput } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { DiagnosticCaptures, diagnosticSpec } from './diagnostics.ts';

const spec = (input: CheckSpecInput) => CheckSpec.parse(input);
const outcome = (s: CheckSpec, success: boolean): CheckResult => ({
  id: randomUUID(),
  checkId: s.id,
  type: s.type,
  target: s.target,
  time: new Date().toISOString(),
  success,
  durationMs: success ? 1 : null,
  metrics: {},
});

function harness(options: { cooldownMs?: number; maxPerHour?: number } = {}) {
  let clock = 0;
  const runs: CheckSpec[] = [];
  const results: CheckResult[] = [];
  const captures = new DiagnosticCaptures({
    run: async (s) => {
      runs.push(s);
      return outcome(s, true);
    },
    onResult: (r) => results.push(r),
    perTargetCooldownMs: options.cooldownMs,
    maxPerHour: options.maxPerHour,
    now: () => clock,
  });
  return { captures, runs, results, advance: (ms: number) => (clock += ms) };
}

describe('diagnosticSpec', () => {
  it('traces ICMP for ping checks and TCP to the service port for TCP and HTTP checks', () => {
    expect(diagnosticSpec(spec({ id: 'p', type: 'icmp', target: '127.0.0.1' }))).toMatchObject({
      id: 'p.trace',
      type: 'traceroute',
      target: '127.0.0.1',
      mode: 'icmp',
    });
    expect(diagnosticSpec(spec({ id: 't', type: 'tcp', target: 'db.internal:5432' }))).toMatchObject({
      target: 'db.internal',
      mode: 'tcp',
      port: 5432,
    });
    expect(diagnosticSpec(spec({ id: 'h', type: 'http', target: 'https://[::1]/health' }))).toMatchObject({
      target: '::1',
      port: 443,
    });
    expect(diagnosticSpec(spec({ id: 'd', type: 'dns', target: 'example.test' }))).toBeUndefined();
  });
});

describe('DiagnosticCaptures', () => {
  const ping = spec({ id: 'ping-a', type: 'icmp', target: '127.0.0.2' });

  it('captures once when a check starts failing, not while it keeps failing', async () => {
    const { captures, runs, results } = harness();
    expect(captures.observe(outcome(ping, true), ping)).toBe(false);
    expect(captures.observe(outcome(ping, false), ping)).toBe(true);
    expect(captures.observe(outcome(ping, false), ping)).toBe(false);
    await captures.stop();
    expect(runs.map((r) => r.id)).toEqual(['ping-a.trace']);
    expect(results).toHaveLength(1);
  });

  it('holds back a flapping check until the per-target cooldown has passed', () => {
    const { captures, advance } = harness({ cooldownMs: 60_000 });
    expect(captures.observe(outcome(ping, false), ping)).toBe(true);
    captures.observe(outcome(ping, true), ping);
    advance(30_000);
    expect(captures.observe(outcome(ping, false), ping)).toBe(false);
    captures.observe(outcome(ping, true), ping);
    advance(31_000);
    expect(captures.observe(outcome(ping, false), ping)).toBe(true);
    expect(captures.suppressed).toBe(1);
  });

  it('caps captures per hour across targets', () => {
    const { captures, advance } = harness({ maxPerHour: 3 });
    const started = [1, 2, 3, 4, 5].map((i) => {
      const s = spec({ id: `p${i}`, type: 'icmp', target: `127.0.0.${i}` });
      return captures.observe(outcome(s, false), s);
    });
    expect(started).toEqual([true, true, true, false, false]);
    advance(3_600_001);
    const later = spec({ id: 'p9', type: 'icmp', target: '127.0.0.9' });
    expect(captures.observe(outcome(later, false), later)).toBe(true);
  });
});
