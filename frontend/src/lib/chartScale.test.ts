import { describe, expect, it } from 'vitest';
import { axisMs, axisPercent, niceMax } from './chartScale.ts';

describe('niceMax', () => {
  it('rounds up to a readable ceiling with some headroom', () => {
    expect(niceMax(17.3)).toBe(20);
    expect(niceMax(0.09)).toBe(0.2);
    expect(niceMax(430)).toBe(500);
    expect(niceMax(2)).toBe(2.5);
    expect(niceMax(100)).toBe(200);
  });
  it('gives a default scale when there is no data', () => {
    expect(niceMax(0)).toBe(10);
    expect(niceMax(Number.NaN)).toBe(10);
  });
});

describe('axisMs', () => {
  it('says the unit, drops trailing zeros and switches to seconds at 1000 ms', () => {
    expect(axisMs(0)).toBe('0 ms');
    expect(axisMs(0.05)).toBe('0.05 ms');
    expect(axisMs(2.5)).toBe('2.5 ms');
    expect(axisMs(40)).toBe('40 ms');
    expect(axisMs(1500)).toBe('1.5 s');
  });
});

describe('axisPercent', () => {
  it('says the unit with at most one decimal', () => {
    expect(axisPercent(0)).toBe('0%');
    expect(axisPercent(2.5)).toBe('2.5%');
    expect(axisPercent(33.333)).toBe('33.3%');
    expect(axisPercent(100)).toBe('100%');
  });
});
