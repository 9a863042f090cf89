import { useNow } from '../lib/clock.ts';
import { useClockChoice } from '../lib/format.ts';
import { formatRelative, formatTimestamp } from '../lib/relativeTime.ts';

/** "12s ago", re-rendered every second by the shared clock; the exact time is in the tooltip. */
export function RelativeTime({ iso, className }: { iso: string | null | undefined; className?: string }) {
  const now = useNow(1000);
  useClockChoice(); // the tooltip's clock
  return (
    <time dateTime={iso ?? undefined} title={formatTimestamp(iso)} className={className}>
      {formatRelative(iso, now)}
    </time>
  );
}
