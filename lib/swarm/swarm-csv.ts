// Reader for Swarm CSV as VirES writes it (viresclient CSV with B_NEC as `{N;E;C}`, pandas-style three
// columns B_NEC_N/B_NEC_E/B_NEC_C, or VirES HAPI CSV with or without its `#` JSON header) for MAGx_LR_1B and
// EFIx_LP_1B across product baselines (Ne/Flags_Ne before baseline 07, N_ion/Flags_N_ion since), and the
// merge of 2 Hz EFI LP Ne onto the 1 Hz MAG timestamps. Paper section 2.3 (Swarm A B_NEC and Ne).
// Tolerant of what the services may send (HAPI 3.0 promises time order, not unique times; VirES declares
// "fill": null and writes NaN as `nan` in any float column): records are sorted by time, repeated times dropped
// (first kept), `nan` accepted and counted per column; all of it reported in `csvReport`, nothing dropped silently.
// Leap seconds (2015-06-30 and 2016-12-31 in the paper's period): Unix/ms time has no 23:59:60, and CDF_EPOCH, the
// Swarm products' time type, cannot hold it, so a product writes the inserted second as a repeated 23:59:59 or
// leaves it out. A repeated time is dropped like any repeat (the first record kept); a missing second is a 1 s gap;
// a record stamped 23:59:60 on a leap-second day is dropped and counted (`leapSeconds`), on any other day an error.
import * as fs from 'fs';
import Papa from 'papaparse';
import { InputFormatError, parseIsoUtc, parseNumber } from '../data/errors';
import { CDF_LEAP_SECONDS } from './cdf/epochs';
import { FLAG, magStoreFlag, neStoreFlag } from './flags';
import { dayOfMs, dayStartMs } from './store';
import { allocColumns, Satellite, SwarmColumns, SwarmDay, SwarmSource } from './types';

/** A HAPI parameter description (the subset this reader uses). */
export interface HapiParameter {
  name: string;
  /** [3] for a 3-vector such as B_NEC; absent for scalars. */
  size?: number[];
  /** Fill value as HAPI writes it (a string), or null. */
  fill?: string | null;
  type?: string;
}

export interface SwarmCsvOptions {
  /**
   * For a HAPI CSV without header (the HAPI default): the requested parameters in order, Timestamp first
   * (as the downloader asked for them). Ignored when the file has a header row or a `#` JSON header.
   */
  hapiParameters?: HapiParameter[];
}

/** What the tolerant reading did to one file (counts; nothing is dropped silently). */
export interface CsvReadReport {
  /** Data rows in the file. */
  rows: number;
  /** Rows dropped because an earlier row (in time order, then file order) has the same time. */
  duplicates: number;
  /** Whether the rows were out of time order (they were sorted). */
  reordered: boolean;
  /** Rows stamped 23:59:60 on a leap-second day, dropped (no Unix time for them). */
  leapSeconds: number;
  /** `nan` (or empty, or the declared fill) values read as NaN, per column. */
  nan: Record<string, number>;
}

/** Days (YYYY-MM-DD) that end with an inserted leap second: the day before each integral TAI-UTC step since 1972-07-01. */
export const LEAP_SECOND_DAYS: ReadonlySet<string> = new Set(
  CDF_LEAP_SECONDS.filter(([y, m, , , , drift]) => drift === 0 && Date.UTC(y, m - 1, 1) > Date.UTC(1972, 0, 1)).map(([y, m, d]) =>
    new Date(Date.UTC(y, m - 1, d) - 86_400_000).toISOString().slice(0, 10),
  ),
);

/** Columns of a table read from one CSV, by name; vectors are split into NAME_N/E/C (B_NEC) or NAME_0.. . */
interface RawTable {
  file: string;
  names: string[];
  rows: string[][];
  /** 1-based line number of rows[k]. */
  lines: number[];
  fill: Map<string, string>;
  layout: 'vires-csv' | 'hapi-json-header' | 'hapi-no-header';
  report: CsvReadReport;
}

function splitVectorName(name: string, size: number): string[] {
  if (name === 'B_NEC' && size === 3) return ['B_NEC_N', 'B_NEC_E', 'B_NEC_C'];
  return Array.from({ length: size }, (_, k) => `${name}_${k}`);
}

