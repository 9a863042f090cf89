import { useMemo, useState } from 'react';
import type { AuditQuery } from '../api/audit.ts';
import { AuditFilters } from '../components/audit/AuditFilters.tsx';
import { AuditTable } from '../components/audit/AuditTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { PagedListBody } from '../components/PagedListBody.tsx';
import { Button } from '../components/ui/Button.tsx';
import { Panel } from '../components/ui/Panel.tsx';
import { useAllUsers, useAuditLog } from '../hooks/useAudit.ts';

/** Admins: every change and sign-in, newest first, filtered and paged. */
export function Audit() {
  const [query, setQuery] = useState<AuditQuery>({});
  const log = useAuditLog(query);
  const users = useAllUsers().data;
  const userNames = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);
  const filtered = Object.keys(query).length > 0;

  return (
    <>
      <PageHeading title="Audit log" subtitle="Who changed what, and every sign-in, newest first." />
      <AuditFilters onApply={setQuery} />
      <Panel
        title="Entries"
        summary={
          log.items.length > 0 && (
            <span className="tabular-nums">
              {log.items.length}
              {log.hasMore ? '+' : ''} shown
            </span>
          )
        }
        actions={
          <Button size="sm" variant="ghost" onClick={log.refetch}>
            Refresh
          </Button>
        }
      >
        <PagedListBody
          list={log}
          what="the audit log"
          noun="entries"
          onRetry={log.refetch}
          empty={
            <EmptyState title={filtered ? 'Nothing matches these filters.' : 'Nothing recorded yet.'}>
              {filtered
                ? 'Widen the time window or clear the action and actor.'
                : 'Sign-ins and every change to agents, users, invitations and tokens are recorded here.'}
            </EmptyState>
          }
        >
          <AuditTable entries={log.items} userNames={userNames} />
        </PagedListBody>
      </Panel>
    </>
  );
}
