import { cn } from '../../lib/cn.ts';
import { CopyButton } from './CopyButton.tsx';

/** A value shown once (a token, an invitation link): labelled, selectable in one click, with a copy button. */
export function SecretValue({ label, value, multiline }: { label: string; value: string; multiline?: boolean }) {
  return (
    <div>
      <div className="mb-1.5 flex items-center justify-between">
        <span className="text-xs font-medium tracking-wide text-muted uppercase">{label}</span>
        <CopyButton text={value} />
      </div>
      <pre
        className={cn(
          'rounded-md border border-line-strong bg-bg px-3 py-2 font-mono text-xs text-fg select-all',
          multiline ? 'break-all whitespace-pre-wrap' : 'overflow-x-auto break-all whitespace-pre-wrap',
        )}
      >
        {value}
      </pre>
    </div>
  );
}
