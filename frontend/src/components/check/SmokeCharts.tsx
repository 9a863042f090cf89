import { useMemo } from 'react';
import { axisMs, axisPercent } from '../../lib/chartScale.ts';
import { rgba, type ChartTheme } from '../../lib/chartColors.ts';
import type { AgentSeries } from '../../lib/historyBuckets.ts';
import { LOSS_BUCKETS, smokeColumns } from '../../lib/smokeChart.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';
import type { ChartWindow } from './AgentLinesChart.tsx';
import { TimeChart, type ChartSeries } from './TimeChart.tsx';

/**
 * SmokePing's picture, one chart per agent (the median's colour already speaks for loss, so agents
 * cannot share one): the median line coloured by the loss of its bucket, over grey "smoke" bands
 * of p10–p90 and p25–p75 of the runs' round trips.
 */
export function SmokeCharts({
  series,
  theme,
  window,
}: {
  series: readonly AgentSeries[];
  theme: CheckChartTheme;
  window: ChartWindow;
}) {
  return (
    <div className="space-y-4">
      <LossLegend colors={theme.colors} />
      <div className={`grid gap-4 ${series.length > 1 ? 'xl:grid-cols-2' : ''}`}>
        {series.map((s) => (
          <figure key={s.agentId} data-smoke={s.agentName} className="min-w-0">
            <figcaption className="mb-1 flex items-center gap-2 px-1 text-xs text-muted">
              <span
                aria-hidden="true"
                className="inline-block size-2.5 rounded-full"
                style={{ background: rgba(theme.agentColor(s.agentId)) }}
              />
              <span className="font-medium text-fg">{s.agentName}</span>
              <span className="text-faint">median round trip, p10–p90 and p25–p75 smoke</span>
            </figcaption>
            <AgentSmoke series={s} colors={theme.colors} window={window} />
          </figure>
        ))}
      </div>
    </div>
  );
}

function AgentSmoke({ series, colors, window }: { series: AgentSeries; colors: ChartTheme; window: ChartWindow }) {
  const cols = useMemo(() => smokeColumns(series.points), [series.points]);
  const lines = useMemo((): ChartSeries[] => {
    const smoke = colors.muted;
    const bound = (label: string, values: (number | null)[]): ChartSeries => ({
      label,
      color: rgba(smoke, 0.35),
      width: 0,
      values,
      legend: false,
    });
    return [
      bound('p90', cols.p90),
      bound('p10', cols.p10),
      bound('p75', cols.p75),
      bound('p25', cols.p25),
      ...LOSS_BUCKETS.map((b, i): ChartSeries => ({
        label: `median, ${b.label}`,
        color: rgba(colors[b.tone]),
        width: 2,
        values: cols.median[i]!,
        legend: false,
      })),
    ];
  }, [cols, colors]);
  const bands = useMemo(
    () => [
      { upper: 0, lower: 1, fill: rgba(colors.muted, 0.16) },
      { upper: 2, lower: 3, fill: rgba(colors.muted, 0.3) },
    ],
    [colors],
  );
  return (
    <TimeChart
      xs={cols.xs}
      series={lines}
      bands={bands}
      fromS={window.fromS}
      toS={window.toS}
      onZoom={window.onZoom}
      yFormat={axisMs}
      theme={colors}
      label={`Smoke chart of ${series.agentName}: median round trip coloured by packet loss`}
      height={200}
      readout={(i) => {
        const p = series.points[i];
        if (!p) return null;
        const ms = (v: number | null) => (v === null ? '—' : axisMs(v));
        return (
          <span className="font-mono tabular-nums">
            median <span className="text-fg">{ms(p.p50)}</span> · p25–p75 {ms(p.p25)}–{ms(p.p75)} · p10–p90 {ms(p.p10)}–
            {ms(p.p90)} · loss <span className="text-fg">{p.loss === null ? '—' : axisPercent(p.loss * 100)}</span>
          </span>
        );
      }}
    />
  );
}

/** What the median's colours and the smoke mean. */
function LossLegend({ colors }: { colors: ChartTheme }) {
  return (
    <ul aria-label="Legend" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-[11px] text-muted">
      {LOSS_BUCKETS.map((b) => (
        <li key={b.label} className="inline-flex items-center gap-1.5">
          <span
            className="inline-block h-0.5 w-4 rounded"
            style={{ background: rgba(colors[b.tone]) }}
            aria-hidden="true"
          />
          {b.label}
        </li>
      ))}
      <li className="inline-flex items-center gap-1.5">
        <span
          className="inline-block h-2.5 w-4 rounded-sm"
          style={{ background: rgba(colors.muted, 0.3) }}
          aria-hidden="true"
        />
        p25–p75
      </li>
      <li className="inline-flex items-center gap-1.5">
        <span
          className="inline-block h-2.5 w-4 rounded-sm"
          style={{ background: rgba(colors.muted, 0.16) }}
          aria-hidden="true"
        />
        p10–p90
      </li>
    </ul>
  );
}
