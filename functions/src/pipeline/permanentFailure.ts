/** A failure that retrying cannot fix: bad data, a missing object, a malformed task. */
export class PermanentFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
