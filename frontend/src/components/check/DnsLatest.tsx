import type { DnsAnswer } from '@nop/protocol';
import { useMemo } from 'react';
import { answerSummary, groupDnsAnswers, type DnsAnswerGroup } from '../../lib/dnsAnswers.ts';
import { formatMs } from '../../lib/format.ts';
import type { AgentLatest } from '../../hooks/useCheckLatest.ts';
import { RelativeTime } from '../RelativeTime.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

/** RFC 1035/6895 response codes by number, for results of agents that send only the figures. */
const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};

/** The latest DNS answer per agent, then the answer records grouped by what each agent was given. */
export function DnsLatest({ latest }: { latest: readonly AgentLatest[] }) {
  const rows = latest.filter((l) => l.result);
  const groups = useMemo(
    () => groupDnsAnswers(rows.map((l) => ({ agentName: l.agentName, dns: l.result!.dns }))),
    [rows],
  );
  if (rows.length === 0) return <p className="p-4 text-sm text-muted">No answers yet.</p>;
  return (
    <>
      <Table label="Latest DNS answers" minWidth="min-w-[760px]">
        <THead>
          <Th>Agent</Th>
          <Th>When</Th>
          <Th>Server</Th>
          <Th>Code</Th>
          <Th>Answer</Th>
          <Th>Transport</Th>
          <Th className="text-right">Lookup</Th>
          <Th>Verdict</Th>
        </THead>
        <TBody>
          {rows.map(({ agentId, agentName, result }) => {
            const m = result!.metrics;
            const dns = result!.dns;
            const rcode = dns?.rcode ?? (m.rcode === undefined ? '—' : (RCODES[m.rcode] ?? `rcode ${m.rcode}`));
            const sections = `${m.answers ?? 0} answer, ${m.authority ?? 0} authority, ${m.additional ?? 0} additional records`;
            return (
              <Tr key={agentId}>
                <Td>{agentName}</Td>
                <Td className="text-xs text-muted">
                  <RelativeTime iso={result!.time} />
                </Td>
                <Td className="font-mono text-xs text-muted">{dns?.server ?? '—'}</Td>
                <Td className="font-mono text-xs">{rcode}</Td>
                <Td className="max-w-[18rem] truncate font-mono text-xs" title={sections}>
                  {dns ? answerSummary(dns) : `${m.answers ?? '—'} records`}
                </Td>
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
      {groups.length > 0 && (
        <div className="space-y-3 border-t border-line p-4">
          <h3 className="text-sm font-medium">
            Answer records{groups.length > 1 ? ` · ${groups.length} different answers` : ''}
          </h3>
          {groups.map((group) => (
            <AnswerSection key={group.agents.join('\n')} group={group} open={groups.length <= 3} />
          ))}
        </div>
      )}
    </>
  );
}

/** One answer as dig prints its answer section: name, TTL, type, data. */
function AnswerSection({ group, open }: { group: DnsAnswerGroup; open: boolean }) {
  const who =
    group.agents.length > 3
      ? `${group.agents.slice(0, 3).join(', ')} and ${group.agents.length - 3} more`
      : group.agents.join(', ');
  return (
    <details open={open} className="rounded border border-line">
      <summary className="cursor-pointer px-3 py-2 text-xs">
        <span className="font-medium">{who}</span>
        <span className="text-muted">
          {' '}
          · {group.rcode} from <span className="font-mono">{group.server}</span> ·{' '}
          {group.answers.length + group.omitted} record{group.answers.length + group.omitted === 1 ? '' : 's'}
        </span>
      </summary>
      {group.answers.length === 0 ? (
        <p className="px-3 pb-2 text-xs text-muted">No records in the answer section.</p>
      ) : (
        <Table label={`Answer records seen by ${who}`} minWidth="min-w-[560px]">
          <THead>
            <Th>Name</Th>
            <Th className="text-right">TTL</Th>
            <Th>Type</Th>
            <Th>Data</Th>
          </THead>
          <TBody>
            {group.answers.map((answer: DnsAnswer, i) => (
              <Tr key={i}>
                <Td className="font-mono text-xs">{answer.name}</Td>
                <Td className="text-right font-mono text-xs tabular-nums">{answer.ttl}</Td>
                <Td className="font-mono text-xs">{answer.type}</Td>
                <Td className="break-all font-mono text-xs">{answer.data}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {group.omitted > 0 && (
        <p className="px-3 pb-2 text-xs text-muted">
          {group.omitted} more record{group.omitted === 1 ? '' : 's'} not kept (an agent keeps the first{' '}
          {group.answers.length}).
        </p>
      )}
    </details>
  );
}
