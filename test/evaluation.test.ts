// Tests for lib/evaluation and scripts/evaluate.ts: every metric against scikit-learn 1.2.1 (Debian's
// python3-sklearn) on fixed inputs with ties, absent classes, perfect and chance predictions (fixtures made by
// test/fixtures/evaluation/make_fixtures.py, committed, so sklearn is not needed here); `npm run evaluate` on a
// predictions file to 1e-9; bad files rejected naming the line; event bootstrap invariants.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { evaluate, matthewsCorrcoef, rocAuc, ternaryData, argmaxRows, column } from '../lib/evaluation/metrics';
import { parsePredictionsCsv, readPredictionsCsv, writePredictionsCsv } from '../lib/evaluation/predictions';
import { bootstrapByEvent, percentile } from '../lib/evaluation/bootstrap';
import { Rng } from '../lib/core/random';
import { expectError, tempDirs } from './helpers';

const FIX = path.join(__dirname, 'fixtures', 'evaluation');
const ROOT = path.join(__dirname, '..');
const fixture = JSON.parse(fs.readFileSync(path.join(FIX, 'sklearn-metrics.json'), 'utf8'));
const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

const TOL = 1e-9;

function close(a: unknown, b: unknown, where: string): void {
  if (b === null || a === null) {
    assert.is(a, b, `${where}: ${JSON.stringify(a)} vs sklearn ${JSON.stringify(b)}`);
    return;
  }
  if (typeof b === 'number') {
    assert.type(a, 'number', where);
    assert.ok(Math.abs((a as number) - b) <= TOL, `${where}: ${a} vs sklearn ${b}`);
    return;
  }
  if (Array.isArray(b)) {
    assert.ok(Array.isArray(a), `${where}: not an array`);
    assert.is((a as unknown[]).length, b.length, `${where}: length`);
    b.forEach((v, i) => close((a as unknown[])[i], v, `${where}[${i}]`));
    return;
  }
  if (typeof b === 'object') {
    for (const k of Object.keys(b as object)) close((a as any)[k], (b as any)[k], `${where}.${k}`);
    return;
  }
  assert.is(a, b, where);
}

const KEYS = ['confusion_matrix', 'accuracy', 'f1_micro', 'f1_macro', 'f1_weighted', 'f1_per_class', 'precision_per_class',
  'recall_per_class', 'support_per_class', 'mcc', 'roc_auc_per_class', 'roc_curve_per_class'];

for (const [name, c] of Object.entries<any>(fixture.cases)) {
  test(`metrics equal scikit-learn's on the '${name}' case`, () => {
    const m = evaluate(c.y_true, (c.proba as number[][]).flat(), 3) as any;
    for (const k of KEYS) close(m[k], c.expected[k], `${name}.${k}`);
  });
}

test('the fixture cases cover ties, absent classes, perfect and chance predictions', () => {
  const cs = fixture.cases;
  assert.is(cs.perfect.expected.mcc, 1);
  assert.equal(cs.perfect.expected.roc_auc_per_class, [1, 1, 1]);
  assert.is(cs.absent.expected.roc_auc_per_class[2], null);
  assert.is(cs.constant.expected.mcc, 0);
  assert.ok(Math.abs(cs.chance.expected.mcc) < 0.15);
  // argmax ties: [0.4, 0.4, 0.2] goes to class 0, [0.2, 0.4, 0.4] to class 1
  assert.equal(Array.from(argmaxRows([0.4, 0.4, 0.2, 0.2, 0.4, 0.4, 1 / 3, 1 / 3, 1 / 3])), [0, 1, 0]);
});

test('npm run evaluate on a predictions file gives scikit-learn numbers to 1e-9', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'evaluate.ts'), path.join(FIX, 'predictions.csv')], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  for (const k of KEYS) close(m[k], fixture.cases.general.expected[k], `evaluate.${k}`);
});

