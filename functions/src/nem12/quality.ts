import type { QualityFlag } from './records';

const QUALITY_METHOD = /^([AEFSNV])(\d\d)?$/;

export interface ParsedQuality {
  flag: QualityFlag | 'V';
  method: number | null;
}

/** `A`, `F14`, `S53`, `V` ... -> flag and method number; null when not a quality method. */
export function parseQualityMethod(text: string): ParsedQuality | null {
  let parsed = known.get(text);
  if (parsed === undefined) {
    const match = QUALITY_METHOD.exec(text);
    if (!match) return null;
    parsed = Object.freeze({ flag: match[1] as QualityFlag | 'V', method: match[2] === undefined ? null : +match[2] });
    if (known.size < 1000) known.set(text, parsed); // a file repeats a handful of values
  }
  return parsed;
}

const known = new Map<string, ParsedQuality>();

/** Flags whose spec requires a method number after the letter. */
export function requiresMethod(flag: QualityFlag | 'V'): boolean {
  return flag === 'E' || flag === 'F' || flag === 'S';
}
