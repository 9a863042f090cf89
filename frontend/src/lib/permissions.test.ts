import { describe, expect, it } from 'vitest';
import { canChangeAgent, canCreateAgents, isAdmin, tokenRolesFor } from './permissions.ts';

const ADMIN = { id: 'a', role: 'admin' } as const;
const EDITOR = { id: 'e', role: 'editor' } as const;
const VIEWER = { id: 'v', role: 'viewer' } as const;

const owned = (ownerId: string | null, managed = ownerId === null) => ({ ownerId, managed });

describe('permissions', () => {
  it('lets editors and admins create agents, and tells a viewer why not', () => {
    expect(canCreateAgents(ADMIN).allowed).toBe(true);
    expect(canCreateAgents(EDITOR).allowed).toBe(true);
    const viewer = canCreateAgents(VIEWER);
    expect(viewer.allowed).toBe(false);
    expect(viewer.reason).toMatch(/viewer/);
  });

  it('lets admins change every agent, the managed one too', () => {
    for (const agent of [owned('a'), owned('e'), owned(null)]) expect(canChangeAgent(ADMIN, agent).allowed).toBe(true);
  });

  it('lets editors change only the agents they own', () => {
    expect(canChangeAgent(EDITOR, owned('e'))).toEqual({ allowed: true });
    expect(canChangeAgent(EDITOR, owned('a')).reason).toMatch(/Another user created/);
    expect(canChangeAgent(EDITOR, owned(null)).reason).toMatch(/Only admins change the agent the server runs/);
    expect(canChangeAgent(EDITOR, owned(null, false)).reason).toMatch(/creator’s account is gone/);
  });

  it('never lets viewers change an agent, not even one recorded as theirs', () => {
    expect(canChangeAgent(VIEWER, owned('v')).allowed).toBe(false);
    expect(canChangeAgent(VIEWER, owned(null)).allowed).toBe(false);
  });

  it('knows admins', () => {
    expect(isAdmin(ADMIN)).toBe(true);
    expect(isAdmin(EDITOR)).toBe(false);
    expect(isAdmin(null)).toBe(false);
  });

  it('offers API token roles up to the user’s own', () => {
    expect(tokenRolesFor('admin')).toEqual(['admin', 'editor', 'viewer']);
    expect(tokenRolesFor('editor')).toEqual(['editor', 'viewer']);
    expect(tokenRolesFor('viewer')).toEqual(['viewer']);
  });
});
