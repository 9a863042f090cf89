import { SEVERITY, statusLabel, type OverviewStatus } from '../../lib/checkState.ts';
import type { RowGroup } from '../../lib/overviewView.ts';

const ORDER = (Object.keys(SEVERITY) as OverviewStatus[]).sort((a, b) => SEVERITY[a] - SEVERITY[b]);
const TONE: Partial<Record<OverviewStatus, string>> = { down: 'text-bad', degraded: 'text-warn' };

/** A group's title and its counts per state, worst first ("3 down · 1 stale · 40 up"). */
export function GroupHeading({ group }: { group: RowGroup }) {
  return (
    <div className="flex min-w-0 items-baseline gap-3 pt-3 pb-1.5">
      <h3 className="truncate font-mono text-sm font-semibold text-fg">{group.title}</h3>
      <p className="flex flex-wrap gap-x-2 text-xs text-faint">
        {ORDER.filter((s) => group.counts[s] > 0).map((s) => (
          <span key={s} className={TONE[s]}>
            {group.counts[s]} {statusLabel(s).toLowerCase()}
          </span>
        ))}
      </p>
    </div>
  );
}
