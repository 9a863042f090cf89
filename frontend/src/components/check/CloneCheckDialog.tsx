import { CheckId, type Check } from '@nop/protocol';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/problem.ts';
import { useCloneCheck } from '../../hooks/useChecks.ts';
import { checkPagePath } from '../../lib/checkPaths.ts';
import { navigate } from '../../lib/router.ts';
import { capitalize } from '../../lib/text.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { Input } from '../ui/Input.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';

/** A suggestion for the copy's id: "<id>-copy", kept within the 64 characters an id may have. */
const copyId = (id: string) => `${id.slice(0, 59).replace(/[-_.]+$/, '')}-copy`;

/** Asks for the copy's id (every other setting is copied), then opens the copy. */
export function CloneCheckDialog({ check, open, onClose }: { check: Check; open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Clone “${check.id}”`}
      description="The copy gets every setting, label and assignment of this check, under a new id."
    >
      {open && <CloneForm check={check} onClose={onClose} />}
    </Dialog>
  );
}

function CloneForm({ check, onClose }: { check: Check; onClose: () => void }) {
  const [id, setId] = useState(copyId(check.id));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const clone = useCloneCheck(check.id);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = CheckId.safeParse(id.trim());
    if (!parsed.success) return setFieldError(capitalize(parsed.error.issues[0]!.message));
    clone.mutate(parsed.data, {
      onSuccess: (copy) => navigate(checkPagePath(copy.id)),
      onError: (error) => {
        if (error instanceof ApiError && (error.status === 409 || error.errors.some((f) => f.path.endsWith('.id'))))
          setFieldError(error.detail ?? error.title);
      },
    });
  };

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {clone.isError && !fieldError && <Alert>{errorMessage(clone.error)}</Alert>}
      <Field label="New id" htmlFor="clone-id" error={fieldError ?? undefined} hint="a-z, 0-9, “_”, “-”, “.”">
        <Input
          id="clone-id"
          value={id}
          autoFocus
          invalid={Boolean(fieldError)}
          aria-describedby={fieldError ? 'clone-id-error' : undefined}
          onChange={(e) => {
            setId(e.target.value);
            setFieldError(null);
          }}
        />
      </Field>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose} disabled={clone.isPending}>
          Cancel
        </Button>
        <SubmitButton pending={clone.isPending} pendingLabel="Cloning…">
          Clone check
        </SubmitButton>
      </div>
    </form>
  );
}
