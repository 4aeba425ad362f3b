// Tests for the baselines of lib/models (GBM, RF, DNN, CNN, LSTM; paper section 3.3): binning thresholds against
// numpy's formulas worked by hand, class weights and feature counts as scikit-learn defines them, GBM and RF
// deterministic for a seed and changed by another, JSON round trips, tree limits respected, early stopping by
// scikit-learn's rule, clear errors, window flattening and extra features, and the neural builders' parameter
// counts (worked by hand) and seeded training.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { expectError } from './helpers';
import { BinMapper, classWeights, Matrix } from '../lib/models/binning';
import { GbmClassifier, shouldStop, stratifiedHoldout } from '../lib/models/gbm';
import { RfClassifier, featuresPerSplit } from '../lib/models/rf';
import { accuracyMacroF1, makeWindowTask } from '../lib/models/baseline-check';
import { BASELINE_NAMES, baselineSpace, buildCnn, buildDnn, buildLstm, flattenWindows, flattenedColumnNames } from '../lib/models/baselines';
import { countTrainable } from '../lib/models/safenet';
import { fitModel } from '../lib/training/fit';
import { selectBackend } from '../lib/backend/backend';
import { Rng } from '../lib/core/random';
import { validateSpace, walkSpace } from '../lib/tuning/space';

const quiet = { log: () => undefined };
const col = (v: number[]): Matrix => ({ data: Float64Array.from(v), rows: v.length, cols: 1 });
const small = makeWindowTask({ train: 600, test: 300, samples: 8, channels: 2, amplitude: 4, seedLabel: 'unit' });

test('BinMapper: midpoints of distinct values; searchsorted-left bins', () => {
  const m = BinMapper.fit(col([3, 1, 2, 4, 2]), 255, new Rng(1));
  assert.equal(Array.from(m.thresholds[0]), [1.5, 2.5, 3.5]);
  assert.equal(Array.from(m.transform(col([0.5, 1.5, 1.6, 4, 10]))), [0, 0, 1, 3, 3]);
});

test("BinMapper: more distinct values than bins -> numpy 'midpoint' percentiles", () => {
  // 0..999, maxBins 4: positions 999 q / 4 = 249.75, 499.5, 749.25 -> midpoints 249.5, 499.5, 749.5
  const m = BinMapper.fit(col(Array.from({ length: 1000 }, (_, i) => 999 - i)), 4, new Rng(1));
  assert.equal(Array.from(m.thresholds[0]), [249.5, 499.5, 749.5]);
  expectError(() => BinMapper.fit(col([1, 2]), 300, new Rng(1)), /maxBins must be an integer in 2\.\.256/);
});

test("class weights: 'balanced' is n / (K count_k); features per split as scikit-learn counts them", () => {
  assert.equal(Array.from(classWeights([0, 0, 0, 1], 2, 'balanced', 'x')), [4 / 6, 2]);
  assert.equal(Array.from(classWeights([0, 1], 2, null, 'x')), [1, 1]);
  expectError(() => classWeights([0, 1], 2, [1], 'RfParams'), /RfParams: classWeight must be/);
  assert.is(featuresPerSplit('sqrt', 280), 16);
  assert.is(featuresPerSplit('log2', 280), 8);
  assert.is(featuresPerSplit(0.1, 280), 28);
  assert.is(featuresPerSplit(5, 280), 5);
  assert.is(featuresPerSplit(500, 280), 280);
});

test('bad input: NaN names row and feature; labels outside the classes; bad parameters', () => {
  const x: Matrix = { data: Float64Array.from([1, 2, NaN, 4]), rows: 2, cols: 2 };
  expectError(() => new GbmClassifier().fit(x, [0, 1]), /GbmClassifier\.fit x: value NaN at row 1, feature 0/);
  expectError(() => new RfClassifier().fit({ data: Float64Array.from([1, 2]), rows: 2, cols: 1 }, [0, 3]), /label 3 at row 1 is not a class in 0\.\.2/);
  expectError(() => new GbmClassifier({ maxLeafNodes: 1 }), /GbmParams\.maxLeafNodes must be an integer >= 2/);
  expectError(() => new RfClassifier({ maxFeatures: 2.5 }), /RfParams\.maxFeatures must be/);
});

