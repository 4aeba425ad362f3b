// The baselines' experiments (paper sections 3.3 and 4.6: GBM, RF, DNN, CNN and LSTM tuned with TPE and scored on
// DataSet 03; Table 2's last rows): each baseline run exactly as SafeNet's experiment (lib/experiments/run.ts),
// its peer in every step: the same dataset from lib/datasets' cache, the same TPE search (lib/tuning) with the
// same budget and seeds, the same objective (-F1 of the validation part, or of the test part under the paper's
// protocol), the chosen trial's test part scored once with bootstrap intervals by event, and the same result
// files (trials.jsonl, model/, config.json, predictions.csv, metrics.json, result.json) under
// build/results/<source>/<protocol>-<selection>/<baseline>/dsNN/, reused while their inputs are unchanged.
// Table 2 rows of the baselines carry the paper's values beside ours.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic';
import { SEEDS } from '../core/config';
import { paths, rel } from '../core/paths';
import { currentBackend, selectBackend } from '../backend/backend';
import { ensureDatasets, EnsureOptions, explainRebuild, fileSha256, hashOf, HashParts } from '../datasets/cache';
import * as datasetParams from '../datasets/params';
import { loadDataset, LoadedDataset } from '../datasets/build';
import { evaluate } from '../evaluation/metrics';
import { bootstrapByEvent } from '../evaluation/bootstrap';
import { writePredictionsCsv } from '../evaluation/predictions';
import { runSearch } from '../tuning/search';
import { spaceHash } from '../tuning/space';
import type { ObjectiveContext, ObjectiveResult, TrialRecord } from '../tuning/trials';
import { saveModel } from '../training/fit';
import { EXPERIMENT_PARAMS, ExperimentParams } from '../experiments/params';
import { loadProbabilities, PartScores, saveProbabilities, trialDir } from '../experiments/objective';
import { ExperimentOptions, ExperimentResult, ExperimentSpec, NotRunnableError, ResultConfig, ResultMetrics, spaceSizeOf } from '../experiments/run';
import { table2Rows, Table2Row, TABLE2_METRICS } from '../experiments/table2';
import { paperRow, PaperRow, readPaperTable2 } from '../experiments/paper';
import { Probabilities } from '../experiments/train';
import { BaselineName, BASELINE_NAMES, baselineSpace, EXTRA_FEATURES_DEFAULT, ExtraFeatures } from './baselines';
import { trainBaseline } from './baseline-run';
import * as tf from '@tensorflow/tfjs';

/** Sources whose content decides a baseline result (besides the dataset's own hash). */
export const BASELINE_CODE_FILES = [
  'lib/models/baseline-experiment.ts', 'lib/models/baseline-run.ts', 'lib/models/baselines.ts', 'lib/models/gbm.ts',
  'lib/models/rf.ts', 'lib/models/binning.ts', 'lib/models/safenet.ts', 'lib/models/fused_lstm.ts', 'lib/training/fit.ts',
  'lib/experiments/tensors.ts', 'lib/experiments/train.ts', 'lib/tuning/search.ts', 'lib/tuning/tpe.ts',
  'lib/tuning/space.ts', 'lib/tuning/random.ts', 'lib/evaluation/metrics.ts', 'lib/evaluation/bootstrap.ts',
  'lib/evaluation/predictions.ts', 'lib/backend/kernels/index.ts',
];

export interface BaselineObjectiveArgs {
  baseline: BaselineName;
  datasetDir: string;
  trialsDir: string;
  maxTrainWindows: number | null;
  params: ExperimentParams;
  seedLabel: string;
  extraFeatures: ExtraFeatures;
}

function scores(p: Probabilities): PartScores | null {
  if (p.labels.length === 0) return null;
  const m = evaluate(p.labels, p.probs, p.probs.length / p.labels.length);
  return { windows: m.n, accuracy: m.accuracy, f1_micro: m.f1_micro, f1_macro: m.f1_macro, f1_weighted: m.f1_weighted, mcc: m.mcc, roc_auc_per_class: m.roc_auc_per_class };
}

let backendReady: Promise<unknown> | null = null;
const datasets = new Map<string, LoadedDataset>();

