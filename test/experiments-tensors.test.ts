// Tests for lib/experiments/tensors.ts, params.ts and paper.ts: standardisation and class weights equal
// scikit-learn's StandardScaler and compute_class_weight('balanced') on fixed inputs (fixture made by
// test/fixtures/experiments/make_reference.py with Debian's python3-sklearn); the reshape to
// [N, nSteps, nLength, channels] keeps time order; weighted one-hot targets make tfjs' categorical
// cross-entropy the class-weighted loss; the paper's Table 2 reads back with the values of the paper's text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { classWeights, fitStandardiser, makeTensors, rowsOf, subsampleRows, subsequenceSplits } from '../lib/experiments/tensors';
import { predictProbs, weightedCrossEntropy } from '../lib/experiments/train';
import { EXPERIMENT_PARAMS, EXPERIMENT_REASONS } from '../lib/experiments/params';
import { paperRow, readPaperTable2 } from '../lib/experiments/paper';
import { rngFor } from '../lib/core/random';
import { expectError, tempDirs } from './helpers';

const ref = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'experiments', 'reference.json'), 'utf8'));
const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

test('standardiser equals scikit-learn StandardScaler fitted on the training windows only', () => {
  const { T, channels, X, split } = ref.input;
  const x = Float32Array.from(X as number[]);
  const s = fitStandardiser(x, T, channels, rowsOf(Uint8Array.from(split), 0));
  s.mean.forEach((m, f) => assert.ok(Math.abs(m - ref.scaler.mean[f]) <= 1e-9 * Math.max(1, Math.abs(ref.scaler.mean[f])), `mean ${f}: ${m} vs ${ref.scaler.mean[f]}`));
  s.std.forEach((v, f) => assert.ok(Math.abs(v - ref.scaler.scale[f]) <= 1e-9 * Math.max(1, ref.scaler.scale[f]), `std ${f}: ${v} vs ${ref.scaler.scale[f]}`));
  assert.is(s.fittedOn.windows, (split as number[]).filter((v) => v === 0).length);
  // a constant channel gets scale 1, as StandardScaler
  assert.is(s.std[channels.indexOf('const')], 1);
  expectError(() => fitStandardiser(x, T, channels, new Uint32Array(0)), /no train windows/);
});

test('class weights equal compute_class_weight("balanced"); an absent class gets 0', () => {
  for (const c of ref.classWeights) {
    const labels = Uint8Array.from(c.y as number[]);
    const rows = Uint32Array.from(labels, (_, i) => i);
    const w = classWeights(labels, rows, 3, 'balanced');
    c.classes.forEach((k: number, j: number) => assert.ok(Math.abs(w[k] - c.weights[j]) < 1e-12, `class ${k}: ${w[k]} vs ${c.weights[j]}`));
    for (let k = 0; k < 3; k++) if (!c.classes.includes(k)) assert.is(w[k], 0);
    assert.equal(classWeights(labels, rows, 3, 'none'), [1, 1, 1]);
  }
  expectError(() => classWeights(Uint8Array.from([0, 5]), Uint32Array.from([0, 1]), 3, 'balanced'), /label 5 of window 1/);
});

test('sub-sequence splits of the window lengths of Table 1', () => {
  assert.equal(subsequenceSplits(70), [[2, 35], [5, 14], [7, 10], [10, 7], [14, 5], [35, 2]]);
  assert.equal(subsequenceSplits(70, 5), [[2, 35], [5, 14], [7, 10], [10, 7], [14, 5]]);
  assert.equal(subsequenceSplits(40, 8), [[2, 20], [4, 10], [5, 8]]);
});

test('subsample is seeded, sorted and a subset', () => {
  const rows = Uint32Array.from({ length: 100 }, (_, i) => 3 * i);
  const a = subsampleRows(rows, 10, rngFor('test', 'sub'));
  const b = subsampleRows(rows, 10, rngFor('test', 'sub'));
  assert.equal([...a], [...b]);
  assert.is(a.length, 10);
  for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1]);
  for (const v of a) assert.is(v % 3, 0);
  assert.is(subsampleRows(rows, null, rngFor('test', 'sub')), rows);
});

