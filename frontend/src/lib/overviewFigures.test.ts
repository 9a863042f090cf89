import { describe, expect, it } from 'vitest';
import { figuresOf, formatLoss } from './overviewFigures.ts';

const text = (figures: ReturnType<typeof figuresOf>) => figures.map((f) => `${f.label} ${f.value}`);

describe('figuresOf', () => {
  it('shows a ping’s average RTT, loss, jitter and min/max', () => {
    const run = { durationMs: 1.5, metrics: { loss_ratio: 0.2, jitter_ms: 0.3, rtt_min_ms: 1, rtt_max_ms: 2.5 } };
    expect(text(figuresOf('icmp', run))).toEqual([
      'avg 1.50 ms',
      'loss 20%',
      'jitter 0.30 ms',
      'min/max 1.00 ms / 2.50 ms',
    ]);
  });

  it('leaves out what a run did not report', () => {
    expect(text(figuresOf('icmp', { durationMs: null, metrics: { loss_ratio: 1 } }))).toEqual(['avg —', 'loss 100%']);
  });

  it('shows an HTTP check’s status, a DNS check’s time and response code', () => {
    expect(text(figuresOf('http', { durationMs: 120, metrics: { status_code: 503 } }))).toEqual([
      'total 120 ms',
      'status 503',
    ]);
    expect(text(figuresOf('dns', { durationMs: 12, metrics: { rcode: 3 } }))).toEqual([
      'time 12.0 ms',
      'rcode NXDOMAIN',
    ]);
  });

  it('shows throughput for an interface', () => {
    expect(text(figuresOf('interface', { durationMs: null, metrics: { rx_bytes_per_second: 1000 } }))).toEqual([
      'rx 8.00 kbit/s',
      'tx —',
    ]);
  });
});

describe('formatLoss', () => {
  it('never rounds a little loss away', () => {
    expect(formatLoss(0)).toBe('0%');
    expect(formatLoss(0.0004)).toBe('0.1%');
    expect(formatLoss(0.333)).toBe('33.3%');
    expect(formatLoss(null)).toBe('—');
  });
});
