import { useEffect, useId, useRef, type ReactNode } from 'react';
import { cn } from '../../lib/cn.ts';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** false while showing something the user must not lose by a stray click (the one-time token) */
  dismissible?: boolean;
  className?: string;
}

/**
 * A modal on the native <dialog>: the browser gives focus trapping, Esc and the top layer for free,
 * so no portal or focus library is needed.
 */
export function Dialog({ open, onClose, title, description, children, dismissible = true, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissible) onClose();
      }}
      onClose={() => {
        // Chrome closes a dialog on a second Esc even when the first was cancelled (close watchers):
        // keep the page's state in step, and never lose what must stay on screen (a one-time secret)
        if (!open) return;
        if (dismissible) onClose();
        else ref.current?.showModal();
      }}
      onClick={(e) => {
        // A click on the <dialog> itself (not its content) is a click on the backdrop.
        if (dismissible && e.target === ref.current) onClose();
      }}
      className={cn(
        // text-left: a dialog opened from a right-aligned table cell must not inherit its alignment.
        'm-auto w-[min(34rem,calc(100vw-2rem))] rounded-lg border border-line-strong bg-panel p-0 text-left text-fg shadow-2xl shadow-black/30',
        className,
      )}
    >
      {open && (
        <div className="p-5">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {description && <div className="mt-1 text-sm text-muted">{description}</div>}
          <div className="mt-4">{children}</div>
        </div>
      )}
    </dialog>
  );
}
