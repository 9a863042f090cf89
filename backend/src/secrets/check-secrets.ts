import { mapCheckSecrets, maskCheckSecrets, SECRET_MASK, secretAt, type CheckSpec } from '@nop/protocol';
import { errors, type FieldError } from '../http/errors.ts';
import type { SecretCipher } from './cipher.ts';

/**
 * Check settings that carry credentials (see protocol/src/secrets.ts) as the backend keeps them:
 * encrypted in the database, masked in every API answer, in clear only on the link to the agent
 * that runs the check.
 */

/** `http://user:pass@host/` keeps its credentials out of the target (shown everywhere, stored with
 * every result): they move to `basicAuth`, which is write-only. */
export function moveUrlCredentials<C extends CheckSpec>(check: C): C {
  if (check.type !== 'http') return check;
  let url: URL;
  try {
    url = new URL(check.target);
  } catch {
    return check;
  }
  if (!url.username && !url.password) return check;
  const basicAuth = check.basicAuth ?? {
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  url.username = '';
  url.password = '';
  return { ...check, target: url.href, basicAuth };
}

/**
 * Prepares checks from an API request for storage: URL credentials moved, each SECRET_MASK replaced
 * by the value stored for the same check and path (the client kept it without seeing it), every
 * clear value encrypted. A mask where nothing is stored is a 400 naming the field.
 */
export function sealChecks(
  checks: CheckSpec[],
  stored: CheckSpec[],
  cipher: SecretCipher,
  where: string | ((index: number) => string) = 'body.config.checks',
): CheckSpec[] {
  const pathOf = typeof where === 'string' ? (index: number) => `${where}[${index}]` : where;
  const storedById = new Map(stored.map((check) => [check.id, check]));
  const problems: FieldError[] = [];
  const sealed = checks.map((incoming, index) =>
    mapCheckSecrets(moveUrlCredentials(incoming), (value, path) => {
      if (value !== SECRET_MASK) return cipher.encrypt(value);
      const previous = storedById.get(incoming.id);
      const kept = previous && secretAt(previous, path);
      if (kept !== undefined) return cipher.isEncrypted(kept) ? kept : cipher.encrypt(kept);
      problems.push({
        path: `${pathOf(index)}.${path.join('.')}`,
        message: `"${SECRET_MASK}" keeps a stored value, but check "${incoming.id}" has none here: send the value`,
      });
      return value;
    }),
  );
  if (problems.length) throw errors.invalidFields(problems);
  return sealed;
}

/** The checks in clear, for the agent that runs them (and nothing else). */
export const openChecks = (checks: CheckSpec[], cipher: SecretCipher): CheckSpec[] =>
  checks.map((check) => mapCheckSecrets(check, (value) => (cipher.isEncrypted(value) ? cipher.decrypt(value) : value)));

/** The checks as every API answer shows them. */
export const maskChecks = (checks: CheckSpec[]): CheckSpec[] => checks.map(maskCheckSecrets);
