import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { errors } from '../http/errors.ts';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../../frontend/dist/', import.meta.url));

/** Vite's content-hashed bundles: a name never changes content, so browsers may keep them a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built dashboard at / with a single-page-app fallback: a GET for a file of the build
 * gets the file, any other GET that is not an API, WebSocket or health path gets index.html, so
 * deep links like /users load the app. One route (`GET /*`, public in the policy table) serves all.
 *
 * Delivery: the build writes `.br` and `.gz` beside each text file (frontend/vite.config.ts), and
 * @fastify/static's `preCompressed` sends the best one the browser accepts, with
 * `Vary: Accept-Encoding` (the plain file when there is none). Hashed files under /assets/ are
 * cached for good; index.html and the fallback are revalidated every time (`no-cache`, answered
 * with a 304 while unchanged), so a new build is picked up on the next load. Source maps stay on
 * disk for us and are never served.
 */
export async function dashboard(app: FastifyInstance, opts: { root?: string }) {
  const root = path.resolve(opts.root ?? DASHBOARD_DIR);
  const built = existsSync(path.join(root, 'index.html'));
  if (built) await app.register(fastifyStatic, { root, serve: false, preCompressed: true });

  const isApiPath = (url: string) => /^\/(api|ws)(\/|$)/.test(url);
  // a path inside the build folder naming a file, or undefined (no traversal: resolved and checked)
  const fileOf = (url: string) => {
    let relative: string;
    try {
      relative = decodeURIComponent(url).replace(/^\/+/, '');
    } catch {
      return undefined;
    }
    const full = path.resolve(root, relative);
    if (!full.startsWith(root + path.sep)) return undefined;
    try {
      return statSync(full).isFile() ? path.relative(root, full) : undefined;
    } catch {
      return undefined;
    }
  };

  app.get('/*', async (request, reply) => {
    const url = request.url.split('?')[0]!;
    if (isApiPath(url)) throw errors.notFound(`no route GET ${url.slice(0, 256)}`);
    if (!built) throw errors.notFound('the dashboard is not built: run `npm run build`');
    const file = fileOf(url);
    if (url.endsWith('.map') || file?.endsWith('.map')) throw errors.notFound('source maps are not served');
    if (file?.startsWith('assets/')) {
      reply.header('cache-control', IMMUTABLE);
      return reply.sendFile(file, root, { cacheControl: false });
    }
    // a bundle name no build has (an old tab after an upgrade): a 404, not index.html parsed as JavaScript
    if (url.startsWith('/assets/')) throw errors.notFound(`no file ${url.slice(0, 256)}`);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(file ?? 'index.html', root, { cacheControl: false });
  });
}
