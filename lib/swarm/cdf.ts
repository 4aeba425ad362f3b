// NASA CDF reader (pure TypeScript) for ESA Swarm product files and other CDF data: the public entry point,
// re-exporting lib/swarm/cdf/* plus time-column helpers (paper section 2.3: Swarm MAG/EFI Level-1b data).
import { CdfColumn } from './cdf/reader';
import { epoch16ToUnixMs, epochToUnixMs, tt2000ToUnixMs } from './cdf/epochs';

export { openCdf, CdfFile, CdfError } from './cdf/reader';
export type {
  CdfColumn,
  CdfVariableInfo,
  CdfAttributeEntry,
  CdfAttributeValue,
  CdfFileInfo,
  CdfTypedArray,
  OpenCdfOptions,
} from './cdf/reader';
export {
  epochToUnixMs,
  unixMsToEpoch,
  epoch16ToUnixPs,
  epoch16ToUnixMs,
  tt2000ToUnixMs,
  tt2000ToUnixNs,
  unixMsToTt2000,
  unixNsToTt2000,
  CDF_LEAP_SECONDS,
  EPOCH_UNIX_OFFSET_MS,
} from './cdf/epochs';
export { CDF_TYPES, cdfTypeName } from './cdf/types';
export type { CdfTypeName } from './cdf/types';

/**
 * A time column (CDF_EPOCH, CDF_EPOCH16 or CDF_TIME_TT2000) as Unix ms (UTC; TT2000 through the leap-second
 * table). Fill values become NaN. Any other type is an error naming the variable.
 */
export function timeColumnToUnixMs(col: CdfColumn): Float64Array {
  const n = col.type === 'CDF_EPOCH16' ? col.data.length / 2 : col.data.length;
  const out = new Float64Array(n);
  if (col.type === 'CDF_EPOCH') {
    const d = col.data as Float64Array;
    for (let i = 0; i < n; i++) out[i] = epochToUnixMs(d[i]);
  } else if (col.type === 'CDF_EPOCH16') {
    const d = col.data as Float64Array;
    for (let i = 0; i < n; i++) out[i] = epoch16ToUnixMs(d[2 * i], d[2 * i + 1]);
  } else if (col.type === 'CDF_TIME_TT2000') {
    const d = col.data as BigInt64Array;
    for (let i = 0; i < n; i++) out[i] = tt2000ToUnixMs(d[i]);
  } else {
    throw new Error(`CDF variable '${col.name}' has type ${col.type}, not a CDF time type (EPOCH, EPOCH16, TT2000)`);
  }
  return out;
}
