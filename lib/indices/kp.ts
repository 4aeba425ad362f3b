// Reader for the GFZ 3-hourly Kp index, in the CSV the package ships (`Date,K_00..K_21,Kp_Sum`) and in GFZ's
// official text format (Kp_ap_Ap_SN_F107_since_1932.txt); kpAt/kpMax look values up. Paper section 2.3: the
// Kp>3 class (label 2) and the geomagnetic-quiet condition.
import * as fs from 'fs';
import Papa from 'papaparse';
import { paths } from '../core/paths';
import { InputFormatError, parseDayUtc, parseNumber } from '../data/errors';

export const THREE_HOURS_MS = 3 * 3600 * 1000;

/** 3-hourly Kp: time[i] is the start (UTC, Unix ms) of the 3-hour slot whose Kp is Kp[i]; sorted. */
export interface KpSeries {
  time: Float64Array;
  Kp: Float64Array;
}

export interface KpReadInfo {
  file: string;
  format: 'gfz-csv' | 'gfz-official';
  /** Number of days read. */
  days: number;
  /** Slots marked missing (-1 in GFZ files), stored as NaN; always 0 with missing: 'error'. */
  missing: number;
}

export interface KpReadOptions {
  /** What to do with GFZ's missing marker (-1): 'error' (default) throws; 'nan' stores NaN and counts it. */
  missing?: 'error' | 'nan';
}

/** Official-format rows also carry the 3-hourly ap and the daily Ap. */
export interface KpOfficial extends KpSeries {
  /** 3-hourly ap, aligned with Kp; NaN where missing (-1). */
  ap: Float64Array;
  /** Daily Ap, one per day: dayTime[j] is 00:00 UTC. NaN where missing. */
  dayTime: Float64Array;
  Ap: Float64Array;
}

/**
 * Read 3-hourly Kp from either GFZ format (detected from the content); default file: the shipped
 * 2006-2022 CSV. Kp values are decimals in thirds (2.333 = 2+, 2.667 = 3-).
 */
export function readKp3Hourly(file: string = paths.kp3hourly, options: KpReadOptions = {}): KpSeries & { info: KpReadInfo } {
  const text = fs.readFileSync(file, 'utf8');
  if (/^\s*(#|\d{4}\s+\d\d\s+\d\d\s)/.test(text)) {
    const o = parseKpOfficial(text, file, options);
    return { time: o.time, Kp: o.Kp, info: o.info };
  }
  return parseKpCsv(text, file, options);
}

const CSV_COLUMNS = ['Date', 'K_00', 'K_03', 'K_06', 'K_09', 'K_12', 'K_15', 'K_18', 'K_21'];

/** Parse the GFZ Kp CSV (`Date,K_00,...,K_21,Kp_Sum`); checks Kp_Sum when present. */
export function parseKpCsv(text: string, file: string, options: KpReadOptions = {}): KpSeries & { info: KpReadInfo } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false, delimiter: ',' });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new InputFormatError({ file, line: e.row !== undefined ? e.row + 1 : undefined }, `CSV syntax: ${e.message}`);
  }
  // Keep row r = line r + 1 (no quoted newlines in these files); blank lines are skipped below.
  const rows = parsed.data;
  if (rows.length === 0 || rows[0].join('').trim() === '') throw new InputFormatError({ file, line: 1 }, 'empty file or blank header');
  const header = rows[0].map((h) => h.trim());
  const idx = CSV_COLUMNS.map((name) => {
    const k = header.indexOf(name);
    if (k < 0) throw new InputFormatError({ file, line: 1, column: name }, `missing column (header has: ${header.join(',')})`);
    return k;
  });
  const sumIdx = header.indexOf('Kp_Sum');
  const dataRows: number[] = [];
  for (let r = 1; r < rows.length; r++) if (!(rows[r].length === 1 && rows[r][0].trim() === '')) dataRows.push(r);
  const nDays = dataRows.length;
  const time = new Float64Array(nDays * 8);
  const Kp = new Float64Array(nDays * 8);
  let missing = 0;
  for (let j = 0; j < nDays; j++) {
    const r = dataRows[j];
    const row = rows[r];
    const line = r + 1;
    if (row.length !== header.length) throw new InputFormatError({ file, line }, `row has ${row.length} fields, header has ${header.length}`);
    const day = parseDayUtc(row[idx[0]]);
    if (day === null) throw new InputFormatError({ file, line, column: 'Date' }, `not a YYYY-MM-DD date: '${row[idx[0]]}'`);
    let sum = 0;
    for (let s = 0; s < 8; s++) {
      const name = CSV_COLUMNS[s + 1];
      const v = parseNumber(row[idx[s + 1]]);
      if (v === null) throw new InputFormatError({ file, line, column: name }, `not a number: '${row[idx[s + 1]]}'`);
      const i = j * 8 + s;
      time[i] = day + s * THREE_HOURS_MS;
      Kp[i] = checkKp(v, { file, line, column: name }, options, () => missing++);
      sum += Number.isNaN(Kp[i]) ? 0 : Kp[i];
    }
    if (sumIdx >= 0 && row[sumIdx].trim() !== '') {
      const s = parseNumber(row[sumIdx]);
      if (s === null) throw new InputFormatError({ file, line, column: 'Kp_Sum' }, `not a number: '${row[sumIdx]}'`);
      if (Math.abs(s - sum) > 0.02 && !(s < 0)) {
        throw new InputFormatError({ file, line, column: 'Kp_Sum' }, `Kp_Sum ${s} differs from the sum of the eight values ${sum.toFixed(3)}`);
      }
    }
  }
  checkSorted(time, file);
  return { time, Kp, info: { file, format: 'gfz-csv', days: nDays, missing } };
}

