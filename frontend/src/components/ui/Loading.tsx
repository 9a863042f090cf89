import type { ReactNode } from 'react';
import { cn } from '../../lib/cn.ts';
import { Spinner } from './Spinner.tsx';

/** A centred spinner and what is loading ("Loading users…"); `className` sets the height around it. */
export function Loading({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div className={cn('flex items-center justify-center gap-2 text-sm text-muted', className)}>
      <Spinner className="size-4" /> {children}
    </div>
  );
}
