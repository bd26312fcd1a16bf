import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expansionOf } from '../../src/source/decompress';
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

  it('a zip or gzip that expands past its limit is refused as it expands, whatever its headers claim', async () => {
    // 40 MB of one NEM12-looking line: a few tens of kilobytes compressed.
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, '300,'));
    const ratio = await inspect([bomb], { limit: expansionOf(bomb.length) });
    expect(ratio.issues.errors.map((e) => e.code)).toEqual(['DECOMPRESSED_TOO_LARGE']);
    // A realistic file well under both limits reads normally.
    expect((await inspect([gzipSync(plain)], { limit: expansionOf(gzipSync(plain).length) })).ok).toBe(true);
    // The absolute limit applies even when the ratio would allow it.
    const absolute = await inspect([zipSync({ 'a.csv': plain })], { limit: { maxBytes: 100, maxRatio: 1000, compressedBytes: 1e9 } });
    expect(absolute.issues.errors.map((e) => e.code)).toEqual(['DECOMPRESSED_TOO_LARGE']);
    // Plain input has nothing to expand: no limit.
    expect((await inspect([plain], { limit: { maxBytes: 10, maxRatio: 1, compressedBytes: 1 } })).ok).toBe(true);
  });

  it('a plain file over the limit is refused at once, from its real size, having read only its first chunk', async () => {
    let pulled = 0;
    function* source() {
      for (let k = 0; k < 1000; k++) {
        pulled++;
        yield plain;
      }
    }
    const refused = await inspect(source(), { limit: { maxBytes: 1024, maxRatio: 50, compressedBytes: 1000 * plain.length } });
    expect(refused.issues.errors.map((e) => [e.code, e.line])).toEqual([['FILE_TOO_LARGE', 0]]);
    expect(pulled).toBe(1);
    // At the limit exactly: read as usual.
    expect((await inspect([plain], { limit: { maxBytes: plain.length, maxRatio: 50, compressedBytes: plain.length } })).ok).toBe(true);
  });
});
