import { memo, type ReactNode } from 'react';
import type { OverviewStatus } from '../../lib/checkState.ts';
import { checkPagePath } from '../../lib/checkPaths.ts';
import { cn } from '../../lib/cn.ts';
import { formatMs } from '../../lib/format.ts';
import { formatLoss } from '../../lib/overviewFigures.ts';
import type { OverviewSummary, Worst } from '../../lib/overviewSummary.ts';
import type { StatusFilter } from '../../lib/overviewUrl.ts';
import { Link } from '../Link.tsx';

const TILES: Array<{ status: Exclude<StatusFilter, 'all'>; label: string; tone: string; glyph: string }> = [
  { status: 'down', label: 'down', tone: 'text-bad', glyph: '✕' },
  { status: 'degraded', label: 'degraded', tone: 'text-warn', glyph: '!' },
  { status: 'stale', label: 'stale', tone: 'text-muted', glyph: '◌' },
  { status: 'up', label: 'up', tone: 'text-ok', glyph: '✓' },
];

/**
 * The overview at a glance: checks per state (each a button that filters the list to it), agents
 * online and offline, and the worst latency and loss right now with where they are. A count that
 * is zero is drawn quietly, so the eye goes to what is wrong.
 */
export const OverviewHeader = memo(function OverviewHeader({
  summary,
  status,
  onStatus,
}: {
  summary: OverviewSummary;
  status: StatusFilter;
  onStatus: (status: StatusFilter) => void;
}) {
  const { checks, agents } = summary;
  const other = checks.waiting + checks.disabled;
  return (
    <section aria-label="Summary" className="grid gap-2 lg:grid-cols-2">
      <div className="grid grid-cols-4 gap-2">
        {TILES.map((tile) => {
          const n = checks[tile.status as OverviewStatus];
          const pressed = status === tile.status;
          return (
            <button
              key={tile.status}
              type="button"
              aria-pressed={pressed}
              onClick={() => onStatus(pressed ? 'all' : tile.status)}
              title={pressed ? 'Show every check' : `Show only the checks that are ${tile.label}`}
              className={cn(
                'flex min-w-0 flex-col items-start rounded-lg border bg-panel px-3 py-2 text-left transition-colors hover:border-line-strong',
                'focus-visible:ring-2 focus-visible:ring-accent focus-visible:outline-none',
                pressed ? 'border-accent' : 'border-line',
              )}
            >
              <span className={cn('font-mono text-xl font-semibold tabular-nums', n > 0 ? tile.tone : 'text-faint')}>
                <span aria-hidden="true" className="mr-1 text-sm">
                  {tile.glyph}
                </span>
                {n}
              </span>
              <span className="truncate text-xs text-muted">
                {/* always in the accessible name ("3 checks down"), on screen from sm up */}
                <span className="sr-only sm:not-sr-only">{n === 1 ? 'check' : 'checks'} </span>
                {tile.label}
              </span>
            </button>
          );
        })}
      </div>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Tile label="agents online" value={`${agents.online} / ${summary.totalAgents}`} tone="text-fg">
          {agents.stopped > 0 && <span>{agents.stopped} stopped</span>}
          {agents.pending > 0 && <span>{agents.pending} pending</span>}
        </Tile>
        <Tile
          label="agents offline"
          value={String(agents.offline)}
          tone={agents.offline > 0 ? 'text-bad' : 'text-faint'}
        />
        <WorstTile label="worst latency now" worst={summary.worstLatency} format={formatMs} />
        <WorstTile label="worst loss now" worst={summary.worstLoss} format={formatLoss} />
      </div>
      {other > 0 && (
        <p className="text-xs text-faint lg:col-span-2">
          {[
            checks.waiting && `${checks.waiting} waiting for a first result`,
            checks.disabled && `${checks.disabled} disabled`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
    </section>
  );
});

function Tile({ label, value, tone, children }: { label: string; value: string; tone: string; children?: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col rounded-lg border border-line bg-panel px-3 py-2">
      <span className={cn('font-mono text-xl font-semibold tabular-nums', tone)}>{value}</span>
      <span className="text-xs text-muted">{label}</span>
      {children && <span className="flex gap-2 text-[11px] text-faint">{children}</span>}
    </div>
  );
}

function WorstTile({ label, worst, format }: { label: string; worst: Worst | null; format: (v: number) => string }) {
  const body = (
    <>
      <span className={cn('font-mono text-xl font-semibold tabular-nums', worst ? 'text-fg' : 'text-faint')}>
        {worst ? format(worst.value) : '—'}
      </span>
      <span className="text-xs text-muted">{label}</span>
      {worst && (
        <span className="truncate font-mono text-[11px] text-faint" title={`${worst.checkId} from ${worst.agentName}`}>
          {worst.checkId} · {worst.agentName}
        </span>
      )}
    </>
  );
  const box = 'flex min-w-0 flex-col rounded-lg border border-line bg-panel px-3 py-2';
  if (!worst) return <div className={box}>{body}</div>;
  return (
    <Link
      href={checkPagePath(worst.checkId)}
      // named by what it shows ("12 ms worst latency now tcp-backend · local"), so speech matches sight
      className={cn(
        box,
        'hover:border-line-strong focus-visible:ring-2 focus-visible:ring-accent focus-visible:outline-none',
      )}
    >
      {body}
    </Link>
  );
}
