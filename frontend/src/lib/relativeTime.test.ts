import { describe, expect, it } from 'vitest';
import { formatRelative, formatUntil } from './relativeTime.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('formatRelative', () => {
  it('says never / unknown for missing or bad times', () => {
    expect(formatRelative(null, NOW)).toBe('never');
    expect(formatRelative('not a date', NOW)).toBe('unknown');
  });

  it('counts seconds in the first minute, then minutes, hours, days', () => {
    expect(formatRelative(ago(2_000), NOW)).toBe('just now');
    expect(formatRelative(ago(12_400), NOW)).toBe('12s ago');
    expect(formatRelative(ago(59_999), NOW)).toBe('59s ago');
    expect(formatRelative(ago(60_000), NOW)).toBe('1m ago');
    expect(formatRelative(ago(3_600_000), NOW)).toBe('1h ago');
    expect(formatRelative(ago(2 * 3_600_000 + 5 * 60_000), NOW)).toBe('2h 5m ago');
    expect(formatRelative(ago(3 * 86_400_000 + 1000), NOW)).toBe('3d ago');
  });

  it('treats a time slightly in the future (clock skew) as just now', () => {
    expect(formatRelative(new Date(NOW + 4_000).toISOString(), NOW)).toBe('just now');
  });

  it('ticks: the same timestamp reads older as now advances', () => {
    const seen = ago(50_000);
    expect(formatRelative(seen, NOW)).toBe('50s ago');
    expect(formatRelative(seen, NOW + 15_000)).toBe('1m ago');
  });
});

describe('formatUntil', () => {
  const ahead = (ms: number) => new Date(NOW + ms).toISOString();

  it('counts minutes, then hours up to two days, then days', () => {
    expect(formatUntil(ahead(30_000), NOW)).toBe('in under a minute');
    expect(formatUntil(ahead(45 * 60_000), NOW)).toBe('in 45m');
    expect(formatUntil(ahead(3 * 3_600_000 + 10), NOW)).toBe('in 3h');
    expect(formatUntil(ahead(47 * 3_600_000), NOW)).toBe('in 47h');
    expect(formatUntil(ahead(72 * 3_600_000), NOW)).toBe('in 3d');
  });

  it('says expired once the time has passed, and never / unknown without one', () => {
    expect(formatUntil(ago(1000), NOW)).toBe('expired');
    expect(formatUntil(new Date(NOW).toISOString(), NOW)).toBe('expired');
    expect(formatUntil(null, NOW)).toBe('never');
    expect(formatUntil('soon', NOW)).toBe('unknown');
  });
});
