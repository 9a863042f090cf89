import type { ReactNode } from 'react';

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
          {sentence(error)}
        </p>
      ) : hint ? (
        <p className="text-xs text-faint">{hint}</p>
      ) : null}
    </div>
  );
}

/** Server messages arrive as "must be at least 8 characters"; shown alone they read better capitalised. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
