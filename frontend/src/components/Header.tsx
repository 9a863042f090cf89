import { useState } from 'react';
import { cn } from '../lib/cn.ts';
import { navItems } from '../lib/routes.ts';
import { usePathname } from '../lib/router.ts';
import { logOut } from '../lib/session.ts';
import { useAuth } from '../store/auth.ts';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { Link } from './Link.tsx';
import { Logo } from './Logo.tsx';
import { PreferencesMenu } from './PreferencesMenu.tsx';
import { RoleBadge } from './RoleBadge.tsx';
import { Button } from './ui/Button.tsx';

export function Header() {
  const user = useAuth((s) => s.user);
  const path = usePathname();
  const [leaving, setLeaving] = useState(false);

  return (
    <header className="sticky top-0 z-20 border-b border-line bg-bg/85 backdrop-blur">
      {/* On phones the links get a row of their own under the logo and account, instead of being squeezed out. */}
      <div className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-3 px-4 sm:px-6 md:h-14 md:flex-nowrap md:gap-x-5">
        <Link href="/" className="flex h-14 shrink-0 items-center rounded">
          <Logo />
          <span className="sr-only">, overview</span>
        </Link>
        {user && (
          <nav
            aria-label="Main"
            className="order-last -mx-2.5 flex w-[calc(100%+1.25rem)] min-w-0 items-center gap-0.5 overflow-x-auto pb-2 md:order-none md:mx-0 md:w-auto md:pb-0"
          >
            {navItems(user.role).map((item) => (
              <Link
                key={item.href}
                href={item.href}
                aria-current={path === item.href ? 'page' : undefined}
                className={cn(
                  'rounded-md px-2.5 py-1.5 text-sm whitespace-nowrap transition-colors',
                  path === item.href ? 'bg-panel-2 text-fg' : 'text-muted hover:bg-panel-2/60 hover:text-fg',
                )}
              >
                {item.label}
              </Link>
            ))}
          </nav>
        )}
        <div className="ml-auto flex shrink-0 items-center gap-2 sm:gap-3">
          <ConnectionIndicator />
          <PreferencesMenu />
          {user && (
            <Link
              href="/profile"
              className="inline-flex items-center gap-2 rounded text-sm"
              title={`${user.name} <${user.email}> · ${user.role}`}
            >
              {/* read as "Your profile: Ada Operator admin"; the initials are only a picture of the name */}
              <span className="sr-only">Your profile:</span>
              <span
                aria-hidden="true"
                className="grid size-7 place-items-center rounded-full bg-panel-2 text-xs font-semibold text-muted ring-1 ring-line-strong"
              >
                {initials(user.name)}
              </span>
              <span className="hidden max-w-40 truncate text-fg lg:inline">{user.name}</span>
              <span className="sr-only lg:hidden">{user.name}</span>
              <span className="hidden sm:inline-flex" data-testid="header-role">
                <RoleBadge role={user.role} />
              </span>
            </Link>
          )}
          <Button
            size="sm"
            variant="ghost"
            busy={leaving}
            onClick={() => {
              setLeaving(true);
              void logOut();
            }}
          >
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
