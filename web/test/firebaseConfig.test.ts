import { describe, expect, it } from 'vitest';
import { firebaseSetup, isDemoProject } from '../src/firebaseConfig';

describe('firebaseSetup', () => {
  it('uses the local demo project on the emulators when no project is configured', () => {
    const setup = firebaseSetup({});
    expect(setup.config).toEqual({
      apiKey: 'demo-key',
      projectId: 'demo-nem12',
      storageBucket: 'demo-nem12.appspot.com',
      authDomain: 'demo-nem12.firebaseapp.com',
    });
    expect(setup.emulators).toEqual({
      authUrl: 'http://127.0.0.1:9099',
      firestore: { host: '127.0.0.1', port: 8080 },
      storage: { host: '127.0.0.1', port: 9199 },
    });
  });

  it('treats blank variables as unset', () => {
    expect(firebaseSetup({ VITE_FIREBASE_PROJECT_ID: '  ', VITE_FIREBASE_API_KEY: '' }).config.projectId).toBe('demo-nem12');
  });

  it('uses the production values from the env, without emulators', () => {
    const setup = firebaseSetup({
      VITE_FIREBASE_API_KEY: 'AIza-real',
      VITE_FIREBASE_AUTH_DOMAIN: 'nem12-prod.firebaseapp.com',
      VITE_FIREBASE_PROJECT_ID: 'nem12-prod',
      VITE_FIREBASE_STORAGE_BUCKET: 'nem12-prod.firebasestorage.app',
      VITE_FIREBASE_APP_ID: '1:123:web:abc',
    });
    expect(setup.config).toEqual({
      apiKey: 'AIza-real',
      authDomain: 'nem12-prod.firebaseapp.com',
      projectId: 'nem12-prod',
      storageBucket: 'nem12-prod.firebasestorage.app',
      appId: '1:123:web:abc',
    });
    expect(setup.emulators).toBeNull();
  });

  it('derives the auth domain and bucket from the project id when they are not given', () => {
    const setup = firebaseSetup({ VITE_FIREBASE_PROJECT_ID: 'acme-meters', VITE_FIREBASE_API_KEY: 'k' });
    expect(setup.config.authDomain).toBe('acme-meters.firebaseapp.com');
    expect(setup.config.storageBucket).toBe('acme-meters.firebasestorage.app');
    expect(setup.config).not.toHaveProperty('appId');
  });

  it('uses the emulators for any demo- project, even one given in the env', () => {
    const setup = firebaseSetup({ VITE_FIREBASE_PROJECT_ID: 'demo-other' });
    expect(setup.config.projectId).toBe('demo-other');
    expect(setup.config.apiKey).toBe('demo-key');
    expect(setup.emulators).not.toBeNull();
  });

  it('refuses a real project without an API key', () => {
    expect(() => firebaseSetup({ VITE_FIREBASE_PROJECT_ID: 'nem12-prod' })).toThrow(/VITE_FIREBASE_API_KEY/);
  });

  it('knows demo projects by their prefix', () => {
    expect(isDemoProject('demo-nem12')).toBe(true);
    expect(isDemoProject('nem12-demo')).toBe(false);
  });
});
