import { ResultStatus, type StreamedResult } from '@nop/protocol';
import { fetchResults } from '../../api/history.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { resolveRange, type RangeSpec } from '../../lib/checkRange.ts';
import { answerSummary } from '../../lib/dnsAnswers.ts';
import { formatDateTime, formatMs } from '../../lib/format.ts';
import { replaceSearch, useSearch } from '../../lib/router.ts';
import { PagedListBody } from '../PagedListBody.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Select } from '../ui/Input.tsx';
import { Panel } from '../ui/Panel.tsx';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';
import { ExportButtons } from './ExportButtons.tsx';

const rangeKey = (range: RangeSpec) => (range.kind === 'preset' ? range.key : `${range.fromMs}-${range.toMs}`);

/** The figures worth a glance in a row, by check type. */
function keyMetrics(r: StreamedResult): string {
  const m = r.metrics;
  const parts: string[] = [];
  if (m.loss_ratio !== undefined) parts.push(`loss ${+(m.loss_ratio * 100).toFixed(1)}%`);
  if (m.jitter_ms !== undefined) parts.push(`jitter ${formatMs(m.jitter_ms)}`);
  if (m.status_code !== undefined) parts.push(`HTTP ${m.status_code}`);
  if (r.dns?.rcode) parts.push(answerSummary(r.dns));
  else if (m.answers !== undefined) parts.push(`${m.answers} answers`);
  if (r.trace) parts.push(`${r.trace.flows[0]?.hops.length ?? 0} hops`);
  if (m.rx_bytes_per_second !== undefined) parts.push(`rx ${Math.round(m.rx_bytes_per_second)} B/s`);
  return parts.join(' · ');
}

/**
 * Stored results of the check, newest first, a page at a time, filtered by agent and status (kept
 * in the URL beside the range), with the export of exactly those.
 */
export function ResultsPanel({
  checkId,
  range,
  agents,
}: {
  checkId: string;
  range: RangeSpec;
  agents: ReadonlyArray<{ id: string; name: string }>;
}) {
  const search = useSearch();
  const params = new URLSearchParams(search);
  const parsedStatus = ResultStatus.safeParse(params.get('status'));
  const status = parsedStatus.success ? parsedStatus.data : undefined;
  const agentId = agents.some((a) => a.id === params.get('agent')) ? params.get('agent')! : undefined;
  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    replaceSearch(text ? `?${text}` : '');
  };

  const list = usePagedList<StreamedResult>(
    ['history', 'check-results', checkId, rangeKey(range), status, agentId],
    (cursor, signal) => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return fetchResults({ checkId, agentId, status, fromMs, toMs }, cursor, 50, signal);
    },
  );

  return (
    <Panel title="Results" summary="newest first">
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-2">
        <div className="w-36">
          <Select
            aria-label="Agent"
            value={agentId ?? ''}
            onChange={(e) => setParam('agent', e.target.value || undefined)}
            className="h-7 text-xs"
          >
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="w-36">
          <Select
            aria-label="Status"
            value={status ?? ''}
            onChange={(e) => setParam('status', e.target.value || undefined)}
            className="h-7 text-xs"
          >
            <option value="">Any status</option>
            <option value="ok">OK only</option>
            <option value="failed">Failed only</option>
          </Select>
        </div>
        <Button size="sm" variant="ghost" onClick={list.refetch}>
          Refresh
        </Button>
        <div className="flex flex-wrap items-center gap-2 sm:ml-auto">
          <ExportButtons filters={() => ({ checkId, agentId, status, ...resolveRange(range, Date.now()) })} />
        </div>
      </div>
      <PagedListBody
        list={list}
        what="results"
        noun="results"
        empty={<p className="text-sm text-muted">No results match in this range.</p>}
        onRetry={list.refetch}
      >
        <Table label="Results" minWidth="min-w-[760px]">
          <THead>
            <Th>Time</Th>
            <Th>Agent</Th>
            <Th>Status</Th>
            <Th className="text-right">Latency</Th>
            <Th>Details</Th>
          </THead>
          <TBody>
            {list.items.map((r) => (
              <Tr key={r.id}>
                <Td className="font-mono text-xs whitespace-nowrap text-muted tabular-nums">
                  {formatDateTime(r.time)}
                </Td>
                <Td className="whitespace-nowrap">{r.agentName}</Td>
                <Td>{r.success ? <Badge tone="ok">OK</Badge> : <Badge tone="bad">Failed</Badge>}</Td>
                <Td className="text-right font-mono tabular-nums">{formatMs(r.durationMs)}</Td>
                <Td className="max-w-[28rem] text-xs">
                  {r.error && <span className="text-bad">{r.error}</span>}
                  {r.error && keyMetrics(r) && <span className="text-faint"> · </span>}
                  <span className="text-muted">{keyMetrics(r)}</span>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </PagedListBody>
    </Panel>
  );
}
