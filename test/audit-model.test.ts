// The model audit's scoring (lib/audit/model-scores.ts, model-audit.ts, optimism.ts, per-event.ts) on toy data whose
// answer is known by construction: a model whose class-1 score follows latitude on a null dataset is found separable
// and latitude is named as the cause, a score independent of the class is not separable; the optimism gap is
// exactly zero when validation and test give the same choice and equals the two trials' test-score difference when
// they do not; weighted AUCs equal the evaluation's AUC; per-event detection rates and distances.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rngFor } from '../lib/core/random';
import { evaluate } from '../lib/evaluation/metrics';
import { WindowMeta } from '../lib/datasets/windows';
import { saveProbabilities, trialDir } from '../lib/experiments/objective';
import { binaryView, eventBootstrap, rank, separation, weightedAuc } from '../lib/audit/model-scores';
import { explainSeparation } from '../lib/audit/model-audit';
import { optimismOfSearch } from '../lib/audit/optimism';
import { greatCircleKm, perEventRows } from '../lib/audit/per-event';

const BOOT = { replicates: 300, level: 0.95 };

/** A toy null dataset: 80 events of 6 windows; class 1 events sit at low latitude more often (a placement shortcut). */
function toy(stream: string) {
  const r = rngFor('test', stream);
  const nEv = 80, per = 6, N = nEv * per;
  const meta: WindowMeta = {
    eventIndex: new Int32Array(N), label: new Uint8Array(N), startTime: new Float64Array(N), latitude: new Float32Array(N),
    longitude: new Float32Array(N), localTime: new Float32Array(N), kp: new Float32Array(N),
  };
  for (let e = 0; e < nEv; e++) {
    const y = e % 2;
    const lat = y === 1 ? r.uniform(-45, 45) : r.uniform(-85, 85);
    for (let j = 0; j < per; j++) {
      const w = e * per + j;
      meta.eventIndex[w] = e;
      meta.label[w] = y;
      meta.startTime[w] = Date.UTC(2016, (e * 5) % 12, 1 + j);
      meta.latitude[w] = lat + r.normal();
      meta.longitude[w] = r.uniform(-180, 180);
      meta.localTime[w] = r.uniform(0, 24);
      meta.kp[w] = r.uniform(0, 3);
    }
  }
  return { meta, N, r };
}

function probsFromScore(score: ArrayLike<number>): Float64Array {
  const p = new Float64Array(score.length * 3);
  for (let i = 0; i < score.length; i++) {
    p[3 * i] = 0.9 * (1 - score[i]);
    p[3 * i + 1] = 0.9 * score[i];
    p[3 * i + 2] = 0.1;
  }
  return p;
}

test('a score that follows latitude on a null dataset is separable, and latitude is named; a class-blind score is not', () => {
  const { meta, N, r } = toy('audit-model separable');
  const rows = Array.from({ length: N }, (_, i) => i);
  const events = rows.map((w) => `ev${meta.eventIndex[w]}`);
  // a "model" that learned the placement shortcut: high class-1 score near the equator
  const shortcut = Float64Array.from(rows, (w) => 1 / (1 + Math.exp((Math.abs(meta.latitude[w]) - 50) / 8)) * 0.8 + 0.1 * r.next());
  const v = binaryView(meta.label, probsFromScore(shortcut), events);
  const s = separation(v, { ...BOOT, seed: 'toy separable' });
  assert.ok(s.separable, `separable (AUC ${JSON.stringify(s.auc)})`);
  assert.ok(s.auc!.lo > 0.5);
  const ex = explainSeparation(v, meta, v.rows, s.auc!.estimate, { ...BOOT, seed: 'toy explain' });
  assert.is(ex.explainedBy, 'latitude band');
  const lat = ex.residualAuc.find((x) => x.feature === 'latitude band')!.auc!;
  const lt = ex.residualAuc.find((x) => x.feature === 'local time')!.auc!;
  assert.ok(Math.abs(lat.estimate - 0.5) < Math.abs(lt.estimate - 0.5), 'removing latitude takes the AUC back towards 0.5, local time does not');
  // a score drawn independently of the class: no verdict of separation
  const blind = Float64Array.from(rows, () => r.next());
  const b = separation(binaryView(meta.label, probsFromScore(blind), events), { ...BOOT, seed: 'toy blind' });
  assert.not.ok(b.separable, `not separable (AUC ${JSON.stringify(b.auc)}, MCC ${JSON.stringify(b.mcc)})`);
  assert.ok(b.auc!.lo <= 0.5 && b.auc!.hi >= 0.5);
});

test('weighted AUC with unit weights equals the evaluation AUC (ties included); the bootstrap is seeded', () => {
  const y = Uint8Array.from([0, 1, 1, 0, 1, 0, 0, 1, 1, 0]);
  const s = Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.7, 0.4, 0.2, 0.9, 0.4, 0.5]);
  const auc = weightedAuc(rank(s), y, new Float64Array(10).fill(1))!;
  const p = new Float64Array(20);
  s.forEach((x, i) => { p[2 * i] = 1 - x; p[2 * i + 1] = x; });
  assert.ok(Math.abs(auc - evaluate(y, p, 2).roc_auc_per_class[1]!) < 1e-12);
  const ev = Array.from(y, (_, i) => `e${i % 4}`);
  const a = eventBootstrap(ev, (w) => ({ auc: weightedAuc(rank(s), y, w) }), { ...BOOT, seed: 'x' });
  const b = eventBootstrap(ev, (w) => ({ auc: weightedAuc(rank(s), y, w) }), { ...BOOT, seed: 'x' });
  assert.equal(a, b);
});

