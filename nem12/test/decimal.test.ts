import { describe, expect, it } from 'vitest';
import { DecimalSum, isDecimal, normalizeDecimal, shiftDecimal } from '../src/index.js';

describe('exact decimals', () => {
  it('accepts only non-negative decimals without exponent', () => {
    for (const good of ['0', '1', '1.5', '.005', '1.', '007.250']) expect(isDecimal(good), good).toBe(true);
    for (const bad of ['', '.', '-1', '+1', '1e3', '1.2.3', ' 1', 'NaN', '1,5']) expect(isDecimal(bad), bad).toBe(false);
  });

  it('sums without float drift', () => {
    const sum = new DecimalSum();
    sum.addAll(Array(10).fill('0.1'));
    expect(sum.toString()).toBe('1');
    // 0.1 + 0.2 in floats is 0.30000000000000004.
    const pair = new DecimalSum();
    pair.addAll(['0.1', '0.2']);
    expect(pair.toString()).toBe('0.3');
  });

  it('sums mixed scales, nulls, huge and very precise values exactly', () => {
    const sum = new DecimalSum();
    sum.addAll(['1.5', null, '.005', '2', '123456789012345678901234.5', '0.0000000000000000001']);
    expect(sum.toString()).toBe('123456789012345678901238.0050000000000000001');
  });

  it('agrees with BigInt arithmetic on many random values', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = Array.from({ length: 20_000 }, () => (random() * 10 ** Math.floor(random() * 9)).toFixed(Math.floor(random() * 7)));
    const sum = new DecimalSum();
    for (let i = 0; i < values.length; i += 288) sum.addAll(values.slice(i, i + 288));
    const scaled = values.reduce((total, v) => {
      const [int, frac = ''] = v.split('.');
      return total + BigInt(int + frac.padEnd(6, '0'));
    }, 0n);
    const expected = normalizeDecimal(`${scaled / 1_000_000n}.${(scaled % 1_000_000n).toString().padStart(6, '0')}`);
    expect(sum.toString()).toBe(expected);
  });

  it('sums comma-joined text (the fast path) exactly as value by value', () => {
    let seed = 11;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let round = 0; round < 200; round++) {
      const values = Array.from({ length: 48 }, () => {
        const digits = Math.floor(random() * 22);
        const text = Array.from({ length: digits + 1 }, () => Math.floor(random() * 10)).join('');
        const point = Math.floor(random() * (text.length + 1));
        return random() < 0.1 ? `.${text}` : `${text.slice(0, point)}${point < text.length ? '.' : ''}${text.slice(point)}`;
      });
      const byText = new DecimalSum();
      byText.addText(values.join(','));
      const oneByOne = new DecimalSum();
      for (const value of values) oneByOne.add(value);
      expect(byText.toString(), values.join(',')).toBe(oneByOne.toString());
    }
  });

  it('converts units by shifting the point', () => {
    expect(shiftDecimal('1920', -3)).toBe('1.92');
    expect(shiftDecimal('.5', -3)).toBe('0.0005');
    expect(shiftDecimal('1.234', 3)).toBe('1234');
    expect(shiftDecimal('0.0001', 3)).toBe('0.1');
    expect(shiftDecimal('12', 3)).toBe('12000');
  });
});
