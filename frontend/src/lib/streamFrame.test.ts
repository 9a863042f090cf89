import { describe, expect, it } from 'vitest';
import { parseStreamFrame } from './streamFrame.ts';

const AGENT_ID = '00000000-0000-4000-8000-000000000001';
const result = {
  id: '00000000-0000-4000-8000-0000000000aa',
  checkId: 'http-api',
  type: 'http',
  target: 'https://api.example.com',
  time: '2026-03-01T12:00:00.000Z',
  success: false,
  durationMs: null,
  error: 'connect ECONNREFUSED',
  metrics: { status_code: 0 },
  agentId: AGENT_ID,
  agentName: 'edge-1',
};

describe('parseStreamFrame', () => {
  it('reads the three frame types', () => {
    expect(parseStreamFrame(JSON.stringify({ type: 'hello', user: 'u1' }))).toEqual({ type: 'hello', user: 'u1' });
    const r = parseStreamFrame(JSON.stringify({ type: 'results', results: [result] }));
    expect(r?.type === 'results' && r.results[0]!.error).toBe('connect ECONNREFUSED');
    const a = parseStreamFrame(
      JSON.stringify({ type: 'agent', agent: { id: AGENT_ID, status: 'offline', lastSeen: null } }),
    );
    expect(a).toEqual({ type: 'agent', agent: { id: AGENT_ID, status: 'offline', lastSeen: null } });
  });

  it('tolerates extra fields the backend may add later', () => {
    const frame = JSON.stringify({ type: 'results', seq: 7, results: [{ ...result, region: 'eu' }] });
    expect(parseStreamFrame(frame)?.type).toBe('results');
  });

  it('drops garbage, binary data, unknown types and malformed payloads', () => {
    expect(parseStreamFrame('not json')).toBeNull();
    expect(parseStreamFrame(new ArrayBuffer(4))).toBeNull();
    expect(parseStreamFrame(JSON.stringify({ type: 'ping' }))).toBeNull();
    expect(parseStreamFrame(JSON.stringify([1, 2]))).toBeNull();
    expect(
      parseStreamFrame(JSON.stringify({ type: 'results', results: [{ ...result, time: 'yesterday' }] })),
    ).toBeNull();
    // a malformed result is dropped, its neighbours kept
    const mixed = parseStreamFrame(JSON.stringify({ type: 'results', results: [{ ...result, time: 'x' }, result] }));
    expect(mixed?.type === 'results' && mixed.results).toHaveLength(1);
    expect(
      parseStreamFrame(JSON.stringify({ type: 'results', results: [{ ...result, durationMs: '12' }] })),
    ).toBeNull();
    expect(parseStreamFrame(JSON.stringify({ type: 'result', result }))).toBeNull(); // one result per frame is gone
    expect(
      parseStreamFrame(JSON.stringify({ type: 'agent', agent: { id: AGENT_ID, status: 'exploded', lastSeen: null } })),
    ).toBeNull();
  });

  it('reads check-changed frames (the check list refetches)', () => {
    expect(parseStreamFrame(JSON.stringify({ type: 'check', id: 'ping-edge' }))).toEqual({
      type: 'check',
      id: 'ping-edge',
    });
    expect(parseStreamFrame(JSON.stringify({ type: 'check', id: 7 }))).toBeNull();
  });
});
