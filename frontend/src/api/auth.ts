import type { User } from '@nop/protocol';
import { request } from './client.ts';

export interface Session {
  token: string;
  user: User;
}

export const signup = (body: { name: string; email: string; password: string }) =>
  request<Session>('POST', '/api/v1/auth/signup', { body, auth: false });

export const login = (body: { email: string; password: string }) =>
  request<Session>('POST', '/api/v1/auth/login', { body, auth: false });

export const fetchMe = (signal?: AbortSignal) => request<User>('GET', '/api/v1/auth/me', { signal });
