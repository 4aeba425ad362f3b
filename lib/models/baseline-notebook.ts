// The steps of notebook 07-baselines (paper sections 3.3 and 4.6: SafeNet against GBM, RF, DNN, CNN and LSTM on
// DataSet 03; Table 2's last rows; Figures 11 and 12), so that the notebook stays thin: the five models described,
// their search spaces, their experiments run (or reused) as SafeNet's peers, the comparison beside the paper's
// rows, and the data of the two figures.
import * as path from 'path';
import { Profile } from '../core/config';
import { paths } from '../core/paths';
import { Row } from '../core/tables';
import { showMarkdown } from '../core/notebook';
import { readPredictionsCsv } from '../evaluation/predictions';
import { evaluate } from '../evaluation/metrics';
import { validateSpace, isDist, SpaceNode } from '../tuning/space';
import { ExperimentsContext } from '../experiments/notebook';
import { ExperimentResult, ExperimentSpec, NotRunnableError, runExperiment, spaceSizeOf } from '../experiments/run';
import { Labelled } from '../experiments/figures';
import { table2Rows, Table2Row, writeTable2 } from '../experiments/table2';
import { VegaLiteSpec } from '../figures/render';
import { BASELINE_NAMES, baselineSpace, EXTRA_FEATURES_DEFAULT } from './baselines';
import { BaselineResult, baselineTable2Rows, runBaselineExperiment } from './baseline-experiment';
import { figure11Spec, figure12Spec } from './baseline-figures';
import { defaultTreeThreads } from './tree-pool';
import { notBuiltSpec } from '../experiments/figures';

/** What each baseline is, what it reads, and how it is implemented. */
export function baselineModelRows(): Row[] {
  const flat = `flattened window (70 x 4 = 280 values${EXTRA_FEATURES_DEFAULT === 'none' ? '' : ' + summary features'})`;
  const th = defaultTreeThreads();
  const threads = `; up to ${th} thread${th > 1 ? 's' : ''} per fit, shared by the trials that run at once (lib/models/tree-pool.ts; the same model for any count)`;
  return [
    { model: 'GBM', input: flat, implementation: `lib/models/gbm.ts: histogram gradient boosting, softmax loss, leaf-wise trees, early stopping (scikit-learn HistGradientBoostingClassifier)${threads}` },
    { model: 'RF', input: flat, implementation: `lib/models/rf.ts: bootstrap, random features per split, Gini, class weights (scikit-learn RandomForestClassifier, binned splits)${threads}` },
    { model: 'DNN', input: flat, implementation: 'lib/models/baselines.ts buildDnn: dense layers with dropout, softmax (tfjs)' },
    { model: 'CNN', input: 'window [70, 4]', implementation: 'lib/models/baselines.ts buildCnn: Conv1D over the whole window, dropout, max pooling, dense, softmax (tfjs)' },
    { model: 'LSTM', input: 'window [70, 4]', implementation: 'lib/models/baselines.ts buildLstm: LSTM layers, dropout, dense, softmax (tfjs)' },
  ];
}

function describe(node: SpaceNode): string {
  if (isDist(node)) {
    if (node.$hp === 'choice') return `choice of ${node.options.map((o) => JSON.stringify(o)).join(', ')}`;
    if (node.$hp === 'loguniform') return `log-uniform in [${+Math.exp(node.low).toPrecision(3)}, ${+Math.exp(node.high).toPrecision(3)}]`;
    return `${node.$hp} in [${node.low}, ${node.high}]`;
  }
  return `fixed ${JSON.stringify(node)}`;
}

/** Every baseline's hyperparameters and their priors for the profile (its search size and epoch budget). */
export function baselineSpaceRows(profile: Profile): Row[] {
  return BASELINE_NAMES.flatMap((name) => {
    const space = baselineSpace(name, spaceSizeOf(profile), profile.training.epochs);
    validateSpace(space);
    return Object.entries(space as Record<string, SpaceNode>).map(([k, v]) => ({ model: name, hyperparameter: k, prior: describe(v) }));
  });
}

