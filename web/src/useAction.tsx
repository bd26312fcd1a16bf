import { useCallback, useState } from 'react';

/**
 * One action at a time on a panel, and what became of it: `busy` names the running one, `problem`
 * (announced at once, role=alert) why it failed, `done` (a polite live region) what it did.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  /** Runs `work` as `what`; its answer is the message said when it succeeds. */
  const run = useCallback(async (what: string, work: () => Promise<string>) => {
    setBusy(what);
    setProblem(null);
    setDone(null);
    try {
      setDone(await work());
    } catch (caught) {
      setProblem(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  }, []);

  const refuse = useCallback((why: string) => {
    setDone(null);
    setProblem(why);
  }, []);

  return { busy, problem, done, run, refuse };
}

export function ActionMessages({ problem, done }: { problem: string | null; done: string | null }) {
  return (
    <>
      {problem !== null && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="hint" role="status">
        {done ?? ''}
      </p>
    </>
  );
}
