// The experiments of paper section 4 (Table 2, SafeNet rows): for each dataset and protocol, a TPE search over
// SafeNet's space (trials in worker processes), the model chosen on the validation part (or, as the paper's
// code did, on the test part), its test part scored once, with bootstrap intervals by event. Each result lives
// in build/results/<store>/<protocol>-<selection>/safenet/dsNN/: trials.jsonl, model/ (weights + topology),
// config.json (hyperparameters, standardisation, class weights, dataset hash, seeds, learning curve),
// predictions.csv (test windows with event ids), metrics.json; reused when its inputs are unchanged, rebuilt
// with a one-line reason otherwise (hash of inputs, configuration and code, as the dataset cache).
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic';
import { Profile, SEEDS } from '../core/config';
import { paths, rel } from '../core/paths';
import { currentBackend, selectBackend } from '../backend/backend';
import { ensureDatasets, EnsureOptions, explainRebuild, fileSha256, hashOf, HashParts } from '../datasets/cache';
import * as datasetParams from '../datasets/params';
import { DatasetSummary, loadDataset } from '../datasets/build';

/** Dataset protocols (lib/datasets/params.ts): the paper's reading, or the shortcut audit's controls on. */
export type Protocol = 'paper' | 'controlled';
import { evaluate, Metrics } from '../evaluation/metrics';
import { bootstrapByEvent, BootstrapResult } from '../evaluation/bootstrap';
import { writePredictionsCsv } from '../evaluation/predictions';
import { runSearch } from '../tuning/search';
import { Space, spaceHash } from '../tuning/space';
import { TrialRecord } from '../tuning/trials';
import { SwarmSource } from '../swarm/types';
import { EXPERIMENT_PARAMS, ExperimentParams, Selection } from './params';
import { loadProbabilities, SafeNetObjectiveArgs, trialDir } from './objective';
import { safenetSpace, SpaceSize } from './space';

/** Sources whose content decides a result (besides the dataset's own hash). */
export const RESULT_CODE_FILES = [
  'lib/experiments/train.ts', 'lib/experiments/tensors.ts', 'lib/experiments/objective.ts', 'lib/experiments/space.ts',
  'lib/experiments/run.ts', 'lib/models/safenet.ts', 'lib/models/fused_lstm.ts', 'lib/training/fit.ts',
  'lib/tuning/search.ts', 'lib/tuning/tpe.ts', 'lib/tuning/space.ts', 'lib/tuning/random.ts',
  'lib/evaluation/metrics.ts', 'lib/evaluation/bootstrap.ts', 'lib/evaluation/predictions.ts',
  'lib/backend/kernels/index.ts',
];

export interface ExperimentSpec {
  source: SwarmSource;
  /** Dataset protocol: the paper's, or the controlled one of the shortcut audit (leak controls on). */
  protocol: Protocol;
  selection: Selection;
  datasetId: number;
}

export interface ExperimentOptions {
  profile: Profile;
  params?: ExperimentParams;
  force?: boolean;
  /** Worker processes for the trials (default: the profile's). */
  workers?: number;
  /** Run trials in this process (notebooks, tests). */
  inProcess?: boolean;
  root?: string;
  datasetsRoot?: string;
  /** Use this built dataset instead of asking lib/datasets' cache (tests, datasets made elsewhere). */
  dataset?: { dir: string; hash: string; summary: DatasetSummary };
  log?: (line: string) => void;
}

export interface ExperimentResult {
  spec: ExperimentSpec;
  dir: string;
  hash: string;
  reused: boolean;
  reasons: string[];
  config: ResultConfig;
  metrics: ResultMetrics;
}

export interface ResultConfig {
  spec: ExperimentSpec;
  profile: string;
  dataset: { id: number; name: string; hash: string; dir: string; shape: number[]; features: string[] };
  seeds: { training: number; tpe: number; bootstrap: number; trial: number; seedLabel: string };
  budget: Profile['training'];
  params: ExperimentParams;
  space: { size: SpaceSize; hash: string };
  backend: string;
  chosen: { tid: number; params: unknown; loss: number; chosenOn: 'validation' | 'test' };
  hyper: unknown;
  standardiser: unknown;
  classWeights: number[];
  trainWindows: number;
  trainClassCounts: number[];
  history: { epoch: number; trainLoss: number; validationLoss: number | null }[];
  bestEpoch: number;
  trials: { total: number; ok: number; seconds: number };
  hashParts: HashParts;
}

export interface ResultMetrics {
  test: Metrics;
  bootstrap: BootstrapResult;
  validation: Metrics | null;
}

/** An experiment that cannot run for a reason of data or of a missing protocol (not a defect of the code): its
 * dataset lacks a part the protocol needs, or lib/datasets does not know the protocol. */
