import { describe, expect, it } from 'vitest';
import { clockSkewText } from './clockSkew.ts';

describe('clockSkewText', () => {
  it('says nothing while the skew is unknown or within 2 s', () => {
    expect(clockSkewText(null)).toBeNull();
    expect(clockSkewText(undefined)).toBeNull();
    expect(clockSkewText(1999)).toBeNull();
    expect(clockSkewText(-2000)).toBeNull();
  });

  it('names the amount and the direction', () => {
    expect(clockSkewText(3200)).toBe('clock 3.2 s ahead');
    expect(clockSkewText(-65_000)).toBe('clock 1 min 5 s behind');
    expect(clockSkewText(120_000)).toBe('clock 2 min ahead');
  });
});
