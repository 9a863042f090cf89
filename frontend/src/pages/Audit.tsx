import { useMemo, useState } from 'react';
import type { AuditQuery } from '../api/audit.ts';
import { errorMessage } from '../api/problem.ts';
import { AuditFilters } from '../components/audit/AuditFilters.tsx';
import { AuditTable } from '../components/audit/AuditTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
import { Panel } from '../components/ui/Panel.tsx';
import { Spinner } from '../components/ui/Spinner.tsx';
import { useAllUsers, useAuditLog } from '../hooks/useAudit.ts';

/** Admins: every change and sign-in, newest first, filtered and paged. */
export function Audit() {
  const [query, setQuery] = useState<AuditQuery>({});
  const log = useAuditLog(query);
  const users = useAllUsers().data;
  const userNames = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);
  const filtered = Object.keys(query).length > 0;

  let body;
  if (log.loading) {
    body = (
      <div className="flex items-center justify-center gap-2 py-12 text-sm text-muted">
        <Spinner className="size-4" /> Loading the audit log…
      </div>
    );
  } else if (log.error && log.items.length === 0) {
    body = (
      <div className="space-y-3 p-4">
        <Alert>Couldn't load the audit log: {errorMessage(log.error)}</Alert>
        <Button size="sm" onClick={log.refetch}>
          Try again
        </Button>
      </div>
    );
  } else if (log.items.length === 0) {
    body = (
      <div className="p-4">
        <EmptyState title={filtered ? 'Nothing matches these filters.' : 'Nothing recorded yet.'}>
          {filtered
            ? 'Widen the time window or clear the action and actor.'
            : 'Sign-ins and every change to agents, users, invitations and tokens are recorded here.'}
        </EmptyState>
      </div>
    );
  } else {
    body = (
      <>
        <AuditTable entries={log.items} userNames={userNames} />
        <LoadMore
          hasMore={log.hasMore}
          loading={log.loadingMore}
          onLoad={log.loadMore}
          shown={log.items.length}
          noun="entries"
        />
      </>
    );
  }

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
        {body}
      </Panel>
    </>
  );
}
