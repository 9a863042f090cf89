import type { StreamedResult } from '@nop/protocol';
import { useMemo } from 'react';
import { alignSeries, stackColumns } from '../../lib/chartColumns.ts';
import { rgba, seriesPalette } from '../../lib/chartColors.ts';
import { axisMs } from '../../lib/chartScale.ts';
import type { RangeSpec } from '../../lib/checkRange.ts';
import type { AgentSeries } from '../../lib/historyBuckets.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';
import { useCheckMetrics } from '../../hooks/useCheckMetrics.ts';
import type { ChartWindow } from './AgentLinesChart.tsx';
import { TimeChart, type ChartSeries } from './TimeChart.tsx';

/** The phases the HTTP prober times (agents/src/checks/http.ts), in the order they happen. */
export const HTTP_PHASES = [
  { metric: 'dns_ms', label: 'DNS' },
  { metric: 'connect_ms', label: 'connect' },
  { metric: 'tls_ms', label: 'TLS' },
  { metric: 'ttfb_ms', label: 'first byte' },
  { metric: 'transfer_ms', label: 'transfer' },
] as const;

/**
 * Where an HTTP check's time goes, per agent: the phases' averages stacked, so the top edge is the
 * whole request and a thick layer names the slow part.
 */
export function HttpPhases({
  checkId,
  range,
  live,
  theme,
  window,
}: {
  checkId: string;
  range: RangeSpec;
  live: readonly StreamedResult[];
  theme: CheckChartTheme;
  window: ChartWindow;
}) {
  // one query per phase, always in this order (hooks)
  const phases = [
    useCheckMetrics(checkId, 'dns_ms', range, live),
    useCheckMetrics(checkId, 'connect_ms', range, live),
    useCheckMetrics(checkId, 'tls_ms', range, live),
    useCheckMetrics(checkId, 'ttfb_ms', range, live),
    useCheckMetrics(checkId, 'transfer_ms', range, live),
  ];
  const byId = new Map<string, string>();
  for (const p of phases) for (const s of p.series) byId.set(s.agentId, s.agentName);
  const agents = [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  const colors = useMemo(() => seriesPalette(theme.colors.accent, HTTP_PHASES.length), [theme]);

  if (agents.length === 0) return <p className="text-sm text-muted">No phase timings in this range yet.</p>;
  return (
    <div className="space-y-3">
      <ul aria-label="Phases" className="flex flex-wrap gap-x-4 gap-y-1 text-[11px] text-muted">
        {HTTP_PHASES.map((phase, i) => (
          <li key={phase.metric} className="inline-flex items-center gap-1.5">
            <span
              className="inline-block size-2.5 rounded-sm"
              style={{ background: rgba(colors[i]!) }}
              aria-hidden="true"
            />
            {phase.label}
          </li>
        ))}
      </ul>
      <div className={`grid gap-4 ${agents.length > 1 ? 'xl:grid-cols-2' : ''}`}>
        {agents.map((agent) => (
          <figure key={agent.id} className="min-w-0">
            <figcaption className="mb-1 flex items-center gap-2 px-1 text-xs">
              <span
                aria-hidden="true"
                className="inline-block size-2.5 rounded-full"
                style={{ background: rgba(theme.agentColor(agent.id)) }}
              />
              <span className="font-medium">{agent.name}</span>
            </figcaption>
            <AgentPhases
              agentName={agent.name}
              series={phases.map((p) => p.series.find((s) => s.agentId === agent.id))}
              colors={colors.map((c) => rgba(c))}
              fills={colors.map((c) => rgba(c, 0.35))}
              theme={theme}
              window={window}
            />
          </figure>
        ))}
      </div>
    </div>
  );
}

function AgentPhases({
  agentName,
  series,
  colors,
  fills,
  theme,
  window,
}: {
  agentName: string;
  series: (AgentSeries | undefined)[];
  colors: string[];
  fills: string[];
  theme: CheckChartTheme;
  window: ChartWindow;
}) {
  const { xs, lines, raw } = useMemo(() => {
    const aligned = alignSeries(
      series.map((s) => ({ points: s?.points ?? [] })),
      (p) => p.avg,
    );
    const stacked = stackColumns(aligned.columns);
    const lines: ChartSeries[] = HTTP_PHASES.map((phase, i) => ({
      label: phase.label,
      color: colors[i]!,
      width: 1,
      values: stacked[i]!,
    }));
    return { xs: aligned.xs, lines, raw: aligned.columns };
  }, [series, colors]);
  const bands = useMemo(
    () =>
      HTTP_PHASES.map((_, i) =>
        i === 0 ? { upper: 0, lower: -1, fill: fills[0]! } : { upper: i, lower: i - 1, fill: fills[i]! },
      ).filter((b) => b.lower >= 0),
    [fills],
  );
  // the first layer is filled down to the axis: its series' own fill
  const withBase = useMemo(() => lines.map((l, i) => (i === 0 ? { ...l, fill: fills[0] } : l)), [lines, fills]);
  return (
    <TimeChart
      xs={xs}
      series={withBase}
      bands={bands}
      fromS={window.fromS}
      toS={window.toS}
      onZoom={window.onZoom}
      yFormat={axisMs}
      theme={theme.colors}
      label={`HTTP phases of ${agentName}, stacked: DNS, connect, TLS, first byte, transfer`}
      readout={(i) => (
        <span className="inline-flex flex-wrap gap-x-3 font-mono tabular-nums">
          {HTTP_PHASES.map((phase, k) => (
            <span key={phase.metric} className="inline-flex items-center gap-1">
              <span className="inline-block size-2 rounded-sm" style={{ background: colors[k] }} aria-hidden="true" />
              {phase.label} <span className="text-fg">{raw[k]![i] == null ? '—' : axisMs(raw[k]![i]!)}</span>
            </span>
          ))}
        </span>
      )}
    />
  );
}
