// Tests for lib/experiments/run.ts, objective.ts and table2.ts on a small built dataset written here (windows
// whose class shifts one channel): a search of two trials (in process) leaves trials.jsonl, model/, config.json,
// predictions.csv with event ids and metrics.json; metrics.json equals the evaluation of predictions.csv read
// back; the model learned (test MCC well above 0); a second run reuses the result, a changed budget rebuilds it
// and says why; Table 2 puts the paper's value beside ours with diff = ours - paper; the paper's protocol
// (choice by test F1) keeps the trial with the best test F1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { selectBackend } from '../lib/backend/backend';
import { PROFILES, Profile } from '../lib/core/config';
import { evaluate } from '../lib/evaluation/metrics';
import { readPredictionsCsv } from '../lib/evaluation/predictions';
import { readTrials } from '../lib/tuning/trials';
import { ExperimentSpec, resultDir, runExperiment } from '../lib/experiments/run';
import { flatTable2, table2Rows, writeTable2 } from '../lib/experiments/table2';
import { readPaperTable2 } from '../lib/experiments/paper';
import { tempDirs, writeToyDataset } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);


/** The toy DataSet 03 of test/helpers.ts (its own random stream). */
const writeDataset = (dir: string) => writeToyDataset(dir, 'experiments-run');

const spec: ExperimentSpec = { source: 'simulated', protocol: 'paper', selection: 'validation', datasetId: 3 };
const profile = (tpe: number): Profile => ({ ...PROFILES.smoke, training: { epochs: 4, maxTrainWindows: 120, tpeEvaluations: tpe } });

test('a search, the chosen model, predictions with event ids, metrics; reuse and rebuild with a reason', async () => {
  await selectBackend({ log: () => undefined });
  const root = tempDir('results-');
  const dsDir = path.join(tempDir('dataset-'), 'ds03');
  const summary = writeDataset(dsDir);
  const lines: string[] = [];
  const o = { root, inProcess: true, dataset: { dir: dsDir, hash: 'testhash', summary }, log: (l: string) => lines.push(l) };
  const r = await runExperiment(spec, { ...o, profile: profile(2) });
  const dir = resultDir(spec, root);
  assert.is(r.dir, dir);
  assert.is(r.reused, false);
  for (const f of ['trials.jsonl', 'model/model.json', 'model/weights.bin', 'config.json', 'predictions.csv', 'validation-predictions.csv', 'metrics.json', 'result.json']) {
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  }
  const trials = readTrials(path.join(dir, 'trials.jsonl'));
  assert.is(trials.trials.length, 2);
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  assert.is(cfg.dataset.hash, 'testhash');
  assert.is(cfg.chosen.chosenOn, 'validation');
  assert.is(cfg.chosen.loss, Math.min(...trials.trials.map((t) => t.loss!)));
  assert.is(cfg.standardiser.fittedOn.windows, 18 * 8);
  assert.is(cfg.classWeights.length, 3);
  assert.ok(cfg.history.length >= 1 && cfg.history[0].validationLoss > 0);
  // predictions: the 6 test events' 48 windows, with event ids; metrics.json is their evaluation
  const pred = readPredictionsCsv(path.join(dir, 'predictions.csv'));
  assert.is(pred.yTrue.length, 48);
  assert.equal([...new Set(pred.eventIds)].sort(), ['ev24', 'ev25', 'ev26', 'ev27', 'ev28', 'ev29']);
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
  const again = evaluate(pred.yTrue, pred.proba, 3);
  assert.is(m.test.mcc, again.mcc);
  assert.is(m.test.f1_micro, again.f1_micro);
  assert.equal(m.test.confusion_matrix, again.confusion_matrix);
  assert.is(m.bootstrap.events, 6);
  assert.ok(m.test.mcc > 0.5, `the model should learn the channel shifts: test MCC ${m.test.mcc}`);
  // unchanged: reused; more evaluations: rebuilt with the reason, the two finished trials resumed
  const r2 = await runExperiment(spec, { ...o, profile: profile(2) });
  assert.is(r2.reused, true, lines.join('\n'));
  assert.ok(lines.some((l) => /DataSet 03: up to date/.test(l)));
  const r3 = await runExperiment(spec, { ...o, profile: profile(3) });
  assert.is(r3.reused, false);
  assert.match(r3.reasons.join(' '), /config: budget/);
  assert.ok(lines.some((l) => /2 finished already, 1 to run/.test(l)), lines.join('\n'));
  assert.is(readTrials(path.join(dir, 'trials.jsonl')).trials.length, 3);
  // Table 2
  const rows = table2Rows([r3]);
  const paper3 = readPaperTable2().find((p) => p.method === 'SafeNet' && p.dataset === 3)!;
  assert.is(rows[0].cells.mcc.paper, paper3.mcc);
  assert.is(rows[0].cells.mcc.ours, r3.metrics.test.mcc);
  assert.is(rows[0].cells.mcc.diff, r3.metrics.test.mcc - paper3.mcc);
  assert.is(rows[0].cells.f1.ours, r3.metrics.test.f1_micro);
  assert.is(rows[0].cells.auc1.paper, paper3.auc[1]);
  const files = writeTable2(rows, 'test', root);
  const csv = fs.readFileSync(files.csv, 'utf8');
  assert.match(csv.split('\n')[0], /^method,dataset,protocol,source,mcc,mcc_ci,mcc_paper,mcc_diff,/);
  assert.is(flatTable2(rows)[0].mcc_paper, 0.717);
  assert.is(JSON.parse(fs.readFileSync(files.json, 'utf8')).rows.length, 1);
});

test("the paper's protocol chooses by test F1: its chosen trial has the best test F1 (macro) of the trials", async () => {
  await selectBackend({ log: () => undefined });
  const root = tempDir('results-paper-');
  const dsDir = path.join(tempDir('dataset-'), 'ds03');
  const summary = writeDataset(dsDir);
  const paperSpec: ExperimentSpec = { ...spec, selection: 'paper-test-set' };
  const r = await runExperiment(paperSpec, { root, inProcess: true, dataset: { dir: dsDir, hash: 'h', summary }, profile: profile(2), log: () => undefined });
  assert.match(r.dir, /paper-paper-test-set/);
  assert.is(r.config.chosen.chosenOn, 'test');
  const trials = readTrials(path.join(r.dir, 'trials.jsonl')).trials;
  const bestTest = Math.max(...trials.map((t) => (t.result.test as { f1_macro: number }).f1_macro));
  assert.is(r.config.chosen.loss, -bestTest);
  assert.is(r.metrics.test.f1_macro, bestTest);
});

test.run();
