import type { CheckType } from '@nop/protocol';
import { memo } from 'react';
import { cn } from '../../lib/cn.ts';
import { headlineOf } from '../../lib/headline.ts';
import { figuresOf } from '../../lib/overviewFigures.ts';
import type { PairRow } from '../../lib/overviewModel.ts';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusMark, toneText } from './StatusMark.tsx';
import { useStateText } from './useStateText.ts';

/**
 * One agent's line on a check card: its state, name, the run's figures (the headline first) and
 * when it ran. Figures of data that is not current are shown in a neutral colour, with the reason.
 */
export const AgentRunRow = memo(function AgentRunRow({
  type,
  checkId,
  pair,
}: {
  type: CheckType;
  checkId: string;
  pair: PairRow;
}) {
  const text = useStateText(pair.state);
  const { status } = pair.state;
  // Figures read as "now" only for current, successful runs; otherwise the reason takes their place.
  const answering = status === 'up' || status === 'degraded';
  const figures = pair.result ? figuresOf(type, pair.result) : [];
  const [headline, ...rest] = figures;
  return (
    <li data-check={`${pair.agentName}/${checkId}`} className="flex min-w-0 items-start gap-2 px-3.5 py-1 text-xs">
      <StatusMark status={pair.state.status} label={text.label} title={text.detail ?? text.label} compact />
      <span className="w-24 shrink-0 truncate text-muted sm:w-28" title={pair.agentName}>
        {pair.agentName}
      </span>
      <span className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-2 whitespace-nowrap">
        <span
          data-testid="latest-latency"
          className={cn('font-mono font-semibold tabular-nums', answering ? 'text-fg' : toneText(status))}
          title={headline?.label}
        >
          {status === 'down' ? 'failed' : (headline?.value ?? headlineOf(type).format(null))}
        </span>
        {answering
          ? rest.map((f) => (
              <span key={f.label} className="truncate text-faint">
                {f.label} <span className="font-mono text-muted tabular-nums">{f.value}</span>
              </span>
            ))
          : text.detail && (
              <span
                className={cn('min-w-0 truncate', status === 'down' ? 'text-bad' : 'text-faint')}
                title={text.detail}
              >
                {text.detail}
              </span>
            )}
      </span>
      {pair.result && (
        <RelativeTime
          iso={pair.result.time}
          className="hidden shrink-0 text-[11px] text-faint tabular-nums sm:inline"
        />
      )}
    </li>
  );
});
