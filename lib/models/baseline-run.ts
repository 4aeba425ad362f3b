// One training run of a baseline (GBM, RF, DNN, CNN, LSTM; paper section 3.3) on a built dataset, as a peer of
// SafeNet's run (lib/experiments/train.ts trainSafeNet): the same training / validation / test parts, the same
// seeded subsample of training windows, the same per-channel standardisation fitted on the training windows, the
// same class weights (lib/experiments/params.ts), early stopping on the validation part (GBM: its validation
// loss rule; neural ones: the SafeNet loop's patience and best-weights restore), and class probabilities of the
// validation and test windows in the same Probabilities form, so that evaluation, Table 2 and Figure 11 treat
// the six models alike.
import * as tf from '@tensorflow/tfjs';
import { LoadedDataset } from '../datasets/build';
import { EXPERIMENT_PARAMS } from '../experiments/params';
import { Standardiser } from '../experiments/tensors';
import { earlyStopping, prepareTraining, Probabilities, TrainOptions, TrainRun, weightedCrossEntropy } from '../experiments/train';
import { fitModel } from '../training/fit';
import { Activation } from './safenet';
import { GbmClassifier } from './gbm';
import { RfClassifier } from './rf';
import { BaselineName, BASELINE_NAMES, buildCnn, buildDnn, buildLstm, EXTRA_FEATURES_DEFAULT, ExtraFeatures, flattenWindows } from './baselines';

/** A baseline's run: the fields of SafeNet's TrainRun (lib/experiments/train.ts), with its name and its model.
 * history: neural baselines, per-epoch losses; GBM, validation loss per iteration (trainLoss NaN); RF, empty. */
export interface BaselineRun extends Omit<TrainRun, 'model'> {
  name: BaselineName;
  /** The fitted model: a tfjs model for DNN, CNN and LSTM (the caller disposes it). */
  model: GbmClassifier | RfClassifier | tf.LayersModel;
}

export interface BaselineTrainOptions extends TrainOptions {
  /** Extra features beside the flattened window for GBM, RF and DNN (lib/models/baselines.ts). */
  extraFeatures?: ExtraFeatures;
  /** Threads of a GBM or RF fit (lib/models/tree-pool.ts; default defaultTreeThreads()); the model is the same for any count. */
  threads?: number;
}

/** Standardised windows of the given rows, [rows, T, F] row-major (float32, as the networks take them). */
function windowsOf(ds: LoadedDataset, rows: Uint32Array, T: number, F: number, std: Standardiser | null): Float32Array {
  const per = T * F;
  const out = new Float32Array(rows.length * per);
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r] * per;
    for (let j = 0; j < per; j++) {
      const f = j % F;
      out[r * per + j] = std ? (ds.X[src + j] - std.mean[f]) / std.std[f] : ds.X[src + j];
    }
  }
  return out;
}

function labelsOf(ds: LoadedDataset, rows: Uint32Array): Uint8Array {
  return Uint8Array.from(rows, (r) => ds.meta.label[r]);
}

