import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { AgentsPanel } from '../components/AgentsPanel.tsx';
import { ChecksPanel } from '../components/ChecksPanel.tsx';
import { NewAgentDialog } from '../components/NewAgentDialog.tsx';
import { OverviewHeader } from '../components/overview/OverviewHeader.tsx';
import { StreamNotice } from '../components/overview/StreamNotice.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { NewCheckButton } from '../components/editor/NewCheckButton.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { useOverview } from '../hooks/useOverview.ts';
import { useOverviewView } from '../hooks/useOverviewView.ts';
import { filterAgents, sortAgents } from '../lib/dashboardFilter.ts';
import type { StatusFilter } from '../lib/overviewUrl.ts';
import { summarize } from '../lib/overviewSummary.ts';
import { labelKeys } from '../lib/overviewView.ts';

/**
 * The overview: what is wrong first (the summary, then checks failing first), agents, and every
 * check as cards or a table. The view (mode, grouping, filter, sort, search) is in the URL.
 */
export function Dashboard() {
  const [view, setView] = useOverviewView();
  const [creating, setCreating] = useState(false);
  const overview = useOverview();
  const { rows, agents, agentsQuery } = overview;
  const deferredQuery = useDeferredValue(view.q);

  useSlashToFocus();

  const summary = useMemo(() => summarize(rows, agents ?? []), [rows, agents]);
  const keys = useMemo(() => labelKeys(overview.checks), [overview.checks]);
  const visibleAgents = useMemo(() => sortAgents(filterAgents(agents ?? [], deferredQuery)), [agents, deferredQuery]);
  const onStatus = useCallback((status: StatusFilter) => setView({ status }), [setView]);
  const onQuery = useCallback((q: string) => setView({ q }), [setView]);

  return (
    <>
      <PageHeading title="Overview" subtitle="Every check and agent, failing first, updated live.">
        <SearchBox value={view.q} onChange={onQuery} />
        <NewCheckButton />
      </PageHeading>
      <StreamNotice />
      <OverviewHeader summary={summary} status={view.status} onStatus={onStatus} />
      <AgentsPanel
        agents={agents}
        visible={visibleAgents}
        query={deferredQuery}
        loading={agentsQuery.isPending}
        error={agentsQuery.error}
        onNew={() => setCreating(true)}
        onRetry={() => void agentsQuery.refetch()}
      />
      <ChecksPanel
        rows={rows}
        labelKeys={keys}
        view={view}
        onView={setView}
        loading={overview.loading}
        error={overview.error}
        onRetry={overview.retry}
        truncated={overview.truncated}
        detailsPending={overview.loadingDetails}
      />
      <NewAgentDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

/** "/" jumps to the search box, as in most dashboards, unless the user is typing somewhere. */
function useSlashToFocus() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.key !== '/' || el?.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      e.preventDefault();
      document.getElementById('search')?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
