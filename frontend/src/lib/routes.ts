import type { Role } from '@nop/protocol';

/**
 * Every page of the dashboard and who may open it:
 * - `guest`: only while signed out (sign-in, sign-up); a signed-in visitor goes to the overview.
 * - `anyone`: signed in or not (the invitation page explains what to do either way).
 * - `member`: any signed-in user; others go to the sign-in page.
 * - `admin`: signed-in admins; other roles see why the page is not theirs instead of a blank redirect.
 */
export type RouteName =
  'overview' | 'users' | 'profile' | 'audit' | 'login' | 'signup' | 'invite' | 'check' | 'check-new' | 'check-edit';
type Access = 'guest' | 'anyone' | 'member' | 'admin';

export const ROUTES: Readonly<Record<string, { name: RouteName; access: Access }>> = {
  '/': { name: 'overview', access: 'member' },
  '/users': { name: 'users', access: 'admin' },
  '/profile': { name: 'profile', access: 'member' },
  '/audit': { name: 'audit', access: 'admin' },
  '/login': { name: 'login', access: 'guest' },
  '/signup': { name: 'signup', access: 'guest' },
  '/invite': { name: 'invite', access: 'anyone' },
};

/** Pages with an id in the path (the page reads it: lib/checkPaths.ts); tried after the exact paths. */
const PATTERNS: ReadonlyArray<{ pattern: RegExp; name: RouteName; access: Access }> = [
  { pattern: /^\/checks\/new$/, name: 'check-new', access: 'member' },
  { pattern: /^\/checks\/[^/]+\/edit$/, name: 'check-edit', access: 'member' },
  { pattern: /^\/checks\/[^/]+$/, name: 'check', access: 'member' },
];

export type Resolved = { redirect: string } | { page: RouteName; forbidden: boolean };

/** What to show at `path` for this user (null when signed out). */
export function resolveRoute(path: string, user: { role: Role } | null): Resolved {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const route = ROUTES[trimmed] ?? PATTERNS.find((p) => p.pattern.test(trimmed));
  if (!route) return { redirect: user ? '/' : '/login' };
  if (trimmed !== path) return { redirect: trimmed };
  if (route.access === 'guest' && user) return { redirect: '/' };
  if ((route.access === 'member' || route.access === 'admin') && !user) return { redirect: '/login' };
  return { page: route.name, forbidden: route.access === 'admin' && user?.role !== 'admin' };
}

export interface NavItem {
  href: string;
  label: string;
}

/** The header's links: admins also get Users and Audit log. */
export function navItems(role: Role): NavItem[] {
  return [
    { href: '/', label: 'Overview' },
    ...(role === 'admin'
      ? [
          { href: '/users', label: 'Users' },
          { href: '/audit', label: 'Audit log' },
        ]
      : []),
    { href: '/profile', label: 'Profile' },
  ];
}
