import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { ApiError, errorMessage } from '../api/problem.ts';
import { issuesToFieldErrors } from '../lib/formErrors.ts';

type Messages<F> = Partial<Record<keyof F & string, string>>;

export interface ValidatedFormOptions<F extends Record<string, string>, B, R> {
  /** the text of every field (selects and number inputs too: the body is built by `toBody`) */
  initial: F;
  /** the protocol schema of the request body: the same rules the backend applies */
  schema: z.ZodType<B>;
  /** the body the field values stand for (numbers parsed, confirm fields dropped); default: the values */
  toBody?: (values: F) => unknown;
  /** message for each field left empty: kinder than the schema's generic "too small" */
  required: Messages<F>;
  /** checks no schema can make, e.g. that the two password fields agree */
  validate?: (values: F) => Messages<F>;
  submit: (body: B) => Promise<R>;
  onSuccess?: (result: R) => void;
  /** empty the fields after a success (a password form must not keep the passwords) */
  resetOnSuccess?: boolean;
  /** extra wording per HTTP status; with `field` it lands next to that field instead of in the banner */
  statusMessages?: Partial<Record<number, { field?: keyof F & string; message: string }>>;
}

/**
 * One form's life: validates with the protocol schema before sending, sends, and on failure maps
 * problem+json to a banner plus per-field messages. The sign-in forms, the profile forms and the
 * admin dialogs all use it, so their messages read alike.
 */
export function useValidatedForm<F extends Record<string, string>, B, R>(options: ValidatedFormOptions<F, B, R>) {
  const { initial, schema, toBody = (v: F) => v, required, validate, submit, onSuccess, resetOnSuccess } = options;
  const statusMessages = options.statusMessages ?? {};
  const [values, setValues] = useState<F>(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: submit,
    onSuccess: (result) => {
      if (resetOnSuccess) {
        setValues(initial);
        setFieldErrors({});
      }
      onSuccess?.(result);
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        const special = statusMessages[error.status];
        if (special?.field) {
          setFieldErrors({ [special.field]: error.detail ?? special.message });
          return;
        }
        setFieldErrors(error.fieldErrors);
        // Messages that land next to a field need no banner repeating them; anything else does.
        const unplaced = Object.keys(error.fieldErrors).filter((k) => !(k in values));
        const placed = Object.keys(error.fieldErrors).length > 0 && unplaced.length === 0;
        setFormError(placed ? null : (special?.message ?? errorMessage(error)));
        return;
      }
      setFormError(errorMessage(error));
    },
  });

  const set = (name: keyof F & string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    // The message was about the old value; keep the others until the next submit.
    setFieldErrors(({ [name]: _drop, ...rest }) => rest);
    setFormError(null);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (mutation.isPending) return;
    const parsed = schema.safeParse(toBody(values));
    const local: Record<string, string> = {};
    for (const [name, message] of Object.entries(validate?.(values) ?? {})) if (message) local[name] = message;
    for (const [name, message] of Object.entries(required)) {
      if (message && !String(values[name] ?? '').trim()) local[name] = message;
    }
    if (!parsed.success || Object.keys(local).length > 0) {
      setFieldErrors({ ...(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)), ...local });
      setFormError(null);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    mutation.mutate(parsed.data);
  };

  return { values, set, fieldErrors, formError, onSubmit, pending: mutation.isPending };
}
