// One SafeNet training run on one built dataset (paper sections 3.2-3.3): standardisation fitted on the
// training windows, class-weighted loss, seeded batches, early stopping on the validation loss with the best
// epoch's weights restored, then class probabilities for the validation and test windows. Used by every TPE
// trial and by notebook 05 to explain one run step by step.
import * as tf from '@tensorflow/tfjs';
import { rngFor } from '../core/random';
import { LoadedDataset } from '../datasets/build';
import { TRAIN, VALIDATION, TEST } from '../datasets/splits';
import { buildSafeNet, SafeNetConfig } from '../models/safenet';
import { fitModel } from '../training/fit';
import { EXPERIMENT_PARAMS, ExperimentParams } from './params';
import { classWeights, disposeTensors, fitStandardiser, makeTensors, rowsOf, Standardiser, subsampleRows, TensorSet } from './tensors';

/** Hyperparameters of one run: the network plus the training loop's own. */
export interface TrainHyper {
  net: SafeNetConfig;
  batchSize: number;
  /** Most epochs (early stopping may stop sooner). */
  epochs: number;
}

export interface TrainBudget {
  /** Cap on training windows (seeded subsample; null: all). */
  maxTrainWindows: number | null;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss: number | null;
}

export interface TrainRun {
  model: tf.LayersModel;
  standardiser: Standardiser | null;
  classWeights: number[];
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Windows used for training (after subsampling) and their count per class. */
  trainWindows: number;
  trainClassCounts: number[];
  /** Probabilities [rows x classes] of the validation and test windows, with their rows and labels. */
  validation: Probabilities;
  test: Probabilities;
  seconds: number;
}

export interface Probabilities {
  rows: Uint32Array;
  labels: Uint8Array;
  /** Row-major [rows.length x classes], float64 so each row sums to 1 within 1e-6. */
  probs: Float64Array;
}

/** Class probabilities of a tensor set, in batches; rows renormalised in float64 (float32 softmax sums drift). */
export function predictProbs(model: tf.LayersModel, t: TensorSet, batchSize = 512): Probabilities {
  const n = t.labels.length;
  const k = (model.outputs[0].shape as number[])[1];
  const out = new Float64Array(n * k);
  for (let b = 0; b < n; b += batchSize) {
    const m = Math.min(batchSize, n - b);
    const p = tf.tidy(() => (model.predict(t.x.slice([b, 0, 0, 0], [m, -1, -1, -1])) as tf.Tensor));
    const v = p.dataSync();
    p.dispose();
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += v[i * k + c];
      for (let c = 0; c < k; c++) out[(b + i) * k + c] = v[i * k + c] / s;
    }
  }
  return { rows: t.rows, labels: t.labels, probs: out };
}

/** Mean class-weighted categorical cross-entropy of probabilities (the training loss, without dropout). */
export function weightedCrossEntropy(p: Probabilities, weights: number[]): number {
  const k = weights.length;
  let s = 0;
  for (let i = 0; i < p.labels.length; i++) {
    const y = p.labels[i];
    s -= weights[y] * Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p.probs[i * k + y])));
  }
  return s / Math.max(1, p.labels.length);
}

export interface TrainOptions {
  params?: ExperimentParams;
  budget: TrainBudget;
  /** Seed label of weights, dropout, shuffling and subsampling (e.g. 'ds03/trial-4'). */
  seedLabel: string;
  /** Progress label (null: quiet). */
  progressLabel?: string | null;
  log?: (line: string) => void;
}

/** The rows and statistics of one training run, as SafeNet and the baselines (lib/models/baseline-run.ts) prepare
 * them: the training rows subsampled to the budget (seeded), validation and test rows, the standardiser fitted on
 * all training windows (not only the subsample: it is the training part's statistics), class weights and counts. */
export interface TrainingData {
  T: number;
  F: number;
  channels: string[];
  trainRows: Uint32Array;
  valRows: Uint32Array;
  testRows: Uint32Array;
  std: Standardiser | null;
  weights: number[];
  trainClassCounts: number[];
}