test('npm run evaluate rejects a bad file with the line number and exit code 1', () => {
  const d = tempDir('evaluate-');
  const f = path.join(d, 'bad.csv');
  fs.writeFileSync(f, 'y_true,p0,p1,p2\n0,0.5,0.5,0\n3,0.2,0.3,0.5\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'evaluate.ts'), f], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.match(r.stderr, /line 3: y_true is '3'/);
});

test('bad predictions are errors naming the line', () => {
  expectError(() => parsePredictionsCsv('y_true,p0,p2\n0,0.5,0.5\n', 'f.csv'), /f\.csv: line 1: missing column p1/);
  expectError(() => parsePredictionsCsv('y_true,p0,p1,p2\n0,0.5,0.5,0\n1,0.5,0.5,0.1\n', 'f.csv'), /f\.csv: line 3: probabilities sum to 1\.1/);
  expectError(() => parsePredictionsCsv('y_true,p0,p1,p2\n0,0.5,0.5,0\n\n1,0.5,0.5,0\n2,0.5,0.5,0\n5,0.2,0.3,0.5\n', 'f.csv'), /line 6: y_true is '5'/);
  expectError(() => parsePredictionsCsv('y_true,p0,p1,p2\n0,NaN,0.5,0.5\n', 'f.csv'), /line 2: p0 is 'NaN', not a number/);
  expectError(() => parsePredictionsCsv('y_true,p0,p1,p2\n0,0.5,0.5\n', 'f.csv'), /line 2: 3 fields, the header has 4/);
  expectError(() => parsePredictionsCsv('y_true,p0,p1,p2\n1.5,0.5,0.5,0\n', 'f.csv'), /line 2: y_true is '1\.5'/);
  expectError(() => parsePredictionsCsv('y_true,p0,p1,p2,event_id\n1,0.5,0.5,0,\n', 'f.csv'), /line 2: event_id is empty/);
  // within 1e-6 of 1 is accepted
  const p = parsePredictionsCsv('y_true,p0,p1,p2\n2,0.3333333,0.3333333,0.3333333\n', 'f.csv');
  assert.is(p.yTrue[0], 2);
});

test('predictions round trip through CSV exactly, event ids included', () => {
  const d = tempDir('predictions-');
  const f = path.join(d, 'sub', 'p.csv');
  const proba = [0.1, 0.2, 0.7, 1 / 3, 1 / 3, 1 / 3, 0.123456789012345, 0.5, 1 - 0.5 - 0.123456789012345];
  writePredictionsCsv(f, { yTrue: [2, 0, 1], proba, eventIds: ['eq 1, "a"', 'ns-2', 'eq-3'] });
  const r = readPredictionsCsv(f);
  assert.equal(Array.from(r.yTrue), [2, 0, 1]);
  assert.equal(Array.from(r.proba), proba);
  assert.equal(r.eventIds, ['eq 1, "a"', 'ns-2', 'eq-3']);
  assert.equal(fs.readdirSync(path.dirname(f)), ['p.csv']);
});

test('binary helpers: MCC by hand, AUC equal to the one-vs-rest AUC of sklearn', () => {
  // TP 1, FN 1, TN 2, FP 0: (1*2 - 0*1) / sqrt(1*2*2*3)
  assert.ok(Math.abs(matthewsCorrcoef([1, 1, 0, 0], [1, 0, 0, 0]) - 2 / Math.sqrt(12)) < 1e-15);
  const g = fixture.cases.general;
  const proba = (g.proba as number[][]).flat();
  const y1 = (g.y_true as number[]).map((y) => (y === 1 ? 1 : 0));
  close(rocAuc(y1, column(proba, 1, 3)), g.expected.roc_auc_per_class[1], 'rocAuc');
  assert.is(rocAuc([1, 1, 1], [0.2, 0.5, 0.9]), null);
});

test('ternary data puts each pure class at its vertex', () => {
  const t = ternaryData([0, 1, 2, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1 / 3, 1 / 3, 1 / 3]);
  close([t[0].x, t[0].y, t[1].x, t[1].y, t[2].x, t[2].y], [0, 0, 1, 0, 0.5, Math.sqrt(3) / 2], 'vertices');
  close([t[3].x, t[3].y], [0.5, Math.sqrt(3) / 6], 'centre');
  assert.is(t[2].y_pred, 2);
});

test('percentile is numpy linear interpolation', () => {
  assert.ok(Math.abs(percentile([4, 1, 3, 2], 0.025) - 1.075) < 1e-12);
  assert.ok(Math.abs(percentile([4, 1, 3, 2], 0.975) - 3.925) < 1e-12);
  assert.is(percentile([5], 0.5), 5);
});

test('bootstrap resamples events: repeating every window of an event leaves the intervals unchanged', () => {
  const g = fixture.cases.general;
  const y: number[] = g.y_true.slice(0, 120);
  const proba: number[] = (g.proba as number[][]).slice(0, 120).flat();
  const ids = y.map((_, i) => `e${i}`);
  const a = bootstrapByEvent(y, proba, ids, { n: 200, seed: 11 });
  // each event now has 4 identical windows: an event resample draws the same events, so every metric is the same;
  // a window resample would not be (it would split events)
  const y4: number[] = [], p4: number[] = [], ids4: string[] = [];
  y.forEach((v, i) => {
    for (let r = 0; r < 4; r++) {
      y4.push(v);
      p4.push(...proba.slice(3 * i, 3 * i + 3));
      ids4.push(ids[i]);
    }
  });
  const b = bootstrapByEvent(y4, p4, ids4, { n: 200, seed: 11 });
  assert.is(b.events, 120);
  assert.is(b.windows, 480);
  for (const k of Object.keys(a.intervals)) close([b.intervals[k].lo, b.intervals[k].hi, b.intervals[k].estimate], [a.intervals[k].lo, a.intervals[k].hi, a.intervals[k].estimate], k);
  // intervals bracket the estimate, are seeded, and have the expected metrics
  for (const [k, iv] of Object.entries(a.intervals)) assert.ok(iv.lo <= iv.estimate + 1e-12 && iv.estimate <= iv.hi + 1e-12, k);
  assert.equal(Object.keys(a.intervals).sort(), ['accuracy', 'f1_macro', 'f1_micro', 'f1_weighted', 'mcc', 'roc_auc_0', 'roc_auc_1', 'roc_auc_2']);
  assert.equal(bootstrapByEvent(y, proba, ids, { n: 200, seed: 11 }), a);
  assert.not.equal(bootstrapByEvent(y, proba, ids, { n: 200, seed: 12 }).intervals.mcc, a.intervals.mcc);
  expectError(() => bootstrapByEvent(y, proba, ids.slice(1), { n: 10, seed: 1 }), /120 windows but 119 event ids/);
});

test('a bootstrap replicate scored from weights equals the materialised resample scored by evaluate', () => {
  const g = fixture.cases.general;
  const y: number[] = g.y_true;
  const proba: number[] = (g.proba as number[][]).flat();
  const ids = y.map((_, i) => `e${Math.floor(i / 5)}`); // 80 events of 5 windows, scores with many ties
  for (let seed = 1; seed <= 4; seed++) {
    const b = bootstrapByEvent(y, proba, ids, { n: 1, seed });
    // the same draws, done naively: events in order of first appearance, one uniform index per event
    const rng = new Rng(seed, 'bootstrap-by-event');
    const yy: number[] = [], pp: number[] = [];
    for (let e = 0; e < 80; e++) {
      const ev = rng.int(80);
      for (let i = ev * 5; i < ev * 5 + 5; i++) {
        yy.push(y[i]);
        pp.push(...proba.slice(3 * i, 3 * i + 3));
      }
    }
    const m = evaluate(yy, pp, 3);
    const want: Record<string, number | null> = { accuracy: m.accuracy, f1_micro: m.f1_micro, f1_macro: m.f1_macro, f1_weighted: m.f1_weighted, mcc: m.mcc };
    m.roc_auc_per_class.forEach((a, k) => (want[`roc_auc_${k}`] = a));
    for (const [k, v] of Object.entries(want)) {
      if (v === null) assert.not.ok(k in b.intervals);
      else close([b.intervals[k].lo, b.intervals[k].hi], [v, v], `seed ${seed} ${k}`);
    }
  }
});

test.run();
