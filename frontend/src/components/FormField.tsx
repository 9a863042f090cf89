import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './ui/Field.tsx';
import { Input } from './ui/Input.tsx';

/** The part of useValidatedForm's result a field binds to. */
interface BoundForm<F extends Record<string, string>> {
  values: F;
  set: (name: keyof F & string) => (value: string) => void;
  fieldErrors: Record<string, string>;
}

/**
 * One labelled input of a useValidatedForm form, bound to its value and to its error (shown under
 * it, marked invalid, and tied to the input by aria-describedby as Field names it: `<id>-error`).
 * The id is the field's name unless a page has two forms that share names.
 */
export function FormField<F extends Record<string, string>>(
  props: {
    form: BoundForm<F>;
    name: keyof F & string;
    label: string;
    hint?: ReactNode;
  } & Pick<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'autoComplete' | 'autoFocus' | 'placeholder'>,
) {
  const { form, name, label, hint, id = name, ...input } = props;
  const error = form.fieldErrors[name];
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input
        id={id}
        {...input}
        value={form.values[name]}
        onChange={(e) => form.set(name)(e.target.value)}
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </Field>
  );
}
