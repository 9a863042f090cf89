import { Button } from './Button.tsx';
import { SubmitButton } from './SubmitButton.tsx';

/** The last row of a dialog's create form: Cancel (not while sending), then "Create …". */
export function CreateFormActions({
  pending,
  onCancel,
  label,
}: {
  pending: boolean;
  onCancel: () => void;
  /** "Create token" */
  label: string;
}) {
  return (
    <div className="flex justify-end gap-2 pt-1">
      <Button onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <SubmitButton pending={pending} pendingLabel="Creating…">
        {label}
      </SubmitButton>
    </div>
  );
}
