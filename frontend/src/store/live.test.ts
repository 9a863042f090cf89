import { describe, expect, it } from 'vitest';
import { nextDownSince } from './live.ts';

describe('nextDownSince', () => {
  it('starts an outage at the first failed attempt and keeps its start through retries', () => {
    expect(nextDownSince(null, 'reconnecting', 1_000)).toBe(1_000);
    expect(nextDownSince(1_000, 'reconnecting', 5_000)).toBe(1_000);
    expect(nextDownSince(1_000, 'connecting', 6_000)).toBe(1_000);
  });

  it('is no outage on the very first attempt, once live, or when signed out', () => {
    expect(nextDownSince(null, 'connecting', 1_000)).toBeNull();
    expect(nextDownSince(1_000, 'live', 7_000)).toBeNull();
    expect(nextDownSince(1_000, 'idle', 7_000)).toBeNull();
  });
});
