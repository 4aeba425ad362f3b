// The steps of notebooks 05-safenet (the model, one training run explained step by step, its evaluation) and
// 06-experiments (the 17 datasets, Table 2's SafeNet rows beside the paper's, Figures 5-10), so that the
// notebooks stay thin: each function builds what it needs (cached) and returns rows for showTable or values for
// the figure specs. Paper sections 3.2-4.5.
import { activeProfile, Profile, SEEDS } from '../core/config';
import { rel } from '../core/paths';
import { Row } from '../core/tables';
import { showMarkdown } from '../core/notebook';
import { selectBackend } from '../backend/backend';
import { ensureDatasets } from '../datasets/cache';
import { loadDataset, LoadedDataset } from '../datasets/build';
import { TRAIN, VALIDATION, TEST, SPLIT_NAMES } from '../datasets/splits';
import { evaluate, Metrics } from '../evaluation/metrics';
import { ensureSwarmStore } from '../notebooks/datasets';
import { buildSafeNet, countTrainable, SAFENET_REFERENCE, SafeNetConfig } from '../models/safenet';
import { SwarmSource } from '../swarm/types';
import { EXPERIMENT_PARAMS, EXPERIMENT_REASONS } from './params';
import { architectureRows, CLASS_NAMES, FIGURE_GROUPS, groupItems, Labelled, LayerRow } from './figures';
import { readPaperTable2, paperRow } from './paper';
import { ExperimentsSummary, runExperiments } from './plan';
import { classWeights, fitStandardiser, rowsOf, subsampleRows } from './tensors';
import { rngFor } from '../core/random';
import { TrainRun, trainSafeNet } from './train';
import { TABLE2_METRICS, Table2Row } from './table2';

export interface ExperimentsContext {
  profile: Profile;
  source: SwarmSource;
  simulated: boolean;
  backend: string;
}

/** The Swarm store (simulated when no real days; cached), the training backend, and a summary of both. */
export async function prepareExperiments(profile: Profile = activeProfile()): Promise<ExperimentsContext> {
  const store = await ensureSwarmStore(profile);
  const backend = await selectBackend({ log: () => undefined });
  const b = profile.training;
  showMarkdown(`Profile **${profile.name}** (${profile.from}..${profile.to}); Swarm A store: **${store.source}**, ${store.how}` +
    (store.simulated ? '. The tracks are simulated: every figure below says so.' : '.') +
    ` Training backend: **${backend.name}**. Budget per dataset: **${b.tpeEvaluations}** TPE evaluations (the paper: 100), ` +
    `at most **${b.epochs}** epochs each with early stopping, at most **${b.maxTrainWindows === null ? 'all' : b.maxTrainWindows.toLocaleString('en-US')}** ` +
    `training windows per trial. Seeds: training = ${SEEDS.training}, tpe = ${SEEDS.tpe}, bootstrap = ${SEEDS.bootstrap}.`);
  return { profile, source: store.source as SwarmSource, simulated: store.simulated, backend: backend.name };
}

/** The experiment parameters with their reasons. */
export function experimentParamRows(): Row[] {
  return (Object.keys(EXPERIMENT_PARAMS) as (keyof typeof EXPERIMENT_PARAMS)[]).map((k) => ({
    parameter: k, value: String(EXPERIMENT_PARAMS[k]), reason: EXPERIMENT_REASONS[k],
  }));
}

/** Figure 4's layers of a built SafeNet (default: the reference configuration) and its parameter count. */
export function safenetLayers(config: SafeNetConfig = SAFENET_REFERENCE): { rows: LayerRow[]; trainable: number } {
  const model = buildSafeNet(config, { seedLabel: 'architecture' });
  try {
    return { rows: architectureRows(model), trainable: countTrainable(model) };
  } finally {
    model.dispose();
  }
}

