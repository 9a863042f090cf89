import type { ReactNode } from 'react';
import { cn } from '../../lib/cn.ts';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'accent';

const TONES: Record<Tone, string> = {
  ok: 'bg-ok/12 text-ok ring-ok/30',
  warn: 'bg-warn/12 text-warn ring-warn/30',
  bad: 'bg-bad/12 text-bad ring-bad/30',
  neutral: 'bg-faint/15 text-muted ring-faint/30',
  accent: 'bg-accent/12 text-accent ring-accent/30',
};

export function Badge({
  tone = 'neutral',
  dot,
  children,
  title,
}: {
  tone?: Tone;
  dot?: boolean;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={cn(
        'inline-flex items-center gap-1.5 rounded px-1.5 py-0.5 text-[11px] leading-4 font-medium ring-1 ring-inset whitespace-nowrap',
        TONES[tone],
      )}
    >
      {dot && <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />}
      {children}
    </span>
  );
}