function readRaw(text: string, file: string, options: SwarmCsvOptions): RawTable {
  const allLines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let k = 0;
  const headerJson: string[] = [];
  while (k < allLines.length && allLines[k].startsWith('#')) headerJson.push(allLines[k++].slice(1));
  const fill = new Map<string, string>();
  let names: string[] | null = null;
  let layout: RawTable['layout'] = 'vires-csv';
  let params: HapiParameter[] | null = null;
  if (headerJson.length > 0) {
    try {
      const h = JSON.parse(headerJson.join('\n')) as { parameters?: HapiParameter[] };
      if (Array.isArray(h.parameters)) params = h.parameters;
    } catch {
      // plain comment lines: not a HAPI header
    }
    if (params) layout = 'hapi-json-header';
  }
  const body = allLines.slice(k).join('\n');
  const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: false, delimiter: ',' });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new InputFormatError({ file, line: e.row !== undefined ? e.row + 1 + k : undefined }, `CSV syntax: ${e.message}`);
  }
  const data = parsed.data;
  let first = 0;
  if (!params) {
    const looksLikeHeader = data.length > 0 && data[0].length > 0 && parseIsoUtc(data[0][0]) === null && /[A-Za-z_]/.test(data[0].join(''));
    if (looksLikeHeader) {
      names = data[0].map((s) => s.trim());
      first = 1;
    } else if (options.hapiParameters) {
      params = options.hapiParameters;
      layout = 'hapi-no-header';
    } else {
      throw new InputFormatError({ file, line: k + 1 }, 'no header row and no HAPI parameter list: pass { hapiParameters } for a header-less HAPI CSV');
    }
  }
  if (params) {
    names = [];
    for (const p of params) {
      const size = p.size && p.size.length > 0 ? p.size.reduce((a, b) => a * b, 1) : 1;
      const cols = size === 1 ? [p.name] : splitVectorName(p.name, size);
      names.push(...cols);
      if (p.fill !== undefined && p.fill !== null) for (const c of cols) fill.set(c, String(p.fill));
    }
  }
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = first; r < data.length; r++) {
    if (data[r].length === 1 && data[r][0].trim() === '') continue;
    rows.push(data[r]);
    lines.push(r + 1 + k);
  }
  return { file, names: names!, rows, lines, fill, layout, report: { rows: rows.length, duplicates: 0, reordered: false, leapSeconds: 0, nan: {} } };
}

/** Fast ISO 8601 UTC parse for the fixed form YYYY-MM-DDTHH:MM:SS[.f...]Z (what VirES writes), else the general parser. */
export function parseSwarmTime(s: string): number | null {
  if (s.length >= 20 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58 && s.charCodeAt(s.length - 1) === 90) {
    const d = (i: number) => s.charCodeAt(i) - 48;
    const y = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    const mo = d(5) * 10 + d(6);
    const da = d(8) * 10 + d(9);
    const h = d(11) * 10 + d(12);
    const mi = d(14) * 10 + d(15);
    const se = d(17) * 10 + d(18);
    let frac = 0;
    if (s.charCodeAt(19) === 46) {
      let scale = 100;
      for (let i = 20; i < s.length - 1; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return parseIsoUtc(s);
        frac += c * scale;
        scale /= 10;
      }
    } else if (s.length !== 20) {
      return parseIsoUtc(s);
    }
    const vals = [y, mo, da, h, mi, se];
    if (vals.some((v) => !(v >= 0)) || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || se > 60) return parseIsoUtc(s);
    return Date.UTC(y, mo - 1, da, h, mi, se) + Math.round(frac * 1000) / 1000;
  }
  return parseIsoUtc(s);
}

function colIndex(t: RawTable, candidates: string[]): number {
  for (const c of candidates) {
    const i = t.names.indexOf(c);
    if (i >= 0) return i;
  }
  return -1;
}

