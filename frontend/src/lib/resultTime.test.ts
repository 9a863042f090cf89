import { describe, expect, it } from 'vitest';
import { resultTime } from './resultTime.ts';

describe('resultTime', () => {
  it('parses the run time, NaN when unreadable', () => {
    expect(resultTime({ time: '2026-03-01T12:00:00Z' })).toBe(Date.parse('2026-03-01T12:00:00Z'));
    expect(resultTime({ time: 'yesterday' })).toBeNaN();
  });

  it('parses each result object once (results are never changed in place)', () => {
    const result = { time: '2026-03-01T12:00:00Z' };
    const first = resultTime(result);
    result.time = '2030-01-01T00:00:00Z';
    expect(resultTime(result)).toBe(first);
  });
});
