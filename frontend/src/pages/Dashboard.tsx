import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { fetchMe } from '../api/auth.ts';
import { AgentsPanel } from '../components/AgentsPanel.tsx';
import { ChecksPanel } from '../components/ChecksPanel.tsx';
import { Header } from '../components/Header.tsx';
import { NewAgentDialog } from '../components/NewAgentDialog.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { useAgents } from '../hooks/useAgents.ts';
import { useStream } from '../hooks/useStream.ts';
import { checkEntries, filterAgents, sortByName } from '../lib/dashboardFilter.ts';
import { useAuth } from '../store/auth.ts';

export function Dashboard() {
  const token = useAuth((s) => s.token);
  const setUser = useAuth((s) => s.setUser);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  // Typing stays instant while the (possibly long) card grid filters a beat behind.
  const deferredQuery = useDeferredValue(query);

  useStream(token);
  const agentsQuery = useAgents();

  // Confirms the stored token on load (a 401 signs out) and refreshes the name shown in the header.
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => fetchMe(signal), staleTime: 5 * 60_000 });
  useEffect(() => {
    if (me.data) setUser(me.data);
  }, [me.data, setUser]);

  useSlashToFocus();

  const agents = agentsQuery.data;
  const visibleAgents = useMemo(() => sortByName(filterAgents(agents ?? [], deferredQuery)), [agents, deferredQuery]);
  const entries = useMemo(() => checkEntries(agents ?? [], deferredQuery), [agents, deferredQuery]);

  return (
    <div className="min-h-screen">
      <Header />
      <main className="mx-auto max-w-[1600px] space-y-6 px-4 py-5 sm:px-6">
        <div className="flex flex-wrap items-center gap-3">
          <div className="mr-auto">
            <h1 className="text-lg font-semibold">Overview</h1>
            <p className="text-xs text-muted">Agents and their checks, updated live.</p>
          </div>
          <SearchBox value={query} onChange={setQuery} />
        </div>
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
      </main>
      <NewAgentDialog open={creating} onClose={() => setCreating(false)} />
    </div>
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
