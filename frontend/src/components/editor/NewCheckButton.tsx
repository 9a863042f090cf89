import { NEW_CHECK_PATH } from '../../lib/checkPaths.ts';
import { canCreateChecks } from '../../lib/checkPermissions.ts';
import { cn } from '../../lib/cn.ts';
import { useAuth } from '../../store/auth.ts';
import { PlusIcon } from '../icons.tsx';
import { Link } from '../Link.tsx';

/**
 * "New check", for the overview: a link to the editor, left out for roles that cannot create
 * checks (viewers), like the other controls that would only earn a 403.
 */
export function NewCheckButton({ className }: { className?: string }) {
  const user = useAuth((s) => s.user);
  if (!canCreateChecks(user).allowed) return null;
  return (
    <Link
      href={NEW_CHECK_PATH}
      className={cn(
        'inline-flex h-9 items-center gap-2 rounded-md bg-accent px-3.5 text-sm font-semibold whitespace-nowrap text-accent-fg transition-colors hover:bg-accent/85',
        className,
      )}
    >
      <PlusIcon /> New check
    </Link>
  );
}
