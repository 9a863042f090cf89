import type { ReactNode } from 'react';
import { Button } from './Button.tsx';

/** A form's primary button: busy while the request runs, and saying so ("Creating…"). */
export function SubmitButton({
  pending,
  pendingLabel,
  className,
  children,
}: {
  pending: boolean;
  pendingLabel: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Button type="submit" variant="primary" busy={pending} className={className}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