function requireCol(t: RawTable, candidates: string[]): number {
  const i = colIndex(t, candidates);
  if (i < 0) {
    throw new InputFormatError({ file: t.file, line: t.layout === 'vires-csv' ? 1 : undefined, column: candidates[0] }, `missing column (looked for ${candidates.join(' or ')}; have ${t.names.join(',')})`);
  }
  return i;
}

const LEAP_STAMP = /^(\d{4}-\d{2}-\d{2})T23:59:60(\.\d+)?Z?$/;

/**
 * Parse the times and put the rows in time order: rows stamped 23:59:60 on a leap-second day are dropped, the
 * rest sorted (stable) and of equal times the first kept; t.rows/t.lines are rewritten, counts go to t.report.
 */
function timestamps(t: RawTable): Float64Array {
  const ti = requireCol(t, ['Timestamp', 'time', 'Time']);
  const n = t.rows.length;
  const v = new Float64Array(n);
  const idx: number[] = [];
  let sorted = true;
  let unique = true;
  for (let r = 0; r < n; r++) {
    const s = (t.rows[r][ti] ?? '').trim();
    const leap = LEAP_STAMP.exec(s);
    if (leap) {
      if (!LEAP_SECOND_DAYS.has(leap[1]))
        throw new InputFormatError({ file: t.file, line: t.lines[r], column: t.names[ti] }, `${s}: 23:59:60 on a day without a leap second`);
      t.report.leapSeconds++;
      continue;
    }
    const x = parseSwarmTime(s);
    if (x === null) throw new InputFormatError({ file: t.file, line: t.lines[r], column: t.names[ti] }, `not an ISO 8601 UTC time: '${t.rows[r][ti]}'`);
    if (idx.length > 0) {
      const prev = v[idx[idx.length - 1]];
      if (x < prev) sorted = false;
      else if (x === prev) unique = false;
    }
    v[r] = x;
    idx.push(r);
  }
  if (!sorted) {
    t.report.reordered = true;
    idx.sort((a, b) => v[a] - v[b] || a - b);
  }
  let keep = idx;
  if (!sorted || !unique) {
    keep = [];
    for (const r of idx) {
      if (keep.length > 0 && v[keep[keep.length - 1]] === v[r]) t.report.duplicates++;
      else keep.push(r);
    }
  }
  if (keep.length !== n) {
    t.rows = keep.map((r) => t.rows[r]);
    t.lines = keep.map((r) => t.lines[r]);
  } else if (!sorted) {
    const rows = keep.map((r) => t.rows[r]);
    const lines = keep.map((r) => t.lines[r]);
    t.rows = rows;
    t.lines = lines;
  }
  return Float64Array.from(keep, (r) => v[r]);
}

/** Numeric column; `missingOk` lets '', 'nan' and the HAPI fill value become NaN (counted by the caller). */
function numbers(t: RawTable, i: number, missingOk: boolean): Float64Array {
  const out = new Float64Array(t.rows.length);
  const name = t.names[i];
  const fill = t.fill.get(name);
  for (let r = 0; r < t.rows.length; r++) {
    const row = t.rows[r];
    if (row.length !== t.names.length) throw new InputFormatError({ file: t.file, line: t.lines[r] }, `row has ${row.length} fields, expected ${t.names.length}`);
    const s = row[i].trim();
    const v = parseNumber(s);
    if (v !== null && !(fill !== undefined && s === fill)) {
      out[r] = v;
    } else if (missingOk && (s === '' || /^nan$/i.test(s) || (fill !== undefined && s === fill))) {
      out[r] = NaN;
      t.report.nan[name] = (t.report.nan[name] ?? 0) + 1;
    } else {
      throw new InputFormatError({ file: t.file, line: t.lines[r], column: name }, `not a number: '${row[i]}'`);
    }
  }
  return out;
}

