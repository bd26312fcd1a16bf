/**
 * Pure rules over parsed days that belong to this pipeline, not to the NEM12 format: the revision
 * rule the loader stores days by, a day's quality counts for the completeness figures, and the Flo
 * SQL rendering. The parser itself is the `nem12` package.
 */
export * from './dayRevision';
export * from './dayCompleteness';
export * from './floSql';
