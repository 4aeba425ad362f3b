// The SafeNet network (paper section 3.2, Figure 4): TimeDistributed Conv1D layers over sub-sequences of the
// 70-sample window, dropout, max pooling, flatten, (bidirectional) LSTM, dropout, dense layers, softmax over the
// 3 classes; categorical cross-entropy and Adam. General config for the TPE search (paper 3.2-3.3; conventions of the sibling code SeqNetQuake).
import * as tf from '@tensorflow/tfjs';
import { Rng, rngFor } from '../core/random';
import { FusedLSTM } from './fused_lstm';

export type Activation = 'relu' | 'tanh' | 'sigmoid';

export interface SafeNetConfig {
  /** Sub-sequences per window (n_steps) and their length (n_length): n_steps * n_length = window length. */
  nSteps: number;
  nLength: number;
  /** Input channels per sample (B_N, B_E, B_C, Ne). */
  nFeatures: number;
  cnnLayers: number;
  filters: number;
  kernelSize: number;
  activation: Activation;
  lstmLayers: number;
  lstmUnits: number;
  bidirectional: boolean;
  /** Hidden dense layers before the softmax output, each fcUnits wide with relu. */
  fcLayers: number;
  fcUnits: number;
  /** Dropout rate after the convolutions and after the LSTM. */
  dropout: number;
  nClasses: number;
  learningRate: number;
}

/**
 * The reference configuration, exactly that of the PyTorch reference script of the training benchmark (the training
 * benchmark's network): input [7, 10, 4]; Conv1D(64, 3, relu) x 2; Dropout(0.5); MaxPool1D(2); Flatten;
 * Bidirectional LSTM(100); Dropout(0.5); Dense(100, relu); Dense(3, softmax); Adam(1e-3). 267,987 parameters.
 */
export const SAFENET_REFERENCE: Readonly<SafeNetConfig> = Object.freeze({
  nSteps: 7,
  nLength: 10,
  nFeatures: 4,
  cnnLayers: 2,
  filters: 64,
  kernelSize: 3,
  activation: 'relu',
  lstmLayers: 1,
  lstmUnits: 100,
  bidirectional: true,
  fcLayers: 1,
  fcUnits: 100,
  dropout: 0.5,
  nClasses: 3,
  learningRate: 1e-3,
});

/** Keep a 32-bit seed nonzero (tfjs treats a falsy seed as "no seed" and falls back to Math.random). */
function seed32(rng: Rng): number {
  return (rng.uint32() % 2147483646) + 1;
}

/**
 * Dropout whose masks come from the project's seeded Rng (tfjs' own Dropout draws from Math.random unless seeded,
 * and with a fixed seed it repeats one mask every batch). Each training call takes a fresh seed from the stream.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'SafeNetSeededDropout';
  readonly rate: number;
  readonly seed: number;
  private rng: Rng;

  constructor(args: { rate: number; seed: number; name?: string; inputShape?: number[] }) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`SeededDropout: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
    this.rng = new Rng(args.seed, 'dropout');
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs['training'] || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, seed32(this.rng));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

export function validateConfig(c: SafeNetConfig): void {
  const ints: (keyof SafeNetConfig)[] = ['nSteps', 'nLength', 'nFeatures', 'cnnLayers', 'filters', 'kernelSize',
    'lstmLayers', 'lstmUnits', 'fcLayers', 'fcUnits', 'nClasses'];
  for (const k of ints) {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < (k === 'fcLayers' || k === 'cnnLayers' ? 0 : 1)) {
      throw new Error(`SafeNetConfig.${k} must be a ${k === 'fcLayers' || k === 'cnnLayers' ? 'non-negative' : 'positive'} integer, got ${v}`);
    }
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`SafeNetConfig.dropout must be in [0, 1), got ${c.dropout}`);
  if (!(c.learningRate > 0)) throw new Error(`SafeNetConfig.learningRate must be > 0, got ${c.learningRate}`);
  if (!['relu', 'tanh', 'sigmoid'].includes(c.activation)) throw new Error(`SafeNetConfig.activation: unknown '${c.activation}'`);
  const convLen = c.nLength - c.cnnLayers * (c.kernelSize - 1);
  if (convLen < 2) {
    throw new Error(`SafeNetConfig: ${c.cnnLayers} conv layers of kernel ${c.kernelSize} leave ${convLen} samples of ` +
      `nLength ${c.nLength}; max pooling (2) needs at least 2`);
  }
}

/** Fans as Keras computes them: [in, out] for matrices, receptive field x channels for convolution kernels. */
function fans(shape: number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** Glorot (Xavier) uniform: U(-l, l), l = sqrt(6 / (fanIn + fanOut)) (Keras' default kernel initializer). */
export function glorotUniform(shape: number[], rng: Rng): Float32Array {
  const [fi, fo] = fans(shape);
  const lim = Math.sqrt(6 / (fi + fo));
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-lim, lim);
  return out;
}

/**
 * Orthogonal matrix [rows, cols] (Keras' default recurrent initializer): QR of a standard normal matrix with
 * the signs of R's diagonal folded in, done as modified Gram-Schmidt (whose R has a positive diagonal).
 */
export function orthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const n = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  // k column vectors of length n
  const v = Array.from({ length: k }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (let j = 0; j < k; j++) {
    const vj = v[j];
    for (let i = 0; i < j; i++) {
      const vi = v[i];
      let d = 0;
      for (let t = 0; t < n; t++) d += vi[t] * vj[t];
      for (let t = 0; t < n; t++) vj[t] -= d * vi[t];
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += vj[t] * vj[t];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12)) throw new Error('orthogonal initializer: degenerate random matrix');
    for (let t = 0; t < n; t++) vj[t] /= norm;
  }
  // Q is n x k with orthonormal columns; the result is Q (rows >= cols) or Q^T (rows < cols)
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows >= cols ? v[c][r] : v[r][c];
  }
  return out;
}

