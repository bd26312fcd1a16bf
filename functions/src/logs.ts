import * as logger from 'firebase-functions/logger';

/**
 * The pipeline's log events, named and structured: fields, never values pasted into messages, and
 * never file contents.
 */
export const logs = {
  statusMoved: (fields: { statusId: string; transition: string; from: string; to: string; ms: number | null; readings: number; chunks: number }) => logger.info('upload status moved', fields),
  uploadSkipped: (fields: { name: string; reason: string }) => logger.info('upload skipped', fields),
  uploadSwept: (fields: { statusId: string; name: string }) => logger.warn('upload swept (its event never came)', fields),
  uploadRefused: (fields: { statusId: string; name: string; reason: string }) => logger.warn('upload refused', fields),
  uploadClaimed: (fields: { statusId: string; uploadId: number; name: string; bytes: number }) => logger.info('upload claimed', fields),
  uploadAlreadyClaimed: (fields: { statusId: string; name: string; resumedTasks: number | null }) => logger.info('upload already claimed (redelivered event)', fields),
  uploadSplit: (fields: { statusId: string; chunks: number; readings: number; warnings: number; compressed: boolean; ms: number }) =>
    logger.info('upload split', fields),
  uploadRejected: (fields: { statusId: string; errors: number; firstCode: string | undefined }) => logger.warn('upload rejected', fields),
  chunkStaged: (fields: { statusId: string; chunk: number; readings: number; ms: number }) => logger.info('chunk staged', fields),
  chunkSkipped: (fields: { statusId: string; chunk: number; reason: string }) => logger.info('chunk skipped', fields),
  sqlPartWritten: (fields: { statusId: string; part: number; readings: number; ms: number }) => logger.info('flo sql part written', fields),
  sqlWritten: (fields: { statusId: string; path: string; parts: number; ms: number }) => logger.info('flo sql composed', fields),
  sqlFailed: (fields: { statusId: string; code: string; message: string }) => logger.error('flo sql could not be written', fields),
  uploadPublished: (fields: { statusId: string; new: number; updated: number; unchanged: number; ms: number }) =>
    logger.info('upload published', fields),
  uploadFailed: (fields: { statusId: string; code: string; message: string }) => logger.error('upload failed', fields),
  taskRetrying: (fields: { task: string; statusId: string }, error: unknown) => logger.warn('task failed, will be retried', { ...fields, ...errorFields(error) }),
  apiFailed: (fields: { path: string }, error: unknown) => logger.error('api request failed', { ...fields, ...errorFields(error) }),
  /** Any other failure: with its stack, so Error Reporting groups it. */
  failure: (message: string, error: unknown, fields: Record<string, unknown> = {}) => logger.error(message, { ...fields, ...errorFields(error) }),
  cleanup: (fields: { redriven: number; stalled: number; stagingDropped: number; tmpDeleted: number }) => logger.info('cleanup done', fields),
};

/**
 * An error as structured fields: its message, code and stack. `stack_trace` and the event type are
 * what Cloud Error Reporting reads from a log entry to group failures by where they were thrown.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  const failure = error instanceof Error ? error : new Error(String(error));
  return {
    '@type': 'type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent',
    error: failure.message,
    ...((failure as { code?: unknown }).code === undefined ? {} : { code: String((failure as { code?: unknown }).code) }),
    stack_trace: failure.stack ?? `${failure.name}: ${failure.message}`,
  };
}
