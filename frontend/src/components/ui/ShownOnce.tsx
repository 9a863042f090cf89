import type { ReactNode } from 'react';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';

/**
 * The one moment a secret (a token, an invitation link) exists in the clear: a warning, the secret
 * with its copy buttons and a note (`children`), and "Done", the only way out of the dialog.
 */
export function ShownOnce({
  what,
  ifLost,
  onDone,
  children,
}: {
  /** "token", "link" */
  what: string;
  /** the way back if it is lost, ending the sentence: "revoke it and create another." */
  ifLost: string;
  onDone: () => void;
  children: ReactNode;
}) {
  return (
    <div className="space-y-4">
      <Alert tone="info">
        This {what} is shown <strong>only once</strong>. Copy it now; if it is lost, {ifLost}
      </Alert>
      {children}
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