/** `{N;E;C}` (viresclient CSV) or `[N, E, C]` / `N E C` -> three numbers. */
function vectorColumn(t: RawTable, i: number): [Float64Array, Float64Array, Float64Array] {
  const n = t.rows.length;
  const out: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let r = 0; r < n; r++) {
    const row = t.rows[r];
    if (row.length !== t.names.length) throw new InputFormatError({ file: t.file, line: t.lines[r] }, `row has ${row.length} fields, expected ${t.names.length}`);
    const s = row[i].trim();
    const inner = s.replace(/^[{[(]/, '').replace(/[}\])]$/, '');
    const parts = inner.split(/[;,\s]+/).filter((p) => p !== '');
    if (parts.length !== 3) throw new InputFormatError({ file: t.file, line: t.lines[r], column: t.names[i] }, `expected a 3-vector like {N;E;C}, got '${s}'`);
    for (let c = 0; c < 3; c++) {
      const v = parseNumber(parts[c]);
      if (v === null) {
        if (/^nan$/i.test(parts[c])) {
          out[c][r] = NaN;
          const k = `${t.names[i]}_${'NEC'[c]}`;
          t.report.nan[k] = (t.report.nan[k] ?? 0) + 1;
        } else throw new InputFormatError({ file: t.file, line: t.lines[r], column: t.names[i] }, `component ${'NEC'[c]} not a number: '${parts[c]}'`);
      } else out[c][r] = v;
    }
  }
  return out;
}

/** MAG LR records as read (before any merge). */
export interface MagRecords {
  file: string;
  layout: RawTable['layout'] | 'esa-cdf';
  /** Spacecraft column value when present ('A', 'B', 'C'). */
  spacecraft: string | null;
  Timestamp: Float64Array;
  Latitude: Float64Array;
  Longitude: Float64Array;
  Radius: Float64Array;
  B_N: Float64Array;
  B_E: Float64Array;
  B_C: Float64Array;
  /** Product Flags_B, or null when the file has no Flags_B column. */
  productFlagsB: Float64Array | null;
  /** How B_NEC was written: one `{N;E;C}` column or three columns. */
  bLayout: 'braced' | 'three-columns' | 'cdf-vector';
  /** CSV files: what the tolerant reading sorted, dropped and read as NaN. */
  csvReport?: CsvReadReport;
}

/** EFI LP records as read. */
export interface LpRecords {
  file: string;
  layout: RawTable['layout'] | 'esa-cdf';
  spacecraft: string | null;
  Timestamp: Float64Array;
  /** Plasma density, cm^-3 (Ne before baseline 07, N_ion since). */
  Ne: Float64Array;
  productFlagsNe: Float64Array | null;
  /** Which variable carried the density. */
  densityVariable: 'Ne' | 'N_ion';
  /** CSV files: what the tolerant reading sorted, dropped and read as NaN. */
  csvReport?: CsvReadReport;
}

function spacecraftOf(t: RawTable): string | null {
  const i = colIndex(t, ['Spacecraft']);
  if (i < 0 || t.rows.length === 0) return null;
  const s = t.rows[0][i].trim();
  for (let r = 0; r < t.rows.length; r++) {
    if (t.rows[r][i].trim() !== s) throw new InputFormatError({ file: t.file, line: t.lines[r], column: 'Spacecraft' }, `mixes spacecraft '${s}' and '${t.rows[r][i]}'`);
  }
  return s;
}