/** Readable rows of the layer table. */
export function layerTable(rows: LayerRow[]): Row[] {
  return rows.map((r) => ({ layer: r.name, kind: r.kind, 'output shape': r.outputShape, parameters: r.params }));
}

/** One dataset of the profile (built when missing, cached) loaded for the walk-through. */
export async function walkthroughDataset(ctx: ExperimentsContext, id = 3): Promise<LoadedDataset> {
  const lines: string[] = [];
  const r = await ensureDatasets({ source: ctx.source, profile: ctx.profile, ids: [id], log: (l) => lines.push(l) });
  const d = r.datasets[0];
  showMarkdown(`DataSet ${String(id).padStart(2, '0')}: \`${rel(d.dir)}\` (${d.rebuilt ? 'built now' : 'cached'}, hash ${d.hash}), ` +
    `${d.summary.counts.windows.toLocaleString('en-US')} windows of ${d.summary.shape[1]} samples x ${d.summary.shape[2]} channels (${d.summary.features.join(', ')}).`);
  return loadDataset(d.dir);
}

/** Windows per part and class. */
export function partRows(ds: LoadedDataset): Row[] {
  return SPLIT_NAMES.map((name, s) => {
    const c = [0, 0, 0];
    for (let i = 0; i < ds.split.length; i++) if (ds.split[i] === s) c[ds.meta.label[i]]++;
    return { part: name, windows: c[0] + c[1] + c[2], [CLASS_NAMES[0]]: c[0], [CLASS_NAMES[1]]: c[1], [CLASS_NAMES[2]]: c[2] };
  });
}

/** The standardisation fitted on the training windows, beside the dataset's own train-only scaler. */
export function standardiserRows(ds: LoadedDataset): Row[] {
  const [, T] = ds.manifest.shape as number[];
  const s = fitStandardiser(ds.X, T, ds.manifest.features as string[], rowsOf(ds.split, TRAIN));
  const own = ds.manifest.scaler as { mean: number[]; std: number[] } | undefined;
  return s.channels.map((ch, f) => ({
    channel: ch, mean: +s.mean[f].toFixed(3), std: +s.std[f].toFixed(3),
    'dataset scaler mean': own ? +own.mean[f].toFixed(3) : null, 'dataset scaler std': own ? +own.std[f].toFixed(3) : null,
  }));
}

/** Class weights by sample proportion on the (subsampled) training windows, with their counts. */
export function classWeightRows(ds: LoadedDataset, profile: Profile, seedLabel = 'walkthrough'): Row[] {
  const rows = subsampleRows(rowsOf(ds.split, TRAIN), walkthroughBudget(profile).maxTrainWindows, rngFor('training', 'subsample', seedLabel));
  const w = classWeights(ds.meta.label, rows, 3, EXPERIMENT_PARAMS.classWeight);
  const n = [0, 0, 0];
  for (const r of rows) n[ds.meta.label[r]]++;
  return CLASS_NAMES.map((c, k) => ({ class: c, 'training windows': n[k], weight: +w[k].toFixed(4), 'weight x windows': +(w[k] * n[k]).toFixed(1) }));
}

/**
 * The walk-through's budget: the profile's, capped at WALKTHROUGH_CAP (the run is retrained every time the
 * notebook runs, so it stays short: the tuned, cached models are notebook 06's).
 */
export const WALKTHROUGH_CAP = { epochs: 4, maxTrainWindows: 2000 };

export function walkthroughBudget(profile: Profile): { epochs: number; maxTrainWindows: number } {
  const m = profile.training.maxTrainWindows;
  return { epochs: Math.min(profile.training.epochs, WALKTHROUGH_CAP.epochs), maxTrainWindows: m === null ? WALKTHROUGH_CAP.maxTrainWindows : Math.min(m, WALKTHROUGH_CAP.maxTrainWindows) };
}

