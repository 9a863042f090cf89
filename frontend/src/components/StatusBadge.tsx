import type { Agent } from '@nop/protocol';
import { Badge, type Tone } from './ui/Badge.tsx';

const LOOK: Record<Agent['status'], { tone: Tone; label: string; title: string }> = {
  online: { tone: 'ok', label: 'Online', title: 'Connected and running its checks' },
  stopped: { tone: 'warn', label: 'Stopped', title: 'Connected, checks paused' },
  offline: { tone: 'bad', label: 'Offline', title: 'Not connected to the server' },
  pending: { tone: 'neutral', label: 'Pending', title: 'Has never connected: run its command on a host' },
};

/** Status plus, while an action is under way, where it is heading ("Online → stopping"). */
export function StatusBadge({ status, desiredState }: Pick<Agent, 'status' | 'desiredState'>) {
  const look = LOOK[status];
  const transition =
    status === 'online' && desiredState === 'stopped'
      ? 'stopping…'
      : status === 'stopped' && desiredState === 'running'
        ? 'starting…'
        : null;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge tone={look.tone} dot title={look.title}>
        {look.label}
      </Badge>
      {transition && <span className="text-[11px] text-faint">{transition}</span>}
    </span>
  );
}
