import { describe, expect, it } from 'vitest';
import {
  customRange,
  describeRange,
  fromLocalInput,
  parseRange,
  resolveRange,
  stepFor,
  toLocalInput,
  withRange,
  zoomRange,
} from './checkRange.ts';

describe('check page range', () => {
  it('reads presets and fixed ranges from the query string, falling back to the last hour', () => {
    expect(parseRange('?range=6h')).toEqual({ kind: 'preset', key: '6h' });
    expect(parseRange('')).toEqual({ kind: 'preset', key: '1h' });
    expect(parseRange('?range=2y')).toEqual({ kind: 'preset', key: '1h' });
    expect(parseRange('?from=2026-01-01T00:00:00.000Z&to=2026-01-01T01:00:00.000Z')).toEqual({
      kind: 'custom',
      fromMs: Date.UTC(2026, 0, 1),
      toMs: Date.UTC(2026, 0, 1, 1),
    });
    // backwards, or a broken time: not a range
    expect(parseRange('?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z&range=7d')).toEqual({
      kind: 'preset',
      key: '7d',
    });
  });

  it('writes the range back, keeping the other parameters', () => {
    const search = withRange('?status=failed&range=1h', { kind: 'custom', fromMs: 0, toMs: 60_000 });
    const params = new URLSearchParams(search);
    expect(params.get('status')).toBe('failed');
    expect(params.get('range')).toBeNull();
    expect(parseRange(search)).toEqual({ kind: 'custom', fromMs: 0, toMs: 60_000 });
    expect(withRange('?from=1&to=2', { kind: 'preset', key: '15m' })).toBe('?range=15m');
  });

  it('slides presets with the clock and keeps fixed ranges fixed', () => {
    const now = 1_800_000_000_000;
    expect(resolveRange({ kind: 'preset', key: '15m' }, now)).toEqual({
      fromMs: now - 900_000,
      toMs: now,
      live: true,
      stepMs: 5000,
    });
    expect(resolveRange({ kind: 'custom', fromMs: 0, toMs: 86_400_000 }, now)).toMatchObject({ live: false });
  });

  it('picks readable steps of at most ~300 buckets', () => {
    expect(stepFor(3_600_000)).toBe(15_000);
    expect(stepFor(86_400_000)).toBe(300_000);
    expect(stepFor(30 * 86_400_000)).toBe(10_800_000);
    expect(stepFor(60_000)).toBe(1000);
    expect(stepFor(400 * 86_400_000) / 1000).toBeGreaterThanOrEqual((400 * 86_400) / 300);
  });

  it('turns a drag into a fixed range unless it is a stray click', () => {
    expect(zoomRange(200.4, 100)).toEqual({ kind: 'custom', fromMs: 100_000, toMs: 200_000 });
    expect(zoomRange(100, 105)).toBeNull();
  });

  it('says what the range is', () => {
    expect(describeRange({ kind: 'preset', key: '7d' }, String)).toBe('last 7 d');
    expect(describeRange({ kind: 'custom', fromMs: 1, toMs: 2 }, String)).toBe('1 – 2');
  });

  it('reads the custom inputs in local time', () => {
    const ms = new Date(2026, 4, 6, 7, 8).getTime();
    expect(toLocalInput(ms)).toBe('2026-05-06T07:08');
    expect(fromLocalInput('2026-05-06T07:08')).toBe(ms);
    expect(fromLocalInput('')).toBeNull();
    expect(customRange('2026-05-06T07:08', '2026-05-06T07:08')).toEqual({
      error: 'The end must be at least a minute after the start.',
    });
    expect(customRange('2026-05-06T07:08', '2026-05-06T09:08')).toEqual({
      kind: 'custom',
      fromMs: ms,
      toMs: ms + 7_200_000,
    });
  });
});
