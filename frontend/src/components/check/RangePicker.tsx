import { useState, type FormEvent } from 'react';
import {
  PRESETS,
  customRange,
  describeRange,
  resolveRange,
  toLocalInput,
  type RangeSpec,
} from '../../lib/checkRange.ts';
import { cn } from '../../lib/cn.ts';
import { formatDateTime, useClockChoice } from '../../lib/format.ts';
import { Button } from '../ui/Button.tsx';
import { Input } from '../ui/Input.tsx';

/**
 * The page's time range: presets that end now (live), or a custom from/to. A drag on any chart
 * lands here as a custom range too; "Live" goes back to the preset of similar length.
 */
export function RangePicker({ range, onChange }: { range: RangeSpec; onChange: (range: RangeSpec) => void }) {
  const [custom, setCustom] = useState(range.kind === 'custom');
  const window = resolveRange(range, Date.now());
  const [from, setFrom] = useState(toLocalInput(window.fromMs));
  const [to, setTo] = useState(toLocalInput(window.toMs));
  const [error, setError] = useState<string | null>(null);
  useClockChoice(); // re-render when the clock preference changes
  const when = (ms: number) => formatDateTime(ms, { seconds: false });

  const openCustom = () => {
    const now = resolveRange(range, Date.now());
    setFrom(toLocalInput(now.fromMs));
    setTo(toLocalInput(now.toMs));
    setError(null);
    setCustom(true);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = customRange(from, to);
    if ('error' in next) return setError(next.error);
    setError(null);
    onChange(next);
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label="Time range" className="flex flex-wrap rounded-md border border-line-strong p-0.5">
          {PRESETS.map((p) => {
            const active = range.kind === 'preset' && range.key === p.key;
            return (
              <button
                key={p.key}
                type="button"
                aria-pressed={active}
                onClick={() => {
                  setCustom(false);
                  onChange({ kind: 'preset', key: p.key });
                }}
                className={cn(
                  'h-7 rounded px-2.5 text-xs whitespace-nowrap transition-colors',
                  active ? 'bg-accent font-semibold text-accent-fg' : 'text-muted hover:bg-panel-2 hover:text-fg',
                )}
              >
                {p.label}
              </button>
            );
          })}
          <button
            type="button"
            aria-pressed={range.kind === 'custom'}
            aria-expanded={custom}
            onClick={() => (custom ? setCustom(false) : openCustom())}
            className={cn(
              'h-7 rounded px-2.5 text-xs transition-colors',
              range.kind === 'custom'
                ? 'bg-accent font-semibold text-accent-fg'
                : 'text-muted hover:bg-panel-2 hover:text-fg',
            )}
          >
            Custom
          </button>
        </div>
        <span className="text-xs text-faint" data-testid="range-label">
          {range.kind === 'preset' ? (
            <>
              <span className="mr-1 inline-block size-1.5 rounded-full bg-ok align-middle" aria-hidden="true" />
              Live · {describeRange(range, when)} · drag on a chart to zoom
            </>
          ) : (
            describeRange(range, when)
          )}
        </span>
      </div>
      {custom && (
        <form onSubmit={apply} className="flex flex-wrap items-end gap-2" noValidate>
          <label className="w-52 space-y-1 text-[11px] font-medium tracking-wide text-muted uppercase">
            <span className="block">From</span>
            <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="w-52 space-y-1 text-[11px] font-medium tracking-wide text-muted uppercase">
            <span className="block">To</span>
            <Input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <Button type="submit" size="md">
            Show
          </Button>
          {error && (
            <p role="alert" className="w-full text-xs text-bad">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
