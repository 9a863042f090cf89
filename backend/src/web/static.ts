import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { errors } from '../http/errors.ts';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../../frontend/dist/', import.meta.url));

/**
 * Serves the built dashboard at / with a single-page-app fallback: any GET that is not an API,
 * WebSocket or health path gets index.html, so deep links like /agents/… load the app.
 */
export async function dashboard(app: FastifyInstance, opts: { root?: string }) {
  const root = opts.root ?? DASHBOARD_DIR;
  const built = existsSync(path.join(root, 'index.html'));
  // The dashboard's files are public (the app itself asks for a login). This plugin is encapsulated,
  // so the hook marks only the routes registered here, including @fastify/static's.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, auth: 'public' };
  });
  if (built) await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });

  const isApiPath = (url: string) => /^\/(api|ws)(\/|$)/.test(url);
  app.get('/*', async (request, reply) => {
    const url = request.url.split('?')[0]!;
    if (isApiPath(url)) throw errors.notFound(`no route GET ${url}`);
    if (!built) throw errors.notFound('the dashboard is not built: run `npm run build`');
    return reply.sendFile('index.html', root);
  });
}
