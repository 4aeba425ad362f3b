// The five baselines of paper section 3.3 (GBM, RF, DNN, CNN, LSTM), compared with SafeNet in section 4.6 (Table 2,
// Figures 11-12): the three neural ones built in TensorFlow.js in SafeNet's style (lib/models/safenet.ts: weights
// from the project's seeded Rng, seeded dropout, Adam, categorical cross-entropy, softmax over the 3 classes), the
// inputs each model takes (the flattened window, plus optional extra features, for GBM, RF and DNN; the
// [samples, channels] window for the CNN (Conv1D over the whole window) and the LSTM), and each baseline's
// hyperparameter search space kept as data (after the first author's public code of the sibling model SeqNetQuake, github.com/PANXIONG-CN/SeqNetQuake).
import * as tf from '@tensorflow/tfjs';
import { rngFor } from '../core/random';
import { Activation, SeededDropout, initWeights } from './safenet';
import { FusedLSTM } from './fused_lstm';
import { Matrix } from './binning';
import { hp, Space } from '../tuning/space';

export const BASELINE_NAMES = ['GBM', 'DNN', 'RF', 'CNN', 'LSTM'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

// ---------------------------------------------------------------- inputs

/**
 * Extra features appended to the flattened window of GBM, RF and DNN. The paper does not say whether its
 * baselines saw anything beyond the window (section 3.3 names the models only), so this is a named parameter:
 * 'none' (default: the window alone, as SafeNet sees it, so the comparison is of models and not of inputs) or
 * 'summary' (per channel: mean, standard deviation, min, max, mean absolute first difference).
 */
export type ExtraFeatures = 'none' | 'summary';
export const EXTRA_FEATURES_DEFAULT: ExtraFeatures = 'none';
export const SUMMARY_FEATURES = ['mean', 'std', 'min', 'max', 'meanAbsDiff'] as const;

/**
 * Flatten windows [n, samples, channels] (row-major, channel fastest) into a design matrix [n, samples * channels
 * (+ extra)], in float64 for the tree models.
 */
export function flattenWindows(windows: Float32Array | Float64Array, n: number, samples: number, channels: number, extra: ExtraFeatures = EXTRA_FEATURES_DEFAULT): Matrix {
  const w = samples * channels;
  if (windows.length !== n * w) throw new Error(`flattenWindows: ${windows.length} values, expected n x samples x channels = ${n} x ${samples} x ${channels} = ${n * w}`);
  if (extra !== 'none' && extra !== 'summary') throw new Error(`flattenWindows: extra features must be 'none' or 'summary', got '${extra}'`);
  const nExtra = extra === 'summary' ? SUMMARY_FEATURES.length * channels : 0;
  const cols = w + nExtra;
  const out = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const src = i * w;
    const dst = i * cols;
    for (let j = 0; j < w; j++) out[dst + j] = windows[src + j];
    if (nExtra === 0) continue;
    for (let c = 0; c < channels; c++) {
      let s = 0;
      let ss = 0;
      let mn = Infinity;
      let mx = -Infinity;
      let ad = 0;
      for (let t = 0; t < samples; t++) {
        const v = windows[src + t * channels + c];
        s += v;
        ss += v * v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        if (t > 0) ad += Math.abs(v - windows[src + (t - 1) * channels + c]);
      }
      const mean = s / samples;
      const o = dst + w + c * SUMMARY_FEATURES.length;
      out[o] = mean;
      out[o + 1] = Math.sqrt(Math.max(0, ss / samples - mean * mean));
      out[o + 2] = mn;
      out[o + 3] = mx;
      out[o + 4] = samples > 1 ? ad / (samples - 1) : 0;
    }
  }
  return { data: out, rows: n, cols };
}

/** Names of the flattened columns ('t0_c0', ... then 'mean_c0', ...) for feature importances and tables. */
export function flattenedColumnNames(samples: number, channelNames: string[], extra: ExtraFeatures = EXTRA_FEATURES_DEFAULT): string[] {
  const names: string[] = [];
  for (let t = 0; t < samples; t++) for (const c of channelNames) names.push(`${c}[${t}]`);
  if (extra === 'summary') for (const c of channelNames) for (const s of SUMMARY_FEATURES) names.push(`${s}(${c})`);
  return names;
}

// ---------------------------------------------------------------- search spaces as data

/** 'paper': the sibling code's values (SeqNetQuake, github.com/PANXIONG-CN/SeqNetQuake); 'small': a subset for the smoke and default budgets. */
export type BaselineSpaceSize = 'paper' | 'small';

