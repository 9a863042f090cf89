import { formatMs } from '../../lib/format.ts';
import type { AgentLatest } from '../../hooks/useCheckLatest.ts';
import { RelativeTime } from '../RelativeTime.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

/** RFC 1035/6895 response codes by number (the agents report `rcode` as a number). */
const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};

/**
 * The latest DNS answer per agent. Results carry the answer's figures (response code, how many
 * answers, authority and additional records, transport) but not the records themselves; a run that
 * failed on expectAnswers/expectRegex names what it got in its error.
 */
export function DnsLatest({ latest }: { latest: readonly AgentLatest[] }) {
  const rows = latest.filter((l) => l.result);
  if (rows.length === 0) return <p className="text-sm text-muted">No answers yet.</p>;
  return (
    <>
      <Table label="Latest DNS answers" minWidth="min-w-[680px]">
        <THead>
          <Th>Agent</Th>
          <Th>When</Th>
          <Th>Code</Th>
          <Th className="text-right">Answers</Th>
          <Th className="text-right">Authority</Th>
          <Th className="text-right">Additional</Th>
          <Th>Transport</Th>
          <Th className="text-right">Lookup</Th>
          <Th>Verdict</Th>
        </THead>
        <TBody>
          {rows.map(({ agentId, agentName, result }) => {
            const m = result!.metrics;
            const rcode = m.rcode === undefined ? '—' : (RCODES[m.rcode] ?? `rcode ${m.rcode}`);
            return (
              <Tr key={agentId}>
                <Td>{agentName}</Td>
                <Td className="text-xs text-muted">
                  <RelativeTime iso={result!.time} />
                </Td>
                <Td className="font-mono text-xs">{rcode}</Td>
                <Td className="text-right font-mono tabular-nums">{m.answers ?? '—'}</Td>
                <Td className="text-right font-mono tabular-nums">{m.authority ?? '—'}</Td>
                <Td className="text-right font-mono tabular-nums">{m.additional ?? '—'}</Td>
                <Td className="font-mono text-xs text-muted">
                  {m.transport_tcp ? 'tcp' : 'udp'}
                  {m.truncated ? ' (truncated)' : ''}
                </Td>
                <Td className="text-right font-mono tabular-nums">{formatMs(m.dns_ms ?? result!.durationMs)}</Td>
                <Td className="max-w-[22rem]">
                  {result!.success ? (
                    <Badge tone="ok">OK</Badge>
                  ) : (
                    <span className="text-xs text-bad" title={result!.error}>
                      {result!.error ?? 'failed'}
                    </span>
                  )}
                </Td>
              </Tr>
            );
          })}
        </TBody>
      </Table>
      <p className="px-4 py-2 text-[11px] text-faint">
        The agents report the answers’ counts, not the records: a failed expectation names what was answered.
      </p>
    </>
  );
}
