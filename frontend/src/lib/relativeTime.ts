import { formatDateTime } from './format.ts';

/**
 * "Last seen" wording. Seconds matter for an agent heartbeat, so the first minute counts seconds;
 * after that precision would be noise. Future times (clock skew between hosts) read as "just now".
 */
export function formatRelative(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'unknown';
  const seconds = Math.floor((nowMs - then) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours}h ${rest}m ago` : `${hours}h ago`;
  }
  const days = Math.floor(hours / 24);
  return `${days}d ago`;
}

/** Full local timestamp for tooltips next to a relative time, in the user's clock (lib/format.ts). */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return 'Never seen';
  return Number.isNaN(Date.parse(iso)) ? iso : formatDateTime(iso);
}

/** Time left until an expiry: "in 45m", "in 3h", "in 6d"; "expired" once it has passed. */
export function formatUntil(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'unknown';
  const minutes = Math.floor((then - nowMs) / 60_000);
  if (then <= nowMs) return 'expired';
  if (minutes < 1) return 'in under a minute';
  if (minutes < 60) return `in ${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours}h`;
  return `in ${Math.floor(hours / 24)}d`;
}
