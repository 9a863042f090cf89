import type { OverviewStatus } from '../../lib/checkState.ts';
import { cn } from '../../lib/cn.ts';

/**
 * A status as a shape plus words, coloured only for current data: down and degraded in their
 * colours, up green, and everything not current (stale, waiting, disabled) neutral. The shape and
 * the text carry the meaning on their own, for colour-blind readers and in print.
 */
const LOOK: Record<OverviewStatus, { glyph: string; tone: string }> = {
  down: { glyph: '✕', tone: 'bg-bad/12 text-bad ring-bad/30' },
  degraded: { glyph: '!', tone: 'bg-warn/12 text-warn ring-warn/30' },
  stale: { glyph: '◌', tone: 'bg-faint/15 text-muted ring-faint/30' },
  waiting: { glyph: '…', tone: 'bg-faint/15 text-muted ring-faint/30' },
  up: { glyph: '✓', tone: 'bg-ok/12 text-ok ring-ok/30' },
  disabled: { glyph: '–', tone: 'bg-faint/15 text-muted ring-faint/30' },
};

/** Text colour of a figure in this status: neutral unless the data is current. */
export const toneText = (status: OverviewStatus): string =>
  status === 'down' ? 'text-bad' : status === 'degraded' ? 'text-warn' : status === 'up' ? 'text-fg' : 'text-faint';

export function StatusMark({
  status,
  label,
  title,
  compact,
}: {
  status: OverviewStatus;
  label: string;
  title?: string;
  /** just the shape (the label stays for screen readers): for the per-agent rows of a card */
  compact?: boolean;
}) {
  const look = LOOK[status];
  return (
    <span
      title={title ?? label}
      className={cn(
        'inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 text-[11px] leading-4 font-medium whitespace-nowrap ring-1 ring-inset',
        look.tone,
      )}
    >
      <span aria-hidden="true" className="w-2.5 text-center font-bold">
        {look.glyph}
      </span>
      {compact ? <span className="sr-only">{label}</span> : label}
    </span>
  );
}
