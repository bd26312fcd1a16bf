import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decompress, expansionOf } from '../../functions/src/source/decompress';
import { inspect } from '../../functions/src/source/inspect';
import { checkFile } from '../src/upload/fileCheck';

// The page's check against the pipeline's own reading of the same bytes (Node's zlib, the
// functions' inspect): the same verdict, readings and issues, for plain, gzipped and zipped files,
// good and bad. Figures written out come from the corpus' own documentation (functions' corpus test).
const CORPUS = join(__dirname, '..', '..', 'functions', 'test', 'fixtures', 'corpus');
const corpus = (path: string) => new Uint8Array(readFileSync(join(CORPUS, path)));
const MULTIPLE_METERS = corpus('nem-reader/unzipped/Example_NEM12_multiple_meters.csv');

const FILES: [string, Uint8Array<ArrayBuffer>][] = [
  ['plain', MULTIPLE_METERS],
  ['gzip', new Uint8Array(gzipSync(MULTIPLE_METERS))],
  ['zip of 198 streams', corpus('nem-reader/Example_NEM12_ManyNMIs.zip')],
  ['NEM13', corpus('nem-reader/unzipped/Example_NEM13_consumption_data.csv')],
  ['missing header, padded rows', corpus('nem-reader/invalid/Example_NEM12_powercor.csv')],
  ['zip of two files', zipSync({ 'a.csv': MULTIPLE_METERS, 'b.csv': MULTIPLE_METERS })],
  ['truncated gzip', new Uint8Array(gzipSync(MULTIPLE_METERS)).slice(0, 300)],
];

const codesAt = (items: { code: string; line: number }[]) => items.map((found) => `${found.code}@${found.line}`);

describe('checkFile: what the page says before sending', () => {
  it.each(FILES)('%s: the pipeline’s verdict, readings and issues', async (_name, bytes) => {
    const page = await checkFile(new Blob([bytes]));
    const pipeline = await inspect(decompress([bytes], { limit: expansionOf(bytes.length) }));
    expect(page.ok).toBe(pipeline.ok);
    expect(page.readings).toBe(pipeline.info.readings);
    expect(codesAt(page.errors.items)).toEqual(codesAt(pipeline.issues.errors));
    expect(codesAt(page.warnings.items)).toEqual(codesAt(pipeline.issues.warnings));
    expect(page.errors.count).toBe(pipeline.issues.errorCount);
    expect(page.nmis).toBe(new Set(pipeline.summary.channels.map((channel) => channel.nmi)).size);
  });

  it('a zip of 198 five-minute streams: 57,024 readings, read in slices with progress up to its size', async () => {
    const bytes = corpus('nem-reader/Example_NEM12_ManyNMIs.zip');
    const progress: number[] = [];
    const page = await checkFile(new Blob([bytes]), (read) => progress.push(read));
    expect(page).toMatchObject({ ok: true, readings: 57_024, errors: { count: 0, items: [] } });
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('an archive that cannot be read is its one error, at line 0', async () => {
    const page = await checkFile(new Blob([zipSync({ 'a.csv': MULTIPLE_METERS, 'b.csv': MULTIPLE_METERS })]));
    expect(page.ok).toBe(false);
    expect(page.errors).toEqual({ count: 1, items: [expect.objectContaining({ code: 'ZIP_NOT_ONE_FILE', line: 0 })], byCode: { ZIP_NOT_ONE_FILE: 1 } });
  });
});
