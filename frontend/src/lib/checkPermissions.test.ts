import { describe, expect, it } from 'vitest';
import { canChangeCheck, canCreateChecks } from './checkPermissions.ts';

const admin = { id: 'a', role: 'admin' } as const;
const editor = { id: 'e', role: 'editor' } as const;
const viewer = { id: 'v', role: 'viewer' } as const;

describe('check permissions', () => {
  it('lets editors and admins create', () => {
    expect(canCreateChecks(admin).allowed).toBe(true);
    expect(canCreateChecks(editor).allowed).toBe(true);
    expect(canCreateChecks(viewer)).toEqual({ allowed: false, reason: expect.stringMatching(/viewer/) });
    expect(canCreateChecks(null).allowed).toBe(false);
  });

  it('lets owners and admins change a check', () => {
    expect(canChangeCheck(admin, { ownerId: 'someone' }).allowed).toBe(true);
    expect(canChangeCheck(editor, { ownerId: 'e' }).allowed).toBe(true);
    expect(canChangeCheck(editor, { ownerId: 'x' }).reason).toMatch(/Another user/);
    expect(canChangeCheck(editor, { ownerId: null }).reason).toMatch(/only admins/);
    expect(canChangeCheck(viewer, { ownerId: 'v' }).allowed).toBe(false);
  });
});
