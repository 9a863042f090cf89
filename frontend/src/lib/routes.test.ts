import { describe, expect, it } from 'vitest';
import { navItems, resolveRoute } from './routes.ts';

const admin = { role: 'admin' } as const;
const viewer = { role: 'viewer' } as const;

describe('resolveRoute', () => {
  it('sends signed-out visitors of member pages to the sign-in page', () => {
    for (const path of ['/', '/users', '/profile', '/audit'])
      expect(resolveRoute(path, null)).toEqual({ redirect: '/login' });
  });

  it('shows sign-in and sign-up only while signed out', () => {
    expect(resolveRoute('/login', null)).toEqual({ page: 'login', forbidden: false });
    expect(resolveRoute('/signup', null)).toEqual({ page: 'signup', forbidden: false });
    expect(resolveRoute('/login', viewer)).toEqual({ redirect: '/' });
  });

  it('opens the invitation page signed in or not', () => {
    expect(resolveRoute('/invite', null)).toEqual({ page: 'invite', forbidden: false });
    expect(resolveRoute('/invite', admin)).toEqual({ page: 'invite', forbidden: false });
  });

  it('marks admin pages forbidden for other roles instead of hiding them silently', () => {
    expect(resolveRoute('/users', admin)).toEqual({ page: 'users', forbidden: false });
    expect(resolveRoute('/audit', viewer)).toEqual({ page: 'audit', forbidden: true });
    expect(resolveRoute('/profile', viewer)).toEqual({ page: 'profile', forbidden: false });
  });

  it('opens a check, its editor and the new-check editor for members', () => {
    expect(resolveRoute('/checks/icmp-1.1.1.1', viewer)).toEqual({ page: 'check', forbidden: false });
    expect(resolveRoute('/checks/icmp-1.1.1.1/edit', viewer)).toEqual({ page: 'check-edit', forbidden: false });
    expect(resolveRoute('/checks/new', admin)).toEqual({ page: 'check-new', forbidden: false });
    expect(resolveRoute('/checks/x', null)).toEqual({ redirect: '/login' });
    expect(resolveRoute('/checks/x/', admin)).toEqual({ redirect: '/checks/x' });
    expect(resolveRoute('/checks', admin)).toEqual({ redirect: '/' });
  });

  it('redirects unknown paths, and drops a trailing slash', () => {
    expect(resolveRoute('/nope', admin)).toEqual({ redirect: '/' });
    expect(resolveRoute('/nope', null)).toEqual({ redirect: '/login' });
    expect(resolveRoute('/users/', admin)).toEqual({ redirect: '/users' });
  });
});

describe('navItems', () => {
  it('gives admins Users and Audit log, everyone Overview and Profile', () => {
    expect(navItems('admin').map((i) => i.label)).toEqual(['Overview', 'Users', 'Audit log', 'Profile']);
    expect(navItems('editor').map((i) => i.label)).toEqual(['Overview', 'Profile']);
  });
});
