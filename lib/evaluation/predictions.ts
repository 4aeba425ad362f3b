// Predictions files: one row per window with the true class, the three class probabilities and optionally the
// event the window belongs to (`y_true,p0,p1,p2[,event_id]`). Every model of the package writes its test
// predictions this way (paper section 4, Table 2), and `npm run evaluate -- file.csv` scores any such file with
// scikit-learn's definitions (lib/evaluation/metrics.ts). Bad input is an error naming the file and line.
import * as fs from 'fs';
import Papa from 'papaparse';
import { writeFileAtomic } from '../core/atomic';

export interface Predictions {
  /** True class of each window (0 non-seismic, 1 seismic, 2 Kp>3). */
  yTrue: Int32Array;
  /** Row-major N x nClasses probabilities. */
  proba: Float64Array;
  /** Event (earthquake or non-seismic event) of each window, when known; bootstrap intervals resample these. */
  eventIds: string[] | null;
  nClasses: number;
}

/** How far a probability row may sum from 1. */
export const ROW_SUM_TOLERANCE = 1e-6;

/** Check and parse the text of a predictions CSV; `source` names it in errors. Lines are counted from 1 (the header). */
export function parsePredictionsCsv(text: string, source = 'predictions', nClasses = 3): Predictions {
  // empty lines are skipped here, not by papaparse, so that row index + 1 stays the line number
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`${source}: line ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const isBlank = (row: string[]) => row.length === 1 && row[0].trim() === '';
  const lineOf: number[] = [];
  const rows: string[][] = [];
  parsed.data.forEach((row, i) => {
    if (!isBlank(row)) {
      rows.push(row);
      lineOf.push(i + 1);
    }
  });
  if (rows.length === 0) throw new Error(`${source}: empty file (expected a header y_true,${probColumns(nClasses).join(',')}[,event_id])`);
  const header = rows[0].map((h) => h.trim());
  const need = ['y_true', ...probColumns(nClasses)];
  const missing = need.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`${source}: line ${lineOf[0]}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header: ${header.join(',')})`);
  const iy = header.indexOf('y_true');
  const ip = probColumns(nClasses).map((c) => header.indexOf(c));
  const ie = header.indexOf('event_id');
  const n = rows.length - 1;
  if (n === 0) throw new Error(`${source}: no data rows after the header`);
  const yTrue = new Int32Array(n);
  const proba = new Float64Array(n * nClasses);
  const eventIds: string[] | null = ie >= 0 ? new Array<string>(n) : null;
  // line numbers assume no quoted field spans lines (event ids never do)
  for (let r = 1; r <= n; r++) {
    const row = rows[r];
    const line = lineOf[r];
    const where = `${source}: line ${line}`;
    if (row.length !== header.length) throw new Error(`${where}: ${row.length} fields, the header has ${header.length}`);
    const yText = row[iy].trim();
    const y = Number(yText);
    if (yText === '' || !Number.isInteger(y) || y < 0 || y >= nClasses) throw new Error(`${where}: y_true is '${row[iy]}', expected a class label 0..${nClasses - 1}`);
    yTrue[r - 1] = y;
    let sum = 0;
    for (let k = 0; k < nClasses; k++) {
      const t = row[ip[k]].trim();
      const p = Number(t);
      if (t === '' || !Number.isFinite(p)) throw new Error(`${where}: p${k} is '${row[ip[k]]}', not a number`);
      if (p < 0 || p > 1) throw new Error(`${where}: p${k} is ${p}, outside [0, 1]`);
      proba[(r - 1) * nClasses + k] = p;
      sum += p;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) throw new Error(`${where}: probabilities sum to ${sum}, not 1 within ${ROW_SUM_TOLERANCE}`);
    if (eventIds) {
      const id = row[ie].trim();
      if (id === '') throw new Error(`${where}: event_id is empty`);
      eventIds[r - 1] = id;
    }
  }
  return { yTrue, proba, eventIds, nClasses };
}

/** Read and check a predictions CSV file. */
export function readPredictionsCsv(file: string, nClasses = 3): Predictions {
  if (!fs.existsSync(file)) throw new Error(`predictions file not found: ${file}`);
  return parsePredictionsCsv(fs.readFileSync(file, 'utf8'), file, nClasses);
}

function probColumns(nClasses: number): string[] {
  return Array.from({ length: nClasses }, (_, k) => `p${k}`);
}

/** CSV text of predictions; numbers in JavaScript's shortest round-trip form, so reading back gives the same doubles. */
export function predictionsToCsv(p: { yTrue: ArrayLike<number>; proba: ArrayLike<number>; eventIds?: ArrayLike<string | number> | null; nClasses?: number }): string {
  const K = p.nClasses ?? 3;
  const n = p.yTrue.length;
  if (p.proba.length !== n * K) throw new Error(`predictions: ${n} labels need ${n * K} probabilities, got ${p.proba.length}`);
  if (p.eventIds && p.eventIds.length !== n) throw new Error(`predictions: ${n} labels but ${p.eventIds.length} event ids`);
  const fields = ['y_true', ...probColumns(K), ...(p.eventIds ? ['event_id'] : [])];
  const lines = [fields.join(',')];
  for (let i = 0; i < n; i++) {
    const row: (string | number)[] = [p.yTrue[i]];
    for (let k = 0; k < K; k++) row.push(p.proba[i * K + k]);
    if (p.eventIds) row.push(p.eventIds[i]);
    lines.push(Papa.unparse([row.map(String)], { header: false, newline: '' }));
  }
  return lines.join('\n') + '\n';
}

/** Write predictions atomically. */
export function writePredictionsCsv(file: string, p: Parameters<typeof predictionsToCsv>[0]): void {
  writeFileAtomic(file, predictionsToCsv(p));
}
