import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// `npm run dev -w apps/projects/web` proxies every server path to a Projects on :8080 (npm run start:projects).
const projects = process.env.PROJECTS_URL ?? 'http://localhost:8080';
const serverPaths = ['/api', '/oauth', '/health_checks'];

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { port: 5174, proxy: Object.fromEntries(serverPaths.map((path) => [path, { target: projects, changeOrigin: false }])) },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/test-setup.ts'],
    css: false,
    // Primer's modules import their CSS; let Vite transform them instead of Node.
    server: { deps: { inline: [/@primer\/react/] } },
  },
});
