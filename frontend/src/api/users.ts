import type { Invitation, Page, Role, User } from '@nop/protocol';
import { request } from './client.ts';

/** Admins only: accounts and the invitations that make new ones. */

export const USERS_PAGE = 50;

export const listUsers = (cursor: string | undefined, signal?: AbortSignal) =>
  request<Page<User>>('GET', '/api/v1/users', { query: { limit: USERS_PAGE, cursor }, signal });

export const createUser = (body: { name: string; email: string; password: string; role: Role }) =>
  request<User>('POST', '/api/v1/users', { body });

export const updateUser = (id: string, body: { name?: string; role?: Role; disabled?: boolean }) =>
  request<User>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, { body });

export const deleteUser = (id: string) => request<void>('DELETE', `/api/v1/users/${encodeURIComponent(id)}`);

/** Ends every session of a user (their API tokens keep working). */
export const signOutUser = (id: string) =>
  request<{ ended: number }>('DELETE', `/api/v1/users/${encodeURIComponent(id)}/sessions`);

export interface CreatedInvitation {
  invitation: Invitation;
  /** shown once: the backend keeps only its hash */
  token: string;
  /** the link to send, with the token in its fragment */
  url: string;
}

export const listInvitations = (cursor: string | undefined, signal?: AbortSignal) =>
  request<Page<Invitation>>('GET', '/api/v1/invitations', { query: { limit: USERS_PAGE, cursor }, signal });

export const createInvitation = (body: { email: string; role: Role; expiresInHours: number }) =>
  request<CreatedInvitation>('POST', '/api/v1/invitations', { body });

export const revokeInvitation = (id: string) =>
  request<void>('DELETE', `/api/v1/invitations/${encodeURIComponent(id)}`);