/** Read GFZ's official text file (Kp_ap_Ap_SN_F107_since_1932.txt or an excerpt) with ap and Ap. */
export function readKpOfficial(file: string = paths.kpOfficialExcerpt, options: KpReadOptions = {}): KpOfficial & { info: KpReadInfo } {
  return parseKpOfficial(fs.readFileSync(file, 'utf8'), file, options);
}

/**
 * Official format: '#' header lines, then one line per day of blank-separated columns
 * YYYY MM DD days days_m Bsr dB Kp1..Kp8 ap1..ap8 Ap SN F10.7obs F10.7adj D (28 columns);
 * missing Kp is -1.000, missing ap/Ap -1.
 */
export function parseKpOfficial(text: string, file: string, options: KpReadOptions = {}): KpOfficial & { info: KpReadInfo } {
  const lines = text.split(/\r?\n/);
  const data: { line: number; f: string[] }[] = [];
  for (let k = 0; k < lines.length; k++) {
    const t = lines[k].trim();
    if (t === '' || t.startsWith('#')) continue;
    data.push({ line: k + 1, f: t.split(/\s+/) });
  }
  if (data.length === 0) throw new InputFormatError({ file }, 'no data lines (expected the GFZ Kp_ap_Ap_SN_F107 format)');
  const n = data.length;
  const time = new Float64Array(n * 8);
  const Kp = new Float64Array(n * 8);
  const ap = new Float64Array(n * 8);
  const dayTime = new Float64Array(n);
  const Ap = new Float64Array(n);
  let missing = 0;
  for (let j = 0; j < n; j++) {
    const { line, f } = data[j];
    if (f.length < 24) throw new InputFormatError({ file, line }, `${f.length} columns, expected 28 (YYYY MM DD days days_m Bsr dB Kp1..Kp8 ap1..ap8 Ap ...)`);
    const [y, m, d] = [0, 1, 2].map((c) => parseNumber(f[c]));
    if (y === null || m === null || d === null) throw new InputFormatError({ file, line, column: 'YYYY MM DD' }, `bad date '${f.slice(0, 3).join(' ')}'`);
    const day = parseDayUtc(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    if (day === null) throw new InputFormatError({ file, line, column: 'YYYY MM DD' }, `bad date '${f.slice(0, 3).join(' ')}'`);
    dayTime[j] = day;
    for (let s = 0; s < 8; s++) {
      const i = j * 8 + s;
      time[i] = day + s * THREE_HOURS_MS;
      const kpName = `Kp${s + 1}`;
      const kv = parseNumber(f[7 + s]);
      if (kv === null) throw new InputFormatError({ file, line, column: kpName }, `not a number: '${f[7 + s]}'`);
      Kp[i] = checkKp(kv, { file, line, column: kpName }, options, () => missing++);
      const apName = `ap${s + 1}`;
      const av = parseNumber(f[15 + s]);
      if (av === null) throw new InputFormatError({ file, line, column: apName }, `not a number: '${f[15 + s]}'`);
      ap[i] = checkAp(av, { file, line, column: apName }, options);
    }
    const Av = parseNumber(f[23]);
    if (Av === null) throw new InputFormatError({ file, line, column: 'Ap' }, `not a number: '${f[23]}'`);
    Ap[j] = checkAp(Av, { file, line, column: 'Ap' }, options);
  }
  checkSorted(time, file);
  return { time, Kp, ap, dayTime, Ap, info: { file, format: 'gfz-official', days: n, missing } };
}

function checkKp(v: number, where: { file: string; line: number; column: string }, options: KpReadOptions, onMissing: () => void): number {
  if (v === -1) {
    if ((options.missing ?? 'error') === 'error') {
      throw new InputFormatError(where, "missing Kp (-1); read with { missing: 'nan' } to keep it as NaN");
    }
    onMissing();
    return NaN;
  }
  if (v < 0 || v > 9) throw new InputFormatError(where, `Kp ${v} outside [0, 9]`);
  // Kp is published in thirds; the files round them to 3 decimals.
  if (Math.abs(v * 3 - Math.round(v * 3)) > 0.01) throw new InputFormatError(where, `Kp ${v} is not a multiple of 1/3`);
  return v;
}

function checkAp(v: number, where: { file: string; line: number; column: string }, options: KpReadOptions): number {
  if (v === -1) {
    if ((options.missing ?? 'error') === 'error') throw new InputFormatError(where, "missing ap (-1); read with { missing: 'nan' } to keep it as NaN");
    return NaN;
  }
  if (v < 0 || v > 400) throw new InputFormatError(where, `ap ${v} outside [0, 400]`);
  return v;
}

function checkSorted(time: Float64Array, file: string): void {
  for (let i = 1; i < time.length; i++) {
    if (!(time[i] > time[i - 1])) {
      throw new InputFormatError({ file }, `days out of order or repeated at ${new Date(time[i]).toISOString().slice(0, 10)}`);
    }
  }
}

/** Index of the slot holding tMs (time[i] <= tMs < time[i] + 3 h), or -1 when outside the series or in a gap. */
export function slotIndex(time: Float64Array, tMs: number, slotMs: number = THREE_HOURS_MS): number {
  let lo = 0;
  let hi = time.length - 1;
  if (hi < 0 || !(tMs >= time[0]) || !(tMs < time[hi] + slotMs)) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (time[mid] <= tMs) lo = mid;
    else hi = mid - 1;
  }
  return tMs < time[lo] + slotMs ? lo : -1;
}

