// Table 2 of the paper (section 4): one row per method, dataset and protocol with MCC, F1, accuracy and the AUC of
// each class, their bootstrap intervals (resampling events), the paper's value beside each and the difference
// (ours - paper). Written as build/results/table2.json and table2.csv from the results' metrics files.
import * as path from 'path';
import Papa from 'papaparse';
import { paths } from '../core/paths';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic';
import { Row } from '../core/tables';
import { paperRow, PaperRow, readPaperTable2 } from './paper';
import { ExperimentResult } from './run';

export const TABLE2_METRICS = ['mcc', 'f1', 'accuracy', 'auc0', 'auc1', 'auc2'] as const;
export type Table2Metric = (typeof TABLE2_METRICS)[number];

export interface Table2Cell {
  ours: number | null;
  lo: number | null;
  hi: number | null;
  paper: number | null;
  diff: number | null;
}

export interface Table2Row {
  method: string;
  dataset: number;
  datasetName: string;
  source: string;
  protocol: string;
  selection: string;
  testWindows: number;
  testEvents: number;
  chosenTrial: number;
  trials: number;
  cells: Record<Table2Metric, Table2Cell>;
  resultDir: string;
}

/** Our metric names in the evaluation's metrics and the bootstrap intervals. F1 is micro F1, as the paper's. */
const OURS: Record<Table2Metric, { value: (r: ExperimentResult) => number | null; interval: string }> = {
  mcc: { value: (r) => r.metrics.test.mcc, interval: 'mcc' },
  f1: { value: (r) => r.metrics.test.f1_micro, interval: 'f1_micro' },
  accuracy: { value: (r) => r.metrics.test.accuracy, interval: 'accuracy' },
  auc0: { value: (r) => r.metrics.test.roc_auc_per_class[0], interval: 'roc_auc_0' },
  auc1: { value: (r) => r.metrics.test.roc_auc_per_class[1], interval: 'roc_auc_1' },
  auc2: { value: (r) => r.metrics.test.roc_auc_per_class[2], interval: 'roc_auc_2' },
};

function paperValue(p: PaperRow | null, m: Table2Metric): number | null {
  if (!p) return null;
  return m === 'mcc' ? p.mcc : m === 'f1' ? p.f1 : m === 'accuracy' ? p.accuracy : p.auc[Number(m.slice(3))];
}

/** Table 2 rows of our results, the paper's values beside ours (the paper has SafeNet rows under its own protocol). */
export function table2Rows(results: ExperimentResult[], paper: PaperRow[] = readPaperTable2()): Table2Row[] {
  return results.map((r) => {
    const pr = paperRow(paper, 'SafeNet', r.spec.datasetId);
    const cells = {} as Record<Table2Metric, Table2Cell>;
    for (const m of TABLE2_METRICS) {
      const ours = OURS[m].value(r);
      const iv = r.metrics.bootstrap.intervals[OURS[m].interval];
      const pv = paperValue(pr, m);
      cells[m] = {
        ours, lo: iv ? iv.lo : null, hi: iv ? iv.hi : null, paper: pv,
        diff: ours !== null && pv !== null ? ours - pv : null,
      };
    }
    return {
      method: 'SafeNet', dataset: r.spec.datasetId, datasetName: r.config.dataset.name, source: r.spec.source,
      protocol: r.spec.protocol, selection: r.spec.selection, testWindows: r.metrics.test.n, testEvents: r.metrics.bootstrap.events,
      chosenTrial: r.config.chosen.tid, trials: r.config.trials.total, cells, resultDir: path.relative(paths.root, r.dir),
    };
  });
}

/** Flat rows (one column per metric x {ours, lo, hi, paper, diff}) for the CSV and notebook tables. */
export function flatTable2(rows: Table2Row[], opts: { intervals?: boolean } = {}): Row[] {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return rows.map((r) => {
    const o: Row = { method: r.method, dataset: r.datasetName, protocol: `${r.protocol}/${r.selection}`, source: r.source };
    for (const m of TABLE2_METRICS) {
      const c = r.cells[m];
      o[m] = round(c.ours);
      if (opts.intervals ?? true) o[`${m}_ci`] = c.lo === null ? null : `${round(c.lo)}..${round(c.hi)}`;
      o[`${m}_paper`] = c.paper;
      o[`${m}_diff`] = round(c.diff);
    }
    o.test_windows = r.testWindows;
    o.test_events = r.testEvents;
    return o;
  });
}

/** Write table2.json (full precision) and table2.csv (rounded, with intervals) under the results folder. */
export function writeTable2(
  rows: Table2Row[], profile: string, dir = paths.results, skipped: { spec: unknown; reason: string }[] = [],
): { json: string; csv: string } {
  const json = path.join(dir, 'table2.json');
  const csv = path.join(dir, 'table2.csv');
  writeJsonAtomic(json, {
    profile,
    note: "F1 is micro-averaged (equal to accuracy, as in the paper's Table 2); intervals: 95 % percentile bootstrap " +
      'resampling events; diff = ours - paper. The paper tuned and chose its models on the test set.',
    paperSource: 'data/paper/safenet-table2.csv',
    rows,
    skipped,
  });
  writeFileAtomic(csv, Papa.unparse(flatTable2(rows)) + '\n');
  return { json, csv };
}
