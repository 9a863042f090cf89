import type { StreamedResult, TraceDetails } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { hopRows, routeChanges } from './traceView.ts';

const trace: TraceDetails = {
  mode: 'udp',
  method: 'errqueue',
  destination: '10.0.0.9',
  fingerprint: 'abc',
  flows: [
    {
      flowId: 0,
      reached: true,
      hops: [
        {
          ttl: 1,
          probes: [
            { address: '10.0.0.1', rttMs: 0.4 },
            { address: '10.0.0.1', rttMs: 0.5 },
          ],
          names: { '10.0.0.1': 'gw.lan' },
        },
        {
          ttl: 2,
          probes: [
            { address: null, rttMs: null },
            { address: '10.0.0.9', rttMs: 1.2 },
          ],
        },
      ],
    },
    {
      flowId: 1,
      reached: false,
      hops: [
        {
          ttl: 1,
          probes: [
            { address: '10.0.0.2', rttMs: 0.3 },
            { address: '10.0.0.3', rttMs: 0.6 },
          ],
        },
      ],
    },
  ],
};

describe('hopRows', () => {
  it('gives one row per flow and hop with distinct addresses, names and every probe', () => {
    expect(hopRows(trace)).toEqual([
      { flowId: 0, ttl: 1, addresses: ['10.0.0.1'], names: ['gw.lan'], rtts: [0.4, 0.5], destination: false },
      { flowId: 0, ttl: 2, addresses: ['10.0.0.9'], names: [], rtts: [null, 1.2], destination: true },
      { flowId: 1, ttl: 1, addresses: ['10.0.0.2', '10.0.0.3'], names: [], rtts: [0.3, 0.6], destination: false },
    ]);
  });
});

describe('routeChanges', () => {
  const result = (agentId: string, s: number, fingerprint: string | null) =>
    ({
      agentId,
      agentName: agentId.toUpperCase(),
      time: new Date(s * 1000).toISOString(),
      ...(fingerprint ? { trace: { ...trace, fingerprint } } : {}),
    }) as StreamedResult;

  it('lists each change of an agent’s fingerprint, newest first, ignoring results without a trace', () => {
    const results = [
      result('a', 30, 'y'),
      result('a', 0, 'x'),
      result('a', 10, 'x'),
      result('a', 20, null),
      result('b', 5, 'x'),
      result('b', 15, 'z'),
      result('a', 40, 'x'),
    ];
    expect(routeChanges(results).map((c) => `${c.agentName}@${c.t / 1000}:${c.from}->${c.to}`)).toEqual([
      'A@40:y->x',
      'A@30:x->y',
      'B@15:x->z',
    ]);
  });
});