/** Prepare a run's TrainingData (k classes); `caller` names the trainer in the error of a dataset without training windows. */
export function prepareTraining(ds: LoadedDataset, k: number, p: ExperimentParams, o: Pick<TrainOptions, 'budget' | 'seedLabel'>, caller: string): TrainingData {
  const [, T, F] = ds.manifest.shape as number[];
  const channels = ds.manifest.features as string[];
  const allTrain = rowsOf(ds.split, TRAIN);
  const trainRows = subsampleRows(allTrain, o.budget.maxTrainWindows, rngFor('training', 'subsample', o.seedLabel));
  const valRows = rowsOf(ds.split, VALIDATION);
  const testRows = rowsOf(ds.split, TEST);
  if (trainRows.length === 0) throw new Error(`${caller}: dataset ${String((ds.manifest as { config?: { name?: string } }).config?.name ?? '')} has no training windows`);
  const std = p.standardise ? fitStandardiser(ds.X, T, channels, allTrain, 'train') : null;
  const weights = classWeights(ds.meta.label, trainRows, k, p.classWeight);
  const trainClassCounts = new Array<number>(k).fill(0);
  for (const r of trainRows) trainClassCounts[ds.meta.label[r]]++;
  return { T, F, channels, trainRows, valRows, testRows, std, weights, trainClassCounts };
}

/** Early stopping on the validation loss, as every trained network here uses it: an epoch's record in `history`,
 * stop after `p.patience` epochs without improvement, keep the best weights under `p.restoreBest` (restore()).
 * Without a validation part (validationLoss null) the last epoch is the best. */
export function earlyStopping(model: tf.LayersModel, p: ExperimentParams, validationLoss: () => number | null) {
  let best = Infinity, since = 0;
  let bestWeights: tf.Tensor[] | null = null;
  const s = {
    history: [] as EpochRecord[],
    bestEpoch: 0,
    onEpochEnd: (epoch: number, loss: number): boolean => {
      const vl = validationLoss();
      s.history.push({ epoch: epoch + 1, trainLoss: loss, validationLoss: vl });
      if (vl === null) {
        s.bestEpoch = epoch + 1;
        return false;
      }
      if (vl < best) {
        best = vl;
        s.bestEpoch = epoch + 1;
        since = 0;
        if (p.restoreBest) {
          if (bestWeights) tf.dispose(bestWeights);
          bestWeights = model.getWeights().map((w) => w.clone());
        }
        return false;
      }
      since++;
      return since >= p.patience;
    },
    /** Put the best weights back (under p.restoreBest) and free them. */
    restore: (): void => {
      if (p.restoreBest && bestWeights) {
        model.setWeights(bestWeights);
        tf.dispose(bestWeights);
        bestWeights = null;
      }
    },
  };
  return s;
}

/** Train SafeNet on ds's training part with early stopping on its validation part; predict validation and test. */
export async function trainSafeNet(ds: LoadedDataset, hyper: TrainHyper, o: TrainOptions): Promise<TrainRun> {
  const t0 = Date.now();
  const p = o.params ?? EXPERIMENT_PARAMS;
  const [, , F] = ds.manifest.shape as number[];
  if (hyper.net.nFeatures !== F) throw new Error(`trainSafeNet: net.nFeatures ${hyper.net.nFeatures} but the dataset has ${F} channels (${(ds.manifest.features as string[]).join(', ')})`);
  const { T, trainRows, valRows, testRows, std, weights, trainClassCounts } = prepareTraining(ds, hyper.net.nClasses, p, o, 'trainSafeNet');
  const split = { nSteps: hyper.net.nSteps, nLength: hyper.net.nLength };
  let train: TensorSet | null = null, val: TensorSet | null = null, test: TensorSet | null = null;
  const model = buildSafeNet(hyper.net, { seedLabel: o.seedLabel });
  try {
    train = makeTensors(ds.X, T, ds.meta.label, trainRows, split, std, weights);
    val = valRows.length ? makeTensors(ds.X, T, ds.meta.label, valRows, split, std, weights) : null;
    const v = val;
    const stop = earlyStopping(model, p, () => (v ? weightedCrossEntropy(predictProbs(model, v), weights) : null));
    const res = await fitModel(model, train.x, train.y, {
      epochs: hyper.epochs, batchSize: hyper.batchSize, seedLabel: o.seedLabel,
      progressLabel: o.progressLabel === undefined ? null : o.progressLabel, log: o.log, onEpochEnd: stop.onEpochEnd,
    });
    stop.restore();
    const { history, bestEpoch } = stop;
    const validation = val ? predictProbs(model, val) : { rows: valRows, labels: new Uint8Array(0), probs: new Float64Array(0) };
    disposeTensors(train);
    train = null;
    test = makeTensors(ds.X, T, ds.meta.label, testRows, split, std, weights);
    const testP = predictProbs(model, test);
    return {
      model, standardiser: std, classWeights: weights, history, bestEpoch, stoppedEarly: res.stoppedEarly,
      trainWindows: trainRows.length, trainClassCounts, validation, test: testP, seconds: (Date.now() - t0) / 1000,
    };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    disposeTensors(train);
    disposeTensors(val);
    disposeTensors(test);
  }
}
