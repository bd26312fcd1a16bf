import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/lib/**', '**/dist/**', '.data/**', 'functions/scratch/**', 'functions/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The nem12 package is pure and dependency-free: no imports but its own modules (no Node built-ins,
  // no packages), no Node globals, so the same build runs in Node and in browsers.
  ...[
    { files: ['nem12/src/*.ts'], outside: '../*' },
    { files: ['nem12/src/decode/*.ts'], outside: '../../*' },
  ].map(({ files, outside }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^[^.]', message: 'The nem12 package has no dependencies and imports no Node built-ins.' },
            { group: [outside], message: 'The nem12 package imports nothing from outside its src folder.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['Buffer', 'process', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
          name,
          message: 'The nem12 package runs in browsers too: bytes are Uint8Array, no Node globals.',
        })),
      ],
    },
  })),
  {
    // CommonJS configuration files (dependency-cruiser reads .cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // The web page: the rules of hooks (plugin installed by the web workspace).
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
);
