import { naturalCompare } from '../../lib/natural.ts';
import { cn } from '../../lib/cn.ts';

/** Labels as small key=value chips; past `max` the rest is counted ("+2"), all of them in the tooltip. */
export function LabelChips({
  labels,
  max = Infinity,
  className,
}: {
  labels: Readonly<Record<string, string>>;
  max?: number;
  className?: string;
}) {
  const entries = Object.entries(labels).sort(([a], [b]) => naturalCompare(a, b));
  if (entries.length === 0) return null;
  const shown = entries.slice(0, max);
  const all = entries.map(([k, v]) => `${k}=${v}`).join(', ');
  return (
    <span className={cn('inline-flex min-w-0 flex-wrap gap-1', className)} title={all}>
      {shown.map(([k, v]) => (
        <span
          key={k}
          className="max-w-40 truncate rounded bg-panel-2 px-1.5 py-px font-mono text-[10px] text-muted ring-1 ring-line ring-inset"
        >
          {k}={v}
        </span>
      ))}
      {entries.length > shown.length && (
        <span className="px-1 font-mono text-[10px] text-faint">+{entries.length - shown.length}</span>
      )}
    </span>
  );
}
