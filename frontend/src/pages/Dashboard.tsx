import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { AgentsPanel } from '../components/AgentsPanel.tsx';
import { ChecksPanel } from '../components/ChecksPanel.tsx';
import { NewAgentDialog } from '../components/NewAgentDialog.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { useAgents } from '../hooks/useAgents.ts';
import { checkEntries, filterAgents, sortByName } from '../lib/dashboardFilter.ts';

export function Dashboard() {
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  // Typing stays instant while the (possibly long) card grid filters a beat behind.
  const deferredQuery = useDeferredValue(query);
  const agentsQuery = useAgents();

  useSlashToFocus();

  const agents = agentsQuery.data;
  const visibleAgents = useMemo(() => sortByName(filterAgents(agents ?? [], deferredQuery)), [agents, deferredQuery]);
  const entries = useMemo(() => checkEntries(agents ?? [], deferredQuery), [agents, deferredQuery]);

  return (
    <>
      <PageHeading title="Overview" subtitle="Agents and their checks, updated live.">
        <SearchBox value={query} onChange={setQuery} />
      </PageHeading>
      <AgentsPanel
        agents={agents}
        visible={visibleAgents}
        query={deferredQuery}
        loading={agentsQuery.isPending}
        error={agentsQuery.error}
        onNew={() => setCreating(true)}
        onRetry={() => void agentsQuery.refetch()}
      />
      {agents && agents.length > 0 && <ChecksPanel agents={agents} entries={entries} query={deferredQuery} />}
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
