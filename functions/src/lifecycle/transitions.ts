import type { UploadState } from '../status/statusDocument';

/**
 * Every move of an upload, by name: from which states, to which. The same table for PostgreSQL
 * (`uploads.status`, the truth) and the status document (its projection); lifecycle/ is the one
 * module that applies it, PostgreSQL first. An empty `from` means the record does not exist yet.
 * done and failed never move.
 *
 *   (none) -create-> pending -claim-> splitting -split-> loading -publish-> publishing -complete-> done
 *                       ^-release-/     \-reject-> failed       any unfinished state -fail-> failed
 *   a resumed upload: loading -resume-> loading (its document may still say splitting)
 *   the CLI's load, in one transaction: (none) -begin-> loading -loaded-> done
 */
export const TRANSITIONS = {
  /** A finalized object is recorded (the status document only: the row comes with the claim). */
  create: { from: [], to: 'pending' },
  /** The delivery is this function's to split (a split that stalled long ago may be taken over). */
  claim: { from: ['pending', 'splitting'], to: 'splitting' },
  /** The split failed on something transient: the claim is given back for the retried event. */
  release: { from: ['splitting'], to: 'pending' },
  /** The split found errors in the file. */
  reject: { from: ['splitting'], to: 'failed' },
  /** The file is validated and cut into chunks. */
  split: { from: ['splitting'], to: 'loading' },
  /** A loading upload carried on by a redelivered event or the cleanup: its document told again what its row says (the split's update may have been lost). */
  resume: { from: ['splitting', 'loading'], to: 'loading' },
  /** Every chunk is staged: the readings are being made visible. */
  publish: { from: ['loading'], to: 'publishing' },
  /** The readings are published and the Flo SQL file is in (or given up). */
  complete: { from: ['publishing'], to: 'done' },
  /** For one reason, nothing published. */
  fail: { from: ['pending', 'splitting', 'loading', 'publishing'], to: 'failed' },
  /** `nem12 load`: a new file's row, inside the load's transaction. */
  begin: { from: [], to: 'loading' },
  /** `nem12 load`: the same transaction, about to commit. */
  loaded: { from: ['loading'], to: 'done' },
} as const satisfies Record<string, { from: readonly UploadState[]; to: UploadState }>;

export type Transition = keyof typeof TRANSITIONS;

/** States a transition may start from, for SQL: `status IN (...)`. */
export function fromStates(transition: Transition): string {
  return (TRANSITIONS[transition].from as readonly string[]).map((state) => `'${state}'`).join(', ');
}
