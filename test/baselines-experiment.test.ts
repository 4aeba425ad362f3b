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
import { rngFor } from '../lib/core/random';
import { evaluate } from '../lib/evaluation/metrics';
import { readPredictionsCsv } from '../lib/evaluation/predictions';
import { readTrials } from '../lib/tuning/trials';
import { ExperimentSpec } from '../lib/experiments/run';
import { baselineResultDir, baselineTable2Rows, runBaselineExperiment } from '../lib/models/baseline-experiment';
import { tempDirs } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

const T = 20, F = 4;

/** A dataset folder as lib/datasets writes it: 30 events of 8 windows each, class k raises channel k by 3. */
function writeDataset(dir: string) {
  const r = rngFor('test', 'baselines-experiment');
  const nEv = 30, perEv = 8, N = nEv * perEv;
  const X = new Float32Array(N * T * F);
  const label = new Uint8Array(N), eventIndex = new Int32Array(N), split = new Uint8Array(N);
  const startTime = new Float64Array(N);
  for (let e = 0; e < nEv; e++) {
    const y = e % 3;
    for (let j = 0; j < perEv; j++) {
      const w = e * perEv + j;
      label[w] = y;
      eventIndex[w] = e;
      split[w] = e < 18 ? 0 : e < 24 ? 1 : 2;
      startTime[w] = 1.45e12 + e * 86_400_000 + j * 70_000;
      for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) X[(w * T + t) * F + f] = 100 * (f + 1) + r.normal() * 2 + (f === y ? 3 : 0);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const w = (f: string, a: NodeJS.ArrayBufferView) => fs.writeFileSync(path.join(dir, f), a);
  w('X.f32', X); w('label.u8', label); w('eventIndex.i32', eventIndex); w('split.u8', split); w('startTime.f64', startTime);
  for (const f of ['latitude.f32', 'longitude.f32', 'localTime.f32', 'kp.f32']) w(f, new Float32Array(N));
  const bySplitClass = [0, 1, 2].map((s) => [0, 1, 2].map((c) => label.filter((l, i) => l === c && split[i] === s).length));
  const summary = {
    config: { id: 3, name: 'DataSet 03' }, shape: [N, T, F], features: ['B_N', 'B_E', 'B_C', 'Ne'],
    counts: { windows: N, bySplitClass, eventsBySplit: [18, 6, 6], realEventsWithWindows: 10, artificialEventsWithWindows: 20 },
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(summary));
  fs.writeFileSync(path.join(dir, 'events.json'), JSON.stringify({ index: Array.from({ length: nEv }, (_, e) => e), id: Array.from({ length: nEv }, (_, e) => `ev${e}`) }));
  return summary as any;
}

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