/** A result folder with one search's trials: each trial's validation and test scores and its saved test probabilities. */
function writeSearch(dir: string, labels: Uint8Array, testRows: Uint32Array, trials: { val: number; test: number; probs: Float64Array }[]) {
  const lines = [JSON.stringify({ type: 'search', algo: 'tpe' })];
  trials.forEach((t, tid) => {
    lines.push(JSON.stringify({
      type: 'trial', tid, vals: {}, params: {}, seed: tid, status: 'ok', loss: -t.val,
      result: { validation: { f1_macro: t.val }, test: { f1_macro: t.test } }, startedAt: '', seconds: 0, worker: 0,
    }));
    const d = trialDir(path.join(dir, 'trials'), tid);
    fs.mkdirSync(d, { recursive: true });
    saveProbabilities(d, 'test', { rows: testRows, labels: Uint8Array.from(testRows, (r) => labels[r]), probs: t.probs });
  });
  fs.writeFileSync(path.join(dir, 'trials.jsonl'), lines.join('\n') + '\n');
}

test('protocol optimism: zero gap when validation and test choose alike; otherwise the test-score difference of the two trials', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-optimism-'));
  try {
    const r = rngFor('test', 'audit optimism');
    const n = 120;
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const probs = () => {
      const p = new Float64Array(n * 3);
      for (let i = 0; i < n; i++) {
        const a = r.next() + (r.next() < 0.5 ? (labels[i] === 0 ? 1 : 0) : 0), b = r.next() + (labels[i] === 1 ? 0.6 : 0), c = r.next();
        p[3 * i] = a / (a + b + c); p[3 * i + 1] = b / (a + b + c); p[3 * i + 2] = c / (a + b + c);
      }
      return p;
    };
    const P = [probs(), probs(), probs()];
    const ev = (row: number) => `e${row % 30}`;
    const o = { objective: 'f1_macro', ...BOOT, seed: 'optimism test', run: 'signal' as const };
    // validation and test the same: the same trial is chosen both ways
    const same = path.join(dir, 'same');
    writeSearch(same, labels, rows, [{ val: 0.4, test: 0.4, probs: P[0] }, { val: 0.6, test: 0.6, probs: P[1] }, { val: 0.5, test: 0.5, probs: P[2] }]);
    const g0 = optimismOfSearch(same, labels, ev, 'toy', 'paper', o);
    assert.is(g0.chosenOnTest.tid, g0.chosenOnValidation.tid);
    assert.equal([g0.gapF1.estimate, g0.gapF1.lo, g0.gapF1.hi, g0.gapMcc.estimate, g0.gapMcc.lo, g0.gapMcc.hi], [0, 0, 0, 0, 0, 0]);
    assert.is(g0.source, 'one-search');
    // validation picks trial 0, test picks trial 2
    const diff = path.join(dir, 'diff');
    writeSearch(diff, labels, rows, [{ val: 0.7, test: 0.3, probs: P[0] }, { val: 0.5, test: 0.4, probs: P[1] }, { val: 0.2, test: 0.9, probs: P[2] }]);
    const g = optimismOfSearch(diff, labels, ev, 'toy', 'paper', o);
    assert.is(g.chosenOnValidation.tid, 0);
    assert.is(g.chosenOnTest.tid, 2);
    const f1 = (p: Float64Array) => evaluate(labels, p, 3).f1_micro, mcc = (p: Float64Array) => evaluate(labels, p, 3).mcc;
    assert.ok(Math.abs(g.gapF1.estimate - (f1(P[2]) - f1(P[0]))) < 1e-12);
    assert.ok(Math.abs(g.gapMcc.estimate - (mcc(P[2]) - mcc(P[0]))) < 1e-12);
    const f1m = (p: Float64Array) => evaluate(labels, p, 3).f1_macro;
    assert.ok(Math.abs(g.gapObjective.estimate - (f1m(P[2]) - f1m(P[0]))) < 1e-12);
    assert.equal([g0.gapObjective.estimate, g0.gapObjective.lo, g0.gapObjective.hi], [0, 0, 0]);
    assert.ok(g.gapF1.lo <= g.gapF1.estimate && g.gapF1.estimate <= g.gapF1.hi);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per-event rows: detection rate, mean distance from the epicentre and Kp of each event', () => {
  assert.ok(Math.abs(greatCircleKm(0, 0, 1, 0) - 111.195) < 0.01);
  const meta: WindowMeta = {
    eventIndex: Int32Array.from([5, 5, 5, 9, 9]), label: Uint8Array.from([1, 1, 1, 0, 0]), startTime: new Float64Array(5),
    latitude: Float32Array.from([0, 1, 0, 10, 10]), longitude: Float32Array.from([0, 0, 1, 20, 20]), localTime: new Float32Array(5),
    kp: Float32Array.from([1, 2, 3, 0, 0]),
  };
  const events = { index: [5, 9], id: ['us1', 'art1'], latitude: [0, 10], longitude: [0, 20], mag: [5.5, 0], seismic: [true, false] };
  // windows 0 and 2 predicted class 1, window 1 class 0; event 9's windows class 1 and 2
  const probs = Float64Array.from([0.1, 0.8, 0.1, 0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.6, 0.3, 0.1, 0.1, 0.8]);
  const rows = perEventRows(meta, events, [0, 1, 2, 3, 4], probs);
  const q = rows.find((x) => x.eventId === 'us1')!;
  assert.ok(Math.abs(q.detectionRate - 2 / 3) < 1e-12);
  assert.ok(Math.abs(q.kp! - 2) < 1e-6);
  assert.ok(Math.abs(q.distanceKm! - (111.195 * 2) / 3) < 0.05);
  assert.is(q.magnitude, 5.5);
  const a = rows.find((x) => x.eventId === 'art1')!;
  assert.is(a.detectionRate, 0.5);
  assert.is(a.magnitude, null);
});

test.run();
