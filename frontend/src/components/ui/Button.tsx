import type { ButtonHTMLAttributes } from 'react';
import { cn } from '../../lib/cn.ts';
import { Spinner } from './Spinner.tsx';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';
type Size = 'sm' | 'md' | 'icon';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-accent text-accent-fg hover:bg-accent/85 font-semibold',
  secondary: 'bg-panel-2 text-fg border border-line-strong hover:border-faint hover:bg-line',
  ghost: 'text-muted hover:text-fg hover:bg-panel-2',
  danger: 'bg-bad text-bad-fg hover:bg-bad/85 font-semibold',
};

const SIZES: Record<Size, string> = {
  sm: 'h-7 px-2.5 text-xs gap-1.5',
  md: 'h-9 px-3.5 text-sm gap-2',
  /** table-row actions: tight on phones, roomier where there is space */
  icon: 'h-7 px-1.5 text-xs gap-1.5 sm:px-2',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
  /** shows a spinner and disables the button, so a slow request can't be sent twice */
  busy?: boolean;
}

export function Button({
  variant = 'secondary',
  size = 'md',
  busy,
  disabled,
  className,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cn(
        'inline-flex shrink-0 items-center justify-center rounded-md whitespace-nowrap transition-colors',
        'disabled:cursor-not-allowed disabled:opacity-45',
        VARIANTS[variant],
        SIZES[size],
        className,
      )}
    >
      {busy && <Spinner className="size-3.5" />}
      {children}
    </button>
  );
}
