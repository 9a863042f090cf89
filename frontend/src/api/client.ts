import { API_BASE } from './config.ts';
import { ApiError, toApiError } from './problem.ts';
import { apiUrl, type QueryValue } from '../lib/url.ts';

/**
 * The one place that calls fetch. It adds the bearer token, turns problem+json into ApiError, and
 * reports a 401 on an authenticated call, with the token it was sent with, so the app can sign out
 * (the token expired or was revoked) unless a newer token has replaced it meanwhile.
 * The auth store registers itself here instead of being imported, to keep this module free of React.
 */
interface AuthHooks {
  getToken: () => string | null;
  onUnauthorized: (tokenUsed: string, error: ApiError) => void;
}

let hooks: AuthHooks = { getToken: () => null, onUnauthorized: () => {} };

export function configureAuth(next: AuthHooks): void {
  hooks = next;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** false for login/signup: no token is sent, and a 401 means "wrong password", not "signed out" */
  auth?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const { body, query, auth = true, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = auth ? hooks.getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;

  const response = await fetch(apiUrl(API_BASE, path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });

  if (response.status === 204) return undefined as T;
  const payload = await readBody(response);
  if (!response.ok) {
    const error = toApiError(response.status, payload);
    if (response.status === 401 && token) hooks.onUnauthorized(token, error);
    throw error;
  }
  return payload as T;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say: keep the status, drop the body.
    return undefined;
  }
}

export { ApiError };
