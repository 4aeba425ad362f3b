// GBM and RF of lib/models against scikit-learn (issue 14 item 2; paper section 3.3): on the same generated
// windows and the same train/test split, with the same hyperparameters, test accuracy and macro F1 within 2
// points of HistGradientBoostingClassifier's and RandomForestClassifier's (Debian python3-sklearn, installed by
// scripts/setup.sh), on a task where both score far above chance (1/3); again with balanced class weights on an
// imbalanced training part and non-default tree settings. The GBM follows scikit-learn's algorithm step by step,
// so its predictions must also agree with scikit-learn's on at least 95 % of the test windows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDirs } from './helpers';
import { accuracyMacroF1, makeWindowTask, runSklearn, WindowTask } from '../lib/models/baseline-check';
import { GbmClassifier, GbmParams } from '../lib/models/gbm';
import { RfClassifier, RfParams } from '../lib/models/rf';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

test('GBM and RF score within 2 points of scikit-learn on the same data and splits', () => {
  const task = makeWindowTask({ train: 2000, test: 1500, samples: 20, channels: 3, amplitude: 1.5, seedLabel: 'sklearn-check' });
  const gbmParams: Partial<GbmParams> = { maxIter: 40, earlyStopping: false };
  const rfParams: Partial<RfParams> = { nEstimators: 50 };
  const sk = runSklearn(task, [
    { name: 'gbm', kind: 'gbm', params: gbmParams },
    { name: 'rf', kind: 'rf', params: rfParams },
  ], tempDir('baselines-sklearn-'), 1);
  const ours = {
    gbm: accuracyMacroF1(task.test.y, new GbmClassifier(gbmParams).fit(task.train.x, task.train.y).predict(task.test.x), 3),
    rf: accuracyMacroF1(task.test.y, new RfClassifier(rfParams).fit(task.train.x, task.train.y).predict(task.test.x), 3),
  };
  for (const r of sk.results) {
    const o = ours[r.name as 'gbm' | 'rf'];
    const msg = `${r.name}: ours accuracy ${o.accuracy.toFixed(4)} F1 ${o.macroF1.toFixed(4)}, scikit-learn ${sk.version} ${r.accuracy.toFixed(4)} ${r.macroF1.toFixed(4)}`;
    assert.ok(r.accuracy > 0.55 && o.accuracy > 0.55, `not far above chance: ${msg}`);
    assert.ok(Math.abs(o.accuracy - r.accuracy) <= 0.02, msg);
    assert.ok(Math.abs(o.macroF1 - r.macroF1) <= 0.02, msg);
  }
  assert.is(sk.results.find((r) => r.name === 'gbm')!.nIter, 40);
});

function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

test("balanced class weights on an imbalanced training part, other tree settings: still within 2 points", () => {
  const t0 = makeWindowTask({ train: 3000, test: 1500, samples: 20, channels: 3, amplitude: 1.5, seedLabel: 'imbalanced' });
  // keep one class-1 training window in four
  const keep: number[] = [];
  let ones = 0;
  for (let i = 0; i < t0.train.y.length; i++) if (t0.train.y[i] !== 1 || ones++ % 4 === 0) keep.push(i);
  const cols = t0.train.x.cols;
  const data = new Float64Array(keep.length * cols);
  keep.forEach((r, j) => data.set(t0.train.x.data.subarray(r * cols, (r + 1) * cols), j * cols));
  const task: WindowTask = { ...t0, train: { x: { data, rows: keep.length, cols }, y: Int32Array.from(keep, (r) => t0.train.y[r]) } };
  const gbmParams: Partial<GbmParams> = { maxIter: 40, earlyStopping: false, classWeight: 'balanced', maxLeafNodes: 15, l2Regularization: 1, minSamplesLeaf: 10 };
  const rfParams: Partial<RfParams> = { nEstimators: 50, classWeight: 'balanced', minSamplesLeaf: 3, maxFeatures: 0.2 };
  const sk = runSklearn(task, [
    { name: 'gbm', kind: 'gbm', params: gbmParams },
    { name: 'rf', kind: 'rf', params: rfParams },
  ], tempDir('baselines-sklearn-cw-'), 1);
  const pred = {
    gbm: new GbmClassifier(gbmParams).fit(task.train.x, task.train.y).predict(task.test.x),
    rf: new RfClassifier(rfParams).fit(task.train.x, task.train.y).predict(task.test.x),
  };
  for (const r of sk.results) {
    const o = accuracyMacroF1(task.test.y, pred[r.name as 'gbm' | 'rf'], 3);
    const msg = `${r.name}: ours accuracy ${o.accuracy.toFixed(4)} F1 ${o.macroF1.toFixed(4)}, scikit-learn ${r.accuracy.toFixed(4)} ${r.macroF1.toFixed(4)}`;
    assert.ok(r.accuracy > 0.55 && o.accuracy > 0.55, `not far above chance: ${msg}`);
    assert.ok(Math.abs(o.accuracy - r.accuracy) <= 0.02, msg);
    assert.ok(Math.abs(o.macroF1 - r.macroF1) <= 0.02, msg);
    if (r.name === 'gbm') assert.ok(agreement(pred.gbm, r.predictions) >= 0.95, `GBM agrees with scikit-learn on ${agreement(pred.gbm, r.predictions)}`);
  }
});

test.run();
