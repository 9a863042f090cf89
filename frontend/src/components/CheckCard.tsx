import { lazy, memo, Suspense } from 'react';
import { checkPagePath } from '../lib/checkPaths.ts';
import { SEVERITY } from '../lib/checkState.ts';
import { cn } from '../lib/cn.ts';
import { formatInterval } from '../lib/format.ts';
import { rowAccessibleName } from '../lib/overviewLabel.ts';
import type { CheckRow, PairRow } from '../lib/overviewModel.ts';
import { Link } from './Link.tsx';
import { AgentRunRow } from './overview/AgentRunRow.tsx';
import { LabelChips } from './overview/LabelChips.tsx';
import { StatusMark } from './overview/StatusMark.tsx';
import { useStateText } from './overview/useStateText.ts';

// Loaded apart (uPlot is the largest piece of the page): the table view never needs it, and cards
// show their figures while it loads.
const CardChart = lazy(() => import('./overview/CardChart.tsx').then((m) => ({ default: m.CardChart })));

/** More agents than this collapse into "+n more": a card stays a glance, the check page lists them all. */
const MAX_AGENT_ROWS = 4;

const BORDER: Partial<Record<CheckRow['state']['status'], string>> = {
  down: 'border-bad/50',
  degraded: 'border-warn/50',
};

/** The agent the chart follows: the one in the worst state, so a card in trouble charts the trouble. */
const leadPair = (pairs: readonly PairRow[]): PairRow | undefined =>
  pairs.reduce<PairRow | undefined>(
    (lead, p) => (!lead || SEVERITY[p.state.status] < SEVERITY[lead.state.status] ? p : lead),
    undefined,
  );

/**
 * One check: its state over all agents (with why and since when), a chart of the agent in the
 * worst state, and a line per agent with its figures. The whole card is one link to the check's
 * page: Tab reaches it, Enter opens it, its name says what the card shows.
 */
export const CheckCard = memo(function CheckCard({ row }: { row: CheckRow }) {
  const { check, state, pairs } = row;
  const text = useStateText(state);
  const lead = leadPair(pairs);
  const hidden = pairs.length - MAX_AGENT_ROWS;

  return (
    <Link
      href={checkPagePath(check.id)}
      // the name comes from what the card shows; this summary is its description (and tooltip)
      title={rowAccessibleName(row, text)}
      data-check-id={check.id}
      className={cn(
        'flex h-full min-w-0 flex-col rounded-lg border bg-panel text-left transition-colors hover:border-line-strong',
        'focus-visible:ring-2 focus-visible:ring-accent focus-visible:outline-none',
        BORDER[state.status] ?? 'border-line',
      )}
    >
      <div className="flex items-start gap-2 px-3.5 pt-3">
        <div className="min-w-0 flex-1">
          <div className="truncate font-mono text-[13px] font-medium text-fg">{check.id}</div>
          <div className="truncate font-mono text-xs text-muted" title={check.target}>
            {check.target}
          </div>
        </div>
        <div className="flex shrink-0 flex-col items-end gap-1">
          <StatusMark status={state.status} label={text.label} title={text.detail} />
          <span className="font-mono text-[10px] tracking-wider text-faint uppercase">
            {check.type} · {formatInterval(check.interval)}
          </span>
        </div>
      </div>
      <div className="flex min-h-5 flex-wrap items-center gap-x-2 gap-y-1 px-3.5 pt-1 text-xs">
        {text.detail && (
          <span className={cn('min-w-0 truncate', state.status === 'down' ? 'text-bad' : 'text-muted')}>
            {text.detail}
          </span>
        )}
        <LabelChips labels={check.labels} max={3} />
      </div>
      {lead && (
        <Suspense fallback={<div className="h-[84px]" />}>
          <CardChart type={check.type} checkId={check.id} agentId={lead.agentId} agentName={lead.agentName} />
        </Suspense>
      )}
      <ul className="mt-auto border-t border-line py-1">
        {pairs.length === 0 && <li className="px-3.5 py-1 text-xs text-faint">No agent runs this check.</li>}
        {pairs.slice(0, MAX_AGENT_ROWS).map((pair) => (
          <AgentRunRow key={pair.key} type={check.type} checkId={check.id} pair={pair} />
        ))}
        {hidden > 0 && (
          <li className="px-3.5 py-1 text-xs text-faint">
            +{hidden} more {hidden === 1 ? 'agent' : 'agents'} ({state.up} of {state.total} up)
          </li>
        )}
      </ul>
    </Link>
  );
});
