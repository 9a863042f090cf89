import type { ReactNode } from 'react';
import { cn } from '../../lib/cn.ts';

/** A one-line banner for a form-level error or notice. */
export function Alert({ tone = 'error', children }: { tone?: 'error' | 'info'; children: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'rounded-md border px-3 py-2 text-sm',
        // the tint says which; the text stays fg, readable in both themes
        tone === 'error' ? 'border-bad/40 bg-bad/10 text-fg' : 'border-accent/30 bg-accent/10 text-fg',
      )}
    >
      {children}
    </div>
  );
}