/** The TPE objective of a baseline (as safenetObjective): train, save the trial, return -F1 of the choosing part. */
export async function baselineObjective(point: Record<string, unknown>, ctx: ObjectiveContext<BaselineObjectiveArgs>): Promise<ObjectiveResult> {
  const a = ctx.args;
  backendReady ??= selectBackend({ log: () => undefined });
  await backendReady;
  let ds = datasets.get(a.datasetDir);
  if (!ds) {
    ds = loadDataset(a.datasetDir);
    datasets.set(a.datasetDir, ds);
  }
  const seedLabel = `${a.seedLabel}/${a.baseline}/seed-${ctx.seed}`;
  const run = await trainBaseline(a.baseline, ds, point, {
    params: a.params, budget: { maxTrainWindows: a.maxTrainWindows }, seedLabel, progressLabel: null, extraFeatures: a.extraFeatures,
  });
  try {
    const validation = scores(run.validation);
    const test = scores(run.test);
    const dir = trialDir(a.trialsDir, ctx.trial);
    fs.rmSync(dir, { recursive: true, force: true });
    if (run.model instanceof tf.LayersModel) await saveModel(run.model, path.join(dir, 'model'));
    else writeJsonAtomic(path.join(dir, 'model', 'model.json'), run.model.toJSON());
    saveProbabilities(dir, 'validation', run.validation);
    saveProbabilities(dir, 'test', run.test);
    // JSON has no NaN: the GBM's history has no training loss
    const history = run.history.map((h) => ({ ...h, trainLoss: Number.isFinite(h.trainLoss) ? h.trainLoss : null }));
    writeJsonAtomic(path.join(dir, 'run.json'), {
      baseline: a.baseline, hyper: point, extraFeatures: a.extraFeatures, standardiser: run.standardiser, classWeights: run.classWeights,
      history, bestEpoch: run.bestEpoch, stoppedEarly: run.stoppedEarly, trainWindows: run.trainWindows,
      trainClassCounts: run.trainClassCounts, seconds: run.seconds, seedLabel,
    });
    const chooser = a.params.selection === 'paper-test-set' ? test : validation;
    if (!chooser) throw new Error(`baselineObjective(${a.baseline}): the ${a.params.selection === 'paper-test-set' ? 'test' : 'validation'} part of ${a.datasetDir} is empty`);
    return {
      loss: -chooser[a.params.objective], status: 'ok', validation, test, history, bestEpoch: run.bestEpoch,
      stoppedEarly: run.stoppedEarly, trainWindows: run.trainWindows, seconds: run.seconds,
    };
  } finally {
    if (run.model instanceof tf.LayersModel) run.model.dispose();
  }
}

/** Folder of one baseline result (beside SafeNet's .../safenet/dsNN). */
export function baselineResultDir(name: BaselineName, spec: ExperimentSpec, root = paths.results): string {
  return path.join(root, spec.source, `${spec.protocol}-${spec.selection}`, name.toLowerCase(), `ds${String(spec.datasetId).padStart(2, '0')}`);
}

export interface BaselineResult extends ExperimentResult {
  name: BaselineName;
  config: ResultConfig & { method: BaselineName; extraFeatures: ExtraFeatures };
}

function eventIdsOf(dir: string, eventIndex: Int32Array, rows: Uint32Array): string[] {
  const ev = JSON.parse(fs.readFileSync(path.join(dir, 'events.json'), 'utf8')) as { index: number[]; id: string[] };
  const byIndex = new Map<number, string>(ev.index.map((e, k) => [e, ev.id[k]]));
  return Array.from(rows, (r) => {
    const id = byIndex.get(eventIndex[r]);
    if (id === undefined) throw new Error(`${rel(dir)}/events.json: no event for eventIndex ${eventIndex[r]} (window ${r})`);
    return id;
  });
}

