import { mapCheckSecrets, type AgentConfig } from '@nop/protocol';
import type { Db } from '../db/db.ts';
import { syncChecks } from '../modules/agents/repo.ts';
import { ENCRYPTED_PREFIX, type SecretCipher } from './cipher.ts';
import { moveUrlCredentials } from './check-secrets.ts';

const clear = `!(@ starts with "${ENCRYPTED_PREFIX}")`;
/** An http check with a secret in clear (protocol/src/secrets.ts), or credentials in its target URL. */
const NEEDS_SEALING =
  `$.checks[*] ? (@.type == "http" && (exists(@.headers.* ? (${clear})) || exists(@.body ? (${clear})) || ` +
  `exists(@.basicAuth.password ? (${clear})) || @.target like_regex "^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*@"))`;

/**
 * Runs at every start, after the schema migrations: check secrets stored in clear (before NOP
 * encrypted them, or by hand) are encrypted, and credentials inside HTTP targets move to basicAuth.
 * Idempotent: a second run finds nothing to do. Returns how many agents it rewrote.
 */
export async function encryptStoredSecrets(db: Db, cipher: SecretCipher): Promise<number> {
  // the database picks the agents with work to do, so a start reads no configs when there is none
  const { rows } = await db.query<{ id: string; config: AgentConfig }>(
    'SELECT id, config FROM agents WHERE jsonb_path_exists(config, $1::jsonpath)',
    [NEEDS_SEALING],
  );
  let rewritten = 0;
  for (const row of rows) {
    const checks = row.config.checks ?? [];
    const sealed = checks.map((check) =>
      mapCheckSecrets(moveUrlCredentials(check), (value) =>
        cipher.isEncrypted(value) ? value : cipher.encrypt(value),
      ),
    );
    if (JSON.stringify(sealed) === JSON.stringify(checks)) continue;
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE agents SET config = jsonb_set(config, '{checks}', $2::jsonb) WHERE id = $1`, [
        row.id,
        JSON.stringify(sealed),
      ]);
      await syncChecks(tx, row.id, sealed);
    });
    rewritten++;
  }
  return rewritten;
}
