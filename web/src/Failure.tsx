/** What could not be shown and why, announced, with a way to ask again. */
export function Failure({ what, error, onRetry }: { what: string; error: string; onRetry(): void }) {
  return (
    <div className="form-error" role="alert">
      <p>
        {what}: {error}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
