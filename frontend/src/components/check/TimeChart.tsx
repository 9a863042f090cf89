import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import { niceMax } from '../../lib/chartScale.ts';
import { rgba, type ChartTheme } from '../../lib/chartColors.ts';
import { formatDateTime, formatTime, useClockChoice } from '../../lib/format.ts';

export interface ChartSeries {
  label: string;
  /** any CSS colour canvas understands */
  color: string;
  values: ReadonlyArray<number | null>;
  /** line width; 0 draws no line (the bounds of a band) */
  width?: number;
  fill?: string;
  dash?: number[];
  /** listed under the chart (default true) */
  legend?: boolean;
}

/** A shaded area between two series (indexes into `series`): SmokePing's smoke, a stack's layers. */
export interface ChartBand {
  upper: number;
  lower: number;
  fill: string;
}

const FONT = '10px ui-monospace, Menlo, monospace';
const DAY_S = 86_400;

/** Time ticks: time of day within a day, the date (and hour) beyond. */
function timeTicks(spanS: number) {
  const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  return (splits: number[]) =>
    splits.map((s) => {
      if (spanS <= DAY_S) return formatTime(s * 1000, { seconds: spanS < 600 });
      if (spanS <= 3 * DAY_S) return `${day.format(s * 1000)} ${formatTime(s * 1000, { seconds: false })}`;
      return day.format(s * 1000);
    });
}

/**
 * A time chart on uPlot (canvas: cheap to redraw every few seconds): one line per series with
 * optional bands, the x range given by the page (so every chart shows the same window), y from 0,
 * and a drag across it reported as a zoom. Colours come from the theme; hovering lists each
 * series' value at that time under the chart.
 */
export function TimeChart({
  xs,
  series,
  bands = [],
  fromS,
  toS,
  yFormat,
  yMax,
  height = 180,
  onZoom,
  theme,
  label,
  readout,
}: {
  xs: readonly number[];
  series: readonly ChartSeries[];
  bands?: readonly ChartBand[];
  fromS: number;
  toS: number;
  yFormat: (value: number) => string;
  /** a fixed top (100 for percentages); else a round number above the data */
  yMax?: number;
  height?: number;
  onZoom?: (fromS: number, toS: number) => void;
  theme: ChartTheme;
  /** what the chart shows, for screen readers */
  label: string;
  /** words for the hovered bucket, in place of the per-series values */
  readout?: (index: number) => ReactNode;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [hoverIdx, setHoverIdx] = useState<number | null>(null);
  const clock = useClockChoice();
  // read by uPlot's callbacks at draw time, so they never hold stale props
  const live = useRef({ fromS, toS, yFormat, onZoom, yMax });
  live.current = { fromS, toS, yFormat, onZoom, yMax };

  // what needs a new uPlot: the set of series and how they look, not their values
  const shape = useMemo(
    () => JSON.stringify([series.map((s) => [s.label, s.color, s.width, s.fill, s.dash]), bands, height, theme, clock]),
    [series, bands, height, theme, clock],
  );

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = {
      stroke: rgba(theme.faint),
      grid: { stroke: rgba(theme.line), width: 1 },
      ticks: { show: false },
      font: FONT,
    };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 100),
      height,
      legend: { show: false },
      padding: [10, 14, 0, 0],
      cursor: {
        y: false,
        drag: { x: Boolean(live.current.onZoom), y: false, setScale: false },
        points: { size: 5 },
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true, range: () => [live.current.fromS, live.current.toS] },
        y: {
          range: (_u, _min, max) => [0, live.current.yMax ?? (max > 0 ? niceMax(max) : 1)],
        },
      },
      axes: [
        {
          ...axis,
          size: 24,
          space: 64,
          values: (_u, splits) => timeTicks(live.current.toS - live.current.fromS)(splits),
        },
        {
          ...axis,
          size: (u, values) => {
            const longest = (values ?? []).reduce((a, v) => (String(v).length > a.length ? String(v) : a), '');
            u.ctx.font = FONT;
            return Math.ceil(u.ctx.measureText(longest).width / devicePixelRatio + 14);
          },
          space: 30,
          values: (_u, splits) => splits.map((v) => live.current.yFormat(v)),
        },
      ],
      series: [
        {},
        ...series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          fill: s.fill,
          dash: s.dash,
          spanGaps: false,
          points: { show: s.width === 0 ? false : undefined, size: 4, fill: s.color },
        })),
      ],
      bands: bands.map((b) => ({ series: [b.upper + 1, b.lower + 1], fill: b.fill })),
      hooks: {
        setCursor: [(u) => setHoverIdx(u.cursor.idx ?? null)],
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width > 3 && live.current.onZoom)
              live.current.onZoom(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    const u = new uPlot(opts, [[]], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 100), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // `shape` stands for series, bands, height and theme: values alone go through setData below
  }, [shape]);

  useEffect(() => {
    plot.current?.setData([xs as number[], ...series.map((s) => s.values as (number | null)[])]);
  }, [shape, xs, series, fromS, toS, yMax]);

  const legend = series.filter((s) => s.legend !== false);
  const at = hoverIdx !== null ? xs[hoverIdx] : undefined;
  return (
    <div>
      <div
        ref={host}
        role="img"
        aria-label={label}
        className={onZoom ? 'w-full cursor-crosshair' : 'w-full'}
        onMouseLeave={() => setHoverIdx(null)}
      />
      {readout && (
        <div className="mt-1 min-h-4 px-1 text-[11px] text-muted">
          {hoverIdx !== null && at !== undefined ? (
            <>
              <span className="mr-3 font-mono text-faint tabular-nums">{formatDateTime(at * 1000)}</span>
              {readout(hoverIdx)}
            </>
          ) : null}
        </div>
      )}
      {!readout && legend.length > 0 && (
        <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 px-1 text-[11px] text-muted">
          {at !== undefined && <span className="font-mono text-faint tabular-nums">{formatDateTime(at * 1000)}</span>}
          {legend.map((s) => {
            const value = hoverIdx !== null ? s.values[hoverIdx] : undefined;
            return (
              <span key={s.label} className="inline-flex items-center gap-1.5">
                <span className="inline-block h-0.5 w-3 rounded" style={{ background: s.color }} aria-hidden="true" />
                {s.label}
                {value !== undefined && (
                  <span className="font-mono text-fg tabular-nums">
                    {value === null ? '—' : live.current.yFormat(value)}
                  </span>
                )}
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}
