import type { ReactNode } from 'react';
import type { EditorDraft } from '../../lib/checkEditorDraft.ts';
import { Field } from '../ui/Field.tsx';
import { Input, Select } from '../ui/Input.tsx';

/**
 * The editor's inputs, bound to one draft field each: label, control, and the error of that field
 * (from the protocol schema in the browser or from the API), tied together for screen readers.
 */
export interface Bind {
  draft: EditorDraft;
  errors: Record<string, string>;
  /** sets fields of the draft and forgets their errors */
  set: (patch: Partial<EditorDraft>) => void;
}

type StringKey = { [K in keyof EditorDraft]: EditorDraft[K] extends string ? K : never }[keyof EditorDraft];
type BoolKey = { [K in keyof EditorDraft]: EditorDraft[K] extends boolean ? K : never }[keyof EditorDraft];

export const fieldId = (name: string) => `check-${name.replace(/\./g, '-')}`;

export function TextField({
  bind,
  name,
  label,
  hint,
  placeholder,
  mono,
  numeric,
  errorKey = name,
  disabled,
}: {
  bind: Bind;
  name: StringKey;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
  mono?: boolean;
  numeric?: boolean;
  /** when the error of another key belongs here */
  errorKey?: string;
  disabled?: boolean;
}) {
  const id = fieldId(name);
  const error = bind.errors[errorKey];
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input
        id={id}
        value={bind.draft[name] as string}
        placeholder={placeholder}
        inputMode={numeric ? 'numeric' : undefined}
        disabled={disabled}
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        className={mono ? 'font-mono' : undefined}
        onChange={(e) => bind.set({ [name]: e.target.value } as Partial<EditorDraft>)}
      />
    </Field>
  );
}

export function TextAreaField({
  bind,
  name,
  label,
  hint,
  placeholder,
  rows = 3,
  errorKey = name,
}: {
  bind: Bind;
  name: StringKey;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
  rows?: number;
  errorKey?: string;
}) {
  const id = fieldId(name);
  const error = bind.errors[errorKey];
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <textarea
        id={id}
        rows={rows}
        value={bind.draft[name] as string}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => bind.set({ [name]: e.target.value } as Partial<EditorDraft>)}
        className={`w-full rounded-md border bg-bg px-3 py-2 font-mono text-sm text-fg placeholder:text-faint focus:border-accent focus:ring-2 focus:ring-accent/25 focus:outline-none ${error ? 'border-bad/70' : 'border-line-strong'}`}
      />
    </Field>
  );
}

export function SelectField({
  bind,
  name,
  label,
  options,
  hint,
}: {
  bind: Bind;
  name: StringKey;
  label: string;
  options: ReadonlyArray<string | { value: string; label: string }>;
  hint?: ReactNode;
}) {
  const id = fieldId(name);
  const error = bind.errors[name];
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Select
        id={id}
        value={bind.draft[name] as string}
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => bind.set({ [name]: e.target.value } as Partial<EditorDraft>)}
      >
        {options.map((o) => {
          const { value, label: text } = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </Select>
    </Field>
  );
}

export function CheckboxField({
  bind,
  name,
  label,
  hint,
}: {
  bind: Bind;
  name: BoolKey;
  label: string;
  hint?: ReactNode;
}) {
  const id = fieldId(name);
  const error = bind.errors[name];
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="flex cursor-pointer items-center gap-2 text-sm text-fg">
        <input
          id={id}
          type="checkbox"
          checked={bind.draft[name] as boolean}
          onChange={(e) => bind.set({ [name]: e.target.checked } as Partial<EditorDraft>)}
          className="size-4 accent-accent"
        />
        {label}
      </label>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-bad">
          {error}
        </p>
      ) : hint ? (
        <p className="pl-6 text-xs text-faint">{hint}</p>
      ) : null}
    </div>
  );
}

/** IPv4, IPv6 or whatever the name resolves to first. */
export function IpVersionField({ bind }: { bind: Bind }) {
  return (
    <SelectField
      bind={bind}
      name="ipVersion"
      label="IP version"
      options={[
        { value: '', label: 'Any (first address)' },
        { value: '4', label: 'IPv4 only' },
        { value: '6', label: 'IPv6 only' },
      ]}
    />
  );
}

/** A titled group of settings in the editor. */
export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <fieldset className="rounded-lg border border-line bg-panel px-4 pt-2 pb-4">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      {description && <p className="mb-3 text-xs text-muted">{description}</p>}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{children}</div>
    </fieldset>
  );
}
