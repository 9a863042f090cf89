import type { MetricsSummaryItem } from '@nop/protocol';
import { rgba } from '../../lib/chartColors.ts';
import { formatMs } from '../../lib/format.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

const pct = (value: number | null, digits = 1) => (value === null ? '—' : `${value.toFixed(digits)} %`);

/** Uptime in percent without rounding a failure away: 99.95 % never shows as 100 %. */
export function formatUptime(pctValue: number, failures: number): string {
  if (failures === 0) return '100 %';
  return `${Math.min(pctValue, 99.99).toFixed(2)} %`;
}

/** Per agent over the range: uptime, runs, latency percentiles, loss and jitter. */
export function SummaryTable({ items, theme }: { items: readonly MetricsSummaryItem[]; theme: CheckChartTheme }) {
  if (items.length === 0) return <p className="px-4 py-3 text-sm text-muted">No runs in this range.</p>;
  return (
    <Table label="Uptime per agent" minWidth="min-w-[720px]">
      <THead>
        <Th>Agent</Th>
        <Th className="text-right">Uptime</Th>
        <Th className="text-right">Runs</Th>
        <Th className="text-right">Failed</Th>
        <Th className="text-right">p50</Th>
        <Th className="text-right">p95</Th>
        <Th className="text-right">p99</Th>
        <Th className="text-right">Loss</Th>
        <Th className="text-right">Jitter</Th>
      </THead>
      <TBody>
        {items.map((item) => (
          <Tr key={item.agentId}>
            <Td>
              <span className="inline-flex items-center gap-2">
                <span
                  aria-hidden="true"
                  className="inline-block size-2.5 rounded-full"
                  style={{ background: rgba(theme.agentColor(item.agentId)) }}
                />
                {item.agentName}
              </span>
            </Td>
            <Td
              className={`text-right font-mono tabular-nums ${item.failures === 0 ? 'text-ok' : item.uptimePct < 99 ? 'text-bad' : 'text-warn'}`}
              data-testid="uptime"
            >
              {formatUptime(item.uptimePct, item.failures)}
            </Td>
            <Td className="text-right font-mono text-muted tabular-nums">{item.count.toLocaleString()}</Td>
            <Td className="text-right font-mono text-muted tabular-nums">{item.failures.toLocaleString()}</Td>
            <Td className="text-right font-mono tabular-nums">{formatMs(item.latency.p50)}</Td>
            <Td className="text-right font-mono tabular-nums">{formatMs(item.latency.p95)}</Td>
            <Td className="text-right font-mono tabular-nums">{formatMs(item.latency.p99)}</Td>
            <Td className="text-right font-mono tabular-nums">{pct(item.loss === null ? null : item.loss * 100)}</Td>
            <Td className="text-right font-mono tabular-nums">{formatMs(item.jitter)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
