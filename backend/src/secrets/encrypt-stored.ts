import { mapCheckSecrets, type CheckSpec } from '@nop/protocol';
import type { Db } from '../db/db.ts';
import { lockCompilation, recompileAgents } from '../modules/checks/compile.ts';
import { ENCRYPTED_PREFIX, type SecretCipher } from './cipher.ts';
import { moveUrlCredentials } from './check-secrets.ts';

const clear = `!(@ starts with "${ENCRYPTED_PREFIX}")`;
/** An http check with a secret in clear (protocol/src/secrets.ts), or credentials in its target URL. */
const NEEDS_SEALING =
  `$.checks[*] ? (@.type == "http" && (exists(@.headers.* ? (${clear})) || exists(@.body ? (${clear})) || ` +
  `exists(@.basicAuth.password ? (${clear})) || @.target like_regex "^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*@"))`;

/**
 * Runs at every start, after the schema migrations: check secrets stored in clear (before NOP
 * encrypted them, or by hand) are encrypted, and credentials inside HTTP targets move to basicAuth;
 * the configs of the agents running those checks are compiled again from the sealed checks.
 * Idempotent: a second run finds nothing to do. Returns how many checks it rewrote.
 */
export async function encryptStoredSecrets(db: Db, cipher: SecretCipher): Promise<number> {
  // the database picks the rows with work to do, so a start reads no specs when there is none
  const { rows } = await db.query<{ id: string; spec: CheckSpec }>(
    `SELECT id, spec FROM checks
     WHERE jsonb_path_exists(jsonb_build_object('checks', jsonb_build_array(spec)), $1::jsonpath)`,
    [NEEDS_SEALING],
  );
  let rewritten = 0;
  for (const row of rows) {
    const sealed = mapCheckSecrets(moveUrlCredentials(row.spec), (value) =>
      cipher.isEncrypted(value) ? value : cipher.encrypt(value),
    );
    if (JSON.stringify(sealed) === JSON.stringify(row.spec)) continue;
    await db.query('UPDATE checks SET spec = $2::jsonb, target = $3 WHERE id = $1', [
      row.id,
      JSON.stringify(sealed),
      sealed.target,
    ]);
    rewritten++;
  }
  // agents whose compiled config still holds a clear value get it again from the sealed checks
  await db.transaction(async (tx) => {
    const stale = await tx.query<{ id: string }>(
      'SELECT id FROM agents WHERE jsonb_path_exists(config, $1::jsonpath)',
      [NEEDS_SEALING],
    );
    if (!stale.rows.length) return;
    await lockCompilation(tx);
    // the compile writes only when the checks differ: force it by forgetting the stale list
    await tx.query(`UPDATE agents SET config = config - 'checks' WHERE id = ANY($1::uuid[])`, [
      stale.rows.map((r) => r.id),
    ]);
    await recompileAgents(
      tx,
      stale.rows.map((r) => r.id),
    );
  });
  return rewritten;
}
