import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The page is served by Firebase Hosting from web/dist (firebase.json), at the site root, where
// /api/** is rewritten to the `api` function. Vite's dev server does the same rewrite to the
// functions emulator of `npm start`.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:5001', rewrite: (path) => `/demo-nem12/australia-southeast1/api${path.slice('/api'.length)}` },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
});
