import type { StreamedResult } from '@nop/protocol';
import { axisBitRate } from '../../lib/headline.ts';
import type { RangeSpec } from '../../lib/checkRange.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';
import { useCheckMetrics } from '../../hooks/useCheckMetrics.ts';
import { AgentLinesChart, type ChartWindow } from './AgentLinesChart.tsx';
import { ChartSection } from './ChartSection.tsx';

const avg = (b: { avg: number | null }) => b.avg;
const bits = (v: number) => `${axisBitRate(v)}bit/s`;

/** An interface check's sent throughput (received is the page's main chart). */
export function InterfaceCharts({
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
  const tx = useCheckMetrics(checkId, 'tx_bytes_per_second', range, live);
  return (
    <ChartSection title="Sent" summary="bits per second" loading={tx.loading} error={tx.error}>
      <AgentLinesChart
        series={tx.series}
        pick={avg}
        yFormat={bits}
        theme={theme}
        window={window}
        label="Sent throughput per agent"
      />
    </ChartSection>
  );
}
