import type { InputHTMLAttributes, SelectHTMLAttributes } from 'react';
import { cn } from '../../lib/cn.ts';

const FIELD =
  'h-9 w-full rounded-md border bg-bg px-3 text-sm text-fg placeholder:text-faint transition-colors ' +
  'focus:outline-none focus:border-accent focus:ring-2 focus:ring-accent/25 disabled:opacity-50';

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  invalid?: boolean;
}

export function Input({ invalid, className, ...rest }: InputProps) {
  return (
    <input
      {...rest}
      aria-invalid={invalid || undefined}
      className={cn(FIELD, invalid ? 'border-bad/70' : 'border-line-strong', className)}
    />
  );
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  invalid?: boolean;
}

export function Select({ invalid, className, children, ...rest }: SelectProps) {
  return (
    <select
      {...rest}
      aria-invalid={invalid || undefined}
      className={cn(FIELD, 'pr-8', invalid ? 'border-bad/70' : 'border-line-strong', className)}
    >
      {children}
    </select>
  );
}
