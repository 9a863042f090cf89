import type { Agent } from '@nop/protocol';
import { errorMessage } from '../api/problem.ts';
import { useAgentPermissions } from '../hooks/usePermissions.ts';
import { AgentsTable } from './AgentsTable.tsx';
import { EmptyState } from './EmptyState.tsx';
import { EyeIcon, PlusIcon } from './icons.tsx';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Loading } from './ui/Loading.tsx';

interface Props {
  agents: Agent[] | undefined;
  visible: Agent[];
  query: string;
  loading: boolean;
  error: unknown;
  onNew: () => void;
  onRetry: () => void;
}

/** The agents section: a summary line, then the table or the right empty/loading/error state. */
export function AgentsPanel({ agents, visible, query, loading, error, onNew, onRetry }: Props) {
  const { create } = useAgentPermissions();
  // A viewer gets no button that could only fail, but is told why it is missing.
  const newButton = create.allowed ? (
    <Button variant="primary" size="sm" onClick={onNew}>
      <PlusIcon /> New agent
    </Button>
  ) : (
    <span
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs text-faint ring-1 ring-line ring-inset"
      title={create.reason}
      data-testid="read-only-note"
    >
      <EyeIcon /> View only
      <span className="sr-only">: {create.reason}</span>
    </span>
  );

  let body;
  if (loading) {
    body = <Loading className="py-12">Loading agents…</Loading>;
  } else if (error && !agents) {
    body = (
      <div className="space-y-3 p-4">
        <Alert>Couldn't load agents: {errorMessage(error)}</Alert>
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      </div>
    );
  } else if (!agents?.length) {
    body = (
      <div className="p-4">
        {create.allowed ? (
          <EmptyState title="No agents yet — create one to start probing your network." action={newButton}>
            An agent runs on a host you choose and reports ping, HTTP, TCP and DNS checks to this dashboard as they
            happen.
          </EmptyState>
        ) : (
          <EmptyState title="No agents yet.">
            An editor or admin creates agents; their checks show here as soon as they report.
          </EmptyState>
        )}
      </div>
    );
  } else if (!visible.length) {
    body = <p className="px-4 py-8 text-center text-sm text-muted">No agents match “{query}”.</p>;
  } else {
    // Capped and scrolled on its own: with many agents the checks below must stay within reach.
    body = (
      <div className={visible.length > 8 ? 'max-h-[26rem] overflow-y-auto' : undefined}>
        <AgentsTable agents={visible} />
      </div>
    );
  }

  return (
    <section aria-labelledby="agents-heading" className="overflow-hidden rounded-lg border border-line bg-panel">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-line px-4 py-3">
        <h2 id="agents-heading" className="text-sm font-semibold">
          Agents
        </h2>
        {agents && agents.length > 0 && <AgentSummary agents={agents} />}
        <div className="ml-auto">{newButton}</div>
      </div>
      {body}
    </section>
  );
}

function AgentSummary({ agents }: { agents: Agent[] }) {
  const count = (status: Agent['status']) => agents.filter((a) => a.status === status).length;
  const parts: Array<[number, string, string]> = [
    [count('online'), 'online', 'text-ok'],
    [count('stopped'), 'stopped', 'text-warn'],
    [count('offline'), 'offline', 'text-bad'],
    [count('pending'), 'pending', 'text-muted'],
  ];
  return (
    <p className="flex flex-wrap gap-x-3 text-xs text-faint">
      <span className="tabular-nums">{agents.length} total</span>
      {parts
        .filter(([n]) => n > 0)
        .map(([n, label, color]) => (
          <span key={label} className="tabular-nums">
            <span className={color}>{n}</span> {label}
          </span>
        ))}
    </p>
  );
}