/**
 * The search space of a baseline, as data in lib/tuning/space.ts's format (hyperopt's hp.*; loguniform bounds are
 * logs). Neural ones after the sibling code's (SeqNetQuake): DNN units 64..512, dropout, Adam with a log-uniform
 * learning rate; CNN and LSTM with SafeNet's convolution / LSTM / dense choices. The paper gives no space for GBM
 * and RF: theirs span the usual ranges around scikit-learn's defaults (an assumption of this package). epochCap
 * bounds the neural baselines' epochs (the profile's budget) and GBM's iterations are capped at 10 x epochCap.
 */
export function baselineSpace(name: BaselineName, size: BaselineSpaceSize, epochCap: number): Space {
  if (!(Number.isInteger(epochCap) && epochCap >= 1)) throw new Error(`baselineSpace: epochCap must be a positive integer, got ${epochCap}`);
  const capped = (list: number[], cap: number) => hp.choice([...new Set(list.map((e) => Math.min(e, cap)))]);
  const paper = size === 'paper';
  if (size !== 'paper' && size !== 'small') throw new Error(`baselineSpace: size must be 'paper' or 'small', got '${size}'`);
  const training = paper
    ? {
      dropout: hp.choice([0.25, 0.5, 0.75]),
      batchSize: hp.choice([10, 20, 40, 60, 80, 100]),
      learningRate: hp.loguniform(Math.log(1e-4), Math.log(1e-2)),
      epochs: capped([10, 50, 100], epochCap),
    }
    : {
      dropout: hp.choice([0.25, 0.5]),
      batchSize: hp.choice([32, 64, 128]),
      learningRate: hp.loguniform(Math.log(3e-4), Math.log(3e-3)),
      epochs: epochCap,
    };
  switch (name) {
    case 'GBM':
      return {
        learningRate: hp.loguniform(Math.log(0.01), Math.log(0.3)),
        maxLeafNodes: hp.choice(paper ? [15, 31, 63, 127] : [15, 31, 63]),
        minSamplesLeaf: hp.choice([5, 10, 20, 40, 80]),
        l2Regularization: hp.loguniform(Math.log(1e-6), Math.log(10)),
        maxIter: capped(paper ? [100, 200, 400] : [50, 100, 200], 10 * epochCap),
      };
    case 'RF':
      return {
        nEstimators: hp.choice(paper ? [100, 200, 400] : [50, 100]),
        maxFeatures: hp.choice(['sqrt', 'log2', 0.1, 0.3]),
        maxDepth: hp.choice([8, 16, 32, null]),
        minSamplesLeaf: hp.choice([1, 2, 5, 10]),
      };
    case 'DNN':
      return {
        denseLayers: hp.choice(paper ? [1, 2, 3, 4] : [1, 2, 3]),
        units: hp.choice(paper ? [64, 128, 256, 512] : [64, 128, 256]),
        activation: hp.choice(['relu', 'tanh', 'sigmoid']),
        ...training,
      };
    case 'CNN':
      return {
        cnnLayers: hp.choice(paper ? [2, 3, 4] : [1, 2]),
        filters: hp.choice(paper ? [16, 32, 64] : [16, 32]),
        kernelSize: hp.choice([2, 3, 5]),
        activation: hp.choice(['relu', 'tanh', 'sigmoid']),
        fcLayers: hp.choice(paper ? [1, 2, 3] : [1, 2]),
        fcUnits: hp.choice(paper ? [64, 128, 256, 512] : [32, 64, 128]),
        ...training,
      };
    case 'LSTM':
      return {
        lstmLayers: paper ? hp.choice([1, 2, 3]) : 1,
        lstmUnits: hp.choice(paper ? [64, 128, 256, 512] : [32, 64]),
        fcLayers: hp.choice(paper ? [1, 2, 3] : [1, 2]),
        fcUnits: hp.choice(paper ? [64, 128, 256, 512] : [32, 64, 128]),
        ...training,
      };
    default:
      throw new Error(`baselineSpace: unknown baseline '${String(name)}'; known: ${BASELINE_NAMES.join(', ')}`);
  }
}

/** The training settings of a neural baseline's point (the rest of the point is the network's config). */
export interface NeuralTraining {
  dropout: number;
  batchSize: number;
  learningRate: number;
  epochs: number;
}

// ---------------------------------------------------------------- neural baselines

