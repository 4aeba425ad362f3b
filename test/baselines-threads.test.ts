// The tree baselines on several threads (lib/models/tree-pool.ts; paper section 3.3, GBM and RF): for a seed the
// GBM and the RF grow the same trees and give the same probabilities with 1, 2 and 3 threads (histogram shards
// reduced in a fixed order; trees seeded by index and assembled in order), with early stopping, class weights and
// depth limits too; a bad thread count is a clear error; the pool's workers do not keep a process alive after the
// fit (a child process that trains on 2 threads exits by itself).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { expectError } from './helpers';
import { makeWindowTask } from '../lib/models/baseline-check';
import { GbmClassifier, GbmParams } from '../lib/models/gbm';
import { RfClassifier, RfParams } from '../lib/models/rf';
import { closeTreePool, defaultTreeThreads } from '../lib/models/tree-pool';
import { baselineTreeThreads } from '../lib/models/baseline-experiment';
import { PROFILES } from '../lib/core/config';

const task = makeWindowTask({ train: 1500, test: 400, samples: 10, channels: 3, amplitude: 1.5, seedLabel: 'threads' });
const val = makeWindowTask({ train: 400, test: 10, samples: 10, channels: 3, amplitude: 1.5, seedLabel: 'threads-val' });

test.after(() => closeTreePool());

function gbmFit(params: Partial<GbmParams>, threads: number, validation = false): { trees: string; proba: number[]; nIter: number } {
  const m = new GbmClassifier(params).fit(task.train.x, task.train.y, { seedLabel: 'th', threads, validation: validation ? val.train : undefined });
  return { trees: JSON.stringify(m.toJSON().trees), proba: Array.from(m.predictProba(task.test.x)), nIter: m.info!.nIter };
}

test('GBM: the same trees and probabilities with 1, 2 and 3 threads', () => {
  const cases: [Partial<GbmParams>, boolean][] = [
    [{ maxIter: 12, earlyStopping: false }, false],
    [{ maxIter: 60, maxLeafNodes: 15, minSamplesLeaf: 5, l2Regularization: 0.5, classWeight: 'balanced', nIterNoChange: 3 }, true],
    [{ maxIter: 8, maxDepth: 3, maxBins: 32, earlyStopping: false }, false],
  ];
  for (const [params, v] of cases) {
    const one = gbmFit(params, 1, v);
    for (const th of [2, 3]) {
      const other = gbmFit(params, th, v);
      assert.is(other.nIter, one.nIter, `${JSON.stringify(params)}: iterations with ${th} threads`);
      assert.ok(other.trees === one.trees, `${JSON.stringify(params)}: trees differ with ${th} threads`);
      assert.equal(other.proba, one.proba);
    }
    assert.ok(one.trees.length > 100);
  }
});

test('RF: the same forest and probabilities with 1, 2 and 3 threads', () => {
  const cases: Partial<RfParams>[] = [
    { nEstimators: 9 },
    { nEstimators: 7, classWeight: 'balanced_subsample', maxDepth: 6, minSamplesLeaf: 3, maxFeatures: 0.3 },
    { nEstimators: 5, bootstrap: false, classWeight: 'balanced' },
  ];
  for (const params of cases) {
    const fit = (threads: number) => {
      const m = new RfClassifier(params).fit(task.train.x, task.train.y, { seedLabel: 'th', threads });
      return { trees: JSON.stringify(m.toJSON().trees), proba: Array.from(m.predictProba(task.test.x)) };
    };
    const one = fit(1);
    for (const th of [2, 3]) {
      const other = fit(th);
      assert.ok(other.trees === one.trees, `${JSON.stringify(params)}: trees differ with ${th} threads`);
      assert.equal(other.proba, one.proba);
    }
  }
  // more threads than trees: each tree once
  const m = new RfClassifier({ nEstimators: 2 }).fit(task.train.x, task.train.y, { seedLabel: 'th', threads: 4 });
  assert.is(m.trees.length, 2);
});

test('thread count: a positive integer, default the cores capped by the profile, shared by fits that run at once', () => {
  expectError(() => new GbmClassifier({ maxIter: 2 }).fit(task.train.x, task.train.y, { threads: 0 }), /GbmClassifier\.fit: threads must be an integer in 1\.\.256, got 0/);
  expectError(() => new RfClassifier({ nEstimators: 2 }).fit(task.train.x, task.train.y, { threads: 1.5 }), /RfClassifier\.fit: threads must be an integer/);
  const d = defaultTreeThreads();
  assert.ok(Number.isInteger(d) && d >= 1 && d <= PROFILES.smoke.workers, `default ${d}`);
  // fits that run at once share the threads: a search's trial processes
  assert.is(defaultTreeThreads(2), Math.max(1, Math.floor(d / 2)));
  assert.is(defaultTreeThreads(64), 1);
  expectError(() => defaultTreeThreads(0), /concurrent must be a positive integer, got 0/);
  const one = { ...PROFILES.smoke, workers: 1 };
  assert.is(defaultTreeThreads(1, one), 1);
  assert.is(baselineTreeThreads({ inProcess: true, profile: PROFILES.smoke }), defaultTreeThreads(1, PROFILES.smoke));
  assert.is(baselineTreeThreads({ workers: 2, profile: PROFILES.smoke }), defaultTreeThreads(2, PROFILES.smoke));
  assert.is(baselineTreeThreads({ profile: one }), 1);
});

test('the workers do not keep a process alive after a fit', () => {
  const root = path.resolve(__dirname, '..');
  const code = `
    const { GbmClassifier } = require('./lib/models/gbm');
    const { RfClassifier } = require('./lib/models/rf');
    const { makeWindowTask } = require('./lib/models/baseline-check');
    const t = makeWindowTask({ train: 300, test: 10, samples: 5, channels: 2, seedLabel: 'alive' });
    new GbmClassifier({ maxIter: 3, earlyStopping: false }).fit(t.train.x, t.train.y, { threads: 2 });
    new RfClassifier({ nEstimators: 4 }).fit(t.train.x, t.train.y, { threads: 2 });
    console.log('fitted');`;
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', code], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.signal, null, `the child was killed after 60 s (still alive): ${r.stderr}`);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /fitted/);
});

test.run();