/** One training run of the reference configuration (the walk-through of notebook 05). */
export async function walkthroughRun(ds: LoadedDataset, profile: Profile, config: SafeNetConfig = SAFENET_REFERENCE): Promise<TrainRun> {
  const [, T, F] = ds.manifest.shape as number[];
  const split = T === config.nSteps * config.nLength ? {} : { nSteps: T / 10, nLength: 10 };
  const b = walkthroughBudget(profile);
  return trainSafeNet(ds, { net: { ...config, nFeatures: F, ...split }, batchSize: 64, epochs: b.epochs }, {
    budget: { maxTrainWindows: b.maxTrainWindows }, seedLabel: 'walkthrough', progressLabel: 'training SafeNet (reference configuration)',
  });
}

/** What the run did: windows, epochs, early stopping, time. */
export function runSummaryRows(run: TrainRun): Row[] {
  return [
    { item: 'training windows (seeded subsample)', value: run.trainWindows },
    { item: 'epochs run', value: run.history.length },
    { item: 'stopped early', value: run.stoppedEarly ? 'yes' : 'no' },
    { item: 'epoch kept (lowest validation loss)', value: run.bestEpoch },
    { item: 'seconds', value: +run.seconds.toFixed(1) },
  ];
}

/** Test-part metrics of a run. */
export function runTestMetrics(run: TrainRun): Metrics {
  return evaluate(run.test.labels, run.test.probs, 3);
}

/** Headline metrics, ours beside the paper's DataSet 03 row. */
export function metricsVsPaperRows(m: Metrics, datasetId = 3): Row[] {
  const p = paperRow(readPaperTable2(), 'SafeNet', datasetId);
  const row = (name: string, ours: number | null, paper: number | null | undefined) => ({ metric: name, ours: ours === null ? null : +ours.toFixed(3), paper: paper ?? null });
  return [
    row('MCC', m.mcc, p?.mcc), row('F1 (micro, as the paper)', m.f1_micro, p?.f1), row('F1 (macro)', m.f1_macro, null),
    row('accuracy', m.accuracy, p?.accuracy),
    ...[0, 1, 2].map((k) => row(`AUC ${CLASS_NAMES[k]}`, m.roc_auc_per_class[k], p?.auc[k])),
  ];
}

/** Confusion matrix rows (true class per row, predicted per column). */
export function confusionRows(m: Metrics): Row[] {
  return m.confusion_matrix.map((r, k) => ({ 'true \\ predicted': CLASS_NAMES[k], [CLASS_NAMES[0]]: r[0], [CLASS_NAMES[1]]: r[1], [CLASS_NAMES[2]]: r[2] }));
}

/** A run as one figure item. */
export function runItem(run: TrainRun, label: string): Labelled[] {
  return [{ label, metrics: runTestMetrics(run), history: run.history }];
}

/** Free the run's model. */
export function disposeRun(run: TrainRun): void {
  run.model.dispose();
}

/** The experiment stage of the profile (reused when built): notebook 06. */
export async function experiments(ctx: ExperimentsContext): Promise<ExperimentsSummary> {
  // the stage's log (one line per trial) is kept out of the cell; resultRows shows what happened per result
  const lines: string[] = [];
  const s = await runExperiments(ctx.profile, { source: ctx.source, log: (l) => lines.push(l) });
  const reused = s.results.length - s.rebuilt;
  showMarkdown(`${s.results.length} SafeNet results (${s.rebuilt} built now, ${reused} reused) in ${s.seconds.toFixed(0)} s; ` +
    `Table 2 written to \`${rel(s.files.json)}\` and \`${rel(s.files.csv)}\`.` +
    (s.skipped.length ? ` Not run: ${s.skipped.map((k) => k.reason).join('; ')}.` : ''));
  return s;
}

const METRIC_LABELS: Record<(typeof TABLE2_METRICS)[number], string> = {
  mcc: 'MCC', f1: 'F1', accuracy: 'accuracy', auc0: 'AUC 0', auc1: 'AUC 1', auc2: 'AUC 2',
};

