import { DATE_FORMATS } from './dates';
import type { DayRangeFields } from './useDayRange';

export interface DayFieldProps {
  id: string;
  label: string;
  value: string;
  /** What is wrong with this day, said at the field (null: nothing, or nothing yet). */
  problem: string | null;
  /** Ids of other messages about it (the range's problem). */
  describedBy: string[];
  onChange(value: string): void;
  onBlur(): void;
}

/** A NEM day typed as YYYY-MM-DD or DD/MM/YYYY; what is wrong is said under it and tied to it. */
export function DayField({ id, label, value, problem, describedBy, onChange, onBlur }: DayFieldProps) {
  const described = [...(problem === null ? [] : [`${id}-problem`]), ...describedBy];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        placeholder="YYYY-MM-DD"
        title={DATE_FORMATS}
        autoComplete="off"
        spellCheck={false}
        maxLength={10}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        aria-invalid={problem !== null || describedBy.length > 0 ? true : undefined}
        aria-describedby={described.length > 0 ? described.join(' ') : undefined}
      />
      {problem !== null && (
        <p className="field-problem" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The two fields of a range (useDayRange), each tied to the range's problem (`${id}-problem`) when there is one. */
export function DayRangeInputs({ id, range }: { id: string; range: DayRangeFields<unknown> }) {
  return (['from', 'to'] as const).map((edge) => (
    <DayField
      key={edge}
      id={`${id}-${edge}`}
      label={edge === 'from' ? 'From (NEM day)' : 'To (NEM day)'}
      {...range.field(edge)}
      describedBy={range.problem !== null ? [`${id}-problem`] : []}
    />
  ));
}
