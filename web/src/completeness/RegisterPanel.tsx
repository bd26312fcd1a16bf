import { useId, useState, type FormEvent } from 'react';
import { ApiRequestError, type ApiErrorLine } from '../apiClient';
import { Failure } from '../Failure';
import { formatCount, plural } from '../uploads/format';
import type { RegisterSummary } from './completenessModel';
import type { RegisterResource } from './useCompletenessApi';

export interface RegisterPanelProps {
  register: RegisterResource;
  /** Register lines in force over the report's days (the summary's), once known. */
  registered: number | null;
  /** Admins replace the register; members only see its size. */
  admin: boolean;
  replaceRegister(csv: string): Promise<RegisterSummary>;
}

type Outcome = { state: 'idle' | 'sending' } | { state: 'done'; summary: RegisterSummary } | { state: 'refused'; message: string; lines: ApiErrorLine[]; lineCount: number };

/**
 * The organisation's register of NMIs: its size for everyone; for admins, a CSV file that replaces
 * it whole, or, refused, changes nothing and is listed back line by line with what is wrong.
 */
export function RegisterPanel({ register, registered, admin, replaceRegister }: RegisterPanelProps) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file === null) return setOutcome({ state: 'refused', message: 'Choose the register file first.', lines: [], lineCount: 0 });
    setOutcome({ state: 'sending' });
    file
      .text()
      .then(replaceRegister)
      .then(
        (summary) => setOutcome({ state: 'done', summary }),
        (error: unknown) =>
          setOutcome(
            error instanceof ApiRequestError
              ? { state: 'refused', message: refusalOf(error), lines: error.lines, lineCount: error.lineCount }
              : { state: 'refused', message: `${file.name} cannot be read: ${(error as Error).message}`, lines: [], lineCount: 0 },
          ),
      );
  };

  return (
    <section className="panel register" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Register of NMIs</h3>
      {register.state === 'loading' && <p className="placeholder">Counting the register…</p>}
      {register.state === 'error' && <Failure what="The register cannot be counted" error={register.error} onRetry={register.retry} />}
      {register.state === 'ready' && (
        <p data-testid="register-size">
          {register.data.lines === 0
            ? 'The register is empty: streams are expected from what was received only.'
            : `The register has ${plural(register.data.lines, 'line')} naming ${plural(register.data.nmis, 'NMI')}${registered === null ? '' : `; ${formatCount(registered)} in force over these days`}.`}
        </p>
      )}
      <p className="hint">
        An NMI the register names is expected over its period, received or not (one never received is listed with no suffix).
        {!admin && ' Only an admin of your organisation can change it.'}
      </p>
      {admin && (
        <form className="register-form" onSubmit={submit} noValidate aria-busy={outcome.state === 'sending'}>
          <div className="field">
            <label htmlFor={`${id}-file`}>Register file (CSV)</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,text/csv,text/plain"
              aria-describedby={`${id}-format`}
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setOutcome({ state: 'idle' });
              }}
            />
          </div>
          <p className="hint" id={`${id}-format`}>
            One line per NMI and period, <code>nmi,suffixes,from,to</code>: <code>NMI0000001,E1 B1,2024-01-01,</code> is E1 and B1 from 1 January 2024 on; no suffix is every stream of the NMI; dates
            YYYY-MM-DD, empty for open. The file replaces the whole register, or changes nothing if a line has a problem.
          </p>
          <button type="submit" className="primary" disabled={outcome.state === 'sending'}>
            {outcome.state === 'sending' ? 'Replacing the register…' : 'Replace the register'}
          </button>
        </form>
      )}
      <p className="hint" role="status">
        {outcome.state === 'done' ? `The register was replaced: ${plural(outcome.summary.lines, 'line')} naming ${plural(outcome.summary.nmis, 'NMI')}.` : ''}
      </p>
      {outcome.state === 'refused' && <Refusal {...outcome} />}
    </section>
  );
}

/** Why the register was not replaced: a file's problems by line, or the API's message. */
function refusalOf(error: ApiRequestError): string {
  if (error.lines.length === 0) return error.message;
  return `The register was not replaced (${plural(error.lineCount, 'problem')}): nothing was changed.`;
}

function Refusal({ message, lines, lineCount }: { message: string; lines: ApiErrorLine[]; lineCount: number }) {
  return (
    <div className="form-error" role="alert">
      <p>{message}</p>
      {lines.length > 0 && (
        <ol className="register-problems" aria-label="Problems by line">
          {lines.map((problem, index) => (
            <li key={`${problem.line}-${index}`}>
              <strong>Line {problem.line}:</strong> {problem.message} <code>{problem.code}</code>
            </li>
          ))}
        </ol>
      )}
      {lineCount > lines.length && <p>The first {formatCount(lines.length)} problems are listed; fix them and send the file again for the rest.</p>}
    </div>
  );
}
