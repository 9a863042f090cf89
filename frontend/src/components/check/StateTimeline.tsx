import { rgba } from '../../lib/chartColors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { allChanges, type AgentTimeline, type RunState } from '../../lib/stateTimeline.ts';
import type { CheckChartTheme } from '../../hooks/useCheckChartTheme.ts';

const WORD: Record<RunState, string> = { ok: 'ok', failed: 'failed', partial: 'partly failed' };
const TONE: Record<RunState, 'ok' | 'bad' | 'warn'> = { ok: 'ok', failed: 'bad', partial: 'warn' };
// whole class names, so Tailwind's scanner finds them
const TEXT: Record<RunState, string> = { ok: 'text-ok', failed: 'text-bad', partial: 'text-warn' };

/**
 * Each agent's state over the range as a bar (green ok, red failed, amber partly failed, blank no
 * runs), then the changes themselves, newest first.
 */
export function StateTimeline({
  agents,
  timelines,
  fromMs,
  toMs,
  theme,
  source,
}: {
  agents: ReadonlyArray<{ id: string; name: string }>;
  timelines: ReadonlyMap<string, AgentTimeline>;
  fromMs: number;
  toMs: number;
  theme: CheckChartTheme;
  /** where the states come from, said under the bars */
  source: string;
}) {
  const span = Math.max(1, toMs - fromMs);
  const changes = allChanges(timelines.values());
  const nameOf = new Map(agents.map((a) => [a.id, a.name]));
  return (
    <div className="space-y-3 px-4 py-3">
      <ul className="space-y-2">
        {agents.map((agent) => (
          <li key={agent.id} className="grid grid-cols-[minmax(5rem,9rem)_1fr] items-center gap-3">
            <span className="truncate text-xs text-muted" title={agent.name}>
              {agent.name}
            </span>
            <div
              className="relative h-4 overflow-hidden rounded-sm bg-panel-2"
              role="img"
              aria-label={`States of ${agent.name}: ${(timelines.get(agent.id)?.segments ?? []).map((s) => WORD[s.state]).join(', ') || 'no runs'}`}
            >
              {(timelines.get(agent.id)?.segments ?? []).map((s) => (
                <span
                  key={s.from}
                  title={`${WORD[s.state]}: ${formatDateTime(s.from)} – ${formatDateTime(s.to)} (${s.samples})`}
                  className="absolute inset-y-0"
                  style={{
                    left: `${((s.from - fromMs) / span) * 100}%`,
                    width: `max(2px, ${((s.to - s.from) / span) * 100}%)`,
                    background: rgba(theme.colors[TONE[s.state]], 0.75),
                  }}
                />
              ))}
            </div>
          </li>
        ))}
      </ul>
      <p className="text-[11px] text-faint">{source}</p>
      <div>
        <h3 className="mb-1.5 text-[11px] font-medium tracking-wider text-faint uppercase">
          {changes.length} state {changes.length === 1 ? 'change' : 'changes'}
        </h3>
        {changes.length > 0 && (
          <ul className="max-h-56 space-y-1 overflow-y-auto text-sm" data-testid="state-changes">
            {changes.slice(0, 200).map((c) => (
              <li key={`${c.agentId}-${c.t}`} className="flex flex-wrap items-center gap-x-2">
                <span className="font-mono text-xs text-faint tabular-nums">{formatDateTime(c.t)}</span>
                <span>{nameOf.get(c.agentId) ?? c.agentId}</span>
                <span className={`text-xs ${TEXT[c.from]}`}>{WORD[c.from]}</span>
                <span className="text-xs text-faint">→</span>
                <span className={`text-xs font-medium ${TEXT[c.to]}`}>{WORD[c.to]}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
