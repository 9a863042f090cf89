import { formatTime, useClockChoice } from '../../lib/format.ts';
import { useLive } from '../../store/live.ts';
import { Alert } from '../ui/Alert.tsx';

/**
 * Says, above everything, that what the overview shows is not live while the stream is down: every
 * check turns stale at the same time, and this is why.
 */
export function StreamNotice() {
  const connection = useLive((s) => s.connection);
  const downSince = useLive((s) => s.downSince);
  useClockChoice();
  if (connection !== 'reconnecting') return null;
  return (
    <Alert tone="info">
      No live data{downSince === null ? '' : ` since ${formatTime(downSince, { seconds: false })}`}: the connection to
      the server dropped. Every check shows as stale until it is back; the page catches up by itself.
    </Alert>
  );
}
