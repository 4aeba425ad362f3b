// Reader for ESA's Swarm Level-1b CDF products, MAGx_LR_1B (1 Hz B_NEC, Flags_B) and EFIx_LP_1B (2 Hz Ne before
// baseline 07, N_ion since, with Flags_Ne / Flags_N_ion), from the daily *.CDF.ZIP or a bare .cdf, into the
// MagRecords / LpRecords of lib/swarm/swarm-csv.ts that the store import merges. Paper section 2.3.
import * as path from 'path';
import { CdfFile, CdfColumn, openCdf, timeColumnToUnixMs } from './cdf';
import { LpRecords, MagRecords } from './swarm-csv';
import { openZip } from './zip';

/** Records read from CDF products say so in `layout` / `bLayout` (informational only). */
const CDF_LAYOUT: MagRecords['layout'] = 'esa-cdf';
const CDF_B_LAYOUT: MagRecords['bLayout'] = 'cdf-vector';

/** What the file name says about a Swarm product. */
export interface EsaProductName {
  /** e.g. SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0505 */
  product: string;
  /** e.g. SW_OPER_MAGA_LR_1B */
  type: string;
  instrument: string;
  satellite: 'A' | 'B' | 'C';
  /** Two-digit baseline ('05') and file version ('05'). */
  baseline: string;
  version: string;
}

/** Parse a Swarm product name out of a file or entry name (null when it does not hold one). */
export function parseProductName(name: string): EsaProductName | null {
  const m = /(SW_[A-Z0-9]{4}_([A-Z]{3})([ABC])_([A-Z0-9]{2})_([A-Z0-9]{2}))_\d{8}T\d{6}_\d{8}T\d{6}_(\d{2})(\d{2})/i.exec(path.basename(name));
  if (!m) return null;
  return {
    product: m[0].toUpperCase(),
    type: m[1].toUpperCase(),
    instrument: m[2].toUpperCase(),
    satellite: m[3].toUpperCase() as 'A' | 'B' | 'C',
    baseline: m[6],
    version: m[7],
  };
}

export interface EsaSource {
  /** The file given (ZIP or CDF). */
  file: string;
  /** The CDF entry inside the ZIP, or null for a bare CDF. */
  entry: string | null;
  /** Label used in errors and in records' `file`: file or file!entry. */
  label: string;
  name: EsaProductName | null;
}

/** What reading repaired or dropped, for the import log (counts; nothing is dropped silently). */
export interface EsaReadReport {
  /** Records in the file. */
  records: number;
  /** Records dropped because their Timestamp is a fill value (NaN). */
  badTime: number;
  /** Records dropped because another record of the file has the same Timestamp (first kept). */
  duplicates: number;
  /** Whether the Timestamps were out of order (records were sorted). */
  reordered: boolean;
  /** Values equal to the variable's FILLVAL, set to NaN, per variable. */
  fills: Record<string, number>;
}

/**
 * Open the CDF of a Swarm product: a .cdf file, or the CDF inside a ZIP (the entry ending in `.cdf`; with several,
 * the one whose name holds `preferEntry`, e.g. '_MDR_MAG_LR').
 */
export function openEsaCdf(file: string, preferEntry?: string): { cdf: CdfFile; source: EsaSource } {
  const isZip = /\.zip$/i.test(file);
  if (!isZip) {
    const cdf = openCdf(file);
    return { cdf, source: { file, entry: null, label: file, name: parseProductName(file) } };
  }
  const z = openZip(file);
  const cdfs = z.entries.filter((e) => !e.isDirectory && /\.cdf$/i.test(e.name));
  let pick = cdfs.length === 1 ? cdfs[0] : undefined;
  if (!pick && preferEntry) {
    const pref = cdfs.filter((e) => e.name.includes(preferEntry));
    if (pref.length === 1) pick = pref[0];
  }
  if (!pick)
    throw new Error(
      `${file}: expected one CDF entry${preferEntry ? ` (or one named *${preferEntry}*)` : ''}, found ${cdfs.length} among: ${z.names().join(', ') || 'no entries'}`,
    );
  const label = `${file}!${pick.name}`;
  const cdf = openCdf(z.read(pick.name), { name: label });
  return { cdf, source: { file, entry: pick.name, label, name: parseProductName(pick.name) ?? parseProductName(file) } };
}

