import { memo, useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { errorMessage } from '../api/problem.ts';
import { useAgentPermissions } from '../hooks/usePermissions.ts';
import { NEW_CHECK_PATH } from '../lib/checkPaths.ts';
import type { CheckRow } from '../lib/overviewModel.ts';
import { groupLabelKey, type OverviewView } from '../lib/overviewUrl.ts';
import { applyView } from '../lib/overviewView.ts';
import { EmptyState } from './EmptyState.tsx';
import { PlusIcon } from './icons.tsx';
import { Link } from './Link.tsx';
import { CheckGrid } from './overview/CheckGrid.tsx';
import { CheckTable } from './overview/CheckTable.tsx';
import { OverviewControls } from './overview/OverviewControls.tsx';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Loading } from './ui/Loading.tsx';
import { Spinner } from './ui/Spinner.tsx';

interface Props {
  rows: CheckRow[];
  /** label keys in use, for "group by label" */
  labelKeys: readonly string[];
  view: OverviewView;
  onView: (change: Partial<OverviewView>) => void;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** more (agent, check) pairs than the latest-results call returns: some rows wait for live data */
  truncated: boolean;
  /** the check objects are still loading: labels, disabled and unassigned checks follow */
  detailsPending: boolean;
}

/** The checks: controls, then cards or the table as the view says, or a sentence saying why there are none. */
export const ChecksPanel = memo(function ChecksPanel({
  rows,
  labelKeys,
  view,
  onView,
  loading,
  error,
  onRetry,
  truncated,
  detailsPending,
}: Props) {
  const { create } = useAgentPermissions();
  // A new view (typing in the search box, a grouping) may lag a beat behind the controls. Rows are
  // not deferred: with results streaming in all the time, a deferred render kept being restarted
  // and the list could stay behind for seconds; building the view takes a few ms (see overviewView).
  const deferredView = useDeferredValue(view);
  const groups = useMemo(() => applyView(rows, deferredView), [rows, deferredView]);
  const shown = groups.reduce((n, g) => n + g.rows.length, 0);
  useRenderedMark(!loading && shown > 0);

  let body;
  if (loading) {
    body = <Loading className="py-12">Loading checks…</Loading>;
  } else if (error && rows.length === 0) {
    body = (
      <div className="space-y-3">
        <Alert>Couldn't load the checks: {errorMessage(error)}</Alert>
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      </div>
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState title="No checks yet.">
        {create.allowed
          ? 'Create a check and assign it to agents; its results show here as they arrive.'
          : 'An editor or admin creates checks; their results show here as they arrive.'}
      </EmptyState>
    );
  } else if (detailsPending && groupLabelKey(deferredView.group) !== null) {
    // grouped by a label before the labels are in, every check would land in "No … label"
    body = <Loading className="py-12">Loading labels…</Loading>;
  } else if (shown === 0 && deferredView !== view) {
    // the list is catching up with new data or a new filter: not "nothing matches" yet
    body = <Loading className="py-12">Filtering…</Loading>;
  } else if (shown === 0) {
    body = (
      <p className="py-8 text-center text-sm text-muted">
        No checks match{view.q ? ` “${view.q}”` : ''}
        {view.status !== 'all' ? ` with status ${view.status}` : ''}.{' '}
        <button type="button" className="text-accent hover:underline" onClick={() => onView({ q: '', status: 'all' })}>
          Show all
        </button>
      </p>
    );
  } else {
    body = deferredView.mode === 'table' ? <CheckTable groups={groups} total={shown} /> : <CheckGrid groups={groups} />;
  }

  return (
    <section aria-labelledby="checks-heading" className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h2 id="checks-heading" className="text-sm font-semibold">
          Checks
        </h2>
        {rows.length > 0 && (
          <span className="text-xs text-faint tabular-nums" aria-live="polite">
            {shown === rows.length ? rows.length : `${shown} of ${rows.length}`}
          </span>
        )}
        {detailsPending && rows.length > 0 && (
          <span className="inline-flex items-center gap-1.5 text-xs text-faint">
            <Spinner className="size-3" /> loading labels…
          </span>
        )}
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <OverviewControls view={view} labelKeys={labelKeys} onChange={onView} />
          {create.allowed && (
            <Link
              href={NEW_CHECK_PATH}
              className="inline-flex h-8 items-center gap-1.5 rounded-md bg-accent px-2.5 text-xs font-semibold text-accent-fg hover:bg-accent/85"
            >
              <PlusIcon /> New check
            </Link>
          )}
        </div>
      </div>
      {truncated && (
        <Alert tone="info">
          There are more agent and check pairs than one request returns: some rows fill in as live results arrive.
        </Alert>
      )}
      {body}
    </section>
  );
});

/**
 * Marks when the first rows were painted (a User Timing mark; the scale test measures from the
 * data's arrival to it). After the frame: effects run before the browser paints.
 */
function useRenderedMark(ready: boolean) {
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => setTimeout(() => performance.mark('nop:overview-rendered'), 0));
  }, [ready]);
}
