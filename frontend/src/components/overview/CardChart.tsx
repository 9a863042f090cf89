import type { CheckType } from '@nop/protocol';
import { useMemo } from 'react';
import { useCheckHistory } from '../../hooks/useCheckHistory.ts';
import { useNow } from '../../lib/clock.ts';
import { headlineOf } from '../../lib/headline.ts';
import { buildChartColumns } from '../../lib/liveSeries.ts';
import { useCheckLive } from '../../store/live.ts';
import { LatencyChart } from '../LatencyChart.tsx';
import { Spinner } from '../ui/Spinner.tsx';

const NONE: never[] = [];

/**
 * The last 15 minutes of one agent's runs of a check (history, then live points). Only cards on
 * screen mount it, so only they fetch history.
 */
export function CardChart({
  type,
  checkId,
  agentId,
  agentName,
}: {
  type: CheckType;
  checkId: string;
  agentId: string;
  agentName: string;
}) {
  const headline = headlineOf(type);
  const history = useCheckHistory(agentId, checkId, headline.metric);
  const live = useCheckLive(agentId, checkId);
  // The window slides every 5 s; finer would redraw every chart every second for no visible gain.
  const now = useNow(5000);
  const hist = history.data ?? NONE;
  const points = live?.points ?? NONE;
  const columns = useMemo(() => buildChartColumns(hist, points, now), [hist, points, now]);

  return (
    <div className="relative px-1.5" aria-hidden="true">
      <LatencyChart columns={columns} nowMs={now} height={84} axis={headline.axis} />
      {columns.xs.length === 0 && (
        <div className="absolute inset-0 grid place-items-center text-xs text-faint">
          {history.isPending ? (
            <span className="inline-flex items-center gap-2">
              <Spinner className="size-3.5" /> Loading history…
            </span>
          ) : (
            `No runs from ${agentName} in the last 15 minutes`
          )}
        </div>
      )}
    </div>
  );
}
