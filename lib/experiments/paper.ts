// The paper's Table 2 (SafeNet on the 17 datasets of Table 1 and the five baselines on DataSet 03: MCC, F1,
// accuracy, AUC per class), read from data/paper/safenet-table2.csv, where it is kept as data with its
// provenance in the file's comment lines. Paper section 4, Table 2.
import * as fs from 'fs';
import * as path from 'path';
import Papa from 'papaparse';
import { paths, rel } from '../core/paths';

export interface PaperRow {
  method: string;
  dataset: number;
  mcc: number;
  f1: number;
  accuracy: number;
  /** AUC of class 0 (non-seismic), 1 (seismic), 2 (Kp > 3). */
  auc: [number, number, number];
}

export const PAPER_TABLE2_FILE = path.join(paths.data, 'paper', 'safenet-table2.csv');
const COLUMNS = ['method', 'dataset', 'mcc', 'f1', 'accuracy', 'auc0', 'auc1', 'auc2'];

/** Rows of the paper's Table 2; every value checked (numbers in [-1, 1], datasets 1..17), errors name the line. */
export function readPaperTable2(file = PAPER_TABLE2_FILE): PaperRow[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const skipped = lines.findIndex((l) => !l.startsWith('#'));
  const parsed = Papa.parse<string[]>(lines.slice(skipped).join('\n'), { skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`${rel(file)}: line ${skipped + (parsed.errors[0].row ?? 0) + 1}: ${parsed.errors[0].message}`);
  const [header, ...body] = parsed.data;
  if (header.join(',') !== COLUMNS.join(',')) throw new Error(`${rel(file)}: line ${skipped + 1}: columns must be ${COLUMNS.join(',')}, got ${header.join(',')}`);
  return body.map((r, i) => {
    const line = skipped + i + 2;
    if (r.length !== COLUMNS.length) throw new Error(`${rel(file)}: line ${line}: ${r.length} fields, expected ${COLUMNS.length}`);
    const num = (k: number) => {
      const v = Number(r[k]);
      if (r[k].trim() === '' || !Number.isFinite(v) || v < -1 || v > 1) throw new Error(`${rel(file)}: line ${line}, field ${COLUMNS[k]}: '${r[k]}' is not a number in [-1, 1]`);
      return v;
    };
    const dataset = Number(r[1]);
    if (!Number.isInteger(dataset) || dataset < 1 || dataset > 17) throw new Error(`${rel(file)}: line ${line}, field dataset: '${r[1]}' is not 1..17`);
    return { method: r[0], dataset, mcc: num(2), f1: num(3), accuracy: num(4), auc: [num(5), num(6), num(7)] };
  });
}

/** The paper's row for a method and dataset, or null when Table 2 has none. */
export function paperRow(rows: PaperRow[], method: string, dataset: number): PaperRow | null {
  return rows.find((r) => r.method.toLowerCase() === method.toLowerCase() && r.dataset === dataset) ?? null;
}
