import type { Role } from '@nop/protocol';
import { ROLE_SUMMARY, ROLE_TONE } from '../lib/roles.ts';
import { Badge } from './ui/Badge.tsx';

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge tone={ROLE_TONE[role]} title={`${role}: ${ROLE_SUMMARY[role]}`}>
      {role}
    </Badge>
  );
}
