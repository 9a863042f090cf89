import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './ui/Field.tsx';
import { Input } from './ui/Input.tsx';

/** The part of useAuthForm's result a field binds to. */
interface BoundForm<F extends Record<string, string>> {
  values: F;
  set: (name: keyof F & string) => (value: string) => void;
  fieldErrors: Record<string, string>;
}

/**
 * One labelled input of a sign-in/sign-up form, bound to its value and to its error (shown under
 * it, marked invalid, and tied to the input by aria-describedby as Field names it: `<name>-error`).
 */
export function AuthField<F extends Record<string, string>>(
  props: {
    form: BoundForm<F>;
    name: keyof F & string;
    label: string;
    hint?: ReactNode;
  } & Pick<InputHTMLAttributes<HTMLInputElement>, 'type' | 'autoComplete' | 'autoFocus'>,
) {
  const { form, name, label, hint, ...input } = props;
  const error = form.fieldErrors[name];
  return (
    <Field label={label} htmlFor={name} error={error} hint={hint}>
      <Input
        id={name}
        {...input}
        value={form.values[name]}
        onChange={(e) => form.set(name)(e.target.value)}
        invalid={Boolean(error)}
        aria-describedby={error ? `${name}-error` : undefined}
      />
    </Field>
  );
}
