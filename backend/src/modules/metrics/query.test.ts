import { describe, expect, it } from 'vitest';
import { MetricsQuery } from './query.ts';

describe('MetricsQuery', () => {
  it('accepts ISO-8601 and epoch seconds alike', () => {
    const iso = MetricsQuery.parse({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' });
    const epoch = MetricsQuery.parse({ from: '1767225600', to: '1767229200' });
    expect(epoch).toEqual(iso);
    expect(iso.stepMs).toBe(12_000); // an hour in ~300 whole-second steps
  });

  it('parses steps as seconds or durations', () => {
    expect(MetricsQuery.parse({ step: '90' }).stepMs).toBe(90_000);
    expect(MetricsQuery.parse({ step: '5m' }).stepMs).toBe(300_000);
    expect(MetricsQuery.safeParse({ step: '500ms' }).success).toBe(false);
  });

  it('defaults to latency over the last hour', () => {
    const before = Date.now();
    const q = MetricsQuery.parse({});
    expect(q.metric).toBe('latency_ms');
    expect(q.to).toBeGreaterThanOrEqual(before);
    expect(q.to - q.from).toBe(3_600_000);
  });
});
