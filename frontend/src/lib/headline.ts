import type { CheckType, StreamedResult } from '@nop/protocol';
import { axisMs } from './chartScale.ts';
import { formatMs } from './format.ts';

/**
 * What a check card charts. Most checks chart their latency (`durationMs`, the `latency_ms` series
 * of /api/v1/metrics); an interface check has no latency, so it charts received throughput.
 */
export interface Headline {
  /** the /api/v1/metrics `metric` parameter */
  metric: string;
  /** what the number is, for people ("latency", "received") */
  label: string;
  format: (value: number | null | undefined) => string;
  axis: (value: number) => string;
  /** the value of one live result */
  pick: (result: Pick<StreamedResult, 'durationMs' | 'metrics'>) => number | null;
}

const UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];

/** Bytes per second as bits per second, the way network people read link speed. */
export function formatBitRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return '—';
  let value = bytesPerSecond * 8;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Axis ticks: the same units, shorter ("800k", "1.2M"). */
export function axisBitRate(bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8;
  for (const [div, suffix] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (bits >= div) return `${+(bits / div).toFixed(1)}${suffix}`;
  return String(Math.round(bits));
}

const LATENCY: Headline = {
  metric: 'latency_ms',
  label: 'latency',
  format: formatMs,
  axis: axisMs,
  pick: (r) => r.durationMs,
};

const THROUGHPUT: Headline = {
  metric: 'rx_bytes_per_second',
  label: 'received',
  format: formatBitRate,
  axis: axisBitRate,
  pick: (r) => r.metrics.rx_bytes_per_second ?? null,
};

export const headlineOf = (type: CheckType): Headline => (type === 'interface' ? THROUGHPUT : LATENCY);
