import type { Agent } from '@nop/protocol';
import { useMemo } from 'react';
import { errorMessage } from '../../api/problem.ts';
import { useAgents } from '../../hooks/useAgents.ts';
import { selectorPreview } from '../../lib/selectorPreview.ts';
import { StatusBadge } from '../StatusBadge.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Loading } from '../ui/Loading.tsx';
import { TextField, fieldId, type Bind } from './fields.tsx';

/**
 * Where the check runs: agents picked by hand and/or every agent whose labels match a selector,
 * with a live preview of the agents that will run it (and of those that will not, and why).
 */
export function AssignmentFields({ bind, ownerScope }: { bind: Bind; ownerScope: string | null }) {
  const agents = useAgents();
  const list = useMemo(() => [...(agents.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [agents.data]);
  const preview = selectorPreview({
    selector: bind.draft.selector,
    agentIds: bind.draft.agentIds,
    checkType: bind.draft.type,
    agents: list,
    ownerScope,
  });
  const picked = new Set(bind.draft.agentIds);
  const toggle = (id: string) =>
    bind.set({ agentIds: picked.has(id) ? bind.draft.agentIds.filter((x) => x !== id) : [...bind.draft.agentIds, id] });
  const agentError = bind.errors.agentIds;

  return (
    <fieldset className="rounded-lg border border-line bg-panel px-4 pt-2 pb-4">
      <legend className="px-1 text-sm font-semibold">Assignment</legend>
      <p className="mb-3 text-xs text-muted">
        Pick agents, give a label selector, or both: the check runs on every agent picked or matched.
      </p>
      <div className="grid gap-5 lg:grid-cols-2">
        <div className="space-y-1.5" role="group" aria-labelledby="check-agents-label">
          <span id="check-agents-label" className="block text-xs font-medium tracking-wide text-muted uppercase">
            Agents
          </span>
          {agents.isPending ? (
            <Loading className="h-24">Loading agents…</Loading>
          ) : agents.error ? (
            <Alert>Couldn't load the agents: {errorMessage(agents.error)}</Alert>
          ) : list.length === 0 ? (
            <p className="text-sm text-muted">No agents yet.</p>
          ) : (
            <ul
              id={fieldId('agentIds')}
              className="max-h-64 divide-y divide-line overflow-y-auto rounded-md border border-line-strong"
              aria-describedby={agentError ? `${fieldId('agentIds')}-error` : undefined}
            >
              {list.map((agent) => (
                <AgentOption
                  key={agent.id}
                  agent={agent}
                  checked={picked.has(agent.id)}
                  onToggle={() => toggle(agent.id)}
                />
              ))}
            </ul>
          )}
          {agentError && (
            <p id={`${fieldId('agentIds')}-error`} role="alert" className="text-xs text-bad">
              {agentError}
            </p>
          )}
        </div>

        <div className="space-y-4">
          <TextField
            bind={bind}
            name="selector"
            label="Label selector"
            placeholder="region=eu,role=edge"
            mono
            hint="every term must match an agent’s labels"
          />
          <div aria-live="polite">
            <h3 className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">
              Runs on {preview.runs.length} {preview.runs.length === 1 ? 'agent' : 'agents'}
            </h3>
            {preview.runs.length === 0 ? (
              <p className="text-sm text-faint">No agent yet: the check is saved but runs nowhere.</p>
            ) : (
              <ul className="flex flex-wrap gap-1.5" data-testid="assignment-preview">
                {preview.runs.map(({ agent, via }) => (
                  <li
                    key={agent.id}
                    className="rounded border border-line bg-panel-2 px-1.5 py-0.5 text-xs"
                    title={
                      via === 'id' ? 'picked' : via === 'selector' ? 'matched by the selector' : 'picked and matched'
                    }
                  >
                    {agent.name}
                    <span className="ml-1 text-faint">
                      {via === 'id' ? '· picked' : via === 'selector' ? '· labels' : '· both'}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {preview.skipped.length > 0 && (
              <ul className="mt-2 space-y-0.5 text-xs text-warn">
                {preview.skipped.map(({ agent, reason }) => (
                  <li key={agent.id}>
                    Not on {agent.name}: {reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </fieldset>
  );
}

function AgentOption({ agent, checked, onToggle }: { agent: Agent; checked: boolean; onToggle: () => void }) {
  const labels = Object.entries(agent.labels ?? {});
  const id = `check-agent-${agent.id}`;
  return (
    <li className="flex items-start gap-2 px-3 py-2">
      <input id={id} type="checkbox" checked={checked} onChange={onToggle} className="mt-0.5 size-4 accent-accent" />
      <label htmlFor={id} className="min-w-0 flex-1 cursor-pointer">
        <span className="flex flex-wrap items-center gap-2 text-sm">
          {agent.name}
          <StatusBadge status={agent.status} desiredState={agent.desiredState} />
          <span className="font-mono text-[11px] text-faint">{agent.type}</span>
        </span>
        {labels.length > 0 && (
          <span className="mt-0.5 block truncate font-mono text-[11px] text-faint">
            {labels.map(([k, v]) => `${k}=${v}`).join(' ')}
          </span>
        )}
      </label>
    </li>
  );
}