/** Parse MAGx_LR_1B CSV text (any of the layouts above). */
export function parseMagCsv(text: string, file: string, options: SwarmCsvOptions = {}): MagRecords {
  const t = readRaw(text, file, options);
  const Timestamp = timestamps(t);
  const lat = numbers(t, requireCol(t, ['Latitude']), true);
  const lon = numbers(t, requireCol(t, ['Longitude']), true);
  const rad = numbers(t, requireCol(t, ['Radius']), true);
  for (let r = 0; r < t.rows.length; r++) {
    if (Number.isNaN(lat[r]) || Number.isNaN(lon[r]) || Number.isNaN(rad[r])) continue; // counted in csvReport.nan; flagged missing by mergeMagLp
    if (!(Math.abs(lat[r]) <= 90)) throw new InputFormatError({ file, line: t.lines[r], column: 'Latitude' }, `${lat[r]} outside [-90, 90]`);
    if (!(Math.abs(lon[r]) <= 180)) throw new InputFormatError({ file, line: t.lines[r], column: 'Longitude' }, `${lon[r]} outside [-180, 180]`);
    if (!(rad[r] > 6.3e6 && rad[r] < 8e6)) throw new InputFormatError({ file, line: t.lines[r], column: 'Radius' }, `${rad[r]} m is not a Swarm orbit radius (expected metres)`);
  }
  let B: [Float64Array, Float64Array, Float64Array];
  let bLayout: MagRecords['bLayout'];
  const braced = colIndex(t, ['B_NEC']);
  if (braced >= 0) {
    B = vectorColumn(t, braced);
    bLayout = 'braced';
  } else {
    const sets = [
      ['B_NEC_N', 'B_NEC_E', 'B_NEC_C'],
      ['B_N', 'B_E', 'B_C'],
      ['B_NEC_0', 'B_NEC_1', 'B_NEC_2'],
      ['B_NEC[0]', 'B_NEC[1]', 'B_NEC[2]'],
    ];
    const set = sets.find((s) => s.every((c) => t.names.includes(c)));
    if (!set) throw new InputFormatError({ file, line: t.layout === 'vires-csv' ? 1 : undefined, column: 'B_NEC' }, `missing column: need B_NEC ({N;E;C}) or B_NEC_N/B_NEC_E/B_NEC_C (have ${t.names.join(',')})`);
    B = [numbers(t, t.names.indexOf(set[0]), true), numbers(t, t.names.indexOf(set[1]), true), numbers(t, t.names.indexOf(set[2]), true)];
    bLayout = 'three-columns';
  }
  const fi = colIndex(t, ['Flags_B']);
  return {
    file,
    layout: t.layout,
    spacecraft: spacecraftOf(t),
    Timestamp,
    Latitude: lat,
    Longitude: lon,
    Radius: rad,
    B_N: B[0],
    B_E: B[1],
    B_C: B[2],
    productFlagsB: fi >= 0 ? numbers(t, fi, false) : null,
    bLayout,
    csvReport: t.report,
  };
}

/** Parse EFIx_LP_1B CSV text: Ne/Flags_Ne (baselines before 07) or N_ion/Flags_N_ion (07 and later). */
export function parseLpCsv(text: string, file: string, options: SwarmCsvOptions = {}): LpRecords {
  const t = readRaw(text, file, options);
  const Timestamp = timestamps(t);
  const ni = colIndex(t, ['Ne', 'N_ion']);
  if (ni < 0) throw new InputFormatError({ file, line: t.layout === 'vires-csv' ? 1 : undefined, column: 'Ne' }, `missing column: need Ne (baselines < 07) or N_ion (>= 07) (have ${t.names.join(',')})`);
  const densityVariable = t.names[ni] as 'Ne' | 'N_ion';
  const fi = colIndex(t, densityVariable === 'Ne' ? ['Flags_Ne'] : ['Flags_N_ion', 'Flags_Ne']);
  return {
    file,
    layout: t.layout,
    spacecraft: spacecraftOf(t),
    Timestamp,
    Ne: numbers(t, ni, true),
    productFlagsNe: fi >= 0 ? numbers(t, fi, false) : null,
    densityVariable,
    csvReport: t.report,
  };
}

export function readMagCsv(file: string, options: SwarmCsvOptions = {}): MagRecords {
  return parseMagCsv(fs.readFileSync(file, 'utf8'), file, options);
}

export function readLpCsv(file: string, options: SwarmCsvOptions = {}): LpRecords {
  return parseLpCsv(fs.readFileSync(file, 'utf8'), file, options);
}

/** Counts from a merge, for the notebook and the import log. */
export interface MergeReport {
  records: number;
  /** MAG records whose Flags_B marks them invalid (255). */
  magInvalid: number;
  /** MAG records with a NaN component. */
  magMissing: number;
  /** MAG seconds with an EFI sample within the tolerance. */
  neMatched: number;
  /** MAG seconds without one (Ne = NaN, Flags_Ne has FLAG.MISSING). */
  neUnmatched: number;
  /** Matched Ne values that are <= 0 or flagged invalid by the product. */
  neRejected: number;
  /** Product flag value -> count among matched EFI samples (to see what the data carry). */
  productFlagsNe: Record<string, number>;
  productFlagsB: Record<string, number>;
}

