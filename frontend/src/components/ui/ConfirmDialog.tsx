import type { ReactNode } from 'react';
import { errorMessage } from '../../api/problem.ts';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';

/**
 * "Are you sure?" for an action that cannot be undone. Stays open while the request runs and shows
 * the server's reason if it refuses (e.g. "this is the last active admin").
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} onClose={() => !busy && onClose()} title={title} description={description}>
      {error != null && (
        <div className="mb-4">
          <Alert>{errorMessage(error)}</Alert>
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
