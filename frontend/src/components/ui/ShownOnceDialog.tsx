import { useState, type ComponentType, type ReactNode } from 'react';
import { Dialog } from './Dialog.tsx';

/**
 * Two steps in one dialog: a form that creates something, then what it created, whose secret is
 * shown only this once. While the secret shows, Esc and a click outside do nothing, so it is not
 * lost by a stray click; closing forgets it.
 */
export function ShownOnceDialog<T>({
  open,
  onClose,
  title,
  description,
  Form,
  Created,
}: {
  open: boolean;
  onClose: () => void;
  /** each step's heading: `created` is null while the form shows */
  title: (created: T | null) => string;
  description: (created: T | null) => ReactNode;
  Form: ComponentType<{ onCreated: (created: T) => void; onCancel: () => void }>;
  Created: ComponentType<{ created: T; onDone: () => void }>;
}) {
  const [created, setCreated] = useState<T | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!created}
      title={title(created)}
      description={description(created)}
    >
      {created ? <Created created={created} onDone={close} /> : <Form onCreated={setCreated} onCancel={close} />}
    </Dialog>
  );
}
