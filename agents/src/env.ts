import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** agents/.env, loaded when present; variables already set in the environment win. */
export const DOTENV_FILE = fileURLToPath(new URL('../.env', import.meta.url));

export function loadDotEnv(file = DOTENV_FILE): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