export class NotRunnableError extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = 'NotRunnableError';
  }
}

/** Folder of one result. */
export function resultDir(spec: ExperimentSpec, root = paths.results): string {
  return path.join(root, spec.source, `${spec.protocol}-${spec.selection}`, 'safenet', `ds${String(spec.datasetId).padStart(2, '0')}`);
}

/** The search space size a profile uses: the paper's for 'paper', the small one otherwise (2-core budgets). */
export function spaceSizeOf(profile: Profile): SpaceSize {
  return profile.name === 'paper' ? 'paper' : 'small';
}

/** Hash of each source of a result's code list ('absent' for a file that is not there). */
export function codeParts(files: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) {
    const abs = path.join(paths.root, f);
    out[f] = fs.existsSync(abs) ? fileSha256(abs) : 'absent';
  }
  return out;
}

/** Event id of each window row of a dataset folder (events.json maps eventIndex to id). */
export function eventIdsOf(dir: string, eventIndex: Int32Array, rows: Uint32Array): string[] {
  const ev = JSON.parse(fs.readFileSync(path.join(dir, 'events.json'), 'utf8')) as { index: number[]; id: string[] };
  const byIndex = new Map<number, string>(ev.index.map((e, k) => [e, ev.id[k]]));
  return Array.from(rows, (r) => {
    const id = byIndex.get(eventIndex[r]);
    if (id === undefined) throw new Error(`${rel(dir)}/events.json: no event for eventIndex ${eventIndex[r]} (window ${r})`);
    return id;
  });
}

/** What sets one tuned method's experiment apart (SafeNet here, the baselines in lib/models/baseline-experiment.ts);
 * the rest, from the dataset to the result files, reuse and rebuild reasons, is runTunedExperiment's. */
export interface TunedMethod {
  /** Name in error messages ('runExperiment'). */
  caller: string;
  /** Folder of the result. */
  dir: string;
  /** Inserted in the log label before 'DataSet NN' (a baseline's name); none for SafeNet. */
  labelPart?: string;
  /** Sources whose content decides the result. */
  codeFiles: readonly string[];
  /** The search space, from the window length T, the profile's space size and epoch cap. */
  space: (T: number, size: SpaceSize, epochCap: number) => Space;
  /** Configuration entries of the hash besides the common ones. */
  hashConfig?: Record<string, string>;
  /** The TPE objective (module and export, run by lib/tuning's workers) and its arguments from the common ones. */
  objective: (common: SafeNetObjectiveArgs) => { module: string; exportName: string; args: unknown };
  /** Appended to the bootstrap seed ('/GBM'); none for SafeNet. */
  bootstrapSeedSuffix?: string;
  /** config.json entries before the common ones. */
  resultConfig?: Record<string, unknown>;
  /** Say in the not-runnable message why no model can be trained or scored. */
  explainEmpty?: boolean;
}

/** Run (or reuse) one experiment. */
export async function runExperiment(spec: ExperimentSpec, o: ExperimentOptions): Promise<ExperimentResult> {
  return runTunedExperiment(spec, o, {
    caller: 'runExperiment', dir: resultDir(spec, o.root), codeFiles: RESULT_CODE_FILES, explainEmpty: true,
    space: (T, size, epochCap) => safenetSpace(T, size, epochCap),
    objective: (args) => ({ module: 'lib/experiments/objective.ts', exportName: 'safenetObjective', args }),
  });
}

/** Run (or reuse) one experiment of a tuned method: its dataset, TPE search, the chosen trial scored on the test
 * part and the result files, reused while the hash of inputs, configuration and code is unchanged. */
