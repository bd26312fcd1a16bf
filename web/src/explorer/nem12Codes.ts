/**
 * What a reading's method flag and reason code mean: AEMO's Meter Data File Format specification
 * (NEM12 & NEM13), its tables of substitution and estimation methods and of reason codes. Codes
 * the specification deprecated keep their names; a code it does not define is said to be unknown.
 */
const METHODS: Record<number, string> = {
  11: 'Check', 12: 'Calculated', 13: 'SCADA', 14: 'Like day', 15: 'Average like day', 16: 'Agreed', 17: 'Linear',
  18: 'Alternate', 19: 'Zero', 20: 'Churn correction (like day)', 21: 'Five-minute no historical data',
  51: 'Previous year', 52: 'Previous read', 53: 'Revision', 54: 'Linear', 55: 'Agreed', 56: 'Prior to first read, agreed',
  57: 'Customer class', 58: 'Zero', 59: 'Five-minute no historical data', 61: 'Previous year', 62: 'Previous read',
  63: 'Customer class', 64: 'Agreed', 65: 'ADL', 66: 'Revision', 67: 'Customer read', 68: 'Zero', 69: 'Five-minute no historical data',
  71: 'Recalculation', 72: 'Revised table', 73: 'Revised algorithm', 74: 'Agreed', 75: 'Existing table',
};

const REASONS: Record<number, string> = {
  0: 'Free text description', 1: 'Meter/equipment changed', 2: 'Extreme weather conditions', 3: 'Quarantined premises',
  4: 'Dangerous dog', 5: 'Blank screen', 6: 'De-energised premises', 7: 'Unable to locate meter', 8: 'Vacant premises',
  9: 'Under investigation', 10: 'Lock damaged, unable to open', 11: 'In wrong route', 12: 'Locked premises', 13: 'Locked gate',
  14: 'Locked meter box', 15: 'Overgrown vegetation', 16: 'Noxious weeds', 17: 'Unsafe equipment/location',
  18: 'Read less than previous', 19: 'Consumer wanted', 20: 'Damaged equipment/panel', 21: 'Main switch off',
  22: 'Meter/equipment seals missing', 23: 'Reader error', 24: 'Substituted/replaced data (data correction)',
  25: 'Unable to locate premises', 26: 'Negative consumption (generation)', 27: 'RoLR', 28: 'CT/VT fault',
  29: 'Relay faulty/damaged', 30: 'Meter stop switch on', 31: 'Not all meters read', 32: 'Re-energised without readings',
  33: 'De-energised without readings', 34: 'Meter not in handheld', 35: 'Timeswitch faulty/reset required',
  36: 'Meter high/ladder required', 37: 'Meter under churn', 38: 'Unmarried lock', 39: 'Reverse energy observed',
  40: 'Unrestrained livestock', 41: 'Faulty meter display/dials', 42: 'Channel added/removed', 43: 'Power outage',
  44: 'Meter testing', 45: 'Readings failed to validate', 46: 'Extreme weather/hot', 47: 'Refused access', 48: 'Dog on premises',
  49: 'Wet paint', 50: 'Wrong tariff', 51: 'Installation demolished', 52: 'Access blocked', 53: 'Pests in meter box',
  54: 'Meter box damaged/faulty', 55: 'Dials obscured', 58: 'Meter OK, supply failure', 60: 'Illegal connection',
  61: 'Equipment tampered', 62: 'NSRD window expired', 64: 'Key required', 65: 'Wrong key provided', 68: 'Zero consumption',
  69: 'Reading exceeds substitute', 70: 'Probe reports tampering', 71: 'Probe read error',
  72: 'Re-calculated based on actual metering data', 73: 'Low consumption', 74: 'High consumption', 75: 'Customer read',
  76: 'Communications fault', 77: 'Estimation forecast', 78: 'Null data', 79: 'Power outage alarm', 80: 'Short interval alarm',
  81: 'Long interval alarm', 82: 'CRC error', 83: 'RAM checksum error', 84: 'ROM checksum error', 85: 'Data missing alarm',
  86: 'Clock error alarm', 87: 'Reset occurred', 88: 'Watchdog timeout alarm', 89: 'Time reset occurred', 90: 'Test mode',
  91: 'Load control', 92: 'Added interval (data correction)', 93: 'Replaced interval (data correction)',
  94: 'Estimated interval (data correction)', 95: 'Pulse overflow alarm', 96: 'Data out of limits', 97: 'Excluded data',
  98: 'Parity error', 99: 'Energy type (register changed)',
};

/** "Method 14: Like day", or that the code is not one the specification defines. */
export function methodMeaning(method: number): string {
  const name = METHODS[method];
  return name ? `Method ${method}: ${name}` : `Method ${method}: not a method the NEM12 specification defines`;
}

export function reasonMeaning(reason: number): string {
  const name = REASONS[reason];
  return name ? `Reason ${reason}: ${name}` : `Reason ${reason}: not a reason code the NEM12 specification defines`;
}
