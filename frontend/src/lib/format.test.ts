import { describe, expect, it } from 'vitest';
import { formatInterval, formatMs, formatRatio } from './format.ts';

describe('formatMs', () => {
  it('keeps about three significant digits', () => {
    expect(formatMs(0.4213)).toBe('0.42 ms');
    expect(formatMs(4.219)).toBe('4.22 ms');
    expect(formatMs(42.16)).toBe('42.2 ms');
    expect(formatMs(421.6)).toBe('422 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
  });
  it('shows a dash when there is no value', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(Number.NaN)).toBe('—');
  });
});

describe('formatRatio', () => {
  it('never rounds a failure up to 100%', () => {
    expect(formatRatio(9999, 10000)).toBe('99.9%');
    expect(formatRatio(10, 10)).toBe('100%');
    expect(formatRatio(3, 4)).toBe('75.0%');
    expect(formatRatio(0, 0)).toBe('—');
  });
});

describe('formatInterval', () => {
  it('uses the largest whole unit', () => {
    expect(formatInterval(10_000)).toBe('10s');
    expect(formatInterval(60_000)).toBe('1m');
    expect(formatInterval(7_200_000)).toBe('2h');
    expect(formatInterval(1500)).toBe('1500ms');
  });
});
