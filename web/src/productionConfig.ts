/**
 * What is wrong with a production build's Firebase config, or null. `npm run build:production`
 * (Vite's mode production) builds the page for a real project; `npm run build` (mode emulators)
 * is the local page of `npm start` and the browser tests.
 */
export function productionConfigProblem(env: Record<string, string | undefined>): string | null {
  const missing = ['VITE_FIREBASE_PROJECT_ID', 'VITE_FIREBASE_API_KEY', 'VITE_FIREBASE_APP_ID'].filter((key) => !env[key]?.trim());
  const demo = env.VITE_FIREBASE_PROJECT_ID?.trim().startsWith('demo-') ?? false;
  if (missing.length === 0 && !demo) return null;
  return (
    `A production build needs the Firebase web app's config: ${missing.length > 0 ? `${missing.join(', ')} not set` : 'a demo- project is the emulators'}. ` +
    'Put them in web/.env.production.local (see web/.env.example and README: Production), or run `npm run build` for the emulators.'
  );
}