/** Run (or reuse) one baseline's experiment, as runExperiment does SafeNet's. */
export async function runBaselineExperiment(
  name: BaselineName, spec: ExperimentSpec, o: ExperimentOptions & { extraFeatures?: ExtraFeatures },
): Promise<BaselineResult> {
  if (!BASELINE_NAMES.includes(name)) throw new Error(`runBaselineExperiment: unknown baseline '${name}'; known: ${BASELINE_NAMES.join(', ')}`);
  const log = o.log ?? ((l: string) => console.log(l));
  const p = o.params ?? { ...EXPERIMENT_PARAMS, selection: spec.selection };
  if (p.selection !== spec.selection) throw new Error(`runBaselineExperiment: params.selection '${p.selection}' differs from spec.selection '${spec.selection}'`);
  const extraFeatures = o.extraFeatures ?? EXTRA_FEATURES_DEFAULT;
  const label = `${spec.source}/${spec.protocol}-${spec.selection}/${name}/DataSet ${String(spec.datasetId).padStart(2, '0')}`;
  const known = (datasetParams as unknown as { PROTOCOLS?: string[] }).PROTOCOLS ?? ['paper'];
  if (!known.includes(spec.protocol)) throw new NotRunnableError(`${label}: lib/datasets has no '${spec.protocol}' protocol`);
  const d = o.dataset ?? (await ensureDatasets({
    source: spec.source, profile: o.profile, ids: [spec.datasetId], root: o.datasetsRoot, log: (l: string) => log(`  ${l}`),
    ...(spec.protocol === 'paper' ? {} : { protocol: spec.protocol }),
  } as EnsureOptions)).datasets[0];
  const perPart = d.summary.counts.bySplitClass.map((c: number[]) => c.reduce((a, b) => a + b, 0));
  const needed = ['train', p.selection === 'validation' ? 'validation' : null, 'test'];
  const empty = needed.filter((part, k) => part !== null && perPart[k] === 0);
  if (empty.length) {
    throw new NotRunnableError(`${label}: the dataset (${rel(d.dir)}) has no ${empty.join(' and no ')} windows (train/validation/test: ${perPart.join('/')})`);
  }
  const budget = o.profile.training;
  const size = spaceSizeOf(o.profile);
  const space = baselineSpace(name, size, budget.epochs);
  const backend = (currentBackend() ?? (await selectBackend({ log: () => undefined }))).name;
  const code: Record<string, string> = {};
  for (const f of BASELINE_CODE_FILES) {
    const abs = path.join(paths.root, f);
    code[f] = fs.existsSync(abs) ? fileSha256(abs) : 'absent';
  }
  const parts: HashParts = {
    inputs: { dataset: d.hash },
    config: {
      baseline: name, extraFeatures, spec: JSON.stringify(spec), budget: JSON.stringify(budget), params: JSON.stringify(p), space: spaceHash(space),
      'seed.training': String(SEEDS.training), 'seed.tpe': String(SEEDS.tpe), 'seed.bootstrap': String(SEEDS.bootstrap), backend,
    },
    code,
  };
  const hash = hashOf(parts);
  const dir = baselineResultDir(name, spec, o.root);
  const resultFile = path.join(dir, 'result.json');
  const old = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { hash: string; hashParts: HashParts } : null;
  if (!o.force && old?.hash === hash && fs.existsSync(path.join(dir, 'metrics.json')) && fs.existsSync(path.join(dir, 'config.json'))) {
    log(`${label}: up to date (${hash})`);
    return {
      name, spec, dir, hash, reused: true, reasons: [],
      config: JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')),
      metrics: JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')),
    };
  }
  const reasons = o.force ? ['forced'] : old?.hash === hash ? ['files missing'] : explainRebuild(old?.hashParts ?? null, parts);
  log(`${label}: ${old ? 'rebuilding' : 'building'} (${hash}) because ${reasons.join(' | ')}`);
  const trialsPath = path.join(dir, 'trials.jsonl');
  const trialsDir = path.join(dir, 'trials');
  const searchKey = { ...parts, config: { ...parts.config, budget: JSON.stringify({ ...budget, tpeEvaluations: null }) } };
  const keyFile = path.join(dir, 'search-key.json');
  const oldKey = fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8') : null;
  if (oldKey !== JSON.stringify(searchKey)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(keyFile, JSON.stringify(searchKey));
  }
  fs.rmSync(resultFile, { force: true });
  const seedLabel = `${spec.source}/${spec.protocol}-${spec.selection}/ds${spec.datasetId}`;
  const args: BaselineObjectiveArgs = { baseline: name, datasetDir: d.dir, trialsDir, maxTrainWindows: budget.maxTrainWindows, params: p, seedLabel, extraFeatures };
  const search = await runSearch({
    space, objective: { module: 'lib/models/baseline-experiment.ts', exportName: 'baselineObjective', args },
    maxEvals: budget.tpeEvaluations, algo: 'tpe', seed: SEEDS.tpe, trialsPath,
    workers: o.workers ?? o.profile.workers, inProcess: o.inProcess, log: (l) => log(`  ${l}`),
  });
  const best: TrialRecord | null = search.best;
  if (!best) throw new Error(`${label}: every one of ${search.trials.length} trials failed; first error: ${search.trials[0]?.error?.split('\n')[0] ?? 'none'}`);
  const bestDir = trialDir(trialsDir, best.tid);
  if (!fs.existsSync(path.join(bestDir, 'run.json'))) throw new Error(`${label}: trial ${best.tid}'s files are missing in ${rel(bestDir)}`);
  const run = JSON.parse(fs.readFileSync(path.join(bestDir, 'run.json'), 'utf8'));
  const ds = loadDataset(d.dir);
  const test = loadProbabilities(bestDir, 'test', ds.meta.label);
  const val = loadProbabilities(bestDir, 'validation', ds.meta.label);
  const eventIds = eventIdsOf(d.dir, ds.meta.eventIndex, test.rows);
  fs.rmSync(path.join(dir, 'model'), { recursive: true, force: true });
  fs.cpSync(path.join(bestDir, 'model'), path.join(dir, 'model'), { recursive: true });
  writePredictionsCsv(path.join(dir, 'predictions.csv'), { yTrue: test.labels, proba: test.probs, eventIds });
  if (val.labels.length) {
    writePredictionsCsv(path.join(dir, 'validation-predictions.csv'), { yTrue: val.labels, proba: val.probs, eventIds: eventIdsOf(d.dir, ds.meta.eventIndex, val.rows) });
  }
  const metrics: ResultMetrics = {
    test: evaluate(test.labels, test.probs, 3),
    bootstrap: bootstrapByEvent(test.labels, test.probs, eventIds, { n: p.bootstrapResamples, level: p.bootstrapLevel, seed: `${SEEDS.bootstrap}/${seedLabel}/${name}` }),
    validation: val.labels.length ? evaluate(val.labels, val.probs, 3) : null,
  };
  const config: BaselineResult['config'] = {
    method: name, extraFeatures, spec, profile: o.profile.name,
    dataset: { id: spec.datasetId, name: `DataSet ${String(spec.datasetId).padStart(2, '0')}`, hash: d.hash, dir: rel(d.dir), shape: d.summary.shape, features: d.summary.features },
    seeds: { training: SEEDS.training, tpe: SEEDS.tpe, bootstrap: SEEDS.bootstrap, trial: best.seed, seedLabel: run.seedLabel },
    budget, params: p, space: { size, hash: spaceHash(space) }, backend,
    chosen: { tid: best.tid, params: best.params, loss: best.loss!, chosenOn: p.selection === 'paper-test-set' ? 'test' : 'validation' },
    hyper: run.hyper, standardiser: run.standardiser, classWeights: run.classWeights, trainWindows: run.trainWindows,
    trainClassCounts: run.trainClassCounts, history: run.history, bestEpoch: run.bestEpoch,
    trials: { total: search.trials.length, ok: search.trials.filter((t) => t.status === 'ok').length, seconds: search.trials.reduce((s, t) => s + t.seconds, 0) },
    hashParts: parts,
  };
  writeJsonAtomic(path.join(dir, 'metrics.json'), metrics);
  writeJsonAtomic(path.join(dir, 'config.json'), config);
  writeJsonAtomic(resultFile, { hash, hashParts: parts, builtAt: new Date().toISOString() });
  const m = metrics.test;
  log(`${label}: trial ${best.tid} of ${search.trials.length} chosen on the ${config.chosen.chosenOn} part; test MCC ${m.mcc.toFixed(3)}, ` +
    `F1 ${m.f1_micro.toFixed(3)} (macro ${m.f1_macro.toFixed(3)}), AUC ${m.roc_auc_per_class.map((a) => (a === null ? '-' : a.toFixed(3))).join('/')}`);
  return { name, spec, dir, hash, reused: false, reasons, config, metrics };
}

/** Table 2 rows of baseline results: method = the baseline, the paper's row of that method beside ours. */
export function baselineTable2Rows(results: BaselineResult[], paper: PaperRow[] = readPaperTable2()): Table2Row[] {
  return results.map((r) => {
    const [row] = table2Rows([r], paper);
    const pr = paperRow(paper, r.name, r.spec.datasetId);
    const pv = (m: (typeof TABLE2_METRICS)[number]): number | null =>
      !pr ? null : m === 'mcc' ? pr.mcc : m === 'f1' ? pr.f1 : m === 'accuracy' ? pr.accuracy : pr.auc[Number(m.slice(3))];
    for (const m of TABLE2_METRICS) {
      const c = row.cells[m];
      c.paper = pv(m);
      c.diff = c.ours !== null && c.paper !== null ? c.ours - c.paper : null;
    }
    return { ...row, method: r.name };
  });
}
