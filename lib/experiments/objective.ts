// The TPE objective for SafeNet (paper section 3.2: hyperopt with loss = -F1): one trial trains SafeNet with the
// suggested hyperparameters on a built dataset (lib/experiments/train.ts), scores its validation and test parts,
// saves the trial's model and probabilities under the trial folder, and returns -F1 of the part that picks models
// (validation by default; the test part under the paper's protocol). Runs in lib/tuning's worker processes,
// named by module and export (safenetObjective).
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic';
import { selectBackend } from '../backend/backend';
import { loadDataset, LoadedDataset } from '../datasets/build';
import { evaluate } from '../evaluation/metrics';
import { saveModel } from '../training/fit';
import type { ObjectiveContext, ObjectiveResult } from '../tuning/trials';
import { ExperimentParams } from './params';
import { hyperOf, SafeNetPoint } from './space';
import { Probabilities, trainSafeNet } from './train';

export interface SafeNetObjectiveArgs {
  /** Built dataset folder (lib/datasets cache). */
  datasetDir: string;
  /** Folder of the trial folders (t0000, t0001, ...). */
  trialsDir: string;
  maxTrainWindows: number | null;
  params: ExperimentParams;
  /** Seed label prefix (e.g. 'simulated/paper/ds03'); the trial's seed is appended. */
  seedLabel: string;
}

export interface PartScores {
  windows: number;
  accuracy: number;
  f1_micro: number;
  f1_macro: number;
  f1_weighted: number;
  mcc: number;
  roc_auc_per_class: (number | null)[];
}

/** A part's scores as a trial records them (null for an empty part). */
export function partScores(p: Probabilities): PartScores | null {
  if (p.labels.length === 0) return null;
  const m = evaluate(p.labels, p.probs, p.probs.length / p.labels.length);
  return { windows: m.n, accuracy: m.accuracy, f1_micro: m.f1_micro, f1_macro: m.f1_macro, f1_weighted: m.f1_weighted, mcc: m.mcc, roc_auc_per_class: m.roc_auc_per_class };
}

let backendReady: Promise<unknown> | null = null;
const datasets = new Map<string, LoadedDataset>();

/** A trial's dataset, once the backend is chosen: loaded once per worker process, then kept. */
export async function trialDataset(dir: string): Promise<LoadedDataset> {
  backendReady ??= selectBackend({ log: () => undefined });
  await backendReady;
  let ds = datasets.get(dir);
  if (!ds) {
    ds = loadDataset(dir);
    datasets.set(dir, ds);
  }
  return ds;
}

export function trialDir(trialsDir: string, tid: number): string {
  return path.join(trialsDir, `t${String(tid).padStart(4, '0')}`);
}

/** Save a part's probabilities: rows (u32) and probabilities (f64, rows x classes). */
export function saveProbabilities(dir: string, part: string, p: Probabilities): void {
  writeFileAtomic(path.join(dir, `${part}.rows.u32`), p.rows);
  writeFileAtomic(path.join(dir, `${part}.probs.f64`), p.probs);
}

export function loadProbabilities(dir: string, part: string, labels: Uint8Array): Probabilities {
  const read = (f: string) => {
    const b = fs.readFileSync(path.join(dir, f));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  const rows = new Uint32Array(read(`${part}.rows.u32`));
  const probs = new Float64Array(read(`${part}.probs.f64`));
  if (rows.length && probs.length % rows.length !== 0) throw new Error(`${dir}/${part}.probs.f64: ${probs.length} values for ${rows.length} rows`);
  return { rows, labels: Uint8Array.from(rows, (r) => labels[r]), probs };
}

/** The objective: loss -F1 on the validation part (or on the test part under params.selection 'paper-test-set'). */
export async function safenetObjective(point: SafeNetPoint, ctx: ObjectiveContext<SafeNetObjectiveArgs>): Promise<ObjectiveResult> {
  const a = ctx.args;
  const ds = await trialDataset(a.datasetDir);
  const F = (ds.manifest.shape as number[])[2];
  const hyper = hyperOf(point, F);
  const run = await trainSafeNet(ds, hyper, {
    params: a.params, budget: { maxTrainWindows: a.maxTrainWindows }, seedLabel: `${a.seedLabel}/seed-${ctx.seed}`, progressLabel: null,
  });
  try {
    const validation = partScores(run.validation);
    const test = partScores(run.test);
    const dir = trialDir(a.trialsDir, ctx.trial);
    fs.rmSync(dir, { recursive: true, force: true });
    await saveModel(run.model, path.join(dir, 'model'));
    saveProbabilities(dir, 'validation', run.validation);
    saveProbabilities(dir, 'test', run.test);
    writeJsonAtomic(path.join(dir, 'run.json'), {
      hyper, standardiser: run.standardiser, classWeights: run.classWeights, history: run.history, bestEpoch: run.bestEpoch,
      stoppedEarly: run.stoppedEarly, trainWindows: run.trainWindows, trainClassCounts: run.trainClassCounts, seconds: run.seconds,
      seedLabel: `${a.seedLabel}/seed-${ctx.seed}`,
    });
    const chooser = a.params.selection === 'paper-test-set' ? test : validation;
    if (!chooser) throw new Error(`safenetObjective: the ${a.params.selection === 'paper-test-set' ? 'test' : 'validation'} part of ${a.datasetDir} is empty`);
    return {
      loss: -chooser[a.params.objective], status: 'ok', validation, test, history: run.history, bestEpoch: run.bestEpoch,
      stoppedEarly: run.stoppedEarly, trainWindows: run.trainWindows, seconds: run.seconds,
    };
  } finally {
    run.model.dispose();
  }
}
