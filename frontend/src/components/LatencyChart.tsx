import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { axisMs, niceMax } from '../lib/chartScale.ts';
import { WINDOW_MS, type ChartColumns } from '../lib/liveSeries.ts';

const AXIS = {
  stroke: '#5d6978',
  grid: { stroke: '#1c2430', width: 1 },
  ticks: { show: false },
  font: '10px ui-monospace, Menlo, monospace',
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
        { ...AXIS, size: 20, space: 70 },
        { ...AXIS, size: 44, space: 28, values: (_u, splits) => splits.map((v) => axisLabel.current(v)) },
      ],
      series: [
        {},
        { stroke: '#38bdf8', width: 1.5, fill: 'rgba(56,189,248,0.10)', spanGaps: false, points: { size: 3 } },
        { stroke: '#f87171', paths: () => null, points: { show: true, size: 5, fill: '#f87171', stroke: '#f87171' } },
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
    // Also runs when only `nowMs` moved: re-applying data re-evaluates the x range, sliding the window.
    plot.current?.setData([columns.xs, columns.latency, columns.failures]);
  }, [columns, nowMs]);

  return <div ref={host} className="w-full" onMouseLeave={() => onHover?.(null)} />;
}