/** The Timestamp variable as Unix ms; a variable of another type is an error naming the file. */
function timeColumn(cdf: CdfFile, label: string): Float64Array {
  const col = cdf.read('Timestamp');
  try {
    return timeColumnToUnixMs(col);
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}`);
  }
}

/**
 * A numeric column as Float64Array; with applyFill, values equal to the variable's FILLVAL (when it declares one)
 * become NaN. Flags are read without it (a Flags_B FILLVAL of 255 must stay 255: it is ESA's "invalid").
 */
function numeric(cdf: CdfFile, label: string, name: string, fills: Record<string, number>, perRecord: number, applyFill = false): Float64Array {
  const col: CdfColumn = cdf.read(name);
  if (Array.isArray(col.data)) throw new Error(`${label}: variable '${name}' is ${col.type} (characters), expected numbers`);
  const per = col.dims.reduce((a, b) => a * b, 1);
  if (per !== perRecord) throw new Error(`${label}: variable '${name}' has ${per} value(s) per record (dims [${col.dims.join(',')}]), expected ${perRecord}`);
  const src = col.data;
  const out = new Float64Array(src.length);
  if (src instanceof BigInt64Array) for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  else out.set(src as ArrayLike<number>);
  const fv = applyFill ? cdf.variableAttributes(name).FILLVAL : undefined;
  if (fv && Array.isArray(fv.value) && fv.value.length === 1 && typeof fv.value[0] !== 'string') {
    const f = Number(fv.value[0]);
    let n = 0;
    for (let i = 0; i < out.length; i++)
      if (out[i] === f) {
        out[i] = NaN;
        n++;
      }
    if (n > 0) fills[name] = n;
  }
  return out;
}

/**
 * Order of the records to keep: finite Timestamps, sorted ascending (stable), the first of equal Timestamps
 * (equal after rounding to whole ms, the store's resolution).
 */
function keepOrder(t: Float64Array, report: EsaReadReport): Int32Array | null {
  const n = t.length;
  let ok = true;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i])) {
      ok = false;
      break;
    }
    if (i > 0 && !(Math.round(t[i]) > Math.round(t[i - 1]))) {
      ok = false;
      break;
    }
  }
  if (ok) return null;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(t[i])) idx.push(i);
    else report.badTime++;
  }
  for (let k = 1; k < idx.length; k++)
    if (t[idx[k]] < t[idx[k - 1]]) {
      report.reordered = true;
      break;
    }
  idx.sort((a, b) => t[a] - t[b] || a - b);
  const keep: number[] = [];
  let last = -Infinity;
  for (const i of idx) {
    const r = Math.round(t[i]);
    if (r === last) {
      report.duplicates++;
      continue;
    }
    keep.push(i);
    last = r;
  }
  return Int32Array.from(keep);
}

function pick(a: Float64Array, idx: Int32Array | null): Float64Array {
  if (!idx) return a;
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = a[idx[k]];
  return out;
}

function requireVars(cdf: CdfFile, label: string, names: string[], what: string): void {
  const missing = names.filter((n) => !cdf.hasVariable(n));
  if (missing.length) throw new Error(`${label}: not a ${what} product: variable(s) ${missing.join(', ')} missing (have: ${cdf.variableNames().join(', ')})`);
}

function recordsCheck(label: string, name: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${label}: variable '${name}' has ${got} records, Timestamp has ${want}`);
}

function spacecraftOf(cdf: CdfFile, source: EsaSource): string | null {
  if (cdf.hasVariable('Spacecraft')) {
    const s = cdf.read('Spacecraft').data;
    if (Array.isArray(s) && s.length > 0) {
      const first = s[0].trim();
      const k = s.findIndex((x) => x.trim() !== first);
      if (k >= 0) throw new Error(`${source.label}: variable 'Spacecraft' mixes '${first}' and '${s[k]}' (record ${k})`);
      return first;
    }
  }
  return source.name ? source.name.satellite : null;
}

function checkPositions(label: string, lat: Float64Array, lon: Float64Array, rad: Float64Array): void {
  for (let i = 0; i < lat.length; i++) {
    if (!(Math.abs(lat[i]) <= 90)) throw new Error(`${label}: record ${i}: Latitude ${lat[i]} outside [-90, 90]`);
    if (!(Math.abs(lon[i]) <= 180)) throw new Error(`${label}: record ${i}: Longitude ${lon[i]} outside [-180, 180]`);
    if (!(rad[i] > 6.3e6 && rad[i] < 8e6)) throw new Error(`${label}: record ${i}: Radius ${rad[i]} m is not a Swarm orbit radius (expected metres)`);
  }
}

export interface EsaMag {
  records: MagRecords;
  source: EsaSource;
  report: EsaReadReport;
}

export interface EsaLp {
  records: LpRecords;
  source: EsaSource;
  report: EsaReadReport;
}

