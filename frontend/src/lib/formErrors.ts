import { capitalize } from './text.ts';

/**
 * Turns zod issues (client-side checks with the protocol's own schemas) into one message per
 * field, the same shape the server's problem+json `errors` become, so a form shows both alike.
 */
export function issuesToFieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const named = issue.path.filter((p): p is string => typeof p === 'string');
    const key = named[named.length - 1] ?? '_form';
    out[key] ??= capitalize(issue.message);
  }
  return out;
}
