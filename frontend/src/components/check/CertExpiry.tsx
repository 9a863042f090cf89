import { formatDateTime } from '../../lib/format.ts';
import type { AgentLatest } from '../../hooks/useCheckLatest.ts';
import { Badge } from '../ui/Badge.tsx';

const DAY_MS = 86_400_000;

/** Days until `expirySeconds` (the agents' ssl_earliest_cert_expiry, epoch seconds) at `nowMs`. */
export const daysLeft = (expirySeconds: number, nowMs: number) => (expirySeconds * 1000 - nowMs) / DAY_MS;

/**
 * TLS certificate expiry as each agent last saw it (the earliest expiry in the chain): days left,
 * red inside a week, amber inside three.
 */
export function CertExpiry({ latest, nowMs }: { latest: readonly AgentLatest[]; nowMs: number }) {
  const rows = latest.filter((l) => l.result?.metrics.ssl_earliest_cert_expiry !== undefined);
  if (rows.length === 0)
    return (
      <p className="text-sm text-muted">No certificate seen yet: the latest runs did not complete a TLS handshake.</p>
    );
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
      {rows.map((l) => {
        const expiry = l.result!.metrics.ssl_earliest_cert_expiry!;
        const days = daysLeft(expiry, nowMs);
        const tone = days < 7 ? 'bad' : days < 21 ? 'warn' : 'ok';
        return (
          <li key={l.agentId} className="rounded-md border border-line bg-panel-2 px-3 py-2">
            <div className="text-xs text-muted">{l.agentName}</div>
            <div className="mt-1 flex items-baseline gap-2">
              <span className="font-mono text-2xl font-semibold tabular-nums" data-testid="tls-days">
                {days < 0 ? 'expired' : `${Math.floor(days)} d`}
              </span>
              <Badge tone={tone}>{days < 0 ? `${Math.ceil(-days)} d ago` : 'left'}</Badge>
            </div>
            <div className="mt-0.5 text-[11px] text-faint">
              expires {formatDateTime(expiry * 1000, { seconds: false })}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