export interface DnnConfig {
  /** Flattened window length (+ extra features). */
  inputSize: number;
  denseLayers: number;
  units: number;
  activation: Activation;
  dropout: number;
  nClasses: number;
  learningRate: number;
}

export interface CnnConfig {
  samples: number;
  channels: number;
  cnnLayers: number;
  filters: number;
  kernelSize: number;
  activation: Activation;
  dropout: number;
  fcLayers: number;
  fcUnits: number;
  nClasses: number;
  learningRate: number;
}

export interface LstmConfig {
  samples: number;
  channels: number;
  lstmLayers: number;
  lstmUnits: number;
  dropout: number;
  fcLayers: number;
  fcUnits: number;
  nClasses: number;
  learningRate: number;
}

/** Reference configurations: the middle of each space, for a 70-sample, 4-channel window. */
export const DNN_REFERENCE: Readonly<DnnConfig> = Object.freeze({ inputSize: 280, denseLayers: 2, units: 256, activation: 'relu' as const, dropout: 0.5, nClasses: 3, learningRate: 1e-3 });
export const CNN_REFERENCE: Readonly<CnnConfig> = Object.freeze({ samples: 70, channels: 4, cnnLayers: 2, filters: 32, kernelSize: 3, activation: 'relu' as const, dropout: 0.5, fcLayers: 1, fcUnits: 128, nClasses: 3, learningRate: 1e-3 });
export const LSTM_REFERENCE: Readonly<LstmConfig> = Object.freeze({ samples: 70, channels: 4, lstmLayers: 1, lstmUnits: 64, dropout: 0.5, fcLayers: 1, fcUnits: 128, nClasses: 3, learningRate: 1e-3 });

function checkInts(what: string, c: object, keys: string[], min: Record<string, number> = {}): void {
  for (const k of keys) {
    const v = (c as Record<string, unknown>)[k] as number;
    const lo = min[k] ?? 1;
    if (!Number.isInteger(v) || v < lo) throw new Error(`${what}.${k} must be an integer >= ${lo}, got ${v}`);
  }
  const r = c as { dropout: number; learningRate: number; activation?: string };
  if (!(r.dropout >= 0 && r.dropout < 1)) throw new Error(`${what}.dropout must be in [0, 1), got ${r.dropout}`);
  if (!(r.learningRate > 0)) throw new Error(`${what}.learningRate must be > 0, got ${r.learningRate}`);
  if (r.activation !== undefined && !['relu', 'tanh', 'sigmoid'].includes(r.activation)) throw new Error(`${what}.activation: unknown '${r.activation}'`);
}

type Sym = tf.SymbolicTensor;
const ZEROS = 'zeros' as const; // initWeights sets every weight from the seeded Rng

function head(z: Sym, layers: number, units: number, activation: Activation, nClasses: number): Sym {
  for (let i = 0; i < layers; i++) {
    z = tf.layers.dense({ units, activation, kernelInitializer: ZEROS, name: `dense_${i + 1}` }).apply(z) as Sym;
  }
  return tf.layers.dense({ units: nClasses, activation: 'softmax', kernelInitializer: ZEROS, name: 'output' }).apply(z) as Sym;
}