/** Read a MAGx_LR_1B product (ZIP or CDF): Timestamp, Latitude, Longitude, Radius, B_NEC and (when present) Flags_B. */
export function readEsaMag(file: string): EsaMag {
  const { cdf, source } = openEsaCdf(file, '_MDR_MAG_LR');
  const label = source.label;
  requireVars(cdf, label, ['Timestamp', 'Latitude', 'Longitude', 'Radius', 'B_NEC'], 'MAG LR');
  const fills: Record<string, number> = {};
  const t = timeColumn(cdf, label);
  const n = t.length;
  const lat = numeric(cdf, label, 'Latitude', fills, 1);
  const lon = numeric(cdf, label, 'Longitude', fills, 1);
  const rad = numeric(cdf, label, 'Radius', fills, 1);
  const b = numeric(cdf, label, 'B_NEC', fills, 3, true);
  recordsCheck(label, 'Latitude', lat.length, n);
  recordsCheck(label, 'Longitude', lon.length, n);
  recordsCheck(label, 'Radius', rad.length, n);
  recordsCheck(label, 'B_NEC', b.length / 3, n);
  const flags = cdf.hasVariable('Flags_B') ? numeric(cdf, label, 'Flags_B', fills, 1) : null;
  if (flags) recordsCheck(label, 'Flags_B', flags.length, n);
  const report: EsaReadReport = { records: n, badTime: 0, duplicates: 0, reordered: false, fills };
  const idx = keepOrder(t, report);
  const m = idx ? idx.length : n;
  const B_N = new Float64Array(m);
  const B_E = new Float64Array(m);
  const B_C = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = idx ? idx[k] : k;
    B_N[k] = b[3 * i];
    B_E[k] = b[3 * i + 1];
    B_C[k] = b[3 * i + 2];
  }
  const records: MagRecords = {
    file: label,
    layout: CDF_LAYOUT,
    spacecraft: spacecraftOf(cdf, source),
    Timestamp: pick(t, idx),
    Latitude: pick(lat, idx),
    Longitude: pick(lon, idx),
    Radius: pick(rad, idx),
    B_N,
    B_E,
    B_C,
    productFlagsB: flags ? pick(flags, idx) : null,
    bLayout: CDF_B_LAYOUT,
  };
  checkPositions(label, records.Latitude, records.Longitude, records.Radius);
  return { records, source, report };
}

/**
 * Read an EFIx_LP_1B product (ZIP or CDF): Timestamp and the density with its flags: Ne/Flags_Ne (baselines
 * before 07) or N_ion/Flags_N_ion (07 and later). When a file holds both, the baseline in its name decides.
 */
export function readEsaLp(file: string): EsaLp {
  const { cdf, source } = openEsaCdf(file, '_MDR_EFI_LP');
  const label = source.label;
  requireVars(cdf, label, ['Timestamp'], 'EFI LP');
  const hasNe = cdf.hasVariable('Ne');
  const hasNion = cdf.hasVariable('N_ion');
  if (!hasNe && !hasNion)
    throw new Error(`${label}: not an EFI LP product: no density variable (Ne before baseline 07, N_ion since) among: ${cdf.variableNames().join(', ')}`);
  const baseline = source.name ? Number(source.name.baseline) : null;
  const densityVariable: 'Ne' | 'N_ion' = hasNe && hasNion ? (baseline !== null && baseline >= 7 ? 'N_ion' : 'Ne') : hasNe ? 'Ne' : 'N_ion';
  const flagCandidates = densityVariable === 'Ne' ? ['Flags_Ne'] : ['Flags_N_ion', 'Flags_Ne'];
  const flagName = flagCandidates.find((f) => cdf.hasVariable(f)) ?? null;
  const fills: Record<string, number> = {};
  const t = timeColumn(cdf, label);
  const n = t.length;
  const ne = numeric(cdf, label, densityVariable, fills, 1, true);
  recordsCheck(label, densityVariable, ne.length, n);
  const flags = flagName ? numeric(cdf, label, flagName, fills, 1) : null;
  if (flags) recordsCheck(label, flagName!, flags.length, n);
  const report: EsaReadReport = { records: n, badTime: 0, duplicates: 0, reordered: false, fills };
  const idx = keepOrder(t, report);
  const records: LpRecords = {
    file: label,
    layout: CDF_LAYOUT,
    spacecraft: spacecraftOf(cdf, source),
    Timestamp: pick(t, idx),
    Ne: pick(ne, idx),
    productFlagsNe: flags ? pick(flags, idx) : null,
    densityVariable,
  };
  return { records, source, report };
}
