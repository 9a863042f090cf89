import type { ReactNode } from 'react';
import { cn } from '../../lib/cn.ts';

/** A one-line banner for a form-level error or notice. */
export function Alert({ tone = 'error', children }: { tone?: 'error' | 'info'; children: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'rounded-md border px-3 py-2 text-sm',
        tone === 'error' ? 'border-bad/40 bg-bad/10 text-red-200' : 'border-accent/30 bg-accent/10 text-sky-100',
      )}
    >
      {children}
    </div>
  );
}