function finish(input: Sym, out: Sym, name: string, seedStream: string, seedLabel: string | number, learningRate: number, compile: boolean): tf.LayersModel {
  const model = tf.model({ inputs: input, outputs: out, name });
  initWeights(model, rngFor('training', seedStream, seedLabel).fork('weights'));
  if (compile) model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export interface BaselineBuildOptions {
  /** Label of the seed stream rngFor('training', '<model>', seedLabel): initial weights and dropout masks. */
  seedLabel?: string | number;
  compile?: boolean;
}

/** DNN: flattened window -> [Dense(units, activation) -> Dropout] x denseLayers -> Dense(nClasses, softmax). */
export function buildDnn(c: DnnConfig, opts: BaselineBuildOptions = {}): tf.LayersModel {
  checkInts('DnnConfig', c, ['inputSize', 'denseLayers', 'units', 'nClasses']);
  const rng = rngFor('training', 'dnn', opts.seedLabel ?? 0);
  const input = tf.input({ shape: [c.inputSize], name: 'features' });
  let z: Sym = input;
  for (let i = 0; i < c.denseLayers; i++) {
    z = tf.layers.dense({ units: c.units, activation: c.activation, kernelInitializer: ZEROS, name: `hidden_${i + 1}` }).apply(z) as Sym;
    if (c.dropout > 0) z = new SeededDropout({ rate: c.dropout, seed: 1 + rng.int(2147483646), name: `dropout_${i + 1}` }).apply(z) as Sym;
  }
  const out = tf.layers.dense({ units: c.nClasses, activation: 'softmax', kernelInitializer: ZEROS, name: 'output' }).apply(z) as Sym;
  return finish(input, out, 'dnn', 'dnn', opts.seedLabel ?? 0, c.learningRate, opts.compile ?? true);
}

/**
 * CNN: Conv1D over the whole window [samples, channels] (no sub-sequences, unlike SafeNet) x cnnLayers ->
 * Dropout -> MaxPooling1D(2) -> Flatten -> Dense(fcUnits, relu) x fcLayers -> Dense(nClasses, softmax).
 */
export function buildCnn(c: CnnConfig, opts: BaselineBuildOptions = {}): tf.LayersModel {
  checkInts('CnnConfig', c, ['samples', 'channels', 'cnnLayers', 'filters', 'kernelSize', 'fcLayers', 'fcUnits', 'nClasses'], { fcLayers: 0 });
  const convLen = c.samples - c.cnnLayers * (c.kernelSize - 1);
  if (convLen < 2) throw new Error(`CnnConfig: ${c.cnnLayers} conv layers of kernel ${c.kernelSize} leave ${convLen} of ${c.samples} samples; max pooling (2) needs at least 2`);
  const rng = rngFor('training', 'cnn', opts.seedLabel ?? 0);
  const input = tf.input({ shape: [c.samples, c.channels], name: 'window' });
  let z: Sym = input;
  for (let i = 0; i < c.cnnLayers; i++) {
    z = tf.layers.conv1d({ filters: c.filters, kernelSize: c.kernelSize, activation: c.activation, kernelInitializer: ZEROS, name: `conv_${i + 1}` }).apply(z) as Sym;
  }
  if (c.dropout > 0) z = new SeededDropout({ rate: c.dropout, seed: 1 + rng.int(2147483646), name: 'dropout_cnn' }).apply(z) as Sym;
  z = tf.layers.maxPooling1d({ poolSize: 2, name: 'maxpool' }).apply(z) as Sym;
  z = tf.layers.flatten({ name: 'flatten' }).apply(z) as Sym;
  return finish(input, head(z, c.fcLayers, c.fcUnits, 'relu', c.nClasses), 'cnn', 'cnn', opts.seedLabel ?? 0, c.learningRate, opts.compile ?? true);
}

/**
 * LSTM: LSTM(lstmUnits) x lstmLayers over the window [samples, channels] (sigmoid recurrent activation, as Keras)
 * -> Dropout -> Dense(fcUnits, relu) x fcLayers -> Dense(nClasses, softmax). The LSTM is SafeNet's FusedLSTM
 * (one direction) on wasm/cpu, tf.layers.lstm on the tensorflow backend.
 */
export function buildLstm(c: LstmConfig, opts: BaselineBuildOptions & { lstmImpl?: 'fused' | 'layers' } = {}): tf.LayersModel {
  checkInts('LstmConfig', c, ['samples', 'channels', 'lstmLayers', 'lstmUnits', 'fcLayers', 'fcUnits', 'nClasses'], { fcLayers: 0 });
  const rng = rngFor('training', 'lstm', opts.seedLabel ?? 0);
  const impl = opts.lstmImpl ?? (tf.getBackend() === 'tensorflow' ? 'layers' : 'fused');
  const input = tf.input({ shape: [c.samples, c.channels], name: 'window' });
  let z: Sym = input;
  for (let i = 0; i < c.lstmLayers; i++) {
    const returnSequences = i < c.lstmLayers - 1;
    const name = `lstm_${i + 1}`;
    if (impl === 'fused') z = new FusedLSTM({ units: c.lstmUnits, bidirectional: false, returnSequences, name }).apply(z) as Sym;
    else {
      z = tf.layers.lstm({ units: c.lstmUnits, returnSequences, unitForgetBias: true, activation: 'tanh', recurrentActivation: 'sigmoid',
        kernelInitializer: ZEROS, recurrentInitializer: 'zeros', name }).apply(z) as Sym;
    }
  }
  if (c.dropout > 0) z = new SeededDropout({ rate: c.dropout, seed: 1 + rng.int(2147483646), name: 'dropout_lstm' }).apply(z) as Sym;
  return finish(input, head(z, c.fcLayers, c.fcUnits, 'relu', c.nClasses), 'lstm', 'lstm', opts.seedLabel ?? 0, c.learningRate, opts.compile ?? true);
}
