import type { StreamedResult } from '@nop/protocol';
import { useState } from 'react';
import { formatDateTime, formatMs } from '../../lib/format.ts';
import { hopRows, routeChanges } from '../../lib/traceView.ts';
import type { AgentLatest } from '../../hooks/useCheckLatest.ts';
import { RelativeTime } from '../RelativeTime.tsx';
import { Select } from '../ui/Input.tsx';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

/**
 * The latest trace of one agent (picked above the table) hop by hop — every probe's round trip, per
 * Paris flow — and, from the range's results, when each agent's route changed.
 */
export function TraceroutePanel({
  latest,
  results,
}: {
  latest: readonly AgentLatest[];
  /** the range's results, or null when there were too many to fetch */
  results: readonly StreamedResult[] | null;
}) {
  const traced = latest.filter((l) => l.result?.trace);
  const [picked, setPicked] = useState<string | null>(null);
  const current = traced.find((l) => l.agentId === picked) ?? traced[0];

  return (
    <div className="space-y-4">
      {!current ? (
        <p className="px-4 text-sm text-muted">No trace yet.</p>
      ) : (
        <div>
          <div className="flex flex-wrap items-center gap-3 px-4 pb-2">
            {traced.length > 1 && (
              <label className="flex items-center gap-2 text-xs text-muted">
                Agent
                <Select
                  aria-label="Agent"
                  value={current.agentId}
                  onChange={(e) => setPicked(e.target.value)}
                  className="h-7 max-w-48 text-xs"
                >
                  {traced.map((l) => (
                    <option key={l.agentId} value={l.agentId}>
                      {l.agentName}
                    </option>
                  ))}
                </Select>
              </label>
            )}
            <span className="text-xs text-faint">
              {traced.length === 1 && `${current.agentName} · `}
              <RelativeTime iso={current.result!.time} /> · {current.result!.trace!.mode} via{' '}
              {current.result!.trace!.method} to{' '}
              <span className="font-mono text-muted">{current.result!.trace!.destination}</span> · route{' '}
              <span className="font-mono text-muted">{current.result!.trace!.fingerprint}</span>
            </span>
          </div>
          <HopsTable result={current.result!} />
        </div>
      )}
      <RouteChanges results={results} />
    </div>
  );
}

function HopsTable({ result }: { result: StreamedResult }) {
  const rows = hopRows(result.trace!);
  const flows = new Set(rows.map((r) => r.flowId)).size;
  const probes = Math.max(0, ...rows.map((r) => r.rtts.length));
  return (
    <Table label="Hops of the latest trace" minWidth="min-w-[560px]">
      <THead>
        {flows > 1 && <Th>Flow</Th>}
        <Th>Hop</Th>
        <Th>Address</Th>
        <Th>Name</Th>
        {Array.from({ length: probes }, (_, i) => (
          <Th key={i} className="text-right">
            RTT {i + 1}
          </Th>
        ))}
      </THead>
      <TBody>
        {rows.map((row) => (
          <Tr key={`${row.flowId}-${row.ttl}`} className={row.destination ? 'bg-ok/5' : undefined}>
            {flows > 1 && <Td className="font-mono text-xs text-muted">{row.flowId}</Td>}
            <Td className="font-mono tabular-nums">{row.ttl}</Td>
            <Td className="font-mono text-xs">
              {row.addresses.length ? row.addresses.join(', ') : <span className="text-faint">*</span>}
            </Td>
            <Td className="text-xs text-muted">{row.names.join(', ') || '—'}</Td>
            {Array.from({ length: probes }, (_, i) => (
              <Td key={i} className="text-right font-mono text-xs tabular-nums">
                {row.rtts[i] == null ? <span className="text-faint">*</span> : formatMs(row.rtts[i])}
              </Td>
            ))}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function RouteChanges({ results }: { results: readonly StreamedResult[] | null }) {
  if (results === null)
    return (
      <p className="px-4 pb-3 text-xs text-faint">
        Too many traces in this range to compare routes: pick a shorter one.
      </p>
    );
  const changes = routeChanges(results);
  return (
    <div className="px-4 pb-3">
      <h3 className="mb-1.5 text-[11px] font-medium tracking-wider text-faint uppercase">Route changes in range</h3>
      {changes.length === 0 ? (
        <p className="text-sm text-muted">The route stayed the same.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {changes.slice(0, 50).map((c) => (
            <li key={`${c.agentId}-${c.t}`} className="flex flex-wrap gap-x-2">
              <span className="font-mono text-xs text-faint tabular-nums">{formatDateTime(c.t)}</span>
              <span>{c.agentName}</span>
              <span className="font-mono text-xs text-muted">
                {c.from} → {c.to}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
