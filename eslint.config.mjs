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
  // The NEM12 core is pure: no I/O, no Firebase, no database. Everything else wraps it.
  ...[
    { files: ['functions/src/nem12/*.ts'], outside: '../*' },
    { files: ['functions/src/nem12/decode/*.ts'], outside: '../../*' },
  ].map(({ files, outside }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['firebase*', 'firebase-*/**', '@google-cloud/*', 'pg', 'pg-*', 'fs', 'node:*', 'zlib', 'stream', 'crypto', 'fflate'], message: 'The NEM12 core is pure: no I/O, Firebase or database imports.' },
            { group: [outside], message: 'The NEM12 core imports nothing from the rest of the project.' },
          ],
        },
      ],
    },
  })),
  {
    // The web page: the rules of hooks (plugin installed by the web workspace).
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
);
