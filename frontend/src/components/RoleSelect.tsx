import type { Role } from '@nop/protocol';
import { ROLES } from '../lib/roles.ts';
import { Select, type SelectProps } from './ui/Input.tsx';

/** A role picker, most rights first; `roles` narrows the choice (a token gets none above its owner's role). */
export function RoleSelect({ roles = ROLES, ...select }: Omit<SelectProps, 'children'> & { roles?: readonly Role[] }) {
  return (
    <Select {...select}>
      {roles.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </Select>
  );
}
