import { describe, expect, it } from 'vitest';
import { isCalendarDay, parseDay } from '../src/explorer/dates';

describe('days as people type them', () => {
  it('reads YYYY-MM-DD and DD/MM/YYYY (D/M/YYYY, with / . or -) as ISO days', () => {
    expect(parseDay('2024-03-01')).toEqual({ day: '2024-03-01' });
    expect(parseDay('01/03/2024')).toEqual({ day: '2024-03-01' });
    expect(parseDay('1/3/2024')).toEqual({ day: '2024-03-01' });
    expect(parseDay(' 29.2.2024 ')).toEqual({ day: '2024-02-29' });
    expect(parseDay('31-12-2023')).toEqual({ day: '2023-12-31' });
  });

  it('says why a day does not exist', () => {
    expect(parseDay('2024-02-30')).toEqual({ problem: '2024-02-30 is not a day: February 2024 has 29 days.', partial: false });
    expect(parseDay('2023-02-29')).toEqual({ problem: '2023-02-29 is not a day: February 2023 has 28 days.', partial: false });
    expect(parseDay('2024-13-01')).toEqual({ problem: 'There is no month 13: months go from 01 to 12.', partial: false });
    expect(parseDay('31/04/2024')).toEqual({ problem: '31/04/2024 is not a day: April 2024 has 30 days.', partial: false });
    expect(parseDay('2024-00-10')).toMatchObject({ problem: 'There is no month 00: months go from 01 to 12.' });
    // The API's limit too: nothing it would refuse passes.
    expect(parseDay('1899-12-31')).toMatchObject({ problem: '1899-12-31 is too early: readings start in 1900.' });
  });

  it('waits while a day is still being typed, and refuses what cannot become one', () => {
    for (const typing of ['', '2', '2024', '2024-0', '2024-03-', '2024-03-1', '01', '01/', '01/03', '01/03/20']) expect(parseDay(typing)).toMatchObject({ partial: true });
    for (const wrong of ['March', '2024/03/01', '2024-3-1x', '01/03/24x']) expect(parseDay(wrong)).toEqual({ problem: 'Type the day as YYYY-MM-DD or DD/MM/YYYY.', partial: false });
  });

  it('knows a calendar day in ISO form only', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('29/02/2024')).toBe(false);
  });
});
