import type { ReactNode } from 'react';
import { capitalize } from '../../lib/text.ts';

/** Label, control, then either the error (red, announced) or a hint. */
export function Field(props: {
  label: string;
  htmlFor: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const { label, htmlFor, error, hint, children } = props;
  return (
    <div className="space-y-1.5">
      <label htmlFor={htmlFor} className="block text-xs font-medium tracking-wide text-muted uppercase">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${htmlFor}-error`} role="alert" className="text-xs text-bad">
          {capitalize(error)}
        </p>
      ) : hint ? (
        <p className="text-xs text-faint">{hint}</p>
      ) : null}
    </div>
  );
}
