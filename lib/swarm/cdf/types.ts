// NASA CDF data types, encodings and record types as the CDF Internal Format Description (v3.x) numbers them:
// the tables the CDF reader (lib/swarm/cdf/reader.ts) decodes Swarm product files with (paper section 2.3, data).

/** CDF data type codes (CDF Internal Format Description, section 2.6 / cdf.h). */
export const CDF_TYPES = {
  CDF_INT1: 1,
  CDF_INT2: 2,
  CDF_INT4: 4,
  CDF_INT8: 8,
  CDF_UINT1: 11,
  CDF_UINT2: 12,
  CDF_UINT4: 14,
  CDF_REAL4: 21,
  CDF_REAL8: 22,
  CDF_EPOCH: 31,
  CDF_EPOCH16: 32,
  CDF_TIME_TT2000: 33,
  CDF_BYTE: 41,
  CDF_FLOAT: 44,
  CDF_DOUBLE: 45,
  CDF_CHAR: 51,
  CDF_UCHAR: 52,
} as const;

export type CdfTypeName = keyof typeof CDF_TYPES;

const TYPE_NAMES = new Map<number, CdfTypeName>(
  (Object.entries(CDF_TYPES) as [CdfTypeName, number][]).map(([k, v]) => [v, k]),
);

/** Name of a CDF data type code, or undefined when the code is not a CDF type. */
export function cdfTypeName(code: number): CdfTypeName | undefined {
  return TYPE_NAMES.get(code);
}

/** Bytes per element of each type (CHAR/UCHAR: per character; EPOCH16: two doubles). */
export function cdfTypeSize(code: number): number {
  switch (code) {
    case 1: case 11: case 41: case 51: case 52: return 1;
    case 2: case 12: return 2;
    case 4: case 14: case 21: case 44: return 4;
    case 8: case 22: case 31: case 33: case 45: return 8;
    case 32: return 16;
    default: return 0;
  }
}

export function isCharType(code: number): boolean {
  return code === 51 || code === 52;
}

/** Data encodings (CDR Encoding field). true = little-endian byte order. */
const ENCODINGS: Record<number, { name: string; little: boolean; vaxFloat: boolean }> = {
  1: { name: 'NETWORK', little: false, vaxFloat: false },
  2: { name: 'SUN', little: false, vaxFloat: false },
  3: { name: 'VAX', little: true, vaxFloat: true },
  4: { name: 'DECSTATION', little: true, vaxFloat: false },
  5: { name: 'SGi', little: false, vaxFloat: false },
  6: { name: 'IBMPC', little: true, vaxFloat: false },
  7: { name: 'IBMRS', little: false, vaxFloat: false },
  9: { name: 'PPC', little: false, vaxFloat: false },
  11: { name: 'HP', little: false, vaxFloat: false },
  12: { name: 'NeXT', little: false, vaxFloat: false },
  13: { name: 'ALPHAOSF1', little: true, vaxFloat: false },
  14: { name: 'ALPHAVMSd', little: true, vaxFloat: true },
  15: { name: 'ALPHAVMSg', little: true, vaxFloat: true },
  16: { name: 'ALPHAVMSi', little: true, vaxFloat: false },
  17: { name: 'ARM_LITTLE', little: true, vaxFloat: false },
  18: { name: 'ARM_BIG', little: false, vaxFloat: false },
  19: { name: 'IA64VMSi', little: true, vaxFloat: false },
  20: { name: 'IA64VMSd', little: true, vaxFloat: true },
  21: { name: 'IA64VMSg', little: true, vaxFloat: true },
};

export function cdfEncoding(code: number): { name: string; little: boolean; vaxFloat: boolean } | undefined {
  return ENCODINGS[code];
}

/** Internal record types (CDF Internal Format Description, chapter 2). */
export const RECORD_TYPES: Record<number, string> = {
  1: 'CDR',
  2: 'GDR',
  3: 'rVDR',
  4: 'ADR',
  5: 'AgrEDR',
  6: 'VXR',
  7: 'VVR',
  8: 'zVDR',
  9: 'AzEDR',
  10: 'CCR',
  11: 'CPR',
  12: 'SPR',
  13: 'CVVR',
  [-1]: 'UIR',
};

export function recordTypeName(type: number): string {
  return RECORD_TYPES[type] ?? `unknown record type ${type}`;
}

/** Compression types (CPR cType). */
export const COMPRESSION_NAMES: Record<number, string> = { 0: 'none', 1: 'RLE', 2: 'HUFF', 3: 'AHUFF', 5: 'GZIP' };