/**
 * Put EFI LP Ne (2 Hz) onto the MAG LR timestamps (1 Hz): for each MAG time the nearest LP sample (ties to
 * the earlier one) if it lies within toleranceMs (default 500 ms, i.e. half a MAG interval), else NaN with
 * FLAG.MISSING. Without LP records, Ne is NaN and flagged missing throughout. Flags map as in flags.ts.
 */
export function mergeMagLp(mag: MagRecords, lp: LpRecords | null, toleranceMs = 500): { columns: SwarmColumns; report: MergeReport } {
  const n = mag.Timestamp.length;
  const c = allocColumns(n);
  c.Timestamp.set(mag.Timestamp);
  c.Latitude.set(mag.Latitude);
  c.Longitude.set(mag.Longitude);
  c.Radius.set(mag.Radius);
  c.B_N.set(mag.B_N);
  c.B_E.set(mag.B_E);
  c.B_C.set(mag.B_C);
  const report: MergeReport = { records: n, magInvalid: 0, magMissing: 0, neMatched: 0, neUnmatched: 0, neRejected: 0, productFlagsNe: {}, productFlagsB: {} };
  for (let i = 0; i < n; i++) {
    const pf = mag.productFlagsB ? mag.productFlagsB[i] : null;
    if (pf !== null) report.productFlagsB[pf] = (report.productFlagsB[pf] ?? 0) + 1;
    let f = magStoreFlag(pf, c.B_N[i], c.B_E[i], c.B_C[i]);
    // a record without a position (nan in Latitude/Longitude/Radius) cannot be placed: its B is not usable either
    if (Number.isNaN(c.Latitude[i]) || Number.isNaN(c.Longitude[i]) || Number.isNaN(c.Radius[i])) f |= FLAG.MISSING;
    c.Flags_B[i] = f;
    if (f & FLAG.PRODUCT_INVALID) report.magInvalid++;
    if (f & FLAG.MISSING) report.magMissing++;
  }
  let j = 0;
  const lt = lp ? lp.Timestamp : new Float64Array(0);
  for (let i = 0; i < n; i++) {
    const t = c.Timestamp[i];
    while (j + 1 < lt.length && lt[j + 1] <= t) j++;
    // candidates: lt[j] (<= t, or the first sample) and lt[j + 1] (> t)
    let best = -1;
    let bestDt = Infinity;
    for (const k of [j, j + 1]) {
      if (k < 0 || k >= lt.length) continue;
      const dt = Math.abs(lt[k] - t);
      if (dt < bestDt) {
        best = k;
        bestDt = dt;
      }
    }
    if (best >= 0 && bestDt <= toleranceMs) {
      const ne = lp!.Ne[best];
      const pf = lp!.productFlagsNe ? lp!.productFlagsNe[best] : null;
      if (pf !== null) report.productFlagsNe[pf] = (report.productFlagsNe[pf] ?? 0) + 1;
      c.Ne[i] = ne;
      c.Flags_Ne[i] = neStoreFlag(pf, ne);
      report.neMatched++;
      if (c.Flags_Ne[i] & (FLAG.PRODUCT_INVALID | FLAG.IMPOSSIBLE)) report.neRejected++;
    } else {
      c.Ne[i] = NaN;
      c.Flags_Ne[i] = neStoreFlag(null, NaN);
      report.neUnmatched++;
    }
  }
  return { columns: c, report };
}

/** Split merged columns into UTC days, ready for the store's writeDay. */
export function splitDays(c: SwarmColumns, satellite: Satellite, source: SwarmSource): SwarmDay[] {
  const out: SwarmDay[] = [];
  let i0 = 0;
  const n = c.Timestamp.length;
  while (i0 < n) {
    const day = dayOfMs(c.Timestamp[i0]);
    const end = dayStartMs(day) + 86400e3;
    let i1 = i0;
    while (i1 < n && c.Timestamp[i1] < end) i1++;
    const part = allocColumns(i1 - i0);
    for (const k of Object.keys(part) as (keyof SwarmColumns)[]) (part[k] as Float64Array | Uint16Array).set(c[k].subarray(i0, i1) as never);
    out.push({ ...part, satellite, day, source });
    i0 = i1;
  }
  return out;
}
