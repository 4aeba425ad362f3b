// Tests for lib/models/baseline-run.ts: each of the five baselines trains on a small built-dataset-shaped input
// (training / validation / test parts, channels, labels) through SafeNet's protocol and returns probabilities
// of the validation and test windows, rows summing to 1, far above chance for the tree models, the same for the
// same seed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { LoadedDataset } from '../lib/datasets/build';
import { makeWindowTask, accuracyMacroF1 } from '../lib/models/baseline-check';
import { trainBaseline } from '../lib/models/baseline-run';
import { argmaxRows } from '../lib/models/gbm';
import { selectBackend } from '../lib/backend/backend';

const T = 10;
const F = 2;

/** A dataset as loadDataset returns it: 300 train, 90 validation, 90 test windows of the generated task. */
function dataset(): LoadedDataset {
  const t = makeWindowTask({ train: 390, test: 90, samples: T, channels: F, amplitude: 4, seedLabel: 'run' });
  const n = 480;
  const X = new Float32Array(n * T * F);
  X.set(t.train.x.data, 0);
  X.set(t.test.x.data, 390 * T * F);
  // scale and offset channel 1 as B_NEC and Ne differ: standardisation must undo it
  for (let i = 1; i < X.length; i += 2) X[i] = 1e4 + 500 * X[i];
  const label = new Uint8Array(n);
  label.set(t.train.y, 0);
  label.set(t.test.y, 390);
  const split = Uint8Array.from({ length: n }, (_, i) => (i < 300 ? 0 : i < 390 ? 1 : 2));
  return {
    manifest: { shape: [n, T, F], features: ['B_N', 'Ne'] },
    X, split, meta: { label },
  } as unknown as LoadedDataset;
}

const POINTS: Record<string, Record<string, unknown>> = {
  GBM: { learningRate: 0.1, maxLeafNodes: 15, minSamplesLeaf: 10, l2Regularization: 0, maxIter: 60 },
  RF: { nEstimators: 30, maxFeatures: 'sqrt', maxDepth: null, minSamplesLeaf: 1 },
  DNN: { denseLayers: 1, units: 16, activation: 'relu', dropout: 0.25, batchSize: 32, learningRate: 1e-2, epochs: 3 },
  CNN: { cnnLayers: 1, filters: 4, kernelSize: 3, activation: 'relu', fcLayers: 1, fcUnits: 8, dropout: 0.25, batchSize: 32, learningRate: 1e-2, epochs: 3 },
  LSTM: { lstmLayers: 1, lstmUnits: 4, fcLayers: 1, fcUnits: 8, dropout: 0.25, batchSize: 32, learningRate: 1e-2, epochs: 2 },
};

test('every baseline trains through the protocol and gives validation and test probabilities', async () => {
  await selectBackend({ backend: 'cpu', log: () => undefined });
  const ds = dataset();
  for (const name of ['GBM', 'RF', 'DNN', 'CNN', 'LSTM'] as const) {
    const run = await trainBaseline(name, ds, POINTS[name], { budget: { maxTrainWindows: null }, seedLabel: 'unit' });
    assert.is(run.trainWindows, 300, name);
    assert.is(run.validation.labels.length, 90, name);
    assert.is(run.test.probs.length, 90 * 3, name);
    for (let i = 0; i < 90; i++) {
      const s = run.test.probs[3 * i] + run.test.probs[3 * i + 1] + run.test.probs[3 * i + 2];
      assert.ok(Math.abs(s - 1) < 1e-9, `${name} row ${i} sums to ${s}`);
    }
    assert.ok(Math.abs(run.standardiser!.mean[1] - 1e4) < 100, `${name}: channel 1 mean ${run.standardiser!.mean[1]}`);
    const acc = accuracyMacroF1(run.test.labels, argmaxRows(run.test.probs, 3), 3).accuracy;
    if (name === 'GBM' || name === 'RF') assert.ok(acc > 0.6, `${name} test accuracy ${acc}`);
    if (name === 'GBM') {
      assert.ok(run.history.length >= 1 && run.history.length <= 60);
      const again = await trainBaseline(name, ds, POINTS[name], { budget: { maxTrainWindows: null }, seedLabel: 'unit' });
      assert.equal(Array.from(again.test.probs), Array.from(run.test.probs));
    }
    if (run.model instanceof tf.LayersModel) {
      assert.ok(run.history.length >= 1 && run.history.every((h) => Number.isFinite(h.trainLoss) && Number.isFinite(h.validationLoss!)), name);
      run.model.dispose();
    }
  }
});

test('a point without a needed field is an error that names it', async () => {
  await selectBackend({ backend: 'cpu', log: () => undefined });
  try {
    await trainBaseline('DNN', dataset(), { ...POINTS.DNN, batchSize: undefined }, { budget: { maxTrainWindows: null }, seedLabel: 'x' });
    assert.unreachable('no error');
  } catch (e) {
    assert.match((e as Error).message, /trainBaseline\(DNN\): point field 'batchSize' must be a number/);
  }
});

test.run();
