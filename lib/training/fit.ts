// Training loop and model files for the networks of paper section 3.2 (SafeNet and the neural baselines):
// batches drawn in an order shuffled by the project's seeded Rng (tfjs' own shuffle uses Math.random), per-epoch
// losses returned, progress shown; models saved as model.json + weights.bin (tfjs layers format), atomically.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Rng, rngFor } from '../core/random';
import { progress, Progress } from '../core/progress';
import { writeFileAtomic } from '../core/atomic';
import '../models/safenet'; // registers the project's custom layers (SeededDropout) for loading
import { registerProjectKernels } from '../backend/kernels/index';

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Label of the shuffling stream rngFor('training', 'shuffle', seedLabel) (use the model's seed label). */
  seedLabel?: string | number;
  /** Shuffle the windows every epoch (default true). */
  shuffle?: boolean;
  /** Progress label (default 'training'); null for none. */
  progressLabel?: string | null;
  /** Called after each epoch with its mean loss (e.g. for early stopping or logging); returning true stops
   * training after this epoch (early stopping). */
  onEpochEnd?: (epoch: number, loss: number) => void | boolean | Promise<void | boolean>;
  /** Progress options (tests pass a log collector). */
  log?: (line: string) => void;
}

export interface FitResult {
  /** Mean training loss of each epoch (batch losses weighted by batch size, as Keras reports). */
  losses: number[];
  /** Mean of the first metric (accuracy when compiled with it), per epoch; empty when there is none. */
  metric: number[];
  /** True when onEpochEnd stopped training before opts.epochs. */
  stoppedEarly: boolean;
  seconds: number;
  windowsPerSecond: number;
  batches: number;
}

/**
 * Train `model` (compiled) on x [N, ...] and one-hot y [N, classes] with trainOnBatch over batches taken in a
 * seeded random order. Same seed label, same data, same backend: the same losses, bit for bit.
 */
export async function fitModel(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, opts: FitOptions): Promise<FitResult> {
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new Error(`fitModel: x has ${n} rows but y has ${y.shape[0]}`);
  if (!(n > 0)) throw new Error('fitModel: no training windows');
  if (!(Number.isInteger(opts.epochs) && opts.epochs >= 1)) throw new Error(`fitModel: epochs must be a positive integer, got ${opts.epochs}`);
  if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) throw new Error(`fitModel: batchSize must be a positive integer, got ${opts.batchSize}`);
  // the gradient kernels wasm lacks (and the fixed/faster ones) even when the caller set the backend itself
  registerProjectKernels(tf.getBackend());
  const rng: Rng = rngFor('training', 'shuffle', opts.seedLabel ?? 0);
  const nBatches = Math.ceil(n / opts.batchSize);
  const label = opts.progressLabel === undefined ? 'training' : opts.progressLabel;
  const prog: Progress | null = label ? progress(label, nBatches * opts.epochs, { log: opts.log }) : null;
  const losses: number[] = [];
  const metric: number[] = [];
  let stoppedEarly = false;
  const t0 = Date.now();
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const order = opts.shuffle === false ? Uint32Array.from({ length: n }, (_, i) => i) : rng.fork('epoch', epoch).permutation(n);
    let lossSum = 0;
    let metricSum = 0;
    let hasMetric = false;
    for (let b = 0; b < nBatches; b++) {
      const idx = order.subarray(b * opts.batchSize, Math.min(n, (b + 1) * opts.batchSize));
      const [xb, yb] = tf.tidy(() => {
        const it = tf.tensor1d(Int32Array.from(idx), 'int32');
        return [tf.gather(x, it), tf.gather(y, it)];
      });
      let out: number | number[];
      try {
        out = await model.trainOnBatch(xb, yb);
      } finally {
        tf.dispose([xb, yb]);
      }
      const loss = Array.isArray(out) ? out[0] : out;
      if (!Number.isFinite(loss)) {
        throw new Error(`fitModel: loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1} of ${nBatches}`);
      }
      lossSum += loss * idx.length;
      if (Array.isArray(out) && out.length > 1) {
        metricSum += out[1] * idx.length;
        hasMetric = true;
      }
      prog?.tick(1, `epoch ${epoch + 1}/${opts.epochs}, loss ${(lossSum / ((b * opts.batchSize) + idx.length)).toFixed(4)}`);
    }
    losses.push(lossSum / n);
    if (hasMetric) metric.push(metricSum / n);
    if ((await opts.onEpochEnd?.(epoch, lossSum / n)) === true) {
      stoppedEarly = epoch < opts.epochs - 1;
      break;
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  if (stoppedEarly) prog?.done(`stopped early after epoch ${losses.length}, final loss ${losses[losses.length - 1].toFixed(4)}`);
  else prog?.done(`final loss ${losses[losses.length - 1].toFixed(4)}`);
  return { losses, metric, stoppedEarly, seconds, windowsPerSecond: (n * losses.length) / seconds, batches: nBatches * losses.length };
}

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Save a layers model to dir/model.json + dir/weights.bin (weights first, model.json last; each atomically). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (art) => {
      if (!art.weightSpecs || art.weightData == null) throw new Error(`saveModel(${dir}): model produced no weights`);
      const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(art.weightData));
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), data);
      const json = {
        format: art.format ?? 'layers-model',
        generatedBy: art.generatedBy,
        convertedBy: art.convertedBy ?? null,
        modelTopology: art.modelTopology,
        trainingConfig: art.trainingConfig,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: art.weightSpecs }],
        weightBytes: data.byteLength,
      };
      writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    }),
  );
}

/** Load a model saved by saveModel (compiled again from its training config when it has one). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = path.join(dir, MODEL_JSON);
  const binPath = path.join(dir, WEIGHTS_BIN);
  if (!fs.existsSync(jsonPath)) throw new Error(`loadModel: ${jsonPath} not found`);
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new Error(`loadModel: ${jsonPath} is not valid JSON (${(e as Error).message})`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`loadModel: ${jsonPath} lacks field modelTopology or weightsManifest`);
  }
  const buf = fs.readFileSync(binPath);
  if (typeof json.weightBytes === 'number' && buf.byteLength !== json.weightBytes) {
    throw new Error(`loadModel: ${binPath} has ${buf.byteLength} bytes, ${jsonPath} field weightBytes says ${json.weightBytes}`);
  }
  const weightSpecs = json.weightsManifest.flatMap((g: any) => g.weights);
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, trainingConfig: json.trainingConfig }),
  );
}