/**
 * Set every weight of a model from the project's Rng, one independent stream per weight name: kernels glorot
 * uniform, recurrent kernels orthogonal, biases zero except the LSTM forget gate (1, Keras' unit_forget_bias).
 * (tfjs' seeded initializers would give both directions of a Bidirectional layer the same draw: it clones the
 * layer's config, seeds included.)
 */
export function initWeights(model: tf.LayersModel, rng: Rng): void {
  for (const w of model.weights) {
    const shape = w.shape as number[];
    // originalName is the scoped name without the process-wide uniqueness suffix ('conv_1/kernel', not
    // 'conv_1/kernel_3'), so the same model gets the same streams however many models the process built before
    const name = w.originalName;
    const r = rng.fork(name);
    let values: Float32Array;
    if (name.endsWith('recurrent_kernel')) values = orthogonal(shape[0], shape[1], r);
    else if (name.endsWith('kernel')) values = glorotUniform(shape, r);
    else if (name.endsWith('bias')) {
      values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (/lstm/.test(name)) values.fill(1, values.length / 4, values.length / 2); // gates i, f, c, o
    } else throw new Error(`initWeights: no initializer for weight '${name}'`);
    const t = tf.tensor(values, shape, 'float32');
    w.write(t);
    t.dispose();
  }
}

export interface BuildOptions {
  /** Label of the seed stream (e.g. the dataset and trial); weights and dropout masks derive from it. */
  seedLabel?: string | number;
  /**
   * How the per-sub-sequence convolutions are expressed. 'conv2d' (default): Conv2D with [1, k] kernels over the
   * [nSteps, nLength, channels] image, MaxPooling2D [1, 2] and a reshape: the same function and parameter count as
   * 'timeDistributed' (Keras' TimeDistributed(Conv1D), which tfjs runs as a loop over the steps: one training
   * epoch of the reference benchmark took ~1.3x as long on wasm). A test checks that the two give the same
   * outputs for the same weights.
   */
  convImpl?: 'conv2d' | 'timeDistributed';
  /**
   * The LSTM: 'fused' (default, lib/models/fused_lstm.ts: a few large products and a hand-written backward pass)
   * or 'layers' (tf.layers.lstm inside tf.layers.bidirectional). Same function and weights (a test checks outputs
   * and gradients agree). Default: 'fused' on wasm and cpu (fewer, larger backend calls: faster there), 'layers'
   * on the tensorflow backend (whose per-call overhead is small and where the fused layer's reads to JS would cost).
   */
  lstmImpl?: 'fused' | 'layers';
  /** Compile with Adam and categorical cross-entropy (default true). */
  compile?: boolean;
}

function defaultLstmImpl(): 'fused' | 'layers' {
  return tf.getBackend() === 'tensorflow' ? 'layers' : 'fused';
}

/**
 * Build (and compile) a SafeNet model. Weight initialisation and dropout masks come from
 * rngFor('training', 'safenet', seedLabel): the same label gives the same model and the same training run.
 */
