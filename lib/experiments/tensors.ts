// From a built dataset to the network's tensors (paper sections 3.2-3.3): windows [N, T, channels] reshaped to
// [N, nSteps, nLength, channels] (sub-sequences for the TimeDistributed convolutions), per-channel
// standardisation fitted on the training windows only, class weights by sample proportion (applied as weighted
// one-hot targets, which makes categorical cross-entropy Keras' class-weighted loss), seeded subsampling.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/random';
import { ExperimentParams } from './params';

export interface Standardiser {
  /** Channel names, in the order of the last axis. */
  channels: string[];
  mean: number[];
  /** Population standard deviation (ddof 0, as scikit-learn's StandardScaler); 1 where a channel is constant. */
  std: number[];
  /** Windows the statistics were fitted on. */
  fittedOn: { part: string; windows: number };
}

/** Indices of the windows of one split (0 train, 1 validation, 2 test). */
export function rowsOf(split: Uint8Array, part: number): Uint32Array {
  let n = 0;
  for (let i = 0; i < split.length; i++) if (split[i] === part) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < split.length; i++) if (split[i] === part) out[k++] = i;
  return out;
}

/**
 * Per-channel mean and population std over every sample of the given windows of X (windows x T x F,
 * row-major), in float64 with two passes (no cancellation). Throws when there is no window or a value is NaN.
 */
export function fitStandardiser(X: Float32Array, T: number, channels: string[], rows: ArrayLike<number>, part = 'train'): Standardiser {
  const F = channels.length;
  const per = T * F;
  if (rows.length === 0) throw new Error(`fitStandardiser: no ${part} windows to fit on`);
  if (X.length % per !== 0) throw new Error(`fitStandardiser: X has ${X.length} values, not a multiple of T*F = ${per}`);
  const sum = new Float64Array(F);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * per;
    if (base + per > X.length) throw new Error(`fitStandardiser: window ${rows[r]} is outside X (${X.length / per} windows)`);
    for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) sum[f] += X[base + t * F + f];
  }
  const n = rows.length * T;
  const mean = Array.from(sum, (s) => s / n);
  const ss = new Float64Array(F);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * per;
    for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) {
      const d = X[base + t * F + f] - mean[f];
      ss[f] += d * d;
    }
  }
  const std = Array.from(ss, (s) => Math.sqrt(s / n));
  mean.forEach((m, f) => {
    if (!Number.isFinite(m) || !Number.isFinite(std[f])) throw new Error(`fitStandardiser: channel ${channels[f]} has non-finite values in the ${part} windows`);
  });
  return { channels: [...channels], mean, std: std.map((s) => (s > 0 ? s : 1)), fittedOn: { part, windows: rows.length } };
}

/**
 * Class weights by sample proportion: 'balanced' gives n / (k * n_c) to each of the k classes present in the
 * labels (scikit-learn's compute_class_weight('balanced')), 0 to an absent class; 'none' gives 1 to all.
 */
export function classWeights(labels: Uint8Array, rows: ArrayLike<number>, nClasses: number, mode: ExperimentParams['classWeight']): number[] {
  const counts = new Array<number>(nClasses).fill(0);
  for (let r = 0; r < rows.length; r++) {
    const y = labels[rows[r]];
    if (!(y < nClasses)) throw new Error(`classWeights: label ${y} of window ${rows[r]} is not a class 0..${nClasses - 1}`);
    counts[y]++;
  }
  if (mode === 'none') return counts.map(() => 1);
  const present = counts.filter((c) => c > 0).length;
  if (present === 0) throw new Error('classWeights: no windows');
  return counts.map((c) => (c > 0 ? rows.length / (present * c) : 0));
}

/** The [nSteps, nLength] splits of a window of T samples, nSteps and nLength both at least 2 (as in the sibling code SeqNetQuake). */
export function subsequenceSplits(T: number, minLength = 2): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 2; s <= T / minLength; s++) if (T % s === 0) out.push([s, T / s]);
  return out;
}

/** A seeded subset of at most max rows (kept in their original order); all rows when max is null or larger. */
export function subsampleRows(rows: Uint32Array, max: number | null, rng: Rng): Uint32Array {
  if (max === null || rows.length <= max) return rows;
  const perm = rng.permutation(rows.length).subarray(0, max);
  return Uint32Array.from(perm, (i) => rows[i]).sort();
}

export interface TensorSet {
  /** [N, nSteps, nLength, channels], standardised. */
  x: tf.Tensor4D;
  /** One-hot targets multiplied by the class weight of each window's class [N, classes]. */
  y: tf.Tensor2D;
  /** True labels and the rows they came from. */
  labels: Uint8Array;
  rows: Uint32Array;
}

/**
 * Tensors for the given windows: a copy of X's rows standardised channel by channel, shaped [N, nSteps,
 * nLength, F] (X's layout is windows x T x F, so the reshape keeps samples in time order within each
 * sub-sequence), and weighted one-hot targets.
 */
export function makeTensors(
  X: Float32Array, T: number, labels: Uint8Array, rows: Uint32Array, split: { nSteps: number; nLength: number },
  std: Standardiser | null, weights: number[],
): TensorSet {
  const F = std ? std.channels.length : X.length / (labels.length * T);
  if (split.nSteps * split.nLength !== T) {
    throw new Error(`makeTensors: nSteps ${split.nSteps} x nLength ${split.nLength} != window length ${T}`);
  }
  const per = T * F;
  const N = rows.length;
  const xs = new Float32Array(N * per);
  const k = weights.length;
  const ys = new Float32Array(N * k);
  const lab = new Uint8Array(N);
  for (let r = 0; r < N; r++) {
    const src = rows[r] * per;
    for (let j = 0; j < per; j++) {
      const f = j % F;
      xs[r * per + j] = std ? (X[src + j] - std.mean[f]) / std.std[f] : X[src + j];
    }
    const y = labels[rows[r]];
    lab[r] = y;
    ys[r * k + y] = weights[y];
  }
  return {
    x: tf.tensor4d(xs, [N, split.nSteps, split.nLength, F]),
    y: tf.tensor2d(ys, [N, k]),
    labels: lab,
    rows,
  };
}

export function disposeTensors(t: TensorSet | null | undefined): void {
  if (t) tf.dispose([t.x, t.y]);
}
