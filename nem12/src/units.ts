import type { KwhFactor } from './records.js';

/**
 * Energy units and their factor to kWh, compared case-insensitively (`KWH`, `WH` occur in real files).
 * Anything else (kVArh, kVAh, kW, V, pf, ...) is not energy in kWh: it keeps its own unit and is never
 * counted in kWh figures.
 */
const KWH_FACTORS: Record<string, KwhFactor> = { mwh: '1000', kwh: '1', wh: '0.001' };

export function kwhFactorOf(uom: string): KwhFactor | null {
  return KWH_FACTORS[uom.trim().toLowerCase()] ?? null;
}

/** Power of ten applied by each factor: the kWh conversion is an exact shift of the decimal point. */
export const KWH_EXPONENT: Record<KwhFactor, number> = { '1000': 3, '1': 0, '0.001': -3 };
