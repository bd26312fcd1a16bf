/**
 * Exact decimals. Meter values are decimal strings (`1.111`, `.005`, `0`); summing them as floats
 * drifts, so totals are kept as scaled integers (BigInt) and conversions shift the decimal point.
 */

/** NEM12 values are NUM(15): at most this many digits before the point, and as many after it. */
export const MAX_VALUE_DIGITS = 15;
const DECIMAL = /^(?:\d{1,15}(?:\.\d{0,15})?|\.\d{1,15})$/;
const ANY_DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A non-negative decimal without sign or exponent, within NUM(15): the only value form NEM12 allows. */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** A decimal with more digits than NEM12 allows (too long for exact storage guarantees too). */
export function isTooLongDecimal(text: string): boolean {
  return !DECIMAL.test(text) && ANY_DECIMAL.test(text);
}

/** Canonical form: no leading zeros (but one before the point), no trailing fractional zeros. */
export function normalizeDecimal(text: string): string {
  const dot = text.indexOf('.');
  let int = dot < 0 ? text : text.slice(0, dot);
  let frac = dot < 0 ? '' : text.slice(dot + 1);
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** `text` x 10^exponent, exactly. */
export function shiftDecimal(text: string, exponent: number): string {
  if (exponent === 0) return text;
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  const digits = dot < 0 ? text : int + text.slice(dot + 1);
  const point = int.length + exponent;
  let shifted: string;
  if (point <= 0) shifted = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) shifted = digits + '0'.repeat(point - digits.length);
  else shifted = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return normalizeDecimal(shifted);
}

const POW10: number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
const SAFE = 2 ** 53;

/**
 * An exact running sum. `addAll` takes a day of values on a fast path (scaled integers in doubles,
 * exact while below 2^53) and folds the day into the BigInt total once.
 */
export class DecimalSum {
  private units = 0n;
  private scale = 0;

  add(text: string): void {
    const dot = text.indexOf('.');
    const frac = dot < 0 ? '' : text.slice(dot + 1);
    const int = dot < 0 ? text : text.slice(0, dot);
    this.addScaled(BigInt((int || '0') + frac), frac.length);
  }

  addAll(values: readonly (string | null)[]): void {
    let acc = 0;
    let accScale = 0;
    for (const value of values) {
      if (value === null) continue;
      const dot = value.indexOf('.');
      const scale = dot < 0 ? 0 : value.length - dot - 1;
      if (value.length > 16 || scale > 15) {
        this.add(value);
        continue;
      }
      // parseFloat x 10^scale is within 0.25 of the true integer for <= 15 digits: rounding is exact.
      let units = Math.round(parseFloat(value) * POW10[scale]);
      if (scale > accScale) {
        if (acc * POW10[scale - accScale] >= SAFE) {
          this.addScaled(BigInt(acc), accScale);
          acc = 0;
        } else acc *= POW10[scale - accScale];
        accScale = scale;
      } else if (scale < accScale) {
        units *= POW10[accScale - scale];
      }
      if (acc + units >= SAFE || units >= SAFE) {
        this.addScaled(BigInt(acc), accScale);
        acc = 0;
        this.add(value);
        continue;
      }
      acc += units;
    }
    if (acc !== 0) this.addScaled(BigInt(acc), accScale);
  }

