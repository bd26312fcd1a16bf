import { useState } from 'react';

/** A CSV download that takes a moment (the API streams it): says so, and says why when it fails. */
export function DownloadButton({ label, download }: { label: string; download(): Promise<void> }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const onClick = () => {
    setState({ busy: true, error: null });
    download().then(
      () => setState({ busy: false, error: null }),
      (error: unknown) => setState({ busy: false, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  return (
    <span className="downloads">
      <button type="button" className="link" onClick={onClick} disabled={state.busy}>
        {state.busy ? 'Preparing the CSV…' : label}
      </button>
      {state.error !== null && (
        <span className="field-problem" role="alert">
          {' '}
          The CSV cannot be downloaded: {state.error}
        </span>
      )}
    </span>
  );
}
