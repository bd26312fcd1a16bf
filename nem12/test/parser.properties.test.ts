import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Nem12Parser, parseNem12, type Nem12Event, type Nem12Issue } from '../src/index.js';
import { RECORD_KINDS } from '../src/logicalRecords.js';
import { cleanFile, encode, FUZZ, outcomeOf } from './nem12Arbitraries.js';

// Property and fuzz tests of the parser, seeded (FUZZ_SEED, FUZZ_RUNS_SCALE change the campaign).
const options = (runs: number) => ({ seed: FUZZ.seed, numRuns: FUZZ.runs(runs) });

const file = cleanFile.map((lines) => lines.join('\r\n') + '\r\n');

describe('parser properties', { timeout: 300_000 }, () => {
  it('a generated clean file parses without any issue (the generator is what the tests assume)', () => {
    fc.assert(
      fc.property(file, (text) => {
        const result = parseNem12(text);
        const empty = result.issues.warnings.every((w) => w.code === 'EMPTY_VALUES');
        expect(result.issues.errors).toEqual([]);
        expect(empty).toBe(true);
        expect(result.days.length).toBeGreaterThan(0);
      }),
      options(300),
    );
  });

  it('never throws, on mutated files and on garbage', () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.constantFrom('100', '200', '300', '400', '500', '900', ',', '\n', '\r', 'NEM12', '1.5', '20040101', 'A', 'V', '', ' ', '\0', '\uFEFF'), { maxLength: 400 }).map((parts) =>
        encode(parts.join('')),
      ),
      fc.tuple(file, fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 3 })), { maxLength: 8 })).map(([text, edits]) => {
        let bytes = encode(text);
        for (const [at, insert] of edits) {
          const p = at % (bytes.length + 1);
          bytes = Uint8Array.from([...bytes.subarray(0, p), ...insert, ...bytes.subarray(p + (insert.length % 2))]);
        }
        return bytes;
      }),
    );
    fc.assert(
      fc.property(garbage, (bytes) => {
        const result = parseNem12(bytes);
        // Every outcome is either loadable or says why not.
        expect(result.ok || result.issues.errorCount > 0).toBe(true);
      }),
      options(2500),
    );
  });

  it('split invariance: any chunking gives the same events and issues as one push', () => {
    const run = (bytes: Uint8Array, cuts: number[]) => {
      const events: unknown[] = [];
      const issues: Nem12Issue[] = [];
      const parser = new Nem12Parser({
        onEvent: (event: Nem12Event) => events.push(event.type === 'day' ? { ...event, channel: event.channel.line, values: event.values } : event),
        onIssue: (found) => issues.push(found),
      });
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        parser.push(bytes.subarray(from, cut));
        from = cut;
      }
      parser.end();
      return { events, issues, info: parser.info };
    };
    // Files with a BOM, multi-byte characters, CRLF and LF, a hard wrap and an error, cut anywhere.
    const bytes = fc
      .tuple(cleanFile, fc.boolean(), fc.boolean())
      .map(([lines, crlf, bom]) => encode(`${bom ? '\uFEFF' : ''}${lines.map((l) => l.replace('METSER123', 'Mé€ter')).join(crlf ? '\r\n' : '\n')}\n300,2004`));
    fc.assert(
      fc.property(
        bytes.chain((b) => fc.tuple(fc.constant(b), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, b.length - 1) }), { maxLength: 40 }).map((c) => c.sort((x, y) => x - y)))),
        ([b, cuts]) => {
          expect(run(b, cuts)).toEqual(run(b, []));
        },
      ),
      options(400),
    );
  });

  it('meaning-preserving changes keep the data: hard wraps, LF for CRLF, a BOM, blank lines, padding', () => {
    const change = fc.record({
      eol: fc.constantFrom('\r\n', '\n'),
      bom: fc.boolean(),
      blank: fc.array(fc.nat(), { maxLength: 3 }),
      pad: fc.boolean(),
      wraps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(cleanFile, change, (lines, c) => {
        const original = outcomeOf(encode(lines.join('\r\n') + '\r\n'));
        let out = lines.map((line) => (c.pad ? `${line},,,` : line));
        for (const [which, at] of c.wraps) {
          const rows = out.map((line, i) => [line, i] as const).filter(([line]) => line.startsWith('300,'));
          const [row, index] = rows[which % rows.length];
          const cut = 4 + (at % (row.length - 4));
          if (!isPlainContinuation(row.slice(cut))) continue;
          out = [...out.slice(0, index), row.slice(0, cut), row.slice(cut), ...out.slice(index + 1)];
        }
        for (const at of c.blank) {
          const p = 1 + (at % (out.length - 1));
          // Only between records: not between the parts of a wrapped row.
          if (out[p].startsWith('300,') || out[p].startsWith('200,') || out[p].startsWith('900')) out = [...out.slice(0, p), '', ...out.slice(p)];
        }
        const mutated = outcomeOf(encode(`${c.bom ? '\uFEFF' : ''}${out.join(c.eol)}${c.eol}`));
        expect(mutated.errors).toEqual([]);
        expect(mutated.meaning).toEqual(original.meaning);
        expect(mutated.summary).toEqual(original.summary);
      }),
      options(1500),
    );
  });

  it('a file with a lost or extra line break, comma or stray byte gives exactly its data, or is flagged', () => {
    const edits = ['\n', '\r', ',', '\0', '\u00a0', '\uFEFF'];
    const mutation = fc.record({
      kind: fc.constantFrom('replace', 'insert', 'deleteBreak', 'deleteComma'),
      at: fc.nat(),
      edit: fc.constantFrom(...edits),
    });
    fc.assert(
      // One change per file: two in one row can cancel out (a comma lost, another gained), which no
      // parser can tell from a genuine row, like a changed digit.
      fc.property(cleanFile, mutation, (lines, m) => {
        const text = lines.join('\n') + '\n';
        const original = outcomeOf(encode(text));
        const after = outcomeOf(encode(mutate(text, m)));
        const flagged = !after.ok || after.warnings.join() !== original.warnings.join();
        if (!flagged) expect(after.meaning).toEqual(original.meaning);
      }),
      options(3000),
    );
  });
});

/**
 * A line that the parser reads as continuing a wrapped row: one that could start a record (a record
 * indicator, or three digits and a comma, like an unknown record) is ambiguous and left out.
 */
function isPlainContinuation(text: string): boolean {
  const first = text.split(',')[0];
  return text !== '' && !/^,*$/.test(text) && !RECORD_KINDS.has(first) && !/^\d{3},/.test(text);
}

function mutate(text: string, m: { kind: string; at: number; edit: string }): string {
  if (m.kind === 'deleteBreak' || m.kind === 'deleteComma') {
    const target = m.kind === 'deleteBreak' ? '\n' : ',';
    const positions = [...text].flatMap((c, i) => (c === target ? [i] : []));
    if (positions.length === 0) return text;
    const p = positions[m.at % positions.length];
    return text.slice(0, p) + text.slice(p + 1);
  }
  const p = m.at % (text.length + (m.kind === 'insert' ? 1 : 0));
  return text.slice(0, p) + m.edit + text.slice(p + (m.kind === 'replace' ? 1 : 0));
}
