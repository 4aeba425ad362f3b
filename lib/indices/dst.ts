// Reader for hourly Dst in the WDC Kyoto fixed-width format (one line a day); dstAt looks a value up.
// Paper section 2.3 (geomagnetic activity context of the windows) and the case studies (section 4).
import * as fs from 'fs';
import { paths } from '../core/paths';
import { InputFormatError, parseDayUtc, parseNumber } from '../data/errors';
import { isoOrValue, rangeText, slotIndex } from './kp';

export const HOUR_MS = 3600 * 1000;

/** Hourly Dst (nT): time[i] is the start of the UT hour whose mean is Dst[i] (WDC hour k = k-1..k UT). */
export interface DstSeries {
  time: Float64Array;
  Dst: Float64Array;
}

export interface DstReadInfo {
  file: string;
  days: number;
  /** Hours marked 9999 (missing), stored as NaN; 0 with missing: 'error'. */
  missing: number;
  /** Days flagged provisional ('PP' in columns 11-12) or quicklook ('QQ'). */
  provisional: number;
}

/**
 * WDC Dst format, one line a day, columns (0-based, end exclusive): [0:3] 'DST', [3:5] yy, [5:7] mm, [7] '*',
 * [8:10] dd, [10:12] blank or 'PP'/'QQ', [12] 'X', [13] version, [14:16] century (19/20), [16:20] base value in
 * units of 100 nT, [20:116] 24 hourly values of 4 characters (nT, added to 100*base), [116:120] daily mean.
 * 9999 marks a missing hour.
 */
export function readDstHourly(file: string = paths.dstHourly, options: { missing?: 'error' | 'nan' } = {}): DstSeries & { info: DstReadInfo } {
  return parseDst(fs.readFileSync(file, 'utf8'), file, options);
}

export function parseDst(text: string, file: string, options: { missing?: 'error' | 'nan' } = {}): DstSeries & { info: DstReadInfo } {
  const lines = text.split(/\r?\n/);
  const data: number[] = [];
  for (let k = 0; k < lines.length; k++) if (lines[k].trim() !== '') data.push(k);
  const n = data.length;
  if (n === 0) throw new InputFormatError({ file }, 'no data lines (expected WDC Dst lines starting with DST)');
  const time = new Float64Array(n * 24);
  const Dst = new Float64Array(n * 24);
  let missing = 0;
  let provisional = 0;
  for (let j = 0; j < n; j++) {
    const l = lines[data[j]];
    const line = data[j] + 1;
    if (!l.startsWith('DST')) throw new InputFormatError({ file, line, column: '1-3' }, `expected 'DST', found '${l.slice(0, 3)}'`);
    if (l.length < 116) throw new InputFormatError({ file, line }, `line has ${l.length} characters, expected 120`);
    if (l[7] !== '*') throw new InputFormatError({ file, line, column: '8' }, `expected '*', found '${l[7]}'`);
    const field = (a: number, b: number, name: string): number => {
      const v = parseNumber(l.slice(a, b));
      if (v === null) throw new InputFormatError({ file, line, column: `${name} (characters ${a + 1}-${b})` }, `not a number: '${l.slice(a, b)}'`);
      return v;
    };
    const yy = field(3, 5, 'year');
    const century = l.slice(14, 16).trim() === '' ? (yy < 57 ? 20 : 19) : field(14, 16, 'century');
    const mm = field(5, 7, 'month');
    const dd = field(8, 10, 'day');
    const iso = `${century * 100 + yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
    const day = parseDayUtc(iso);
    if (day === null) throw new InputFormatError({ file, line, column: 'date' }, `invalid date ${iso}`);
    const flag = l.slice(10, 12).trim();
    if (flag !== '') provisional++;
    const base = field(16, 20, 'base') * 100;
    let sum = 0;
    let dayMissing = false;
    for (let h = 0; h < 24; h++) {
      const v = field(20 + 4 * h, 24 + 4 * h, `hour ${h + 1}`);
      const i = j * 24 + h;
      time[i] = day + h * HOUR_MS;
      if (v === 9999) {
        if ((options.missing ?? 'error') === 'error') {
          throw new InputFormatError({ file, line, column: `hour ${h + 1}` }, "missing Dst (9999); read with { missing: 'nan' } to keep it as NaN");
        }
        missing++;
        dayMissing = true;
        Dst[i] = NaN;
      } else {
        Dst[i] = base + v;
        sum += Dst[i];
      }
    }
    // The daily mean (rounded by WDC) guards against a shifted column.
    if (!dayMissing && l.length >= 120) {
      const mean = field(116, 120, 'daily mean') + base;
      if (mean !== 9999 + base && Math.abs(sum / 24 - mean) > 1) {
        throw new InputFormatError({ file, line, column: 'daily mean' }, `daily mean ${mean} differs from the mean of the 24 hours ${(sum / 24).toFixed(2)}`);
      }
    }
    if (j > 0 && !(time[j * 24] > time[j * 24 - 1])) throw new InputFormatError({ file, line }, `day ${iso} out of order or repeated`);
  }
  return { time, Dst, info: { file, days: n, missing, provisional } };
}

/** Dst (nT) of the UT hour holding tMs. Throws RangeError outside the series. */
export function dstAt(series: DstSeries, tMs: number): number {
  const i = slotIndex(series.time, tMs, HOUR_MS);
  if (i < 0) throw new RangeError(`dstAt: ${isoOrValue(tMs)} is outside the Dst series (${rangeText(series.time, HOUR_MS)})`);
  return series.Dst[i];
}

/** Smallest (most negative) Dst over the hours overlapping [fromMs, toMs); NaN hours ignored. */
export function dstMin(series: DstSeries, fromMs: number, toMs: number): number {
  const a = slotIndex(series.time, fromMs, HOUR_MS);
  const b = slotIndex(series.time, Math.max(fromMs, toMs - 1e-6), HOUR_MS);
  if (a < 0 || b < 0) throw new RangeError(`dstMin: [${isoOrValue(fromMs)}, ${isoOrValue(toMs)}) not covered by the Dst series (${rangeText(series.time, HOUR_MS)})`);
  let m = NaN;
  for (let i = a; i <= b; i++) {
    const v = series.Dst[i];
    if (!Number.isNaN(v) && (Number.isNaN(m) || v < m)) m = v;
  }
  return m;
}
