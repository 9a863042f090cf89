import type { Check } from '@nop/protocol';
import type { ReactNode } from 'react';
import { formatInterval } from '../../lib/format.ts';
import { rgba } from '../../lib/chartColors.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';
import { StatusBadge } from '../StatusBadge.tsx';
import { Badge } from '../ui/Badge.tsx';

const VIA: Record<Check['agents'][number]['via'], string> = {
  id: 'picked',
  selector: 'by selector',
  both: 'picked and by selector',
};

/**
 * What the check is and where it runs: type, id, target, schedule, labels, enabled state and the
 * agents running it (each with its status and chart colour, so the charts below read without a key).
 */
export function CheckHeader({ check, theme, actions }: { check: Check; theme: CheckChartTheme; actions: ReactNode }) {
  const labels = Object.entries(check.labels ?? {});
  return (
    <section aria-label="Check" className="space-y-3 rounded-lg border border-line bg-panel px-4 py-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone="accent">{check.type.toUpperCase()}</Badge>
            <h1 className="min-w-0 truncate font-mono text-lg font-semibold" title={check.id}>
              {check.id}
            </h1>
            {check.enabled ? (
              <Badge tone="ok" dot>
                Enabled
              </Badge>
            ) : (
              <Badge tone="warn" dot title="Agents do not run it until it is enabled again">
                Disabled
              </Badge>
            )}
          </div>
          <p className="mt-1 truncate font-mono text-sm text-muted" title={check.target}>
            {check.target}
          </p>
          <p className="mt-0.5 text-xs text-faint">
            every {formatInterval(check.interval)} · timeout {formatInterval(check.timeout)}
            {check.selector ? (
              <>
                {' '}
                · selector <span className="font-mono text-muted">{check.selector}</span>
              </>
            ) : null}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2 sm:justify-end">{actions}</div>
      </div>

      {labels.length > 0 && (
        <ul aria-label="Labels" className="flex flex-wrap gap-1.5">
          {labels.map(([key, value]) => (
            <li
              key={key}
              className="rounded border border-line bg-panel-2 px-1.5 py-0.5 font-mono text-[11px] text-muted"
            >
              {key}={value}
            </li>
          ))}
        </ul>
      )}

      <div>
        <h2 className="mb-1.5 text-[11px] font-medium tracking-wider text-faint uppercase">
          Runs on {check.agents.length} {check.agents.length === 1 ? 'agent' : 'agents'}
        </h2>
        {check.agents.length === 0 ? (
          <p className="text-sm text-muted">
            No agent runs this check: pick agents or give a selector that matches agents’ labels.
          </p>
        ) : (
          <ul aria-label="Agents running the check" className="flex flex-wrap gap-x-5 gap-y-2">
            {check.agents.map((agent) => (
              <li key={agent.id} className="flex items-center gap-2 text-sm" data-agent={agent.name}>
                <span
                  aria-hidden="true"
                  className="inline-block size-2.5 rounded-full"
                  style={{ background: rgba(theme.agentColor(agent.id)) }}
                />
                <span className="font-medium">{agent.name}</span>
                <StatusBadge status={agent.status} desiredState={agent.status === 'stopped' ? 'stopped' : 'running'} />
                <span className="text-[11px] text-faint">{VIA[agent.via]}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
