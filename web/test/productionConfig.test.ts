import { describe, expect, it } from 'vitest';
import { productionConfigProblem } from '../src/productionConfig';

const complete = { VITE_FIREBASE_PROJECT_ID: 'acme-meters', VITE_FIREBASE_API_KEY: 'AIza-key', VITE_FIREBASE_APP_ID: '1:2:web:3' };

describe('a production build of the page', () => {
  it('goes ahead with a real project config', () => {
    expect(productionConfigProblem(complete)).toBeNull();
  });

  it('stops, naming what is missing, without one (instead of targeting 127.0.0.1)', () => {
    expect(productionConfigProblem({})).toMatch(/VITE_FIREBASE_PROJECT_ID, VITE_FIREBASE_API_KEY, VITE_FIREBASE_APP_ID not set/);
    expect(productionConfigProblem({ ...complete, VITE_FIREBASE_API_KEY: '  ' })).toMatch(/VITE_FIREBASE_API_KEY not set/);
  });

  it('stops for a demo- project, which only exists on the emulators', () => {
    expect(productionConfigProblem({ ...complete, VITE_FIREBASE_PROJECT_ID: 'demo-nem12' })).toMatch(/a demo- project is the emulators/);
  });
});
