/**
 * What the load wrote is not what validation found (a bug, or storage that lost rows): the load is
 * rolled back whole. Better a refused load than a wrong one.
 */
export class LoadVerificationError extends Error {
  readonly code = 'LOAD_VERIFICATION_FAILED';

  constructor(detail: string) {
    super(`The load was checked before commit and rolled back: ${detail}. Nothing was stored.`);
  }
}

/** A failure that retrying cannot fix: bad data, a missing object, a malformed task. */
export class PermanentFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
