import { naturalCompare } from '../../lib/natural.ts';
import { useId, useState, type KeyboardEvent } from 'react';
import { parseLabel } from '../../lib/agentMeta.ts';
import { cn } from '../../lib/cn.ts';
import { PlusIcon, XIcon } from '../icons.tsx';
import { Button } from '../ui/Button.tsx';
import { Input } from '../ui/Input.tsx';

/**
 * Labels as removable key=value chips plus a box to add one ("region=eu", Enter or Add). A chip the
 * API refused shows its message under it; a typed label that is not valid says why before sending.
 */
export function LabelEditor({
  labels,
  errors,
  onChange,
}: {
  labels: Record<string, string>;
  /** per key, from the API */
  errors: Record<string, string>;
  onChange: (labels: Record<string, string>) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const entries = Object.entries(labels).sort(([a], [b]) => naturalCompare(a, b));

  const add = () => {
    if (!text.trim()) return;
    const parsed = parseLabel(text, labels);
    if (!parsed.ok) return setError(parsed.error);
    onChange({ ...labels, [parsed.key]: parsed.value });
    setText('');
    setError(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault(); // Enter adds the chip; it must not submit the dialog's form
    add();
  };
  const remove = (key: string) => {
    const { [key]: _drop, ...rest } = labels;
    onChange(rest);
  };

  return (
    <fieldset className="space-y-2">
      <legend className="text-xs font-medium tracking-wide text-muted uppercase">Labels</legend>
      {entries.length === 0 ? (
        <p className="text-xs text-faint">No labels. Checks choose agents by label (a selector like region=eu).</p>
      ) : (
        <ul className="flex flex-wrap gap-1.5" aria-label="Labels">
          {entries.map(([key, value]) => (
            <li key={key} className="flex flex-col">
              <span
                className={cn(
                  'inline-flex items-center gap-1 rounded bg-panel-2 py-0.5 pr-0.5 pl-2 font-mono text-xs text-fg ring-1 ring-inset',
                  errors[key] ? 'ring-bad/70' : 'ring-line-strong',
                )}
              >
                {key}={value}
                <button
                  type="button"
                  onClick={() => remove(key)}
                  aria-label={`Remove label ${key}=${value}`}
                  className="rounded p-0.5 text-faint hover:bg-line hover:text-fg"
                >
                  <XIcon className="size-3" />
                </button>
              </span>
              {errors[key] && (
                <span role="alert" className="max-w-60 text-[11px] text-bad">
                  {errors[key]}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-2">
        <label htmlFor={id} className="sr-only">
          New label as key=value
        </label>
        <Input
          id={id}
          value={text}
          placeholder="region=eu"
          autoComplete="off"
          spellCheck={false}
          invalid={Boolean(error)}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onKeyDown={onKeyDown}
          className="font-mono"
        />
        <Button size="md" onClick={add} disabled={!text.trim()}>
          <PlusIcon /> Add
        </Button>
      </div>
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs text-bad">
          {error}
        </p>
      )}
    </fieldset>
  );
}