export interface BaselineComparison {
  datasetId: number;
  safenet: ExperimentResult | null;
  baselines: BaselineResult[];
  skipped: { model: string; reason: string }[];
  simulated: boolean;
}

/** SafeNet's experiment (reused when notebook 06 or the reproduce step made it) and the five baselines' on one dataset. */
export async function runComparison(ctx: ExperimentsContext, datasetId = 3): Promise<BaselineComparison> {
  const spec: ExperimentSpec = { source: ctx.source, protocol: 'paper', selection: 'validation', datasetId };
  const skipped: { model: string; reason: string }[] = [];
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  let safenet: ExperimentResult | null = null;
  try {
    safenet = await runExperiment(spec, { profile: ctx.profile, log });
  } catch (e) {
    if (!(e instanceof NotRunnableError)) throw e;
    skipped.push({ model: 'SafeNet', reason: e.message });
  }
  const baselines: BaselineResult[] = [];
  for (const name of BASELINE_NAMES) {
    try {
      baselines.push(await runBaselineExperiment(name, spec, { profile: ctx.profile, log }));
    } catch (e) {
      if (!(e instanceof NotRunnableError)) throw e;
      skipped.push({ model: name, reason: e.message });
    }
  }
  showMarkdown(['SafeNet', ...BASELINE_NAMES].map((m) => {
    const r = m === 'SafeNet' ? safenet : baselines.find((b) => b.name === m);
    return `- **${m}**: ${r ? `${r.reused ? 'reused' : 'built now'}, \`${path.relative(paths.root, r.dir)}\`, ${r.config.trials.total} trials (chosen: ${r.config.chosen.tid}), ${r.config.trials.seconds.toFixed(0)} s of training` : `not run: ${skipped.find((s) => s.model === m)?.reason}`}`;
  }).join('\n'));
  return { datasetId, safenet, baselines, skipped, simulated: ctx.simulated };
}

/** Table 2's rows of the comparison (SafeNet first), the paper's values beside ours; also written to results/baselines/. */
export function comparisonTable2(c: BaselineComparison, profile: Profile): { rows: Table2Row[]; display: Row[]; files: { json: string; csv: string } } {
  const rows = [...(c.safenet ? table2Rows([c.safenet]) : []), ...baselineTable2Rows(c.baselines)];
  const files = writeTable2(rows, profile.name, path.join(paths.results, 'baselines'), c.skipped.map((s) => ({ spec: s.model, reason: s.reason })));
  const display = rows.map((r) => {
    const out: Row = { method: r.method };
    for (const m of ['mcc', 'f1', 'accuracy', 'auc0', 'auc1', 'auc2'] as const) {
      const cell = r.cells[m];
      out[m] = cell.ours === null ? null : +cell.ours.toFixed(3);
      out[`${m} paper`] = cell.paper;
    }
    return out;
  });
  return { rows, display, files };
}

/** Figure 11's curve sets: SafeNet then the five baselines. */
export function figure11Items(c: BaselineComparison): Labelled[] {
  return [
    ...(c.safenet ? [{ label: 'SafeNet', metrics: c.safenet.metrics.test, history: c.safenet.config.history }] : []),
    ...c.baselines.map((b) => ({ label: b.name, metrics: b.metrics.test })),
  ];
}

/** Figure 11's spec. */
export function figure11(c: BaselineComparison): VegaLiteSpec {
  return figure11Spec(figure11Items(c), `DataSet ${String(c.datasetId).padStart(2, '0')}`);
}

/** Figure 12's spec from SafeNet's test predictions (predictions.csv of its result). */
export function figure12(c: BaselineComparison): VegaLiteSpec {
  if (!c.safenet) return notBuiltSpec("Figure 12: SafeNet's test predictions", 'SafeNet has no result on this dataset in this profile');
  const p = readPredictionsCsv(path.join(c.safenet.dir, 'predictions.csv'));
  return figure12Spec(p.yTrue, p.proba, evaluate(p.yTrue, p.proba, 3));
}
