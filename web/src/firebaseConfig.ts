/**
 * Which Firebase project the page talks to, decided from the Vite env (pure, so it is tested without
 * Firebase). No VITE_FIREBASE_PROJECT_ID: the local demo project on the emulators (what `npm start`
 * runs). A project id starting with `demo-` always means the emulators, as in the functions and CLI.
 */
export interface FirebaseWebConfig {
  apiKey: string;
  authDomain: string;
  projectId: string;
  storageBucket: string;
  appId?: string;
}

export interface EmulatorHosts {
  /** connectAuthEmulator takes a URL. */
  authUrl: string;
  firestore: { host: string; port: number };
  storage: { host: string; port: number };
}

export interface FirebaseSetup {
  config: FirebaseWebConfig;
  /** null: production services. */
  emulators: EmulatorHosts | null;
}

export type FirebaseEnv = Partial<
  Record<
    | 'VITE_FIREBASE_API_KEY'
    | 'VITE_FIREBASE_AUTH_DOMAIN'
    | 'VITE_FIREBASE_PROJECT_ID'
    | 'VITE_FIREBASE_STORAGE_BUCKET'
    | 'VITE_FIREBASE_APP_ID',
    string | undefined
  >
>;

export const DEMO_CONFIG: FirebaseWebConfig = {
  apiKey: 'demo-key',
  projectId: 'demo-nem12',
  storageBucket: 'demo-nem12.appspot.com',
  authDomain: 'demo-nem12.firebaseapp.com',
};

/** The ports of firebase.json's emulator suite. */
export const EMULATOR_HOSTS: EmulatorHosts = {
  authUrl: 'http://127.0.0.1:9099',
  firestore: { host: '127.0.0.1', port: 8080 },
  storage: { host: '127.0.0.1', port: 9199 },
};

export function isDemoProject(projectId: string): boolean {
  return projectId.startsWith('demo-');
}

export function firebaseSetup(env: FirebaseEnv): FirebaseSetup {
  const value = (key: keyof FirebaseEnv): string | undefined => env[key]?.trim() || undefined;
  const projectId = value('VITE_FIREBASE_PROJECT_ID');
  if (projectId === undefined) return { config: DEMO_CONFIG, emulators: EMULATOR_HOSTS };

  const demo = isDemoProject(projectId);
  const apiKey = value('VITE_FIREBASE_API_KEY') ?? (demo ? DEMO_CONFIG.apiKey : undefined);
  if (apiKey === undefined) {
    throw new Error('VITE_FIREBASE_PROJECT_ID is set but VITE_FIREBASE_API_KEY is not: set both (see web/.env.example)');
  }
  const appId = value('VITE_FIREBASE_APP_ID');
  const config: FirebaseWebConfig = {
    apiKey,
    projectId,
    authDomain: value('VITE_FIREBASE_AUTH_DOMAIN') ?? `${projectId}.firebaseapp.com`,
    // The default bucket name since October 2024; older projects set {project}.appspot.com.
    storageBucket: value('VITE_FIREBASE_STORAGE_BUCKET') ?? `${projectId}.firebasestorage.app`,
    ...(appId === undefined ? {} : { appId }),
  };
  return { config, emulators: demo ? EMULATOR_HOSTS : null };
}
