import { createPreference, usePreference } from './preference.ts';

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

/**
 * The clock the dashboard prints times in: the locale's own ("auto": 14:05 in Germany, 2:05 PM in
 * the US), or 24- or 12-hour whatever the locale. A preference of this browser, set in the header.
 */
export type ClockChoice = 'auto' | '24h' | '12h';
export const CLOCK_CHOICES: readonly ClockChoice[] = ['auto', '24h', '12h'];
export const clockChoice = createPreference<ClockChoice>('nop.clock', CLOCK_CHOICES, 'auto');
/** For a component that prints times: re-renders it when the clock choice changes. */
export const useClockChoice = (): ClockChoice => usePreference(clockChoice);

/** A moment: a Date, epoch milliseconds, or an ISO-8601 string as the API sends. */
export type Moment = Date | number | string | null | undefined;

export interface TimeOptions {
  /** the clock; the stored preference by default */
  clock?: ClockChoice;
  /** the browser's languages by default */
  locale?: string | readonly string[];
  /** the browser's zone by default (tests pin one) */
  timeZone?: string;
}

const HOUR_CYCLE = { auto: undefined, '24h': 'h23', '12h': 'h12' } as const;

// Intl formatters are slow to build and a table prints hundreds of times: one per distinct setup.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(style: Intl.DateTimeFormatOptions, opts: TimeOptions): Intl.DateTimeFormat {
  const clock = opts.clock ?? clockChoice.get();
  const options = { ...style, hourCycle: HOUR_CYCLE[clock], timeZone: opts.timeZone };
  const key = JSON.stringify([opts.locale, options]);
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(opts.locale as string[] | undefined, options)));
  return f;
}

function toDate(value: Moment): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Time of day: "14:05:09" / "2:05:09 PM"; without seconds for chart ticks. A dash when there is none. */
export function formatTime(value: Moment, opts: TimeOptions & { seconds?: boolean } = {}): string {
  const date = toDate(value);
  if (!date) return '—';
  return formatter({ timeStyle: opts.seconds === false ? 'short' : 'medium' }, opts).format(date);
}

/** Date and time: "1 Mar 2026, 14:05:09" / "Mar 1, 2026, 2:05:09 PM"; `seconds: false` drops them. A dash when there is none. */
export function formatDateTime(value: Moment, opts: TimeOptions & { seconds?: boolean } = {}): string {
  const date = toDate(value);
  if (!date) return '—';
  return formatter({ dateStyle: 'medium', timeStyle: opts.seconds === false ? 'short' : 'medium' }, opts).format(date);
}
