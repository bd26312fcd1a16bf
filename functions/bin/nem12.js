#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled from src/cli by `npm run build` (run by `npm install` at the root).
require('../lib/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : err); process.exitCode = 4; },
);
