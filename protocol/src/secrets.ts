import type { CheckSpec } from './checks.ts';

/**
 * Check settings that carry credentials are write-only through the API: HTTP headers (values),
 * the HTTP body and the basic-auth password. The API answers this mask in their place (so a
 * reader sees that a value is set, never the value), and a client that sends the mask back keeps
 * the stored value — the dashboard edits a check without ever holding its secrets.
 */
export const SECRET_MASK = '<secret>';

/** Where a secret sits in a check, e.g. ['headers', 'Authorization'] or ['basicAuth', 'password']. */
export type SecretPath = readonly [string] | readonly [string, string];

/**
 * Calls `fn` with every write-only value of a check and its path; returns a copy of the check with
 * each value replaced by what `fn` answered. Checks of other types come back unchanged.
 */
export function mapCheckSecrets<C extends CheckSpec>(check: C, fn: (value: string, path: SecretPath) => string): C {
  if (check.type !== 'http') return check;
  const copy: CheckSpec & { type: 'http' } = { ...check };
  if (check.headers && Object.keys(check.headers).length > 0)
    copy.headers = Object.fromEntries(
      Object.entries(check.headers).map(([name, value]) => [name, fn(value, ['headers', name])]),
    );
  if (check.body !== undefined) copy.body = fn(check.body, ['body']);
  if (check.basicAuth)
    copy.basicAuth = { ...check.basicAuth, password: fn(check.basicAuth.password, ['basicAuth', 'password']) };
  return copy as C;
}

/** The value at a secret path of a check, if set. */
export function secretAt(check: CheckSpec, path: SecretPath): string | undefined {
  if (check.type !== 'http') return undefined;
  if (path[0] === 'headers' && path[1] !== undefined) {
    // header names are case-insensitive: "authorization" keeps the value stored as "Authorization"
    const wanted = path[1].toLowerCase();
    return Object.entries(check.headers ?? {}).find(([name]) => name.toLowerCase() === wanted)?.[1];
  }
  if (path[0] === 'body') return check.body;
  if (path[0] === 'basicAuth' && path[1] === 'password') return check.basicAuth?.password;
  return undefined;
}

/** A check as the API shows it: every write-only value replaced by SECRET_MASK. */
export const maskCheckSecrets = <C extends CheckSpec>(check: C): C => mapCheckSecrets(check, () => SECRET_MASK);
