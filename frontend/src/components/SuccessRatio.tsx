import { formatRatio } from '../lib/format.ts';
import { cn } from '../lib/cn.ts';

/** "99.2%" with a thin bar; green at 100%, amber above 95%, red below. */
export function SuccessRatio({ ok, total }: { ok: number; total: number }) {
  const ratio = total > 0 ? ok / total : 0;
  const tone = total === 0 ? 'bg-faint' : ratio === 1 ? 'bg-ok' : ratio >= 0.95 ? 'bg-warn' : 'bg-bad';
  return (
    <div
      className="flex items-center gap-2"
      title={total ? `${ok} of ${total} runs succeeded in the last 15 minutes` : 'No runs yet'}
    >
      <div className="h-1.5 w-14 overflow-hidden rounded-full bg-line">
        <div className={cn('h-full rounded-full', tone)} style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <span className="font-mono text-xs text-muted tabular-nums">{formatRatio(ok, total)}</span>
    </div>
  );
}
