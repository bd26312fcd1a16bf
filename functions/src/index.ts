/**
 * The deployed functions, in the order data flows through them:
 * storage trigger -> split -> chunk tasks (+ the Flo SQL file) -> finish; an hourly cleanup; and
 * the readings API that serves what was loaded.
 */
export { onUpload } from './trigger/onUpload';
export { processChunk } from './tasks/processChunk';
export { exportFloSql } from './tasks/exportFloSql';
export { publishUpload } from './tasks/publishUpload';
export { cleanup } from './tasks/cleanup';
export { api } from './api/api';
