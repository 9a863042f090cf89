import type { ApiToken, Page, Role } from '@nop/protocol';
import { request } from './client.ts';

/** The signed-in user's own API tokens (automation: usable wherever a session token is). */

export interface CreatedApiToken {
  apiToken: ApiToken;
  /** shown once: the backend keeps only its hash */
  token: string;
}

export const listApiTokens = (cursor: string | undefined, signal?: AbortSignal) =>
  request<Page<ApiToken>>('GET', '/api/v1/api-tokens', { query: { limit: 100, cursor }, signal });

export const createApiToken = (body: { name: string; role: Role; expiresInDays: number }) =>
  request<CreatedApiToken>('POST', '/api/v1/api-tokens', { body });

export const revokeApiToken = (id: string) => request<void>('DELETE', `/api/v1/api-tokens/${encodeURIComponent(id)}`);
