import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

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
    plugins: [react(), tailwindcss()],
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
    server: { proxy },
    preview: { proxy },
  };
});
