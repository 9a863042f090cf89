import type { Agent, CheckSpec } from '@nop/protocol';
import { useMemo, useState } from 'react';
import { useCheckHistory } from '../hooks/useCheckHistory.ts';
import { cn } from '../lib/cn.ts';
import { useNow } from '../lib/clock.ts';
import { checkState, type CheckHealth } from '../lib/checkState.ts';
import { formatInterval } from '../lib/format.ts';
import { headlineOf } from '../lib/headline.ts';
import { routeSummary } from '../lib/routeSummary.ts';
import { buildChartColumns, latestLatency, successCounts } from '../lib/liveSeries.ts';
import { useCheckLive } from '../store/live.ts';
import { LatencyChart, type HoverPoint } from './LatencyChart.tsx';
import { RelativeTime } from './RelativeTime.tsx';
import { SuccessRatio } from './SuccessRatio.tsx';
import { Badge, type Tone } from './ui/Badge.tsx';
import { Spinner } from './ui/Spinner.tsx';

const NONE: never[] = [];

const HEALTH: Record<CheckHealth, { tone: Tone; label: string }> = {
  ok: { tone: 'ok', label: 'OK' },
  failing: { tone: 'bad', label: 'Failing' },
  waiting: { tone: 'neutral', label: 'Waiting' },
  paused: { tone: 'warn', label: 'Paused' },
  offline: { tone: 'neutral', label: 'Agent offline' },
};

/** What an empty chart says, by agent status: the reason there is nothing to draw. */
const EMPTY_TEXT: Record<Agent['status'], string> = {
  online: 'Waiting for the first result…',
  pending: 'Waiting for the agent to connect…',
  stopped: 'The agent is stopped; start it to see results.',
  offline: 'The agent is offline; results resume when it reconnects.',
};

/** One check: live chart of its headline value (latency, or throughput), the last value, health with the last error, and success ratio. */
export function CheckCard({ agent, check }: { agent: Agent; check: CheckSpec }) {
  const headline = headlineOf(check.type);
  const history = useCheckHistory(agent.id, check.id, headline.metric);
  const live = useCheckLive(agent.id, check.id);
  // The window slides every 5 s; finer would redraw every chart every second for no visible gain.
  const now = useNow(5000);
  const [hover, setHover] = useState<HoverPoint | null>(null);

  // Stable empty arrays, so the memos below don't recompute on every render while there is no data.
  const hist = history.data ?? NONE;
  const points = live?.points ?? NONE;
  const columns = useMemo(() => buildChartColumns(hist, points, now), [hist, points, now]);
  const counts = useMemo(() => successCounts(hist, points, now), [hist, points, now]);
  const state = checkState(agent.status, live?.last, hist, points);
  const latest = latestLatency(hist, points);
  const empty = columns.xs.length === 0;

  return (
    <article
      data-check={`${agent.name}/${check.id}`}
      className={cn(
        'flex min-w-0 flex-col rounded-lg border bg-panel transition-colors',
        state.health === 'failing' ? 'border-bad/40' : 'border-line',
      )}
    >
      <header className="flex items-start gap-2 px-3.5 pt-3">
        <div className="min-w-0 flex-1">
          <div className="flex min-w-0 items-center gap-1.5 text-xs text-muted">
            <span className="truncate">{agent.name}</span>
            <span className="text-faint">/</span>
            <span className="truncate font-mono text-fg">{check.id}</span>
          </div>
          <div className="mt-0.5 truncate font-mono text-[13px] text-fg" title={check.target}>
            {check.target}
          </div>
        </div>
        <div className="flex shrink-0 flex-col items-end gap-1">
          <Badge tone={HEALTH[state.health].tone} dot>
            {HEALTH[state.health].label}
          </Badge>
          <span className="font-mono text-[10px] tracking-wider text-faint uppercase">
            {check.type} · {formatInterval(check.interval)}
          </span>
        </div>
      </header>

      <div className="flex items-baseline gap-2 px-3.5 pt-2">
        <span
          data-testid="latest-latency"
          className={cn('font-mono text-xl font-semibold tabular-nums', latest === null ? 'text-faint' : 'text-fg')}
        >
          {hover ? (hover.failed ? 'failed' : headline.format(hover.latency)) : headline.format(latest)}
        </span>
        <span className="text-xs text-faint">
          {hover ? (
            new Date(hover.t * 1000).toLocaleTimeString()
          ) : state.lastTime ? (
            <RelativeTime iso={state.lastTime} />
          ) : null}
        </span>
      </div>

      <div className="relative px-1.5">
        <LatencyChart columns={columns} nowMs={now} onHover={setHover} axis={headline.axis} />
        {empty && (
          <div className="absolute inset-0 grid place-items-center text-xs text-faint">
            {history.isPending ? (
              <span className="inline-flex items-center gap-2">
                <Spinner className="size-3.5" /> Loading history…
              </span>
            ) : (
              EMPTY_TEXT[agent.status]
            )}
          </div>
        )}
      </div>

      <footer className="mt-auto flex items-center gap-3 border-t border-line px-3.5 py-2">
        <p
          className={cn('min-w-0 flex-1 truncate text-xs', state.error ? 'text-red-300' : 'text-faint')}
          title={state.error ?? undefined}
        >
          {state.error ??
            (state.health === 'failing'
              ? 'Last run failed'
              : history.isError
                ? 'History unavailable; showing live results only'
                : (routeSummary(live?.last) ?? 'Success rate, last 15 min'))}
        </p>
        <SuccessRatio ok={counts.ok} total={counts.total} />
      </footer>
    </article>
  );
}
