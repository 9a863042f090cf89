// Writes docs/schema.graphql from the schema in code (`npm run graphql-schema`), formatted as
// `npm run lint` expects. A test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, printSchema } from 'graphql';
import { format, resolveConfig } from 'prettier';
import { typeDefs } from '../backend/src/graphql/schema.ts';

const file = fileURLToPath(new URL('../docs/schema.graphql', import.meta.url));
const options = { ...(await resolveConfig(file)), filepath: file };
const header = '# The GraphQL schema of /graphql, written by `npm run graphql-schema`: do not edit by hand.\n\n';
writeFileSync(file, await format(header + printSchema(buildSchema(typeDefs)), options));
console.log(`wrote ${file}`);
