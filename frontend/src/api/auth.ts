import type {
  AuthOptions as AuthOptionsSchema,
  InvitationInfo as InvitationInfoSchema,
  Page,
  Session,
  TokenResponse,
  User,
} from '@nop/protocol';
import type { z } from 'zod';
import { request } from './client.ts';

export type { TokenResponse };
export type AuthOptions = z.infer<typeof AuthOptionsSchema>;
export type InvitationInfo = z.infer<typeof InvitationInfoSchema>;

/** Sessions come a page at a time like every list; a person rarely has more than a few. */
const SESSION_PAGE = 100;

export const fetchAuthOptions = (signal?: AbortSignal) =>
  request<AuthOptions>('GET', '/api/v1/auth/options', { auth: false, signal });

export const signup = (body: { name: string; email: string; password: string }) =>
  request<TokenResponse>('POST', '/api/v1/auth/signup', { body, auth: false });

export const login = (body: { email: string; password: string }) =>
  request<TokenResponse>('POST', '/api/v1/auth/login', { body, auth: false });

/** Ends this session on the server (its JWT stops working at once, everywhere). */
export const logout = (signal?: AbortSignal) => request<void>('POST', '/api/v1/auth/logout', { signal });

export const fetchMe = (signal?: AbortSignal) => request<User>('GET', '/api/v1/auth/me', { signal });

export const updateMe = (body: { name: string }) => request<User>('PATCH', '/api/v1/auth/me', { body });

/** Ends every session of the user, this one too, and answers a new one for this tab. */
export const changePassword = (body: { currentPassword: string; newPassword: string }) =>
  request<TokenResponse>('POST', '/api/v1/auth/password', { body });

export const listSessions = (cursor: string | undefined, signal?: AbortSignal) =>
  request<Page<Session>>('GET', '/api/v1/auth/sessions', { query: { limit: SESSION_PAGE, cursor }, signal });

export const revokeSession = (id: string) => request<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`);

/** "Sign out everywhere else": the server ends every session of the user but this one. */
export const revokeOtherSessions = () => request<{ ended: number }>('DELETE', '/api/v1/auth/sessions');

export const inspectInvitation = (token: string, signal?: AbortSignal) =>
  request<InvitationInfo>('POST', '/api/v1/auth/invitation', { body: { token }, auth: false, signal });

export const acceptInvitation = (body: { token: string; name: string; password: string }) =>
  request<TokenResponse>('POST', '/api/v1/auth/invitation/accept', { body, auth: false });
