import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The page is served by Firebase Hosting from web/dist (firebase.json), at the site root.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
});