export function buildSafeNet(config: SafeNetConfig = SAFENET_REFERENCE, opts: BuildOptions = {}): tf.LayersModel {
  validateConfig(config);
  const c = config;
  const rng = rngFor('training', 'safenet', opts.seedLabel ?? 0);
  // layers are created with zero weights (so tfjs draws nothing from Math.random); initWeights below sets the
  // initial values from the project's Rng
  const zerosFirst = 'zeros' as const;
  const input = tf.input({ shape: [c.nSteps, c.nLength, c.nFeatures], name: 'window' });
  let z: tf.SymbolicTensor = input;
  const impl = opts.convImpl ?? 'conv2d';
  let width = c.nLength;
  for (let i = 0; i < c.cnnLayers; i++) {
    if (impl === 'conv2d') {
      z = tf.layers.conv2d({ filters: c.filters, kernelSize: [1, c.kernelSize], activation: c.activation,
        kernelInitializer: zerosFirst, biasInitializer: 'zeros', name: `conv_${i + 1}` }).apply(z) as tf.SymbolicTensor;
    } else {
      const conv = tf.layers.conv1d({ filters: c.filters, kernelSize: c.kernelSize, activation: c.activation,
        kernelInitializer: zerosFirst, biasInitializer: 'zeros', name: `conv1d_${i + 1}` });
      z = tf.layers.timeDistributed({ layer: conv, name: `conv_${i + 1}` }).apply(z) as tf.SymbolicTensor;
    }
    width -= c.kernelSize - 1;
  }
  // Dropout acts element-wise, so TimeDistributed(Dropout) equals Dropout on the 4-D tensor.
  if (c.dropout > 0) z = new SeededDropout({ rate: c.dropout, seed: seed32(rng), name: 'dropout_cnn' }).apply(z) as tf.SymbolicTensor;
  const pooled = Math.floor(width / 2);
  if (impl === 'conv2d') {
    z = tf.layers.maxPooling2d({ poolSize: [1, 2], strides: [1, 2], name: 'maxpool' }).apply(z) as tf.SymbolicTensor;
    z = tf.layers.reshape({ targetShape: [c.nSteps, pooled * c.filters], name: 'flatten_steps' }).apply(z) as tf.SymbolicTensor;
  } else {
    z = tf.layers.timeDistributed({ layer: tf.layers.maxPooling1d({ poolSize: 2 }), name: 'maxpool' }).apply(z) as tf.SymbolicTensor;
    z = tf.layers.timeDistributed({ layer: tf.layers.flatten(), name: 'flatten_steps' }).apply(z) as tf.SymbolicTensor;
  }
  for (let i = 0; i < c.lstmLayers; i++) {
    const returnSequences = i < c.lstmLayers - 1;
    const name = `${c.bidirectional ? 'bilstm' : 'lstm'}_${i + 1}`;
    if ((opts.lstmImpl ?? defaultLstmImpl()) === 'fused') {
      z = new FusedLSTM({ units: c.lstmUnits, bidirectional: c.bidirectional, returnSequences, name }).apply(z) as tf.SymbolicTensor;
      continue;
    }
    // recurrent activation: the logistic sigmoid of Keras 2.3+ and PyTorch (tfjs defaults to hardSigmoid)
    const lstm = tf.layers.lstm({ units: c.lstmUnits, returnSequences, unitForgetBias: true,
      activation: 'tanh', recurrentActivation: 'sigmoid', kernelInitializer: zerosFirst, recurrentInitializer: 'zeros',
      name: c.bidirectional ? `lstm_${i + 1}` : name });
    const layer = c.bidirectional ? tf.layers.bidirectional({ layer: lstm as tf.RNN, mergeMode: 'concat', name }) : lstm;
    z = layer.apply(z) as tf.SymbolicTensor;
  }
  if (c.dropout > 0) z = new SeededDropout({ rate: c.dropout, seed: seed32(rng), name: 'dropout_lstm' }).apply(z) as tf.SymbolicTensor;
  for (let i = 0; i < c.fcLayers; i++) {
    z = tf.layers.dense({ units: c.fcUnits, activation: 'relu', kernelInitializer: zerosFirst, name: `dense_${i + 1}` })
      .apply(z) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: c.nClasses, activation: 'softmax', kernelInitializer: zerosFirst, name: 'output' })
    .apply(z) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'safenet' });
  initWeights(model, rng.fork('weights'));
  if (opts.compile ?? true) {
    model.compile({ optimizer: tf.train.adam(c.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  }
  return model;
}

/** Number of trainable parameters. */
export function countTrainable(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
