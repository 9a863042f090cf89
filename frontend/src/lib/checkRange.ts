/**
 * The time range of the check page, kept in the URL so a zoomed view can be shared or reloaded:
 * `?range=6h` (a window ending now, moving with the clock and fed by the live stream) or
 * `?from=…&to=…` (ISO times, fixed; what the custom inputs and a drag on a chart give).
 */
export const PRESETS = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { key: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 d', ms: 30 * 86_400_000 },
] as const;
export type PresetKey = (typeof PRESETS)[number]['key'];
export const DEFAULT_PRESET: PresetKey = '1h';

export type RangeSpec = { kind: 'preset'; key: PresetKey } | { kind: 'custom'; fromMs: number; toMs: number };

/** A zoom narrower than this is a stray click, not a selection. */
export const MIN_SPAN_MS = 10_000;
/** The API refuses longer ranges. */
export const MAX_SPAN_MS = 400 * 86_400_000;

const presetOf = (key: string | null) => PRESETS.find((p) => p.key === key);

function parseTime(text: string | null): number | null {
  if (!text) return null;
  const ms = /^\d{10,14}$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** The range a query string asks for; anything unreadable falls back to the last hour. */
export function parseRange(search: string): RangeSpec {
  const params = new URLSearchParams(search);
  const fromMs = parseTime(params.get('from'));
  const toMs = parseTime(params.get('to'));
  if (fromMs !== null && toMs !== null && toMs - fromMs >= 1000 && toMs - fromMs <= MAX_SPAN_MS)
    return { kind: 'custom', fromMs, toMs };
  const preset = presetOf(params.get('range'));
  return { kind: 'preset', key: preset?.key ?? DEFAULT_PRESET };
}

/** `search` with the range replaced, other parameters kept: "?range=6h&status=failed". */
export function withRange(search: string, range: RangeSpec): string {
  const params = new URLSearchParams(search);
  params.delete('range');
  params.delete('from');
  params.delete('to');
  if (range.kind === 'preset') params.set('range', range.key);
  else {
    params.set('from', new Date(range.fromMs).toISOString());
    params.set('to', new Date(range.toMs).toISOString());
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface Window {
  fromMs: number;
  toMs: number;
  /** a window ending now: it moves with the clock and takes live results */
  live: boolean;
  stepMs: number;
}

/** The range as times at `nowMs`, with the bucket size of its charts. */
export function resolveRange(range: RangeSpec, nowMs: number): Window {
  if (range.kind === 'custom')
    return { fromMs: range.fromMs, toMs: range.toMs, live: false, stepMs: stepFor(range.toMs - range.fromMs) };
  const ms = presetOf(range.key)!.ms;
  return { fromMs: nowMs - ms, toMs: nowMs, live: true, stepMs: stepFor(ms) };
}

/** Whole-second steps people read easily; one is picked so a chart has at most ~300 buckets. */
const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
export const MAX_BUCKETS = 300;

export function stepFor(spanMs: number): number {
  const wanted = spanMs / MAX_BUCKETS / 1000;
  const step = STEPS_S.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
  return step * 1000;
}

/** A drag on a chart (uPlot's x in epoch seconds) as a fixed range; null when too narrow. */
export function zoomRange(fromS: number, toS: number): RangeSpec | null {
  const fromMs = Math.round(Math.min(fromS, toS)) * 1000;
  const toMs = Math.round(Math.max(fromS, toS)) * 1000;
  if (!(toMs - fromMs >= MIN_SPAN_MS)) return null;
  return { kind: 'custom', fromMs, toMs };
}

/** `<input type="datetime-local">` text in the browser's time zone, to the minute. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The reverse of toLocalInput (read as local time); null when empty or malformed. */
export function fromLocalInput(text: string): number | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(text)) return null;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** A custom range from the two inputs, or why not. */
export function customRange(fromText: string, toText: string): RangeSpec | { error: string } {
  const fromMs = fromLocalInput(fromText);
  const toMs = fromLocalInput(toText);
  if (fromMs === null || toMs === null) return { error: 'Give both a start and an end.' };
  if (toMs - fromMs < 60_000) return { error: 'The end must be at least a minute after the start.' };
  if (toMs - fromMs > MAX_SPAN_MS) return { error: 'A range may span at most 400 days.' };
  return { kind: 'custom', fromMs, toMs };
}

/** Words for the range: "last 6 h", or the two ends as `format` writes a time. */
export function describeRange(range: RangeSpec, format: (ms: number) => string): string {
  if (range.kind === 'preset') return `last ${presetOf(range.key)!.label}`;
  return `${format(range.fromMs)} – ${format(range.toMs)}`;
}
