import type { AgentLocation } from '@nop/protocol';

/** Where an agent runs, in one line: the place, the network in the tooltip with the coordinates. */
export function AgentPlace({ location }: { location: AgentLocation | null | undefined }) {
  if (!location) return <span className="text-faint">—</span>;
  const coords =
    location.latitude !== undefined && location.longitude !== undefined
      ? `${location.latitude.toFixed(2)}, ${location.longitude.toFixed(2)}`
      : null;
  const title = [location.name, location.provider, coords].filter(Boolean).join(' · ');
  return (
    <span className="block min-w-0 truncate" title={title}>
      <span className="text-fg">{location.name}</span>
      {location.provider && <span className="text-faint"> · {location.provider}</span>}
    </span>
  );
}
