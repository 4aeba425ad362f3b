// GBM and RF of lib/models against scikit-learn (issue 14 item 2; paper section 3.3): on the same generated
// windows and the same train/test split, with the same hyperparameters, test accuracy and macro F1 within 2
// points of HistGradientBoostingClassifier's and RandomForestClassifier's (Debian python3-sklearn, installed by
// scripts/setup.sh), on a task where both score far above chance (1/3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDirs } from './helpers';
import { accuracyMacroF1, makeWindowTask, runSklearn } from '../lib/models/baseline-check';
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

test.run();
