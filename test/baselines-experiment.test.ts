// Tests for lib/models/baseline-experiment.ts on a small built dataset written here (windows whose class shifts
// one channel, as test/experiments-run.test.ts): a baseline's TPE search (two trials, in process) leaves the same
// result files as SafeNet's under .../<baseline>/ds03/, metrics.json equals the evaluation of predictions.csv read
// back, the model learned; a second run reuses the result; Table 2 rows carry the paper's row of that baseline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { selectBackend } from '../lib/backend/backend';
import { PROFILES, Profile } from '../lib/core/config';
import { evaluate } from '../lib/evaluation/metrics';
import { readPredictionsCsv } from '../lib/evaluation/predictions';
import { readTrials } from '../lib/tuning/trials';
import { ExperimentSpec } from '../lib/experiments/run';
import { baselineResultDir, baselineTable2Rows, runBaselineExperiment } from '../lib/models/baseline-experiment';
import { tempDirs, writeToyDataset } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);


/** The toy DataSet 03 of test/helpers.ts (its own random stream). */
const writeDataset = (dir: string) => writeToyDataset(dir, 'baselines-experiment');

const spec: ExperimentSpec = { source: 'simulated', protocol: 'paper', selection: 'validation', datasetId: 3 };
const profile: Profile = { ...PROFILES.smoke, training: { epochs: 3, maxTrainWindows: 120, tpeEvaluations: 2 } };

test('GBM and DNN experiments: result files as SafeNet\'s, metrics from the predictions, reuse, Table 2 rows', async () => {
  // the backend the objective selects (it is part of a result's hash)
  await selectBackend({ log: () => undefined });
  const root = tempDir('baseline-results-');
  const dsDir = path.join(tempDir('baseline-dataset-'), 'ds03');
  const summary = writeDataset(dsDir);
  const lines: string[] = [];
  const o = { root, inProcess: true, profile, dataset: { dir: dsDir, hash: 'testhash', summary }, log: (l: string) => lines.push(l) };
  const results = [];
  for (const name of ['GBM', 'DNN'] as const) {
    const r = await runBaselineExperiment(name, spec, o);
    const dir = baselineResultDir(name, spec, root);
    assert.is(r.dir, dir);
    assert.ok(dir.endsWith(path.join(name.toLowerCase(), 'ds03')));
    for (const f of ['trials.jsonl', 'model/model.json', 'config.json', 'predictions.csv', 'validation-predictions.csv', 'metrics.json', 'result.json']) {
      assert.ok(fs.existsSync(path.join(dir, f)), `${name}: ${f}`);
    }
    assert.is(readTrials(path.join(dir, 'trials.jsonl')).trials.length, 2);
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    assert.is(cfg.method, name);
    assert.is(cfg.trainWindows, 120);
    const pred = readPredictionsCsv(path.join(dir, 'predictions.csv'));
    const again = evaluate(pred.yTrue, pred.proba, 3);
    assert.ok(Math.abs(again.mcc - r.metrics.test.mcc) < 1e-9, name);
    assert.is(new Set(pred.eventIds).size, 6);
    if (name === 'GBM') assert.ok(r.metrics.test.mcc > 0.5, `GBM test MCC ${r.metrics.test.mcc}`);
    const reused = await runBaselineExperiment(name, spec, o);
    assert.is(reused.reused, true, lines.slice(-3).join('\n'));
    results.push(r);
  }
  const rows = baselineTable2Rows(results);
  assert.equal(rows.map((r) => r.method), ['GBM', 'DNN']);
  // the paper's Table 2, DataSet 03: GBM MCC 0.613, DNN MCC 0.660
  assert.is(rows[0].cells.mcc.paper, 0.613);
  assert.is(rows[1].cells.mcc.paper, 0.66);
  assert.ok(Math.abs(rows[0].cells.mcc.diff! - (results[0].metrics.test.mcc - 0.613)) < 1e-12);
});

test.run();