/** One row per result: built or reused (with the reason), trials, the chosen trial and its configuration. */
export function resultRows(s: ExperimentsSummary): Row[] {
  return s.results.map((r) => {
    const h = r.config.hyper as { net: SafeNetConfig; batchSize: number } | undefined;
    return {
      dataset: r.config.dataset.name, protocol: `${r.spec.protocol}/${r.spec.selection}`,
      result: r.reused ? 'reused' : `built (${r.reasons.join('; ').slice(0, 80)})`,
      trials: r.config.trials.total, 'trial seconds': Math.round(r.config.trials.seconds), chosen: r.config.chosen.tid,
      'training windows': r.config.trainWindows, epochs: `${r.config.bestEpoch} of ${r.config.history.length}`,
      network: h ? `${h.net.nSteps}x${h.net.nLength}, ${h.net.cnnLayers} conv ${h.net.filters}x${h.net.kernelSize} ${h.net.activation}, BiLSTM ${h.net.lstmUnits}, ${h.net.fcLayers} dense ${h.net.fcUnits}, dropout ${h.net.dropout}, batch ${h.batchSize}, lr ${h.net.learningRate.toExponential(1)}` : '-',
    };
  });
}

/** Table 2 for reading: ours [95 % interval] beside the paper's, per dataset and protocol. */
export function table2Display(rows: Table2Row[]): Row[] {
  const f = (v: number | null) => (v === null ? '-' : v.toFixed(3));
  return rows.map((r) => {
    const o: Row = { dataset: r.datasetName, protocol: r.protocol, 'test windows': r.testWindows };
    for (const m of TABLE2_METRICS) {
      const c = r.cells[m];
      const label = METRIC_LABELS[m];
      o[label] = `${f(c.ours)} [${f(c.lo)}, ${f(c.hi)}]`;
      o[`${label} paper`] = c.paper;
      o[`${label} diff`] = c.diff === null ? null : +c.diff.toFixed(3);
    }
    return o;
  });
}

/** The figure group of paper Figure n (5-10) from the summary's results. */
export function figureGroup(s: ExperimentsSummary, figure: number): { name: string; title: string; items: Labelled[]; subtitle: string } {
  const g = FIGURE_GROUPS.find((x) => x.figure === figure);
  if (!g) throw new Error(`figureGroup: no Figure ${figure}; groups are ${FIGURE_GROUPS.map((x) => x.figure).join(', ')}`);
  const items = groupItems(s.results, g);
  const missing = g.datasets.filter((d) => !items.some((i) => i.label === d.label)).map((d) => d.label);
  const subtitle = `SafeNet, test part, ${s.profile} profile` + (missing.length ? `; not in this profile: ${missing.join(', ')}` : '');
  return { name: g.name, title: g.title, items, subtitle };
}

/** Learning-curve items of every paper-protocol result. */
export function allCurves(s: ExperimentsSummary): Labelled[] {
  return s.results.filter((r) => r.spec.protocol === 'paper' && r.spec.selection === 'validation')
    .map((r) => ({ label: r.config.dataset.name, metrics: r.metrics.test, history: r.config.history }));
}

/** The TPE and random searches of DataSet 03 for the trace figure. */
export function searchesOf(s: ExperimentsSummary): { algo: string; trials: import('../tuning/trials').TrialRecord[] }[] {
  if (!s.searches) return [];
  return [{ algo: 'TPE', trials: s.searches.tpe }, { algo: 'random search', trials: s.searches.random }];
}

/** Part indices, re-exported for notebooks that name them. */
export const PARTS = { TRAIN, VALIDATION, TEST };

/** The experiment stage of `make reproduce`: the same store choice as the notebooks (real when filled), then
 * every experiment of the profile and Table 2 (reused when unchanged). */
export async function experimentStage(profile: Profile): Promise<ExperimentsSummary> {
  const store = await ensureSwarmStore(profile);
  await selectBackend();
  return runExperiments(profile, { source: store.source as SwarmSource });
}
