import { describe, expect, it } from 'vitest';
import { clockChoice, formatDateTime, formatInterval, formatMs, formatRatio, formatTime } from './format.ts';

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

describe('formatTime and formatDateTime', () => {
  const at = '2026-03-01T19:05:09Z';
  const utc = { timeZone: 'UTC' };

  it('print the locale’s own clock by default', () => {
    expect(formatTime(at, { ...utc, locale: 'en-US', clock: 'auto' })).toBe('7:05:09 PM');
    expect(formatTime(at, { ...utc, locale: 'de-DE', clock: 'auto' })).toBe('19:05:09');
    expect(formatDateTime(at, { ...utc, locale: 'en-GB', clock: 'auto' })).toBe('1 Mar 2026, 19:05:09');
  });

  it('print 24 or 12 hours when asked, whatever the locale', () => {
    expect(formatTime(at, { ...utc, locale: 'en-US', clock: '24h' })).toBe('19:05:09');
    expect(formatTime(at, { ...utc, locale: 'en-GB', clock: '12h' })).toBe('07:05:09 pm');
    expect(formatDateTime(at, { ...utc, locale: 'en-US', clock: '24h' })).toBe('Mar 1, 2026, 19:05:09');
  });

  it('drop the seconds when asked (chart ticks, ranges)', () => {
    expect(formatTime(at, { ...utc, locale: 'en-GB', clock: '24h', seconds: false })).toBe('19:05');
    expect(formatDateTime(at, { ...utc, locale: 'en-US', clock: '12h', seconds: false })).toBe('Mar 1, 2026, 7:05 PM');
  });

  it('take epoch milliseconds and Dates as well as ISO strings', () => {
    const ms = Date.parse(at);
    const opts = { ...utc, locale: 'en-GB', clock: '24h' } as const;
    expect(formatTime(ms, opts)).toBe('19:05:09');
    expect(formatTime(new Date(ms), opts)).toBe('19:05:09');
  });

  it('follow the stored clock preference when the caller names none', () => {
    clockChoice.set('12h');
    expect(formatTime(at, { ...utc, locale: 'en-GB' })).toBe('07:05:09 pm');
    clockChoice.set('24h');
    expect(formatTime(at, { ...utc, locale: 'en-US' })).toBe('19:05:09');
    clockChoice.set('auto');
  });

  it('show a dash for no time or a bad one', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});
