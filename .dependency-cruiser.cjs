/**
 * The layers of the code, lowest first: a module imports only from its own layer or lower ones,
 * and nothing imports in a circle. `npm run lint` checks it (`depcruise`), so CI does.
 *
 *   nem12/src            the nem12 package: the pure parser; imports nothing but its own modules
 *   functions/src (imports the parser as the package `nem12`, never by a path into nem12/):
 *     completeness, source, days  pure: stream bitmaps, the completeness sweep, the register file; bytes in:
 *                        decompression, local files, parsing a stream; the revision rule, quality counts, Flo SQL
 *     status, orgs       the status document's shape; organisations and membership
 *     load, logs         PostgreSQL (pools, migrations, plan, publish, staging, ledger); log events
 *     config, firebase   params, the function table, pools per function; the Admin SDK
 *     lifecycle          the one owner of an upload's state (row and status document)
 *     ingest, pipeline   `nem12 load` of a whole file; the pipeline's orchestration (objects, tasks, resume, sweep)
 *     split              the split of an uploaded object
 *     trigger, tasks, api  the deployed handlers
 *     cli, dev, bench, index  entry points
 *   web/src: components and hooks import the API's and the status document's types from
 *   functions/src (types only: status, api, orgs, pipeline/uploadPaths; and the pure inspection of a file,
 *   source/archive and source/inspectBytes, that it runs before sending one), the parser as `nem12`, and nothing circles.
 */
const LAYERS = [
  ['completeness', 'source', 'days'],
  ['status', 'orgs'],
  ['load', 'logs'],
  ['config', 'firebase'],
  ['lifecycle'],
  ['ingest', 'pipeline'],
  ['split'],
  ['trigger', 'tasks', 'api'],
  ['cli', 'dev', 'bench', 'index'],
];

const path = (names) => `^functions/src/(${names.join('|')})(/|\\.ts$)`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join(', ')} may not import from a higher layer (${LAYERS.slice(i + 1).flat().join(', ')})`,
  severity: 'error',
  from: { path: path(layer) },
  to: { path: path(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle is a module that cannot be understood without its own users: share what both need in a lower module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'nem12-package-pure',
      comment: 'The nem12 package imports only its own modules: no Node built-ins, no packages, nothing of the project.',
      severity: 'error',
      from: { path: '^nem12/src' },
      to: { pathNot: '^nem12/src' },
    },
    {
      name: 'nem12-as-a-package',
      comment: 'The parser is reached as the package `nem12` (its build), never by a relative path into nem12/.',
      severity: 'error',
      from: { pathNot: '^nem12/' },
      to: { path: '^nem12/src' },
    },
    {
      name: 'web-uses-only-shared-types',
      comment: 'The page bundles no function code: only the modules shared with it (pure types and paths, and the pure inspection of a file it runs before sending one).',
      severity: 'error',
      from: { path: '^web/src' },
      to: { path: '^functions/src', pathNot: '^functions/src/(status/statusDocument|api/apiTypes|orgs/(membership|orgIds)|pipeline/uploadPaths|source/(archive|inspectBytes))' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'functions/tsconfig.json' },
    exclude: { path: '(^|/)(lib|dist|node_modules)/' },
  },
};
