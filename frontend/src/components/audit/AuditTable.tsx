import type { AuditEntry } from '@nop/protocol';
import { formatAuditDetails } from '../../lib/auditQuery.ts';
import { formatDateTime, useClockChoice } from '../../lib/format.ts';
import { RelativeTime } from '../RelativeTime.tsx';
import { Badge, type Tone } from '../ui/Badge.tsx';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

const statusTone = (status: number): Tone => (status < 300 ? 'ok' : status < 500 ? 'warn' : 'bad');

/**
 * Who did what to what, when, from where, and how the server answered. `userNames` fills in users
 * the entry names only by id (a change to your own profile, say).
 */
export function AuditTable({ entries, userNames }: { entries: AuditEntry[]; userNames: ReadonlyMap<string, string> }) {
  useClockChoice();
  return (
    <Table label="Audit log" minWidth="min-w-[900px]">
      <THead>
        <Th>Time</Th>
        <Th>Actor</Th>
        <Th>Action</Th>
        <Th>Target</Th>
        <Th>Result</Th>
        <Th>Address</Th>
        <Th>Details</Th>
      </THead>
      <TBody>
        {entries.map((entry) => (
          <Tr key={entry.id}>
            <Td className="text-xs whitespace-nowrap">
              <div className="text-fg tabular-nums">{formatDateTime(entry.time)}</div>
              <RelativeTime iso={entry.time} className="text-faint" />
            </Td>
            <Td className="text-sm">
              <Actor actor={entry.actor} />
            </Td>
            <Td className="font-mono text-xs whitespace-nowrap text-accent">{entry.action}</Td>
            <Td className="max-w-56 text-xs">
              {entry.target ? (
                <div className="truncate" title={entry.target.id ?? undefined}>
                  <span className="text-faint">{entry.target.type} </span>
                  <span className="text-fg">{targetName(entry.target, userNames)}</span>
                </div>
              ) : (
                <span className="text-faint">—</span>
              )}
            </Td>
            <Td>
              <Badge tone={statusTone(entry.status)}>{entry.status}</Badge>
            </Td>
            <Td className="font-mono text-xs text-muted">{entry.ip ?? '—'}</Td>
            <Td className="max-w-80 text-xs text-muted">
              <div className="truncate" title={JSON.stringify(entry.details, null, 1)}>
                {formatAuditDetails(entry.details) || '—'}
              </div>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function Actor({ actor }: { actor: AuditEntry['actor'] }) {
  if (actor.kind === 'anonymous' && !actor.name) return <span className="text-faint italic">not signed in</span>;
  return (
    <span className="whitespace-nowrap">
      <span className="text-fg">{actor.name ?? actor.id?.slice(0, 8) ?? 'unknown'}</span>
      {actor.kind === 'token' && <span className="ml-1.5 text-xs text-faint">via API token</span>}
    </span>
  );
}

function targetName(target: NonNullable<AuditEntry['target']>, userNames: ReadonlyMap<string, string>): string {
  if (target.name) return target.name;
  const known = target.type === 'user' && target.id ? userNames.get(target.id) : undefined;
  return known ?? target.id?.slice(0, 8) ?? '—';
}
