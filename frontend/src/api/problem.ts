/**
 * The backend's errors are RFC 9457 problem+json: {type,title,status,detail,errors?:[{path,message}]}.
 * ApiError keeps them in a shape forms can show: one sentence plus per-field messages.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  /** field name (last path segment) -> message */
  readonly fieldErrors: Record<string, string>;
  /** the problem's `errors` with their whole paths ("body.jsonAssertions[0].path"), for nested forms */
  readonly errors: ReadonlyArray<{ path: string; message: string }>;

  constructor(
    status: number,
    title: string,
    detail?: string,
    fieldErrors: Record<string, string> = {},
    errors: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
    this.errors = errors;
  }
}

const FALLBACK_TITLES: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'You are not signed in.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with something that already exists.',
  429: 'Too many attempts. Wait a minute and try again.',
  500: 'The server failed. Try again in a moment.',
  502: 'The server is unreachable. Try again in a moment.',
  503: 'The server is unavailable. Try again in a moment.',
};

/** Turns a zod-like issue path ("config.checks.0.target", ["email"], "/email") into its leaf name. */
export function fieldName(path: unknown): string {
  const parts = Array.isArray(path) ? path.map(String) : String(path ?? '').split(/[./[\]]+/);
  const named = parts.filter((p) => p && !/^\d+$/.test(p));
  return named[named.length - 1] ?? parts.filter(Boolean).join('.');
}

/** Builds an ApiError from a status and whatever body came back (problem+json, other JSON, or none). */
export function toApiError(status: number, body: unknown): ApiError {
  const fallback = FALLBACK_TITLES[status] ?? `Request failed (HTTP ${status}).`;
  if (typeof body !== 'object' || body === null) return new ApiError(status, fallback);
  const b = body as Record<string, unknown>;
  const title = typeof b.title === 'string' && b.title ? b.title : fallback;
  const detail = typeof b.detail === 'string' && b.detail ? b.detail : undefined;
  const fieldErrors: Record<string, string> = {};
  const errors: Array<{ path: string; message: string }> = [];
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) {
      if (typeof e !== 'object' || e === null) continue;
      const { path, message } = e as { path?: unknown; message?: unknown };
      const name = fieldName(path);
      if (name && typeof message === 'string' && !fieldErrors[name]) fieldErrors[name] = message;
      if (typeof path === 'string' && typeof message === 'string') errors.push({ path, message });
    }
  }
  // A 429 from a rate limiter rarely says anything a person can act on; keep the advice visible.
  const finalDetail = status === 429 && !detail ? FALLBACK_TITLES[429] : detail;
  return new ApiError(status, title, finalDetail, fieldErrors, errors);
}

/** One line for a banner: the detail when present (it names the field), else the title. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail ?? error.title;
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
