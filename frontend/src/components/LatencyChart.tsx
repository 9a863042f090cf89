import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { axisMs, niceMax } from '../lib/chartScale.ts';
import { formatTime, useClockChoice } from '../lib/format.ts';
import { WINDOW_MS, type ChartColumns } from '../lib/liveSeries.ts';
import { useTokenColors, withAlpha } from '../lib/theme.ts';

/** The theme tokens the chart draws with; a canvas cannot use CSS variables, so they are read per theme. */
const TOKENS = ['faint', 'line', 'accent', 'bad'] as const;
type Colors = Record<(typeof TOKENS)[number], string>;

const FONT = '10px ui-monospace, Menlo, monospace';

/** An axis just wide enough for its longest label ("250 ms", "1.25 s"), measured in the chart's font. */
const fitLabels: uPlot.Axis.Size = (u, values, axisIdx, cycleNum) => {
  const axis = u.axes[axisIdx]!;
  if (cycleNum > 1) return (axis as { _size?: number })._size ?? 44;
  const longest = (values ?? []).reduce((a, v) => (String(v).length > a.length ? String(v) : a), '');
  u.ctx.font = FONT;
  return Math.ceil(u.ctx.measureText(longest).width / devicePixelRatio + 12);
};

export interface HoverPoint {
  t: number; // epoch s
  latency: number | null;
  failed: boolean;
}

/**
 * uPlot latency line over a sliding 15-minute window, with failed runs as red dots on the
 * baseline. uPlot draws to canvas and is updated in place (setData), never re-created, so a
 * dashboard full of live charts stays cheap.
 */
export function LatencyChart({
  columns,
  nowMs,
  height = 120,
  onHover,
  axis,
}: {
  columns: ChartColumns;
  nowMs: number;
  height?: number;
  onHover?: (point: HoverPoint | null) => void;
  /** y tick labels; latency in ms by default */
  axis?: (value: number) => string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const now = useRef(nowMs);
  const hover = useRef(onHover);
  const axisLabel = useRef(axis ?? axisMs);
  now.current = nowMs;
  hover.current = onHover;
  axisLabel.current = axis ?? axisMs;
  // uPlot asks for colours (and time labels) at every draw: functions reading these refs follow a
  // theme or clock change on the next redraw instead of rebuilding the chart
  const colors = useTokenColors(TOKENS);
  const palette = useRef<Colors>(colors);
  palette.current = colors;
  const clock = useClockChoice();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 100),
      height,
      legend: { show: false },
      // Right padding keeps the newest time label inside the card.
      padding: [8, 18, 0, 0],
      cursor: { y: false, drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        // the clock ticks every few seconds, results arrive in between: never cut off the newest point
        // (uPlot also leaves points outside the x range out of the y autoscale)
        x: {
          time: true,
          range: (u) => {
            const end = Math.max(now.current / 1000, u.data[0]?.at(-1) ?? 0);
            return [end - WINDOW_MS / 1000, end];
          },
        },
        y: { range: (_u, _min, max) => [0, max > 0 ? niceMax(max) : 10] },
      },
      axes: [
        {
          ...axisStyle(palette),
          size: 20,
          space: 70,
          // time of day in the user's clock (uPlot's own labels are always 12-hour)
          values: (_u, splits) => splits.map((s) => formatTime(s * 1000, { seconds: false })),
        },
        {
          ...axisStyle(palette),
          size: fitLabels,
          space: 28,
          values: (_u, splits) => splits.map((v) => axisLabel.current(v)),
        },
      ],
      series: [
        {},
        {
          stroke: () => palette.current.accent,
          width: 1.5,
          fill: () => withAlpha(palette.current.accent, 0.1),
          spanGaps: false,
          points: { size: 3 },
        },
        {
          stroke: () => palette.current.bad,
          paths: () => null,
          points: { show: true, size: 5, fill: () => palette.current.bad, stroke: () => palette.current.bad },
        },
      ],
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined) return hover.current?.(null);
            const t = u.data[0][idx];
            if (t === undefined) return hover.current?.(null);
            hover.current?.({ t, latency: u.data[1]?.[idx] ?? null, failed: u.data[2]?.[idx] === 0 });
          },
        ],
      },
    };
    const u = new uPlot(opts, [[], [], []], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 100), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [height]);

  useEffect(() => {
    plot.current?.redraw(false, true);
  }, [colors, clock]);

  useEffect(() => {
    // Also runs when only `nowMs` moved: re-applying data re-evaluates the x range, sliding the window.
    plot.current?.setData([columns.xs, columns.latency, columns.failures]);
  }, [columns, nowMs]);

  return <div ref={host} className="w-full" onMouseLeave={() => onHover?.(null)} />;
}

function axisStyle(palette: { current: Colors }): uPlot.Axis {
  return {
    stroke: () => palette.current.faint,
    grid: { stroke: () => palette.current.line, width: 1 },
    ticks: { show: false },
    font: FONT,
  };
}
