import react from '@vitejs/plugin-react';
import { loadEnv } from 'vite';
import { productionConfigProblem } from './src/productionConfig';
import { defineConfig } from 'vitest/config';

export default defineConfig(({ mode }) => {
  // A production build must name its Firebase project: without it the page would silently talk to the emulators.
  const problem = mode === 'production' ? productionConfigProblem(loadEnv(mode, process.cwd(), 'VITE_')) : null;
  if (problem !== null) throw new Error(problem);
  return {
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
};
});
