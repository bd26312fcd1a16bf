import { useId } from 'react';
import { DayRangeInputs } from '../explorer/DayField';
import { useDayRange } from '../explorer/useDayRange';
import { Failure } from '../Failure';
import { CompletenessCalendar } from './CompletenessCalendar';
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, rangeProblem, type CompletenessView, type RegisterSummary } from './completenessModel';
import { GapStreamTable } from './GapStreamTable';
import { RegisterPanel } from './RegisterPanel';
import type { GapStreamRows, RegisterResource, SummaryResource } from './useCompletenessApi';

export interface CompletenessProps {
  view: CompletenessView;
  onView(view: CompletenessView): void;
  summary: SummaryResource;
  streams: GapStreamRows;
  register: RegisterResource;
  admin: boolean;
  replaceRegister(csv: string): Promise<RegisterSummary>;
  downloadStreams(): Promise<void>;
}

/**
 * Did every expected stream arrive, whole? The days of a range as a calendar coloured by the share
 * of streams received complete, the streams with gaps worst first, and the register that says which
 * NMIs are expected. The previous calendar stays, dimmed, while the next one loads.
 */
export function Completeness({ view, onView, summary, streams, register, admin, replaceRegister, downloadStreams }: CompletenessProps) {
  const titleId = useId();
  const shown = summary.state === 'ready' ? summary.data : summary.state === 'loading' ? (summary.previous ?? null) : null;
  return (
    <section className="completeness" aria-labelledby={titleId} aria-busy={summary.state === 'loading' || streams.state === 'loading'}>
      <h2 id={titleId}>Completeness</h2>
      <RangeForm view={view} onView={onView} windowDays={shown?.windowDays ?? null} />
      <div className="panel">
        <h3>Streams received complete, by day</h3>
        {summary.state === 'loading' && (
          <p className="placeholder" role="status">
            {summary.previous ? 'Updating…' : 'Adding up the days…'}
          </p>
        )}
        {summary.state === 'error' && <Failure what="The days cannot be shown" error={summary.error} onRetry={summary.retry} />}
        {/* The previous days stay, dimmed, while the next load: inert, so neither read nor reached by Tab. */}
        {shown !== null && (
          <div className={summary.state === 'loading' ? 'stale' : undefined} aria-hidden={summary.state === 'loading' ? true : undefined} inert={summary.state === 'loading'}>
            <CompletenessCalendar summary={shown} />
          </div>
        )}
      </div>
      <GapStreamTable view={view} onStatus={(status) => onView({ ...view, status })} counts={shown?.streams ?? null} streams={streams} downloadStreams={downloadStreams} />
      <RegisterPanel register={register} registered={shown?.registered ?? null} admin={admin} replaceRegister={replaceRegister} />
    </section>
  );
}

/** The report's days, typed as the explorer's are (checked at the field; applied once they make a range). */
function RangeForm({ view, onView, windowDays }: { view: CompletenessView; onView(view: CompletenessView): void; windowDays: number | null }) {
  const id = useId();
  const range = useDayRange(view, rangeProblem, onView);
  return (
    <form className="panel completeness-range" aria-label="Days to report on" onSubmit={(event) => event.preventDefault()}>
      <div className="range-fields">
        <DayRangeInputs id={id} range={range} />
      </div>
      {range.problem !== null && (
        <p className="field-problem" id={`${id}-problem`} role="alert">
          {range.problem}
        </p>
      )}
      <p className="hint">
        It opens on the {DEFAULT_RANGE_DAYS} days ending yesterday; any range of up to {MAX_RANGE_DAYS} NEM days (UTC+10), typed as YYYY-MM-DD or DD/MM/YYYY. A stream is expected on a day when it was
        received that day or in the {windowDays ?? 35} days before, or when the register names it.
      </p>
    </form>
  );
}