test('tensors keep time order within sub-sequences; weighted targets give the class-weighted loss', async () => {
  await selectBackend({ log: () => undefined });
  {
    const T = 6, F = 2, N = 5;
    const X = Float32Array.from({ length: N * T * F }, (_, i) => i);
    const labels = Uint8Array.from([0, 1, 2, 1, 0]);
    const std = { channels: ['a', 'b'], mean: [1, 2], std: [2, 4], fittedOn: { part: 'train', windows: N } };
    const w = [0.5, 2, 3];
    const t = makeTensors(X, T, labels, Uint32Array.from([1, 3]), { nSteps: 2, nLength: 3 }, std, w);
    assert.equal(t.x.shape, [2, 2, 3, 2]);
    const xv = t.x.arraySync() as number[][][][];
    // window 1, step 1, sample 2, channel 1 = X[1*12 + (1*3+2)*2 + 1] = 23 -> (23 - 2) / 4
    assert.is(xv[0][1][2][1], (23 - 2) / 4);
    assert.is(xv[1][0][0][0], (36 - 1) / 2);
    assert.equal(t.y.arraySync(), [[0, 2, 0], [0, 2, 0]]);
    expectError(() => makeTensors(X, T, labels, Uint32Array.from([0]), { nSteps: 4, nLength: 2 }, std, w), /4 x nLength 2 != window length 6/);
    tf.dispose([t.x, t.y]);
    // a small softmax model: evaluate() of its compiled loss on weighted one-hot targets equals the weighted CE
    const all = makeTensors(X, T, labels, Uint32Array.from([0, 1, 2, 3, 4]), { nSteps: 2, nLength: 3 }, std, w);
    const inp = tf.input({ shape: [2, 3, 2] });
    const out = tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.constant({ value: 0.05 }) })
      .apply(tf.layers.flatten().apply(inp)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: inp, outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const lossT = model.evaluate(all.x, all.y) as tf.Scalar;
    const loss = lossT.dataSync()[0];
    const expect = weightedCrossEntropy(predictProbs(model, all), w);
    assert.ok(Math.abs(loss - expect) < 1e-5 * expect, `${loss} vs ${expect}`);
    tf.dispose([all.x, all.y, lossT]);
    model.dispose();
  }
});

test('every experiment parameter has a reason', () => {
  assert.equal(Object.keys(EXPERIMENT_REASONS).sort(), Object.keys(EXPERIMENT_PARAMS).sort());
  for (const r of Object.values(EXPERIMENT_REASONS)) assert.ok(r.length > 20);
});

test("the paper's Table 2 as data: 17 SafeNet rows and 5 baselines with the paper's values", () => {
  const rows = readPaperTable2();
  assert.is(rows.filter((r) => r.method === 'SafeNet').length, 17);
  assert.equal(rows.filter((r) => r.method !== 'SafeNet').map((r) => r.method), ['CNN', 'LSTM', 'DNN', 'GBM', 'RF']);
  const d3 = paperRow(rows, 'SafeNet', 3)!;
  assert.equal([d3.mcc, d3.f1, d3.accuracy, ...d3.auc], [0.717, 0.846, 0.846, 0.931, 0.946, 0.545]);
  const d11 = paperRow(rows, 'safenet', 11)!;
  assert.equal([d11.mcc, d11.f1, ...d11.auc], [0.51, 0.697, 0.869, 0.898, 0.537]);
  // the text's ranges: F1 0.812..0.846 and MCC 0.654..0.717 over DataSets 01-05
  const d15 = rows.filter((r) => r.method === 'SafeNet' && r.dataset <= 5);
  assert.is(Math.min(...d15.map((r) => r.f1)), 0.812);
  assert.is(Math.max(...d15.map((r) => r.mcc)), 0.717);
  for (const r of rows) assert.is(r.f1, r.accuracy);
  assert.is(paperRow(rows, 'CNN', 5), null);
  const bad = path.join(tempDir('table2-'), 't.csv');
  fs.writeFileSync(bad, '# c\nmethod,dataset,mcc,f1,accuracy,auc0,auc1,auc2\nSafeNet,3,0.7,x,0.8,0.9,0.9,0.5\n');
  expectError(() => readPaperTable2(bad), /line 3, field f1: 'x'/);
});

test.run();
