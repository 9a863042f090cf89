import { useMemo } from 'react';
import { ApiError, errorMessage } from '../api/problem.ts';
import { CheckEditorForm } from '../components/editor/CheckEditorForm.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { Link } from '../components/Link.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { Loading } from '../components/ui/Loading.tsx';
import { useCheck } from '../hooks/useCheck.ts';
import { checkToDraft, emptyDraft } from '../lib/checkEditorDraft.ts';
import { checkPagePath, parseCheckPath } from '../lib/checkPaths.ts';
import { canChangeCheck, canCreateChecks } from '../lib/checkPermissions.ts';
import { usePathname } from '../lib/router.ts';
import type { Actor, Verdict } from '../lib/permissions.ts';
import { useAuth } from '../store/auth.ts';

/** /checks/new and /checks/:id/edit. */
export function CheckEditor() {
  const route = parseCheckPath(usePathname());
  const user = useAuth((s) => s.user);
  if (route?.view === 'edit') return <EditCheck id={route.id} user={user} />;
  const verdict = canCreateChecks(user);
  return (
    <>
      <PageHeading title="New check" subtitle="Written once, run by every agent it is assigned to." />
      {verdict.allowed ? (
        <CheckEditorForm initial={emptyDraft('icmp')} ownerScope={scopeOf(user)} />
      ) : (
        <NotAllowed verdict={verdict} back="/" />
      )}
    </>
  );
}

function EditCheck({ id, user }: { id: string; user: Actor | null }) {
  const check = useCheck(id);
  // the form starts from the check as first loaded: a background refetch must not reset typing
  const loaded = check.data && !check.isPlaceholderData ? check.data : undefined;
  // keyed on the version: the same check saved elsewhere meanwhile gives a fresh form
  const version = loaded ? `${loaded.id}@${loaded.version}` : null;
  const initial = useMemo(() => (loaded ? checkToDraft(loaded) : null), [version]);
  if (!loaded || !initial) {
    if (check.isError)
      return (
        <EmptyState title={`Check “${id}” could not be loaded.`}>
          {check.error instanceof ApiError && check.error.status === 404
            ? 'It may have been deleted.'
            : errorMessage(check.error)}
        </EmptyState>
      );
    return <Loading className="py-16">Loading check…</Loading>;
  }
  const verdict = canChangeCheck(user, loaded);
  return (
    <>
      <PageHeading title={`Edit ${loaded.id}`} subtitle="Saved changes reach the agents at once." />
      {verdict.allowed ? (
        <CheckEditorForm
          key={`${loaded.id}-${loaded.version}`}
          initial={initial}
          original={loaded}
          ownerScope={loaded.ownerId && user?.role !== 'admin' ? loaded.ownerId : null}
        />
      ) : (
        <NotAllowed verdict={verdict} back={checkPagePath(loaded.id)} />
      )}
    </>
  );
}

/** A non-admin's selector reaches only their own agents. */
const scopeOf = (user: Actor | null) => (user && user.role !== 'admin' ? user.id : null);

function NotAllowed({ verdict, back }: { verdict: Verdict; back: string }) {
  return (
    <EmptyState
      title="You cannot change checks here."
      action={
        <Link href={back} className="text-sm font-medium text-accent hover:underline">
          Go back
        </Link>
      }
    >
      {verdict.reason}
    </EmptyState>
  );
}