export async function runTunedExperiment(spec: ExperimentSpec, o: ExperimentOptions, method: TunedMethod): Promise<ExperimentResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const p = o.params ?? { ...EXPERIMENT_PARAMS, selection: spec.selection };
  if (p.selection !== spec.selection) throw new Error(`${method.caller}: params.selection '${p.selection}' differs from spec.selection '${spec.selection}'`);
  const name = `${spec.source}/${spec.protocol}-${spec.selection}/${method.labelPart ? `${method.labelPart}/` : ''}DataSet ${String(spec.datasetId).padStart(2, '0')}`;
  // the protocol option of lib/datasets (ensureDatasets' `protocol`); refuse rather than silently build the
  // paper's datasets when that module does not know the protocol
  const known = (datasetParams as unknown as { PROTOCOLS?: string[] }).PROTOCOLS ?? ['paper'];
  if (!known.includes(spec.protocol)) throw new NotRunnableError(`${name}: lib/datasets has no '${spec.protocol}' protocol`);
  const d = o.dataset ?? (await ensureDatasets({
    source: spec.source, profile: o.profile, ids: [spec.datasetId], root: o.datasetsRoot, log: (l: string) => log(`  ${l}`),
    ...(spec.protocol === 'paper' ? {} : { protocol: spec.protocol }),
  } as EnsureOptions)).datasets[0];
  const perPart = d.summary.counts.bySplitClass.map((c: number[]) => c.reduce((a, b) => a + b, 0));
  const needed = ['train', p.selection === 'validation' ? 'validation' : null, 'test'];
  const empty = needed.filter((part, k) => part !== null && perPart[k] === 0);
  if (empty.length) {
    throw new NotRunnableError(`${name}: the dataset (${rel(d.dir)}) has no ${empty.join(' and no ')} windows ` +
      `(train/validation/test: ${perPart.join('/')})${method.explainEmpty ? `, so no model can be ${empty.includes('test') ? 'scored' : 'trained and chosen'}` : ''}`);
  }
  const T = d.summary.shape[1];
  const budget = o.profile.training;
  const size = spaceSizeOf(o.profile);
  const space = method.space(T, size, budget.epochs);
  const backend = (currentBackend() ?? (await selectBackend({ log: () => undefined }))).name;
  const parts: HashParts = {
    inputs: { dataset: d.hash },
    config: {
      ...method.hashConfig, spec: JSON.stringify(spec), budget: JSON.stringify(budget), params: JSON.stringify(p), space: spaceHash(space),
      'seed.training': String(SEEDS.training), 'seed.tpe': String(SEEDS.tpe), 'seed.bootstrap': String(SEEDS.bootstrap), backend,
    },
    code: codeParts(method.codeFiles),
  };
  const hash = hashOf(parts);
  const dir = method.dir;
  const resultFile = path.join(dir, 'result.json');
  const old = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { hash: string; hashParts: HashParts } : null;
  if (!o.force && old?.hash === hash && fs.existsSync(path.join(dir, 'metrics.json')) && fs.existsSync(path.join(dir, 'config.json'))) {
    log(`${name}: up to date (${hash})`);
    return {
      spec, dir, hash, reused: true, reasons: [],
      config: JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')),
      metrics: JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')),
    };
  }
  const reasons = o.force ? ['forced'] : old?.hash === hash ? ['files missing'] : explainRebuild(old?.hashParts ?? null, parts);
  log(`${name}: ${old ? 'rebuilding' : 'building'} (${hash}) because ${reasons.join(' | ')}`);
  // a trials file is resumed only when everything but the trial count is unchanged; otherwise start afresh
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
  const search = await runSearch({
    space, objective: method.objective({ datasetDir: d.dir, trialsDir, maxTrainWindows: budget.maxTrainWindows, params: p, seedLabel }),
    maxEvals: budget.tpeEvaluations, algo: 'tpe', seed: SEEDS.tpe, trialsPath,
    workers: o.workers ?? o.profile.workers, inProcess: o.inProcess, log: (l) => log(`  ${l}`),
  });
  const best: TrialRecord | null = search.best;
  if (!best) throw new Error(`${name}: every one of ${search.trials.length} trials failed; first error: ${search.trials[0]?.error?.split('\n')[0] ?? 'none'}`);
  const bestDir = trialDir(trialsDir, best.tid);
  if (!fs.existsSync(path.join(bestDir, 'run.json'))) throw new Error(`${name}: trial ${best.tid}'s files are missing in ${rel(bestDir)}`);
  const run = JSON.parse(fs.readFileSync(path.join(bestDir, 'run.json'), 'utf8'));
  // the chosen model, its test predictions (with event ids) and its scores
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
    bootstrap: bootstrapByEvent(test.labels, test.probs, eventIds, { n: p.bootstrapResamples, level: p.bootstrapLevel, seed: `${SEEDS.bootstrap}/${seedLabel}${method.bootstrapSeedSuffix ?? ''}` }),
    validation: val.labels.length ? evaluate(val.labels, val.probs, 3) : null,
  };
  const config: ResultConfig = {
    ...method.resultConfig, spec, profile: o.profile.name,
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
  // every trial keeps its model and probabilities under trials/ (a resumed search with more evaluations may
  // choose an earlier trial); the chosen model is copied to model/
  writeJsonAtomic(resultFile, { hash, hashParts: parts, builtAt: new Date().toISOString() });
  const m = metrics.test;
  log(`${name}: trial ${best.tid} of ${search.trials.length} chosen on the ${config.chosen.chosenOn} part; test MCC ${m.mcc.toFixed(3)}, ` +
    `F1 ${m.f1_micro.toFixed(3)} (macro ${m.f1_macro.toFixed(3)}), AUC ${m.roc_auc_per_class.map((a) => (a === null ? '-' : a.toFixed(3))).join('/')}`);
  return { spec, dir, hash, reused: false, reasons, config, metrics };
}
