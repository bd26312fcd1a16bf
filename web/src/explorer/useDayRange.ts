import { useState } from 'react';
import { parseDay } from './dates';

export type Edge = 'from' | 'to';
export interface DayRange {
  from: string;
  to: string;
}

interface Draft<T> {
  from: string;
  to: string;
  /** Fields left since last typed in: what is still incomplete there is said too. */
  left: Record<Edge, boolean>;
  for: T;
}
const draftOf = <T extends DayRange>(shown: T): Draft<T> => ({ from: shown.from, to: shown.to, left: { from: false, to: false }, for: shown });

export interface DayRangeFields<T> {
  /** A field's text, what is wrong with it, and its handlers: the props of its DayField. */
  field(edge: Edge): { value: string; problem: string | null; onChange(value: string): void; onBlur(): void };
  /** The days typed, once both are days (a valid range or not). */
  days: DayRange | null;
  /** What is wrong with the range typed, while it is not the one shown (null: nothing). */
  problem: string | null;
  /** Shows `next` (asking for it), its days in the fields. */
  apply(next: T): void;
}

/**
 * Two NEM days typed as a range, for the explorer and the completeness view: applied (`onChange`)
 * as soon as they make a range `problemOf` accepts (typed as YYYY-MM-DD or DD/MM/YYYY, shown back as
 * YYYY-MM-DD once the field is left); otherwise what is wrong is said at the field or for the range
 * and nothing is sent. A range shown that was not asked for here (another object: a link, another
 * channel) resets what is being typed.
 */
export function useDayRange<T extends DayRange>(shown: T, problemOf: (from: string, to: string) => string | null, onChange: (next: T) => void): DayRangeFields<T> {
  const [draft, setDraft] = useState(() => draftOf(shown));
  if (draft.for !== shown) setDraft(draftOf(shown));
  const parsed = { from: parseDay(draft.from), to: parseDay(draft.to) };
  const days = 'day' in parsed.from && 'day' in parsed.to ? { from: parsed.from.day, to: parsed.to.day } : null;
  const problem = days && problemOf(days.from, days.to);

  const show = (next: T, text: Omit<Draft<T>, 'for'>) => {
    setDraft({ ...text, for: next });
    onChange(next);
  };
  const edit = (edge: Edge, value: string) => {
    const text = { ...draft, [edge]: value, left: { ...draft.left, [edge]: false } };
    const from = parseDay(text.from);
    const to = parseDay(text.to);
    // Applied at once when valid, as typed (shown back as YYYY-MM-DD once the field is left).
    if ('day' in from && 'day' in to && problemOf(from.day, to.day) === null) show({ ...shown, from: from.day, to: to.day }, text);
    else setDraft(text);
  };
  const leave = (edge: Edge) => {
    const day = parsed[edge];
    setDraft({ ...draft, [edge]: 'day' in day ? day.day : draft[edge], left: { ...draft.left, [edge]: true } });
  };
  return {
    field: (edge) => {
      const day = parsed[edge];
      return {
        value: draft[edge],
        // Something still being typed is said once the field is left.
        problem: 'problem' in day && (!day.partial || draft.left[edge]) ? day.problem : null,
        onChange: (value) => edit(edge, value),
        onBlur: () => leave(edge),
      };
    },
    days,
    problem: problem !== null && (draft.from !== shown.from || draft.to !== shown.to) ? problem : null,
    apply: (next) => show(next, { from: next.from, to: next.to, left: { from: false, to: false } }),
  };
}
