import { describe, expect, it } from 'vitest';
import { routeSummary } from './routeSummary.ts';

const flow = (flowId: number, hops: number, reached: boolean) => ({
  flowId,
  reached,
  hops: Array.from({ length: hops }, (_, i) => ({ ttl: i + 1, probes: [{ address: `10.0.0.${i + 1}`, rttMs: 1 }] })),
});

describe('routeSummary', () => {
  it('says nothing for results without a trace', () => {
    expect(routeSummary(undefined)).toBeNull();
    expect(routeSummary({ metrics: {} })).toBeNull();
  });

  it('gives hops and the route fingerprint, and flows when there are several', () => {
    const trace = { mode: 'udp', method: 'raw', destination: '10.0.0.3', fingerprint: 'abc123def456' } as const;
    expect(routeSummary({ metrics: { hop_count: 3 }, trace: { ...trace, flows: [flow(0, 3, true)] } })).toBe(
      '3 hops · route abc123def456',
    );
    expect(routeSummary({ metrics: {}, trace: { ...trace, flows: [flow(0, 1, true), flow(1, 1, false)] } })).toBe(
      '1 hop · route abc123def456 · 1/2 flows reached',
    );
  });
});
