import { useAuth } from '../store/auth.ts';
import { signOut } from '../lib/session.ts';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { Logo } from './Logo.tsx';
import { Button } from './ui/Button.tsx';

export function Header() {
  const user = useAuth((s) => s.user);
  return (
    <header className="sticky top-0 z-20 border-b border-line bg-bg/85 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-[1600px] items-center gap-3 px-4 sm:px-6">
        <Logo />
        <div className="ml-auto flex items-center gap-3">
          <ConnectionIndicator />
          {user && (
            <span className="inline-flex items-center gap-2 text-sm" title={`${user.name} <${user.email}>`}>
              <span className="grid size-7 place-items-center rounded-full bg-panel-2 text-xs font-semibold text-muted ring-1 ring-line-strong">
                {initials(user.name)}
              </span>
              <span className="hidden max-w-40 truncate text-fg sm:inline">{user.name}</span>
              {user.role === 'admin' && (
                <span className="hidden text-[10px] tracking-wider text-faint uppercase sm:inline">admin</span>
              )}
            </span>
          )}
          <Button size="sm" variant="ghost" onClick={() => signOut()}>
            Log out
          </Button>
        </div>
      </div>
    </header>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}
