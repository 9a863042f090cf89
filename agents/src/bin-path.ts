import { fileURLToPath } from 'node:url';

/** The agent's executable: `node AGENT_BIN [--config FILE]` (the backend spawns it this way). */
export const AGENT_BIN = fileURLToPath(new URL('../bin/nop-agent.mjs', import.meta.url));
