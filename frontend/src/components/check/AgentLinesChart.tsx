import { useMemo } from 'react';
import { alignSeries } from '../../lib/chartColumns.ts';
import { rgba } from '../../lib/chartColors.ts';
import type { AgentSeries, Bucket } from '../../lib/historyBuckets.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';
import { TimeChart } from './TimeChart.tsx';

export interface ChartWindow {
  fromS: number;
  toS: number;
  onZoom: (fromS: number, toS: number) => void;
}

/** One line per agent of one figure of the buckets (latency, loss, jitter…), in the agents' colours. */
export function AgentLinesChart({
  series,
  pick,
  yFormat,
  yMax,
  theme,
  window,
  label,
  height,
}: {
  series: readonly AgentSeries[];
  pick: (bucket: Bucket) => number | null;
  yFormat: (value: number) => string;
  yMax?: number;
  theme: CheckChartTheme;
  window: ChartWindow;
  label: string;
  height?: number;
}) {
  const aligned = useMemo(() => alignSeries(series, pick), [series, pick]);
  const lines = useMemo(
    () =>
      series.map((s, i) => {
        const color = theme.agentColor(s.agentId);
        return {
          label: s.agentName,
          color: rgba(color),
          // one agent: a light fill under the line, as on the overview; several: lines only, to stay readable
          fill: series.length === 1 ? rgba(color, 0.1) : undefined,
          values: aligned.columns[i]!,
        };
      }),
    [series, aligned, theme],
  );
  return (
    <TimeChart
      xs={aligned.xs}
      series={lines}
      fromS={window.fromS}
      toS={window.toS}
      onZoom={window.onZoom}
      yFormat={yFormat}
      yMax={yMax}
      theme={theme.colors}
      label={label}
      height={height}
    />
  );
}
