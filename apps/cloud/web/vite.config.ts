import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// `npm run dev -w apps/cloud/web` proxies every server path to a Cloud on :8081 (npm run start:cloud).
const cloud = process.env.CLOUD_URL ?? 'http://localhost:8081';
const serverPaths = ['/api', '/remote.php', '/ocs', '/status.php', '/index.php/apps/oauth2', '/index.php/apps/groupfolders', '/index.php/settings/personal', '/index.php/login/v2'];

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: Object.fromEntries(serverPaths.map((path) => [path, { target: cloud, changeOrigin: false }])) },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/test-setup.ts'],
    css: false,
    // Primer's modules import their CSS; let Vite transform them instead of Node.
    server: { deps: { inline: [/@primer\/react/] } },
  },
});