  /**
   * Adds comma-separated valid decimals (the parser's fast-path text) digit by digit: no splitting,
   * no floats. Exact: the running mantissa is flushed to the BigInt total before it could reach 2^53.
   */
  addText(text: string): void {
    let acc = 0;
    let accScale = 0;
    let mantissa = 0;
    let scale = 0;
    let digits = 0;
    let dot = false;
    const length = text.length;
    for (let i = 0; i <= length; i++) {
      const c = i < length ? text.charCodeAt(i) : 44;
      if (c >= 48 && c <= 57) {
        if (digits === 15 || scale === 15) {
          // Too many digits for exact doubles: take this value the slow way.
          let end = text.indexOf(',', i);
          if (end < 0) end = length;
          let start = i;
          while (start > 0 && text.charCodeAt(start - 1) !== 44) start--;
          this.add(text.slice(start, end));
          i = end;
          mantissa = scale = digits = 0;
          dot = false;
          continue;
        }
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa > 0) digits++;
        if (dot) scale++;
      } else if (c === 46) {
        dot = true;
      } else {
        // End of a value: align it and the accumulator to the larger scale.
        if (scale > accScale) {
          const factor = POW10[scale - accScale];
          if (acc * factor >= SAFE) {
            this.addScaled(BigInt(acc), accScale);
            acc = 0;
          } else acc *= factor;
          accScale = scale;
        } else if (scale < accScale) {
          if (mantissa * POW10[accScale - scale] >= SAFE) {
            this.addScaled(BigInt(mantissa), scale);
            mantissa = 0;
          } else mantissa *= POW10[accScale - scale];
        }
        if (acc + mantissa >= SAFE) {
          this.addScaled(BigInt(acc), accScale);
          acc = 0;
        }
        acc += mantissa;
        mantissa = scale = digits = 0;
        dot = false;
      }
    }
    if (acc !== 0) this.addScaled(BigInt(acc), accScale);
  }

  addSum(other: DecimalSum): void {
    this.addScaled(other.units, other.scale);
  }

  private addScaled(units: bigint, scale: number): void {
    if (scale > this.scale) {
      this.units *= 10n ** BigInt(scale - this.scale);
      this.scale = scale;
    } else if (scale < this.scale) {
      units *= 10n ** BigInt(this.scale - scale);
    }
    this.units += units;
  }

  toString(): string {
    const digits = this.units.toString();
    if (this.scale === 0) return digits;
    const padded = digits.padStart(this.scale + 1, '0');
    return normalizeDecimal(`${padded.slice(0, -this.scale)}.${padded.slice(-this.scale)}`);
  }
}

/**
 * Compares two valid decimals by value, exactly: `1.50` equals `1.5`, `10` is more than `9.99`.
 * (Strings of digits: no sign, no exponent.)
 */
export function compareDecimal(a: string, b: string): number {
  const [ai, af] = parts(a);
  const [bi, bf] = parts(b);
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  if (af === bf) return 0;
  return af < bf ? -1 : 1; // trailing zeros are gone: plain string order is numeric order
}

/** Integer part without leading zeros, fraction without trailing zeros. */
function parts(text: string): [string, string] {
  const dot = text.indexOf('.');
  let int = dot < 0 ? text : text.slice(0, dot);
  let frac = dot < 0 ? '' : text.slice(dot + 1);
  let i = 0;
  while (i < int.length && int.charCodeAt(i) === 48) i++;
  int = int.slice(i);
  let j = frac.length;
  while (j > 0 && frac.charCodeAt(j - 1) === 48) j--;
  frac = frac.slice(0, j);
  return [int, frac];
}

/**
 * `numerator / divisor` rounded half away from zero to exactly `scale` decimals (PostgreSQL's
 * round(numeric, scale)): averages of exact sums, exactly.
 */
export function divideDecimal(numerator: string, divisor: number, scale: number): string {
  const dot = numerator.indexOf('.');
  const fraction = dot < 0 ? '' : numerator.slice(dot + 1);
  const units = BigInt((dot < 0 ? numerator : numerator.slice(0, dot)) + fraction || '0');
  // units / 10^f / divisor, to `scale` decimals: a / b with a = units x 10^scale, b = divisor x 10^f,
  // rounded half up (values are never negative): (2a + b) / 2b in integers.
  const a = units * 10n ** BigInt(scale);
  const b = BigInt(divisor) * 10n ** BigInt(fraction.length);
  const quotient = (2n * a + b) / (2n * b);
  const digits = quotient.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