test('shouldStop follows scikit-learn: no loss of the last n better than the one n+1 back by tol', () => {
  assert.is(shouldStop([1, 0.9, 0.8], 2, 0), false); // improving
  assert.is(shouldStop([1, 0.9, 0.9, 0.9], 2, 0), true); // flat for 2 after 0.9
  assert.is(shouldStop([1, 0.9, 0.95, 0.899], 2, 0), false); // 0.899 < 0.9
  assert.is(shouldStop([1, 0.9, 0.95, 0.899], 2, 0.01), true); // not by more than tol
  assert.is(shouldStop([1, 1], 2, 0), false); // too short
});

test('stratified holdout keeps class proportions and is a partition', () => {
  const y = Int32Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
  const { train, val } = stratifiedHoldout(y, 3, 0.1, new Rng(3));
  assert.is(train.length + val.length, 100);
  assert.equal([0, 1, 2].map((k) => Array.from(val).filter((i) => y[i] === k).length), [7, 2, 1]);
  assert.equal(new Set([...train, ...val]).size, 100);
});

test('GBM: deterministic for a seed, well above chance, JSON round trip, leaf limits respected', () => {
  const params = { maxIter: 15, maxLeafNodes: 7, minSamplesLeaf: 10, earlyStopping: false as const };
  const a = new GbmClassifier(params).fit(small.train.x, small.train.y, { seedLabel: 's' });
  const b = new GbmClassifier(params).fit(small.train.x, small.train.y, { seedLabel: 's' });
  const pa = a.predictProba(small.test.x);
  assert.equal(Array.from(pa), Array.from(b.predictProba(small.test.x)));
  for (let i = 0; i < pa.length; i += 3) assert.ok(Math.abs(pa[i] + pa[i + 1] + pa[i + 2] - 1) < 1e-12);
  const s = accuracyMacroF1(small.test.y, a.predict(small.test.x), 3);
  assert.ok(s.accuracy > 0.6, `accuracy ${s.accuracy}`);
  const c = GbmClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.equal(Array.from(c.predictProba(small.test.x)), Array.from(pa));
  assert.is(a.trees.length, 15);
  // every tree: at most 7 leaves, each holding at least 10 training rows
  const bins = a.mapper!.transform(small.train.x);
  const n = small.train.x.rows;
  for (const t of a.trees.flat()) {
    const leaves = Array.from(t.feature).filter((f) => f < 0).length;
    assert.ok(leaves <= 7, `${leaves} leaves`);
    const count = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (t.feature[node] >= 0) node = bins[t.feature[node] * n + i] <= t.bin[node] ? t.left[node] : t.right[node];
      count.set(node, (count.get(node) ?? 0) + 1);
    }
    assert.ok(Math.min(...count.values()) >= 10);
  }
});

test('GBM early stopping on a given validation part: stops by the rule and records the losses', () => {
  // labels unrelated to the features: the validation loss cannot improve for long
  const r = new Rng(9);
  const x: Matrix = { data: Float64Array.from({ length: 400 * 5 }, () => r.normal()), rows: 400, cols: 5 };
  const y = Int32Array.from({ length: 400 }, () => r.int(3));
  const xv: Matrix = { data: Float64Array.from({ length: 200 * 5 }, () => r.normal()), rows: 200, cols: 5 };
  const yv = Int32Array.from({ length: 200 }, () => r.int(3));
  const m = new GbmClassifier({ maxIter: 200, nIterNoChange: 5, minSamplesLeaf: 5 }).fit(x, y, { validation: { x: xv, y: yv } });
  const info = m.info!;
  assert.ok(info.nIter < 200, `ran ${info.nIter} iterations`);
  assert.is(info.validationLoss.length, info.nIter + 1);
  assert.is(info.validationRows, 200);
  assert.ok(shouldStop(info.validationLoss, 5, 1e-7));
  assert.not.ok(shouldStop(info.validationLoss.slice(0, -1), 5, 1e-7));
  // 'auto' with fewer than 10,000 rows and no validation part: no early stopping
  const m2 = new GbmClassifier({ maxIter: 3 }).fit(x, y);
  assert.is(m2.info!.validationRows, 0);
});

