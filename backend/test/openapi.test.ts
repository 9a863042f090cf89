import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { buildOpenApi } from '../src/http/openapi.ts';
import { createJwtService } from '../src/modules/auth/jwt.ts';
import { createSecretCipher } from '../src/secrets/cipher.ts';
import { openTestDb } from './helpers/databases.ts';

const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));

describe('OpenAPI document (docs/openapi.json)', () => {
  it('is up to date with the schemas (run `npm run openapi` after changing them)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(buildOpenApi());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the app serves, and no route it does not', async () => {
    const test = await openTestDb('pglite');
    const routes = new Set<string>();
    const app = await buildApp({
      config: { NOP_AUTH_RATE_LIMIT: 10, NOP_PUBLIC_URL: undefined },
      db: test.db,
      bus: createMemoryBus(),
      jwt: createJwtService('x'.repeat(32), 60),
      cipher: createSecretCipher('x'.repeat(32)),
      onRoute: (method, url) => {
        if (method !== 'HEAD' && /^\/(api|ws|graphql|healthz|readyz|metrics)/.test(url))
          routes.add(`${method} ${url.replace(/:(\w+)/g, '{$1}')}`);
      },
    });
    await app.close();
    await test.cleanup();
    const documented = Object.entries(committed.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => k !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...routes].sort()).toEqual(documented.sort());
  });
});
