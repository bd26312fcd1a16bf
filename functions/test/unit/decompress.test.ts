import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/source/inspect';
import { corpusFile } from './helpers';

const plain = corpusFile('nem-reader/unzipped/Example_NEM12_actual_interval.csv');

describe('compressed input, decided by content', () => {
  it('gzip reads the same as plain, in chunks of any size', async () => {
    const gz = gzipSync(plain);
    const chunks = Array.from({ length: Math.ceil(gz.length / 3) }, (_, i) => gz.subarray(i * 3, i * 3 + 3));
    const [a, b] = await Promise.all([inspect([plain]), inspect(chunks)]);
    expect(b.ok).toBe(true);
    expect(b.summary).toEqual(a.summary);
  });

  it('a zip with one file reads the same as plain; its name does not matter', async () => {
    const zip = zipSync({ 'whatever.V01': plain });
    expect((await inspect([zip])).summary).toEqual((await inspect([plain])).summary);
  });

  it('a zip with two files is rejected', async () => {
    const result = await inspect([zipSync({ 'a.csv': plain, 'b.csv': plain })]);
    expect(result.issues.errors.map((e) => e.code)).toEqual(['ZIP_NOT_ONE_FILE']);
  });

  it('truncated archives are rejected as corrupt', async () => {
    const gz = gzipSync(plain);
    expect((await inspect([gz.subarray(0, gz.length - 20)])).issues.errors.map((e) => e.code)).toContain('CORRUPT_ARCHIVE');
    const zip = zipSync({ 'a.csv': plain });
    expect((await inspect([zip.subarray(0, 60)])).issues.errors.map((e) => e.code)).toContain('CORRUPT_ARCHIVE');
  });
});
