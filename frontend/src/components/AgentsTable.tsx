import type { Agent } from '@nop/protocol';
import { useState } from 'react';
import { useAgentPermissions } from '../hooks/usePermissions.ts';
import { AgentActions } from './AgentActions.tsx';
import { AgentMetaDialog } from './agents/AgentMetaDialog.tsx';
import { AgentPlace } from './agents/AgentPlace.tsx';
import { LabelChips } from './overview/LabelChips.tsx';
import { DeleteAgentButton } from './DeleteAgentButton.tsx';
import { EditChecksDialog } from './EditChecksDialog.tsx';
import { LockIcon } from './icons.tsx';
import { RelativeTime } from './RelativeTime.tsx';
import { clockSkewText } from '../lib/clockSkew.ts';
import { StatusBadge } from './StatusBadge.tsx';

const TH = 'px-2 py-2 text-[11px] font-medium tracking-wider text-faint uppercase sm:px-3';
const TD = 'px-2 py-2 align-middle sm:px-3';

/**
 * One row per agent; columns that matter least drop out on narrow screens. Rows the user may not
 * change (viewers; editors on others' agents) show a lock saying why instead of the controls.
 */
export function AgentsTable({ agents }: { agents: Agent[] }) {
  const permissions = useAgentPermissions();
  // One dialog for the table, fed the live agent record so status changes show while it is open.
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = agents.find((a) => a.id === editingId) ?? null;
  const [metaId, setMetaId] = useState<string | null>(null);
  const editingMeta = agents.find((a) => a.id === metaId) ?? null;
  const checksLabel = (a: Agent) => `${a.config.checks.length} ${a.config.checks.length === 1 ? 'check' : 'checks'}`;

  return (
    <div className="overflow-x-auto">
      <EditChecksDialog agent={editing} onClose={() => setEditingId(null)} />
      <AgentMetaDialog agent={editingMeta} onClose={() => setMetaId(null)} />
      <table className="w-full min-w-[340px] border-collapse text-sm">
        <thead className="border-b border-line bg-panel-2/50">
          <tr>
            <th className={`${TH} text-left`}>Name</th>
            <th className={`${TH} hidden text-left md:table-cell`}>Type</th>
            <th className={`${TH} text-left`}>Status</th>
            <th className={`${TH} hidden text-left lg:table-cell`}>Labels</th>
            <th className={`${TH} hidden text-left lg:table-cell`}>Location</th>
            <th className={`${TH} hidden text-left sm:table-cell`}>Last seen</th>
            <th className={`${TH} hidden text-right md:table-cell`}>Checks</th>
            <th className={`${TH} text-right`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {agents.map((agent) => {
            const change = permissions.change(agent);
            return (
              <tr key={agent.id} className="transition-colors hover:bg-panel-2/60">
                <td className={TD}>
                  <div className="flex min-w-0 items-center gap-2">
                    <span className="truncate font-medium text-fg">{agent.name}</span>
                    {agent.managed && (
                      <span className="rounded bg-panel-2 px-1 text-[10px] tracking-wider text-faint uppercase ring-1 ring-line">
                        managed
                      </span>
                    )}
                  </div>
                  <div className="font-mono text-[11px] text-faint md:hidden">
                    {agent.type} ·{' '}
                    {change.allowed ? (
                      <button
                        type="button"
                        className="underline decoration-dotted underline-offset-2"
                        onClick={() => setEditingId(agent.id)}
                      >
                        {checksLabel(agent)}
                      </button>
                    ) : (
                      checksLabel(agent)
                    )}
                    <span className="sm:hidden">
                      {' · '}
                      <RelativeTime iso={agent.lastSeen} />
                    </span>
                  </div>
                  {/* labels and location get columns of their own on wide screens */}
                  <div className="mt-0.5 flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1 text-[11px] lg:hidden">
                    {agent.location && <AgentPlace location={agent.location} />}
                    <LabelChips labels={agent.labels ?? {}} max={3} />
                    {change.allowed && (
                      <button
                        type="button"
                        className="text-muted underline decoration-dotted underline-offset-2 hover:text-accent"
                        onClick={() => setMetaId(agent.id)}
                        aria-label={`Edit labels & location of ${agent.name}`}
                      >
                        labels &amp; location
                      </button>
                    )}
                  </div>
                </td>
                <td className={`${TD} hidden font-mono text-xs text-muted md:table-cell`}>{agent.type}</td>
                <td className={TD}>
                  <StatusBadge status={agent.status} desiredState={agent.desiredState} />
                </td>
                <td className={`${TD} hidden max-w-64 lg:table-cell`}>
                  <div className="flex min-w-0 items-center gap-1.5">
                    <LabelChips labels={agent.labels ?? {}} max={4} />
                    {change.allowed && (
                      <button
                        type="button"
                        onClick={() => setMetaId(agent.id)}
                        title={`Edit the labels and location of ${agent.name}`}
                        aria-label={`Edit labels & location of ${agent.name}`}
                        className="shrink-0 rounded px-1.5 py-0.5 text-xs text-faint hover:bg-panel-2 hover:text-accent"
                      >
                        edit
                      </button>
                    )}
                    {!change.allowed && !Object.keys(agent.labels ?? {}).length && (
                      <span className="text-faint">—</span>
                    )}
                  </div>
                </td>
                <td className={`${TD} hidden max-w-56 text-xs lg:table-cell`}>
                  <AgentPlace location={agent.location} />
                </td>
                <td className={`${TD} hidden text-xs text-muted tabular-nums sm:table-cell`}>
                  <RelativeTime iso={agent.lastSeen} />
                  <ClockSkew skewMs={agent.clockSkewMs} />
                </td>
                <td className={`${TD} hidden text-right md:table-cell`}>
                  {change.allowed ? (
                    <button
                      type="button"
                      onClick={() => setEditingId(agent.id)}
                      title={`Edit the checks of ${agent.name}`}
                      className="rounded px-1.5 py-0.5 font-mono text-xs text-muted tabular-nums hover:bg-panel-2 hover:text-accent"
                    >
                      {agent.config.checks.length} <span className="text-faint">edit</span>
                    </button>
                  ) : (
                    <span className="px-1.5 font-mono text-xs text-muted tabular-nums">
                      {agent.config.checks.length}
                    </span>
                  )}
                </td>
                <td className={`${TD} text-right`}>
                  {change.allowed ? (
                    <div className="flex items-center justify-end sm:gap-1">
                      <AgentActions agent={agent} />
                      <DeleteAgentButton agent={agent} />
                    </div>
                  ) : (
                    <span className="inline-grid size-7 place-items-center text-faint" title={change.reason}>
                      <LockIcon />
                      <span className="sr-only">Read only: {change.reason}</span>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Beyond 2 s, an agent's clock is worth a word: its results' times are off by as much. */
function ClockSkew({ skewMs }: { skewMs: number | null | undefined }) {
  const text = clockSkewText(skewMs);
  if (!text) return null;
  return (
    <div className="text-[11px] text-warn" title="the agent's clock minus the backend's, when it last sent results">
      {text}
    </div>
  );
}
