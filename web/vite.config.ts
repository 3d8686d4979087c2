/**
 * Vite config for the MedFund web application (React 19 + ECharts).
 * `npm run build:web` writes web/dist, which `medfund serve` serves; `npm run dev:web` serves the
 * sources with /api proxied to a running server (MEDFUND_API, default http://127.0.0.1:8080).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.MEDFUND_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // ECharts alone is ~700 kB minified; one lazy chunk for it keeps the first paint small.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: true }, '/fhir': { target: api, changeOrigin: true } },
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
