import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';

// The backend serves dist/ at / with an SPA fallback, so the build is plain static files. In dev the
// same paths are proxied so the app always talks to "its own origin" (VITE_API_URL empty).
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, import.meta.dirname, 'VITE_');
  const target = env.VITE_DEV_PROXY_TARGET || 'http://localhost:8080';
  const proxy = {
    '/api': { target, changeOrigin: true },
    '/ws': { target, changeOrigin: true, ws: true },
    '/healthz': { target, changeOrigin: true },
  };
  return {
    plugins: [react(), tailwindcss(), precompress()],
    // 'hidden': maps are written (to read a stack trace someone reports) but not linked from the
    // bundles, and the backend never serves them: the source stays private
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden' },
    server: { proxy },
    preview: { proxy },
  };
});

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Writes `<file>.br` and `<file>.gz` next to every text file of the build; the backend sends the
 * one the browser accepts (@fastify/static's preCompressed). Compressed here, once per build, and
 * not by the backend: the strongest settings (brotli 11) take seconds, which would slow every start
 * or the first request, and the files never change between builds. Tiny files, and files that
 * would not shrink, are left alone.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'nop:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => COMPRESSIBLE.test(f));
      await Promise.all(
        files.map(async (file) => {
          const full = path.join(outDir, file);
          const raw = await readFile(full);
          if (raw.length < 1024) return;
          const [br, gz] = await Promise.all([
            brotli(raw, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              },
            }),
            gzipAsync(raw, { level: constants.Z_BEST_COMPRESSION }),
          ]);
          if (br.length < raw.length) await writeFile(`${full}.br`, br);
          if (gz.length < raw.length) await writeFile(`${full}.gz`, gz);
        }),
      );
    },
  };
}
