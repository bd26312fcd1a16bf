import fc from 'fast-check';
import { parseNem12, type DayRecord } from '../src/index.js';

/**
 * fast-check arbitraries of clean NEM12 files (no quirk, so no warning: any warning a mutation adds is
 * new), and what a parse of one "means": the readings and their attributes, without free text.
 */

export { FUZZ } from './fuzz.js';

const value = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 3 })).map(([n, scale]) => (n / 10 ** scale).toFixed(scale)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }).map((n) => `.${String(n).padStart(3, '0')}`) },
  { weight: 1, arbitrary: fc.constant('') },
);

const quality = fc.oneof(
  fc.constant({ method: 'A', reason: '', description: '' }),
  fc.constant({ method: 'F14', reason: '76', description: 'Meter fault' }),
  fc.constant({ method: 'S53', reason: '9', description: '' }),
  fc.constant({ method: 'E52', reason: '', description: '' }),
);

const dateTime = fc.date({ min: new Date('2004-01-01T00:00:00Z'), max: new Date('2004-12-31T23:59:59Z'), noInvalidDate: true }).map((d) =>
  d.toISOString().replace(/[-T:]/g, '').slice(0, 14),
);

interface StreamSpec {
  nmi: string;
  suffix: string;
  uom: string;
  intervalLength: number;
  days: { values: string[]; quality: { method: string; reason: string; description: string }; variable: number[] | null; updated: string; msats: string }[];
}

const stream: fc.Arbitrary<StreamSpec> = fc
  .record({
    nmi: fc.stringMatching(/^[A-Z0-9]{10}$/),
    suffix: fc.constantFrom('E1', 'E2', 'B1', 'Q1'),
    uom: fc.constantFrom('kWh', 'Wh', 'MWh', 'kVArh'),
    intervalLength: fc.constantFrom(30, 30, 15),
    dayCount: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ dayCount, ...rest }) =>
    fc
      .array(
        fc.record({
          values: fc.array(value, { minLength: 1440 / rest.intervalLength, maxLength: 1440 / rest.intervalLength }),
          quality,
          // A V day: the ends of its 400 ranges (the last range ends at the day's last interval).
          variable: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 1440 / rest.intervalLength - 1 }), { maxLength: 3 }).map((ends) => ends.sort((a, b) => a - b)), { freq: 4 }),
          updated: dateTime,
          msats: dateTime,
        }),
        { minLength: dayCount, maxLength: dayCount },
      )
      .map((days) => ({ ...rest, days })),
  );

/** A clean file's lines (no line ends). */
export const cleanFile: fc.Arbitrary<string[]> = fc.uniqueArray(stream, { minLength: 1, maxLength: 3, selector: (s) => `${s.nmi}${s.suffix}` }).map((streams) => {
  const lines = ['100,NEM12,200405011135,MDA1,Ret1'];
  for (const s of streams) {
    const configuration = streams.filter((other) => other.nmi === s.nmi).map((other) => other.suffix).join('');
    lines.push(`200,${s.nmi},${configuration},1,${s.suffix},N1,METSER123,${s.uom},${s.intervalLength},`);
    s.days.forEach((d, i) => {
      const date = `200401${String(i + 1).padStart(2, '0')}`;
      if (d.variable === null) {
        lines.push(`300,${date},${d.values.join(',')},${d.quality.method},${d.quality.reason},${d.quality.description},${d.updated},${d.msats}`);
      } else {
        lines.push(`300,${date},${d.values.join(',')},V,,,${d.updated},${d.msats}`);
        let from = 1;
        for (const end of [...d.variable, 1440 / s.intervalLength]) {
          lines.push(`400,${from},${end},${end % 2 ? 'A' : 'S53'},${end % 2 ? '' : '9'},`);
          from = end + 1;
        }
      }
    });
    lines.push('500,O,S01009,20040110121004,');
  }
  lines.push('900');
  return lines;
});

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** What a file says, as one comparable string per day: stream, unit, date, revision time, values, quality. */
export function meaningOf(days: DayRecord[]): string[] {
  return days.map((d) => {
    const quality = d.quality.map((q) => `${q.from}-${q.to}:${q.flag}${q.method ?? ''}/${q.reasonCode ?? ''}`).join(' ');
    return `${d.channel.nmi} ${d.channel.suffix} ${d.channel.uom} ${d.channel.intervalLength} ${d.date} ${d.updatedAt} [${d.values.map((v) => v ?? '_').join(',')}] ${quality}`;
  });
}

/** Everything a parse yields, for exact comparison. */
export function outcomeOf(bytes: Uint8Array) {
  const result = parseNem12(bytes);
  return {
    ok: result.ok,
    meaning: meaningOf(result.days),
    errors: result.issues.errors.map((i) => `${i.code}@${i.line}`),
    warnings: result.issues.warnings.map((i) => i.code).sort(),
    summary: result.summary,
  };
}
