// The ap/Ap geomagnetic indices: the standard Kp -> ap conversion table (Kp in thirds), 3-hourly ap from Kp,
// the daily Ap CSV and the 3-hourly ap of GFZ's official file. Paper section 2.3 (geomagnetic activity).
import * as fs from 'fs';
import Papa from 'papaparse';
import { paths } from '../core/paths';
import { InputFormatError, parseDayUtc, parseNumber } from '../data/errors';
import { isoOrValue, KpSeries, rangeText, readKpOfficial, slotIndex, THREE_HOURS_MS } from './kp';

/**
 * ap for Kp = 0o, 0+, 1-, 1o, 1+, ..., 9-, 9o (index = 3 * Kp): the standard table (Bartels; GFZ), as in
 * data/PROVENANCE-shared.md.
 */
export const KP_TO_AP_TABLE: readonly number[] = [
  0, 2, 3, 4, 5, 6, 7, 9, 12, 15, 18, 22, 27, 32, 39, 48, 56, 67, 80, 94, 111, 132, 154, 179, 207, 236, 300, 400,
];

/** ap of a Kp value given in thirds (2.333 = 2+, 2.667 = 3-). NaN stays NaN; other values throw RangeError. */
export function kpToAp(kp: number): number {
  if (Number.isNaN(kp)) return NaN;
  const k = Math.round(kp * 3);
  if (k < 0 || k > 27 || Math.abs(kp * 3 - k) > 0.01) throw new RangeError(`kpToAp: Kp ${kp} is not one of 0, 1/3, ..., 9`);
  return KP_TO_AP_TABLE[k];
}

/** 3-hourly ap, aligned with a Kp series (time[i] = start of the 3-h slot). */
export interface ApSeries {
  time: Float64Array;
  ap: Float64Array;
}

/** Convert a whole Kp series to ap. */
export function apFromKp(series: KpSeries): ApSeries {
  const ap = new Float64Array(series.Kp.length);
  for (let i = 0; i < ap.length; i++) ap[i] = kpToAp(series.Kp[i]);
  return { time: series.time, ap };
}

/** ap of the 3-hour slot holding tMs, from the Kp series through the table. Throws RangeError outside it. */
export function apAt(series: KpSeries, tMs: number): number {
  const i = slotIndex(series.time, tMs, THREE_HOURS_MS);
  if (i < 0) throw new RangeError(`apAt: ${isoOrValue(tMs)} is outside the Kp series (${rangeText(series.time, THREE_HOURS_MS)})`);
  return kpToAp(series.Kp[i]);
}

/** Daily Ap: time[j] is 00:00 UTC of the day. */
export interface ApDaily {
  time: Float64Array;
  Ap: Float64Array;
}

/** Read the daily Ap CSV (`Date,Ap_mean`); default: the shipped 2006-2022 file. */
export function readApDaily(file: string = paths.apDaily): ApDaily {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: ',' });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new InputFormatError({ file, line: e.row !== undefined ? e.row + 1 : undefined }, `CSV syntax: ${e.message}`);
  }
  const rows = parsed.data;
  const header = (rows[0] ?? []).map((h) => h.trim());
  const di = header.indexOf('Date');
  const ai = header.indexOf('Ap_mean') >= 0 ? header.indexOf('Ap_mean') : header.indexOf('Ap');
  if (di < 0) throw new InputFormatError({ file, line: 1, column: 'Date' }, `missing column (header has: ${header.join(',')})`);
  if (ai < 0) throw new InputFormatError({ file, line: 1, column: 'Ap_mean' }, `missing column (header has: ${header.join(',')})`);
  const keep: number[] = [];
  for (let r = 1; r < rows.length; r++) if (!(rows[r].length === 1 && rows[r][0].trim() === '')) keep.push(r);
  const time = new Float64Array(keep.length);
  const Ap = new Float64Array(keep.length);
  keep.forEach((r, j) => {
    const line = r + 1;
    const row = rows[r];
    if (row.length !== header.length) throw new InputFormatError({ file, line }, `row has ${row.length} fields, header has ${header.length}`);
    const d = parseDayUtc(row[di]);
    if (d === null) throw new InputFormatError({ file, line, column: 'Date' }, `not a YYYY-MM-DD date: '${row[di]}'`);
    const v = parseNumber(row[ai]);
    if (v === null) throw new InputFormatError({ file, line, column: header[ai] }, `not a number: '${row[ai]}'`);
    if (v < 0 || v > 400) throw new InputFormatError({ file, line, column: header[ai] }, `Ap ${v} outside [0, 400]`);
    if (j > 0 && !(d > time[j - 1])) throw new InputFormatError({ file, line, column: 'Date' }, `day ${row[di]} out of order or repeated`);
    time[j] = d;
    Ap[j] = v;
  });
  return { time, Ap };
}

/** Daily Ap of the UTC day holding tMs. Throws RangeError outside the series. */
export function apDailyAt(series: ApDaily, tMs: number): number {
  const i = slotIndex(series.time, tMs, 24 * 3600 * 1000);
  if (i < 0) throw new RangeError(`apDailyAt: ${isoOrValue(tMs)} is outside the Ap series (${rangeText(series.time, 24 * 3600 * 1000)})`);
  return series.Ap[i];
}

/** 3-hourly ap as GFZ publishes it, from the official text file (default: the shipped 2016 excerpt). */
export function readAp3HourlyOfficial(file: string = paths.kpOfficialExcerpt, options: { missing?: 'error' | 'nan' } = {}): ApSeries {
  const o = readKpOfficial(file, options);
  return { time: o.time, ap: o.ap };
}

/**
 * Daily Ap as the mean of the day's eight ap values rounded to an integer, halves to even (2.5 -> 2,
 * 3.5 -> 4): this reproduces both the official GFZ Ap (99 days of the excerpt) and the shipped Ap CSV
 * (all 6,209 days), where rounding halves up would miss 412 days (see test/indices.test.ts).
 */
export function dailyApFrom3Hourly(series: ApSeries): ApDaily {
  const n = Math.floor(series.ap.length / 8);
  const time = new Float64Array(n);
  const Ap = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    time[j] = series.time[j * 8];
    let s = 0;
    for (let k = 0; k < 8; k++) s += series.ap[j * 8 + k];
    Ap[j] = roundHalfEven(s / 8);
  }
  return { time, Ap };
}

/** Round to the nearest integer, halves to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
