import { mapCheckSecrets, SECRET_MASK, type CheckSpec, type SecretPath } from '@nop/protocol';

/**
 * HTTP header values, the HTTP body and the basic-auth password are write-only through the API: it
 * answers SECRET_MASK in their place, and a check sent back with the mask keeps its stored value.
 * The dashboard therefore passes checks it did not edit back exactly as it got them, and never
 * shows the mask itself: it says which secrets are set.
 */

/** True for the API's stand-in for a stored secret. */
export const isMasked = (value: string | undefined): boolean => value === SECRET_MASK;

function describe(path: SecretPath): string {
  if (path[0] === 'headers') return `${path[1]} header`;
  if (path[0] === 'basicAuth') return 'basic-auth password';
  return 'request body';
}

/** The write-only settings a check has, in words ("Authorization header", "basic-auth password"). */
export function secretsSet(check: CheckSpec): string[] {
  const found: string[] = [];
  mapCheckSecrets(check, (value, path) => {
    if (value !== '') found.push(describe(path));
    return value;
  });
  return found;
}