function num(point: Record<string, unknown>, key: string, name: BaselineName): number {
  const v = point[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`trainBaseline(${name}): point field '${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Probabilities of a tfjs model on inputs x [N, ...], in batches, rows renormalised in float64. */
function predictTf(model: tf.LayersModel, x: tf.Tensor, rows: Uint32Array, labels: Uint8Array, batchSize = 512): Probabilities {
  const n = x.shape[0];
  const k = (model.outputs[0].shape as number[])[1];
  const out = new Float64Array(n * k);
  for (let b = 0; b < n; b += batchSize) {
    const m = Math.min(batchSize, n - b);
    const p = tf.tidy(() => {
      const begin = x.shape.map((_, i) => (i === 0 ? b : 0));
      const size = x.shape.map((_, i) => (i === 0 ? m : -1));
      return model.predict(x.slice(begin, size)) as tf.Tensor;
    });
    const v = p.dataSync();
    p.dispose();
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += v[i * k + c];
      for (let c = 0; c < k; c++) out[(b + i) * k + c] = v[i * k + c] / s;
    }
  }
  return { rows, labels, probs: out };
}

/**
 * Train baseline `name` with hyperparameters `point` (a materialised point of baselineSpace(name, ...)) on ds's
 * training part and return validation and test probabilities. Seeds derive from o.seedLabel.
 */
export async function trainBaseline(name: BaselineName, ds: LoadedDataset, point: Record<string, unknown>, o: BaselineTrainOptions): Promise<BaselineRun> {
  if (!BASELINE_NAMES.includes(name)) throw new Error(`trainBaseline: unknown baseline '${name}'; known: ${BASELINE_NAMES.join(', ')}`);
  const t0 = Date.now();
  const p = o.params ?? EXPERIMENT_PARAMS;
  const [, T, F] = ds.manifest.shape as number[];
  const channels = ds.manifest.features as string[];
  if (!Array.isArray(channels) || channels.length !== F) throw new Error(`trainBaseline: manifest field features must list the ${F} channels of shape [N, ${T}, ${F}]`);
  const k = 3;
  const { trainRows, valRows, testRows, std, weights, trainClassCounts } = prepareTraining(ds, k, p, o, `trainBaseline(${name})`);
  const yTrain = labelsOf(ds, trainRows);
  const yVal = labelsOf(ds, valRows);
  const yTest = labelsOf(ds, testRows);
  const extra = o.extraFeatures ?? EXTRA_FEATURES_DEFAULT;
  const base = { standardiser: std, classWeights: weights, trainWindows: trainRows.length, trainClassCounts };
  const seconds = () => (Date.now() - t0) / 1000;

  if (name === 'GBM' || name === 'RF') {
    const flat = (rows: Uint32Array) => flattenWindows(windowsOf(ds, rows, T, F, std), rows.length, T, F, extra);
    const xTrain = flat(trainRows);
    const xVal = valRows.length ? flat(valRows) : null;
    const xTest = flat(testRows);
    const probs = (m: GbmClassifier | RfClassifier, x: ReturnType<typeof flat> | null, rows: Uint32Array, labels: Uint8Array): Probabilities =>
      ({ rows, labels, probs: x ? m.predictProba(x) : new Float64Array(0) });
    if (name === 'GBM') {
      const m = new GbmClassifier({ ...(point as object), nClasses: k, classWeight: weights, earlyStopping: xVal !== null });
      m.fit(xTrain, yTrain, { seedLabel: o.seedLabel, threads: o.threads, validation: xVal ? { x: xVal, y: yVal } : undefined });
      const vl = m.info!.validationLoss;
      return {
        name, model: m, ...base,
        history: vl.slice(1).map((l, i) => ({ epoch: i + 1, trainLoss: NaN, validationLoss: l })),
        bestEpoch: m.info!.nIter, stoppedEarly: m.info!.nIter < m.params.maxIter,
        validation: probs(m, xVal, valRows, yVal), test: probs(m, xTest, testRows, yTest), seconds: seconds(),
      };
    }
    const maxDepth = point.maxDepth === undefined ? null : point.maxDepth;
    const m = new RfClassifier({ ...(point as object), maxDepth: maxDepth as number | null, nClasses: k, classWeight: weights });
    m.fit(xTrain, yTrain, { seedLabel: o.seedLabel, threads: o.threads });
    return {
      name, model: m, ...base, history: [], bestEpoch: 0, stoppedEarly: false,
      validation: probs(m, xVal, valRows, yVal), test: probs(m, xTest, testRows, yTest), seconds: seconds(),
    };
  }

  // neural baselines: DNN on the flattened window (+ extra features), CNN and LSTM on [T, F]
  const training = { dropout: num(point, 'dropout', name), learningRate: num(point, 'learningRate', name) };
  const batchSize = num(point, 'batchSize', name);
  const epochs = num(point, 'epochs', name);
  let model: tf.LayersModel;
  let toTensor: (rows: Uint32Array) => tf.Tensor;
  if (name === 'DNN') {
    const inputSize = T * F + (extra === 'summary' ? 5 * F : 0);
    model = buildDnn({ inputSize, denseLayers: num(point, 'denseLayers', name), units: num(point, 'units', name),
      activation: point.activation as Activation, nClasses: k, ...training }, { seedLabel: o.seedLabel });
    toTensor = (rows) => {
      const m = flattenWindows(windowsOf(ds, rows, T, F, std), rows.length, T, F, extra);
      return tf.tensor2d(Float32Array.from(m.data), [rows.length, m.cols]);
    };
  } else {
    const head = { fcLayers: num(point, 'fcLayers', name), fcUnits: num(point, 'fcUnits', name), nClasses: k, ...training };
    model = name === 'CNN'
      ? buildCnn({ samples: T, channels: F, cnnLayers: num(point, 'cnnLayers', name), filters: num(point, 'filters', name),
        kernelSize: num(point, 'kernelSize', name), activation: point.activation as Activation, ...head }, { seedLabel: o.seedLabel })
      : buildLstm({ samples: T, channels: F, lstmLayers: num(point, 'lstmLayers', name), lstmUnits: num(point, 'lstmUnits', name), ...head }, { seedLabel: o.seedLabel });
    toTensor = (rows) => tf.tensor3d(windowsOf(ds, rows, T, F, std), [rows.length, T, F]);
  }
  const tensors: tf.Tensor[] = [];
  try {
    const xTrain = toTensor(trainRows);
    tensors.push(xTrain);
    const yw = new Float32Array(trainRows.length * k);
    for (let i = 0; i < trainRows.length; i++) yw[i * k + yTrain[i]] = weights[yTrain[i]];
    const yTrainT = tf.tensor2d(yw, [trainRows.length, k]);
    tensors.push(yTrainT);
    const xVal = valRows.length ? toTensor(valRows) : null;
    if (xVal) tensors.push(xVal);
    const stop = earlyStopping(model, p, () => (xVal ? weightedCrossEntropy(predictTf(model, xVal, valRows, yVal), weights) : null));
    const res = await fitModel(model, xTrain, yTrainT, {
      epochs, batchSize, seedLabel: o.seedLabel, progressLabel: o.progressLabel === undefined ? null : o.progressLabel, log: o.log,
      onEpochEnd: stop.onEpochEnd,
    });
    stop.restore();
    const { history, bestEpoch } = stop;
    const validation = xVal ? predictTf(model, xVal, valRows, yVal) : { rows: valRows, labels: yVal, probs: new Float64Array(0) };
    const xTest = toTensor(testRows);
    tensors.push(xTest);
    const test = predictTf(model, xTest, testRows, yTest);
    return { name, model, ...base, history, bestEpoch, stoppedEarly: res.stoppedEarly, validation, test, seconds: seconds() };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(tensors);
  }
}
