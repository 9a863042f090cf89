import { describe, expect, it } from 'vitest';
import { axisBitRate, formatBitRate, headlineOf } from './headline.ts';

describe('headlineOf', () => {
  it('charts latency for probes and received throughput for interfaces', () => {
    expect(headlineOf('http').metric).toBe('latency_ms');
    expect(headlineOf('icmp').pick({ durationMs: 0.5, metrics: {} })).toBe(0.5);
    const iface = headlineOf('interface');
    expect(iface.metric).toBe('rx_bytes_per_second');
    expect(iface.pick({ durationMs: null, metrics: { rx_bytes_per_second: 125_000 } })).toBe(125_000);
    expect(iface.pick({ durationMs: null, metrics: {} })).toBeNull();
  });
});

describe('bit rates', () => {
  it.each([
    [0, '0 bit/s'],
    [100, '800 bit/s'],
    [125_000, '1.00 Mbit/s'],
    [1_562_500, '12.5 Mbit/s'],
    [125_000_000, '1.00 Gbit/s'],
    [null, '—'],
  ])('formats %s B/s as %s', (bytes, text) => {
    expect(formatBitRate(bytes)).toBe(text);
  });

  it('labels axes briefly', () => {
    expect(axisBitRate(100_000)).toBe('800k');
    expect(axisBitRate(150_000)).toBe('1.2M');
    expect(axisBitRate(10)).toBe('80');
  });
});