test('RF: deterministic for a seed, another seed differs, well above chance, JSON round trip', () => {
  const a = new RfClassifier({ nEstimators: 20 }).fit(small.train.x, small.train.y, { seedLabel: 1 });
  const b = new RfClassifier({ nEstimators: 20 }).fit(small.train.x, small.train.y, { seedLabel: 1 });
  const c = new RfClassifier({ nEstimators: 20 }).fit(small.train.x, small.train.y, { seedLabel: 2 });
  const pa = a.predictProba(small.test.x);
  assert.equal(Array.from(pa), Array.from(b.predictProba(small.test.x)));
  assert.not.equal(Array.from(pa), Array.from(c.predictProba(small.test.x)));
  const s = accuracyMacroF1(small.test.y, a.predict(small.test.x), 3);
  assert.ok(s.accuracy > 0.6, `accuracy ${s.accuracy}`);
  const d = RfClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.equal(Array.from(d.predictProba(small.test.x)), Array.from(pa));
  // full-depth trees without bootstrap fit the training rows exactly (no duplicate rows here)
  const full = new RfClassifier({ nEstimators: 3, bootstrap: false }).fit(small.train.x, small.train.y);
  assert.is(accuracyMacroF1(small.train.y, full.predict(small.train.x), 3).accuracy, 1);
});

test("RF class weights: 'balanced' raises the recall of a rare class", () => {
  const t = makeWindowTask({ train: 900, test: 600, samples: 8, channels: 2, amplitude: 1, seedLabel: 'rare' });
  // keep one class-1 window in six
  const keep: number[] = [];
  let ones = 0;
  for (let i = 0; i < t.train.y.length; i++) if (t.train.y[i] !== 1 || ones++ % 6 === 0) keep.push(i);
  const cols = t.train.x.cols;
  const x: Matrix = { data: Float64Array.from(keep.flatMap((i) => Array.from(t.train.x.data.subarray(i * cols, (i + 1) * cols)))), rows: keep.length, cols };
  const y = Int32Array.from(keep, (i) => t.train.y[i]);
  const recall1 = (m: RfClassifier) => {
    const p = m.predict(t.test.x);
    let hit = 0;
    let tot = 0;
    for (let i = 0; i < p.length; i++) if (t.test.y[i] === 1) { tot++; if (p[i] === 1) hit++; }
    return hit / tot;
  };
  const base = recall1(new RfClassifier({ nEstimators: 30, minSamplesLeaf: 5 }).fit(x, y));
  const bal = recall1(new RfClassifier({ nEstimators: 30, minSamplesLeaf: 5, classWeight: 'balanced' }).fit(x, y));
  assert.ok(bal > base, `recall of class 1: balanced ${bal}, unweighted ${base}`);
});

test('flattenWindows: the window as it is, then per-channel summary features', () => {
  // 1 window, 3 samples, 2 channels: channel 0 = 1, 2, 4; channel 1 = 0, 0, 3
  const w = Float32Array.from([1, 0, 2, 0, 4, 3]);
  assert.equal(Array.from(flattenWindows(w, 1, 3, 2).data), [1, 0, 2, 0, 4, 3]);
  const m = flattenWindows(w, 1, 3, 2, 'summary');
  assert.is(m.cols, 16);
  const s0 = Array.from(m.data.subarray(6, 11));
  assert.ok(Math.abs(s0[0] - 7 / 3) < 1e-12);
  assert.ok(Math.abs(s0[1] - Math.sqrt(21 / 3 - 49 / 9)) < 1e-12);
  assert.equal(s0.slice(2), [1, 4, 1.5]);
  assert.equal(Array.from(m.data.subarray(11, 16)), [1, Math.sqrt(3 - 1), 0, 3, 1.5]);
  assert.equal(flattenedColumnNames(2, ['B_N', 'Ne']), ['B_N[0]', 'Ne[0]', 'B_N[1]', 'Ne[1]']);
  expectError(() => flattenWindows(w, 2, 3, 2), /expected n x samples x channels = 2 x 3 x 2 = 12/);
});

test('search spaces: valid lib/tuning spaces for the five baselines, drawn points build models', async () => {
  await selectBackend({ backend: 'cpu', ...quiet });
  for (const size of ['paper', 'small'] as const) {
    for (const name of BASELINE_NAMES) {
      const space = baselineSpace(name, size, 20);
      assert.ok(validateSpace(space).length >= 4, `${name} ${size}`);
      const r = new Rng('space', name, size);
      const { params } = walkSpace(space, (_label, d) => (d.$hp === 'choice' ? r.int(d.options.length) : Math.exp(r.uniform(d.low, d.high))));
      const p = params as Record<string, number | string | null>;
      if ('epochs' in p) assert.ok((p.epochs as number) <= 20);
      if (name === 'DNN') buildDnn({ ...(p as object), inputSize: 16, nClasses: 3 } as never, { compile: false }).dispose();
      if (name === 'CNN') buildCnn({ ...(p as object), samples: 70, channels: 4, nClasses: 3 } as never, { compile: false }).dispose();
      if (name === 'LSTM') buildLstm({ ...(p as object), samples: 10, channels: 4, nClasses: 3 } as never, { compile: false }).dispose();
      if (name === 'GBM') new GbmClassifier(p as never);
      if (name === 'RF') new RfClassifier(p as never);
    }
  }
  expectError(() => baselineSpace('SVM' as never, 'paper', 10), /unknown baseline 'SVM'/);
});

