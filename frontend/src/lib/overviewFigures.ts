import type { CheckType, StreamedResult } from '@nop/protocol';
import { formatMs } from './format.ts';
import { formatBitRate } from './headline.ts';

/**
 * The figures of one run, as a check's row on a card shows them: the headline first (what the
 * table's latency column holds), then what matters for that kind of check.
 */
export interface Figure {
  label: string;
  value: string;
}

export const formatLoss = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio)
    ? '—'
    : ratio === 0 || ratio === 1
      ? `${ratio * 100}%`
      : // one lost echo in 100 must not round to 0%
        `${Math.max(0.1, Math.round(ratio * 1000) / 10)}%`;

const DNS_RCODES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

type Run = Pick<StreamedResult, 'durationMs' | 'metrics'>;

export function figuresOf(type: CheckType, run: Run): Figure[] {
  const m = run.metrics;
  const has = (key: string) => m[key] !== undefined;
  switch (type) {
    case 'icmp': {
      const figures: Figure[] = [
        { label: 'avg', value: formatMs(run.durationMs) },
        { label: 'loss', value: formatLoss(m.loss_ratio) },
      ];
      if (has('jitter_ms')) figures.push({ label: 'jitter', value: formatMs(m.jitter_ms) });
      if (has('rtt_min_ms') && has('rtt_max_ms')) {
        figures.push({ label: 'min/max', value: `${formatMs(m.rtt_min_ms)} / ${formatMs(m.rtt_max_ms)}` });
      }
      return figures;
    }
    case 'http': {
      const figures: Figure[] = [{ label: 'total', value: formatMs(run.durationMs) }];
      if (has('status_code')) figures.push({ label: 'status', value: String(m.status_code) });
      if (has('ttfb_ms')) figures.push({ label: 'ttfb', value: formatMs(m.ttfb_ms) });
      return figures;
    }
    case 'dns': {
      const figures: Figure[] = [{ label: 'time', value: formatMs(run.durationMs) }];
      if (has('rcode')) figures.push({ label: 'rcode', value: DNS_RCODES[m.rcode!] ?? String(m.rcode) });
      return figures;
    }
    case 'tcp':
      return [{ label: 'connect', value: formatMs(run.durationMs) }];
    case 'traceroute': {
      const figures: Figure[] = [{ label: 'time', value: formatMs(run.durationMs) }];
      if (has('hop_count')) figures.push({ label: 'hops', value: String(m.hop_count) });
      return figures;
    }
    case 'interface':
      return [
        { label: 'rx', value: formatBitRate(m.rx_bytes_per_second) },
        { label: 'tx', value: formatBitRate(m.tx_bytes_per_second) },
      ];
  }
}
