/** Latency with about three significant digits: enough to compare, no false precision. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Success ratio as a percentage; 100% only when nothing failed, so one failure never rounds away. */
export function formatRatio(ok: number, total: number): string {
  if (total <= 0) return '—';
  if (ok === total) return '100%';
  const pct = Math.min((ok / total) * 100, 99.9);
  return `${pct.toFixed(1)}%`;
}

/** Check intervals are stored in ms; people read "10s" / "1m". */
export function formatInterval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
