import { useNow } from '../lib/clock.ts';
import { useClockChoice } from '../lib/format.ts';
import { formatTimestamp, formatUntil } from '../lib/relativeTime.ts';

/** "in 3d" (or "expired"), updated every minute; the exact time is in the tooltip. */
export function ExpiresIn({ iso, className }: { iso: string; className?: string }) {
  const now = useNow(60_000);
  useClockChoice(); // the tooltip's clock
  return (
    <time dateTime={iso} title={formatTimestamp(iso)} className={className}>
      {formatUntil(iso, now)}
    </time>
  );
}