test('neural baselines: parameter counts worked by hand', async () => {
  await selectBackend({ backend: 'cpu', ...quiet });
  // DNN 12 -> 8 -> 8 -> 3: (12*8+8) + (8*8+8) + (8*3+3) = 203
  const dnn = buildDnn({ inputSize: 12, denseLayers: 2, units: 8, activation: 'relu', dropout: 0.5, nClasses: 3, learningRate: 1e-3 }, { compile: false });
  assert.is(countTrainable(dnn), 203);
  // CNN [10, 2]: Conv1D(4, 3) 3*2*4+4 = 28 -> length 8 -> pool 4 -> 16 -> Dense 5: 85 -> softmax 18: 131
  const cnn = buildCnn({ samples: 10, channels: 2, cnnLayers: 1, filters: 4, kernelSize: 3, activation: 'relu', dropout: 0.25, fcLayers: 1, fcUnits: 5, nClasses: 3, learningRate: 1e-3 }, { compile: false });
  assert.is(countTrainable(cnn), 131);
  assert.equal(cnn.inputs[0].shape, [null, 10, 2]);
  // LSTM [6, 2], 4 units: 4*4*(2+4) + 4*4 = 112 -> Dense 5: 25 -> softmax 18: 155 (fused and layers alike)
  for (const lstmImpl of ['fused', 'layers'] as const) {
    const lstm = buildLstm({ samples: 6, channels: 2, lstmLayers: 1, lstmUnits: 4, dropout: 0.25, fcLayers: 1, fcUnits: 5, nClasses: 3, learningRate: 1e-3 }, { compile: false, lstmImpl });
    assert.is(countTrainable(lstm), 155, lstmImpl);
    lstm.dispose();
  }
  expectError(() => buildCnn({ samples: 5, channels: 2, cnnLayers: 2, filters: 4, kernelSize: 3, activation: 'relu', dropout: 0, fcLayers: 1, fcUnits: 5, nClasses: 3, learningRate: 1e-3 }), /leave 1 of 5 samples/);
  dnn.dispose();
  cnn.dispose();
});

test('neural baselines: the same seed gives the same training run, another seed another', async () => {
  await selectBackend({ backend: 'cpu', ...quiet });
  const n = 60;
  const x = tf.tensor3d(Float32Array.from(small.train.x.data.subarray(0, n * 16)), [n, 8, 2]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(small.train.y.subarray(0, n)), 'int32'), 3).toFloat();
  const run = async (build: 'cnn' | 'lstm', seed: string) => {
    const m = build === 'cnn'
      ? buildCnn({ samples: 8, channels: 2, cnnLayers: 1, filters: 4, kernelSize: 3, activation: 'relu', dropout: 0.25, fcLayers: 1, fcUnits: 6, nClasses: 3, learningRate: 1e-2 }, { seedLabel: seed })
      : buildLstm({ samples: 8, channels: 2, lstmLayers: 1, lstmUnits: 4, dropout: 0.25, fcLayers: 1, fcUnits: 6, nClasses: 3, learningRate: 1e-2 }, { seedLabel: seed });
    const r = await fitModel(m, x, y, { epochs: 2, batchSize: 20, seedLabel: seed, progressLabel: null });
    m.dispose();
    return r.losses;
  };
  for (const kind of ['cnn', 'lstm'] as const) {
    const a = await run(kind, 'a');
    assert.equal(await run(kind, 'a'), a, kind);
    assert.not.equal(await run(kind, 'b'), a, kind);
    assert.ok(a.every(Number.isFinite));
  }
  const xf = tf.tensor2d(Float32Array.from(small.train.x.data.subarray(0, n * 16)), [n, 16]);
  const dnnRun = async (seed: string) => {
    const m = buildDnn({ inputSize: 16, denseLayers: 2, units: 8, activation: 'relu', dropout: 0.5, nClasses: 3, learningRate: 1e-2 }, { seedLabel: seed });
    const r = await fitModel(m, xf, y, { epochs: 2, batchSize: 20, seedLabel: seed, progressLabel: null });
    m.dispose();
    return r.losses;
  };
  assert.equal(await dnnRun('a'), await dnnRun('a'));
  tf.dispose([x, y, xf]);
});

test.run();
