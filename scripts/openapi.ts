// Writes docs/openapi.json from the zod schemas (`npm run openapi`), formatted as `npm run lint`
// expects. A test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { buildOpenApi } from '../backend/src/http/openapi.ts';

const file = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
const options = { ...(await resolveConfig(file)), filepath: file };
writeFileSync(file, await format(JSON.stringify(buildOpenApi()), options));
console.log(`wrote ${file}`);
