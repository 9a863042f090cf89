import { useNow } from '../lib/clock.ts';
import { cn } from '../lib/cn.ts';
import { useLive } from '../store/live.ts';

/** Header pill: is the live stream flowing? Green "Live", or amber pulsing "Reconnecting in 4s" counting down. */
export function ConnectionIndicator() {
  const connection = useLive((s) => s.connection);
  const retryAt = useLive((s) => s.retryAt);
  const live = connection === 'live';

  return (
    <span
      role="status"
      aria-live="polite"
      title={
        live ? 'Receiving results as they happen' : 'Live updates paused; the page catches up when the stream is back'
      }
      className={cn(
        'inline-flex items-center gap-2 rounded-full border px-2.5 py-1 text-xs font-medium whitespace-nowrap',
        live ? 'border-ok/30 bg-ok/10 text-ok' : 'border-warn/30 bg-warn/10 text-warn',
      )}
    >
      <span className="relative flex size-2">
        {/* Pulse only while something is wrong: a calm screen when all is well. */}
        {!live && <span className="absolute inline-flex size-full animate-ping rounded-full bg-current opacity-60" />}
        <span className="relative inline-flex size-2 rounded-full bg-current" />
      </span>
      {live ? 'Live' : connection === 'reconnecting' ? <Reconnecting retryAt={retryAt} /> : 'Connecting…'}
    </span>
  );
}

/** Its own component so only this text re-renders every second while waiting. */
function Reconnecting({ retryAt }: { retryAt: number | null }) {
  const now = useNow(1000);
  const seconds = retryAt ? Math.ceil((retryAt - now) / 1000) : 0;
  return <>{seconds > 0 ? `Reconnecting in ${seconds}s` : 'Reconnecting…'}</>;
}