/** Kp of the 3-hour slot holding tMs (Unix ms). Throws RangeError outside the series; NaN only if stored NaN. */
export function kpAt(series: KpSeries, tMs: number): number {
  const i = slotIndex(series.time, tMs);
  if (i < 0) throw new RangeError(`kpAt: ${isoOrValue(tMs)} is outside the Kp series (${rangeText(series.time, THREE_HOURS_MS)})`);
  return series.Kp[i];
}

/**
 * Largest Kp over the slots that overlap [fromMs, toMs) (NaN slots ignored; NaN if all are NaN).
 * Throws RangeError when the interval is not covered by the series.
 */
export function kpMax(series: KpSeries, fromMs: number, toMs: number): number {
  const a = slotIndex(series.time, fromMs);
  const b = slotIndex(series.time, Math.max(fromMs, toMs - 1e-6));
  if (a < 0 || b < 0) throw new RangeError(`kpMax: [${isoOrValue(fromMs)}, ${isoOrValue(toMs)}) not covered by the Kp series (${rangeText(series.time, THREE_HOURS_MS)})`);
  let m = NaN;
  for (let i = a; i <= b; i++) {
    const v = series.Kp[i];
    if (!Number.isNaN(v) && (Number.isNaN(m) || v > m)) m = v;
  }
  return m;
}

/** Kp as GFZ writes it in words: 2.333 -> '2+', 2.667 -> '3-', 3 -> '3o'. */
export function kpLabel(kp: number): string {
  const k = Math.round(kp * 3);
  const whole = Math.round(k / 3);
  const r = k - whole * 3;
  return `${whole}${r === 0 ? 'o' : r === 1 ? '+' : '-'}`;
}

export function isoOrValue(tMs: number): string {
  return Number.isFinite(tMs) ? new Date(tMs).toISOString() : String(tMs);
}

export function rangeText(time: Float64Array, slotMs: number): string {
  if (time.length === 0) return 'empty';
  return `${new Date(time[0]).toISOString()} .. ${new Date(time[time.length - 1] + slotMs).toISOString()}`;
}
