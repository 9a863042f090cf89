import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import { checkPagePath } from '../../lib/checkPaths.ts';
import { cn } from '../../lib/cn.ts';
import { formatMs } from '../../lib/format.ts';
import { headlineOf } from '../../lib/headline.ts';
import { formatLoss } from '../../lib/overviewFigures.ts';
import { rowAccessibleName } from '../../lib/overviewLabel.ts';
import type { CheckRow } from '../../lib/overviewModel.ts';
import { navigate } from '../../lib/router.ts';
import { Link } from '../Link.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { LabelChips } from './LabelChips.tsx';
import { StatusMark, toneText } from './StatusMark.tsx';
import { useStateText } from './useStateText.ts';

/** The table's columns per breakpoint; narrower screens drop type, target, loss, last result and labels. */
export const GRID =
  'grid grid-cols-[6.5rem_minmax(0,1fr)_3rem_4.5rem] ' +
  'sm:grid-cols-[7.5rem_minmax(0,1fr)_4.5rem_5rem_4rem] ' +
  'md:grid-cols-[8rem_minmax(0,1fr)_5rem_4.5rem_5rem_4rem_6rem] ' +
  'lg:grid-cols-[8.5rem_minmax(0,1.2fr)_5rem_minmax(0,1fr)_4.5rem_5rem_4rem_6rem] ' +
  'xl:grid-cols-[8.5rem_minmax(0,1.2fr)_5rem_minmax(0,1fr)_4.5rem_5rem_4rem_6rem_minmax(0,1fr)]';

const TD = 'min-w-0 truncate px-2';

/** One check (or one check on one agent): the row itself is the link to the check's page. */
export const CheckTableRow = memo(function CheckTableRow({
  row,
  line,
  rowIndex,
}: {
  row: CheckRow;
  /** the line of the virtual list, for arrow-key moves */
  line: number;
  rowIndex: number;
}) {
  const { check, state } = row;
  const text = useStateText(state);
  const href = checkPagePath(check.id);
  const current = state.status === 'up' || state.status === 'degraded' || state.status === 'down';
  const open = (e: MouseEvent | KeyboardEvent) => {
    if ('key' in e && e.key !== 'Enter') return;
    // the check name inside is a real link: let it handle its own clicks (new tab with ctrl/cmd)
    if ((e.target as HTMLElement).closest('a')) return;
    e.preventDefault();
    navigate(href);
  };
  const headline =
    row.latency !== null
      ? formatMs(row.latency)
      : check.type === 'interface' && current
        ? headlineOf('interface').format(
            headlineOf('interface').pick(row.pairs[0]?.result ?? { durationMs: null, metrics: {} }),
          )
        : '—';
  const lastIso = row.lastTime === null ? null : new Date(row.lastTime).toISOString();

  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-label={rowAccessibleName(row, text)}
      tabIndex={0}
      data-line={line}
      data-check-id={check.id}
      onClick={open}
      onKeyDown={open}
      className={cn(
        GRID,
        'h-11 cursor-pointer items-center border-b border-line px-2 text-sm transition-colors hover:bg-panel-2/60',
        'focus-visible:bg-panel-2 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent',
      )}
    >
      <span role="cell" className="min-w-0 px-2">
        <StatusMark status={state.status} label={text.label} title={text.detail} />
      </span>
      <span role="cell" className="min-w-0 px-2 leading-tight">
        <Link href={href} tabIndex={-1} className="block truncate font-mono text-[13px] text-fg hover:underline">
          {check.id}
        </Link>
        <span
          className={cn('block truncate text-[11px]', state.status === 'down' ? 'text-bad' : 'text-faint')}
          title={text.detail ?? check.target}
        >
          {text.detail ?? <span className="lg:hidden">{check.target}</span>}
        </span>
      </span>
      <span role="cell" className={`${TD} hidden font-mono text-xs text-muted md:block`}>
        {check.type}
      </span>
      <span role="cell" className={`${TD} hidden font-mono text-xs text-muted lg:block`} title={check.target}>
        {check.target}
      </span>
      <span
        role="cell"
        className={`${TD} text-right font-mono text-xs tabular-nums ${state.up < state.total ? 'text-fg' : 'text-muted'}`}
        title={`${state.up} of ${state.total} agents up`}
      >
        {state.up}/{state.total}
      </span>
      <span
        role="cell"
        className={cn(TD, 'text-right font-mono text-xs tabular-nums', current ? toneText('up') : 'text-faint')}
      >
        {headline}
      </span>
      <span
        role="cell"
        className={cn(
          TD,
          'hidden text-right font-mono text-xs tabular-nums sm:block',
          row.loss ? toneText(state.status) : 'text-faint',
        )}
      >
        {formatLoss(row.loss)}
      </span>
      <span role="cell" className={`${TD} hidden text-xs text-muted tabular-nums md:block`}>
        {lastIso ? <RelativeTime iso={lastIso} /> : '—'}
      </span>
      <span role="cell" className={`${TD} hidden xl:block`}>
        <LabelChips labels={check.labels} max={3} className="flex-nowrap overflow-hidden" />
      </span>
    </div>
  );
});
