// Tests of lib/audit (issue 10) and the dataset controls it audits: kNN and logistic regression against
// scikit-learn, the event bootstrap of MCC, detrending and band energy against closed forms, ground-truth packet
// flags, storm intervals, the window-time split with gap and storms, the window ratio, matched non-seismic
// placement, the .npy export read back by numpy, and, on the smoke profile's simulated null run, that the controls
// leave every shortcut MCC's interval around 0 while the paper protocol shows the position shortcut.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { Rng } from '../lib/core/random';
import { PROFILES } from '../lib/core/config';
import { tempDirs } from './helpers';
import { fitLogistic, knnProba, logisticProba } from '../lib/audit/classifiers';
import { mccIntervalByEvent, runShortcutAudit } from '../lib/audit/shortcuts';
import { bandEnergy } from '../lib/audit/band';
import { packetFlags } from '../lib/audit/groundtruth';
import { AUDIT_PARAMS, AUDIT_REASONS } from '../lib/audit/params';
import { auditDatasetParams } from '../lib/audit/report';
import { magneticLatitude } from '../lib/audit/features';
import { detrendQuadratic } from '../lib/datasets/windows';
import { balanceByWindows, controlledSplit, DROPPED, stormIntervals } from '../lib/datasets/splits';
import { generateNonSeismic, conflictsWithReal } from '../lib/datasets/nonseismic';
import { DATASET_PARAMS, paramLeaves, protocolOf, protocolParams, REASONS } from '../lib/datasets/params';
import { exportDataset, npyFloat32 } from '../lib/datasets/export';
import { loadDataset } from '../lib/datasets/build';
import { ensureDatasets } from '../lib/datasets/cache';
import { syntheticDay } from '../lib/datasets/synthetic';
import { matthewsCorrcoef } from '../lib/evaluation/metrics';
import { SwarmStore } from '../lib/swarm/store';
import { simulateDaysParallel } from '../lib/simulation/parallel';
import { DEFAULT_SIMULATION_PARAMS, withParams as simParams } from '../lib/simulation/params';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

function py(code: string): string {
  return execFileSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
}

function blobs(n: number, seed: string) {
  const rng = new Rng(seed);
  const d = 3;
  const X = new Float64Array(n * d), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let k = 0; k < d; k++) X[i * d + k] = rng.normal(y[i] * (k === 0 ? 1.2 : 0.4), 1);
  }
  return { X, y, d };
}

let hasSklearn = true;
try { py('import sklearn'); } catch { hasSklearn = false; }

test('kNN and logistic regression equal scikit-learn', () => {
  if (!hasSklearn) assert.unreachable('python3-sklearn is a test dependency (scripts/setup.sh)');
  const tr = blobs(200, 'audit-train'), te = blobs(60, 'audit-test');
  const dir = tempDir('audit-sk-');
  fs.writeFileSync(path.join(dir, 'd.json'), JSON.stringify({ Xtr: Array.from(tr.X), ytr: Array.from(tr.y), Xte: Array.from(te.X), d: tr.d }));
  const ref = JSON.parse(py(`
import json, numpy as np
from sklearn.neighbors import KNeighborsClassifier
from sklearn.linear_model import LogisticRegression
j = json.load(open(${JSON.stringify(path.join(dir, 'd.json'))}))
Xtr = np.array(j['Xtr']).reshape(-1, j['d']); Xte = np.array(j['Xte']).reshape(-1, j['d']); y = np.array(j['ytr'])
knn = KNeighborsClassifier(n_neighbors=15).fit(Xtr, y).predict_proba(Xte)[:, 1]
lr = LogisticRegression(C=1.0, solver='newton-cg', tol=1e-9, max_iter=10000).fit(Xtr, y)
print(json.dumps({'knn': knn.tolist(), 'w': lr.coef_[0].tolist(), 'b': float(lr.intercept_[0]), 'p': lr.predict_proba(Xte)[:, 1].tolist()}))
`));
  const k = knnProba(tr.X, tr.y, te.X, tr.d, 15);
  k.forEach((v, i) => assert.ok(Math.abs(v - ref.knn[i]) < 1e-12, `knn row ${i}: ${v} vs ${ref.knn[i]}`));
  const m = fitLogistic(tr.X, tr.y, tr.d, 1);
  m.w.forEach((v, i) => assert.ok(Math.abs(v - ref.w[i]) < 1e-6, `w${i}: ${v} vs ${ref.w[i]}`));
  assert.ok(Math.abs(m.b - ref.b) < 1e-6);
  logisticProba(m, te.X, te.d).forEach((v, i) => assert.ok(Math.abs(v - ref.p[i]) < 1e-6));
});

test('MCC bootstrap over events: point estimate is the MCC; an interval brackets it; constant predictions give 0', () => {
  const rng = new Rng('audit-mcc');
  const y: number[] = [], p: number[] = [], e: number[] = [];
  for (let ev = 0; ev < 40; ev++) for (let w = 0; w < 5; w++) {
    y.push(ev % 2);
    p.push(rng.next() < 0.8 ? ev % 2 : 1 - (ev % 2));
    e.push(ev);
  }
  const iv = mccIntervalByEvent(y, p, e, 500, 0.95, 'x');
  assert.ok(Math.abs(iv.estimate - matthewsCorrcoef(y, p, 2)) < 1e-12);
  assert.ok(iv.lo < iv.estimate && iv.estimate < iv.hi && iv.lo > 0);
  assert.is(iv.events, 40);
  const z = mccIntervalByEvent(y, y.map(() => 0), e, 100, 0.95, 'x');
  assert.equal([z.estimate, z.lo, z.hi], [0, 0, 0]);
});

test('detrendQuadratic removes a quadratic exactly; band energy finds 0.2 Hz and not 0.05 Hz', () => {
  const T = 70;
  const v = Float64Array.from({ length: T }, (_, j) => 3 + 0.5 * j - 0.01 * j * j);
  detrendQuadratic(v, T);
  assert.ok(v.every((x) => Math.abs(x) < 1e-9));
  const X = new Float32Array(2 * T);
  for (let j = 0; j < T; j++) {
    X[j] = Math.sin(2 * Math.PI * 0.2 * j) + 100 + 2 * j; // window 0: 0.2 Hz on a trend
    X[T + j] = Math.sin(2 * Math.PI * (3.5 / 70) * j); // window 1: 0.05 Hz
  }
  const e = bandEnergy(X, T, 1, 0, [0.1, 0.5]);
  // a unit sinusoid on an exact DFT bin carries T/4 power in that bin (|X_k|^2 / T with |X_k| = T / 2)
  assert.ok(Math.abs(e[0] - T / 4) / (T / 4) < 0.02, `0.2 Hz energy ${e[0]}`);
  assert.ok(e[1] < 0.05 * e[0], `0.05 Hz leaks ${e[1]}`);
});

test('packet flags: at least minOverlap seconds of an injected span', () => {
  const t0 = Date.parse('2016-02-01T00:00:00Z');
  const spans = { start: Float64Array.of(t0 + 60_000), end: Float64Array.of(t0 + 90_000) };
  const starts = Float64Array.of(t0, t0 + 10_000, t0 + 85_000, t0 + 200_000);
  // window [t0, t0+69 s] overlaps 60..69 s = 10 samples; [10, 79] 20; [85, 154] 6; [200, ...] none
  assert.equal(Array.from(packetFlags(starts, 70, spans, 10)), [1, 1, 0, 0]);
});

test('storms: Kp slots above the threshold joined across short quiet spells', () => {
  const H = 3_600_000;
  const kp = { time: Float64Array.from({ length: 16 }, (_, k) => k * 3 * H), Kp: Float64Array.of(1, 4, 4.3, 1, 1, 5, 1, 1, 1, 1, 1, 1, 1, 4, 1, 1) };
  assert.equal(stormIntervals(kp, 3, 6), [[3 * H, 18 * H], [39 * H, 42 * H]]);
  assert.equal(stormIntervals(kp, 3, 0), [[3 * H, 9 * H], [15 * H, 18 * H], [39 * H, 42 * H]]);
});

test('window-time split: a gap with no window at each boundary, boundaries out of storms, each event in one split', () => {
  const DAY = 86_400_000;
  const rng = new Rng('audit-split');
  const ev: number[] = [], st: number[] = [];
  for (let e = 0; e < 200; e++) {
    const t = e * 2 * DAY;
    for (let w = 0; w < 10; w++) { ev.push(e); st.push(t + rng.uniform(-15, 5) * DAY); }
  }
  const order = st.map((_, i) => i).sort((a, b) => st[a] - st[b]);
  const eventIndex = Int32Array.from(order, (i) => ev[i]), windowStart = Float64Array.from(order, (i) => st[i]);
  const storm: [number, number] = [280 * DAY, 284 * DAY];
  const r = controlledSplit(eventIndex, windowStart, { testFraction: 0.2, validationFraction: 0.1, gapDays: 20 }, [storm], 70_000);
  const of = new Map<number, number>();
  let lastTrain = -Infinity, firstVal = Infinity, lastVal = -Infinity, firstTest = Infinity;
  const inStorm = new Set<number>();
  for (let w = 0; w < r.split.length; w++) {
    const s = r.split[w];
    if (s === DROPPED) continue;
    if (of.has(eventIndex[w])) assert.is(of.get(eventIndex[w]), s);
    of.set(eventIndex[w], s);
    if (s === 0) lastTrain = Math.max(lastTrain, windowStart[w] + 70_000);
    if (s === 1) { firstVal = Math.min(firstVal, windowStart[w]); lastVal = Math.max(lastVal, windowStart[w] + 70_000); }
    if (s === 2) firstTest = Math.min(firstTest, windowStart[w]);
    if (windowStart[w] + 70_000 > storm[0] && windowStart[w] < storm[1]) inStorm.add(s);
  }
  assert.ok(firstVal - lastTrain >= 20 * DAY && firstTest - lastVal >= 20 * DAY, `gaps ${(firstVal - lastTrain) / DAY} ${(firstTest - lastVal) / DAY}`);
  assert.ok(inStorm.size <= 1, 'a storm feeds two splits');
  const kept = r.split.filter((s) => s !== DROPPED).length;
  assert.ok(kept > 0.6 * r.split.length, `kept ${kept}`);
});

test('ratio in windows: class-0 windows at most k x class-1 per split; whole artificial events dropped', () => {
  const eventIndex: number[] = [], label: number[] = [], split: number[] = [];
  for (let e = 0; e < 60; e++) {
    const art = e % 3 !== 0;
    for (let w = 0; w < (art ? 18 : 10); w++) { eventIndex.push(e); label.push(art ? 0 : 1); split.push(e < 40 ? 0 : 2); }
  }
  const r = balanceByWindows(Int32Array.from(eventIndex), Uint8Array.from(label), Uint8Array.from(split), (e) => e % 3 !== 0, 1, (s, n) => new Rng('bal', s).permutation(n));
  for (const s of [0, 2]) {
    let c0 = 0, c1 = 0;
    eventIndex.forEach((e, w) => { if (split[w] === s && !r.drop[w]) (label[w] ? c1++ : c0++); });
    assert.ok(c0 <= c1 && c0 > 0.5 * c1, `split ${s}: ${c0} vs ${c1}`);
  }
  const byEvent = new Map<number, Set<number>>();
  eventIndex.forEach((e, w) => byEvent.set(e, (byEvent.get(e) ?? new Set()).add(r.drop[w])));
  assert.ok([...byEvent.values()].every((s) => s.size === 1));
});

test('matched placement: artificial events sit on real epicentres, at real event times, outside every exclusion zone', () => {
  const DAY = 86_400_000;
  const rng = new Rng('audit-matched');
  const n = 80;
  const real = { time: Float64Array.from({ length: n }, (_, i) => i * 0.5 * DAY), latitude: Float64Array.from({ length: n }, () => rng.uniform(-40, 40)), longitude: Float64Array.from({ length: n }, () => rng.uniform(-180, 180)) };
  const o = { ratio: 2, from: 0, to: 40 * DAY, latRange: [-60, 60] as [number, number], exclusionDeg: 10, exclusionDays: 15, orReading: 'box' as const, maxTries: 10_000, placement: 'matched' as const, donors: real };
  const r = generateNonSeismic(Array.from({ length: n }, (_, i) => `r${i}`), real, o);
  assert.is(r.failed, 0);
  for (let k = 0; k < r.time.length; k++) {
    const j = real.latitude.findIndex((v, i) => v === r.latitude[k] && real.longitude[i] === r.longitude[k]);
    assert.ok(j >= 0, 'not a real epicentre');
    assert.ok(real.time.includes(r.time[k]), 'not a real event time');
    assert.not.ok(conflictsWithReal(r.time[k], r.latitude[k], r.longitude[k], real, o));
  }
});

test('protocols: paper is DATASET_PARAMS, controlled changes only the controls; every parameter has a reason', () => {
  assert.equal(protocolParams('paper'), DATASET_PARAMS);
  assert.is(protocolOf(protocolParams('controlled')), 'controlled');
  const c = protocolParams('controlled');
  assert.equal([c.nonSeismic.placement, c.nonSeismic.ratioIn, c.windows.channels, c.windows.neScale, c.splits.splitBy, c.splits.gapDays, c.splits.stormsInOneSplit],
    ['matched', 'windows', 'detrended', 'log10', 'windowTime', 20, true]);
  for (const leaf of paramLeaves(DATASET_PARAMS)) assert.ok(REASONS[leaf], `no reason for ${leaf}`);
  for (const k of Object.keys(AUDIT_PARAMS)) assert.ok(AUDIT_REASONS[k as keyof typeof AUDIT_REASONS], `no reason for audit ${k}`);
  // magnetic latitude: the north geographic pole sits near 80 deg magnetic (IGRF-13 dipole, 2016)
  const ml = magneticLatitude(90, 0, Date.parse('2016-01-01'));
  assert.ok(ml > 79 && ml < 81.5, `magnetic latitude of the pole ${ml}`);
});

test('x.npy is read back by numpy with shape, dtype and values', () => {
  const dir = tempDir('audit-npy-');
  const x = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 0.5 - 3.25);
  const f = path.join(dir, 'x.npy');
  fs.writeFileSync(f, npyFloat32(x, [2, 3, 4]));
  const out = JSON.parse(py(`import numpy as np, json; a = np.load(${JSON.stringify(f)}); print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'v': a.ravel().tolist()}))`));
  assert.equal(out.shape, [2, 3, 4]);
  assert.is(out.dtype, 'float32');
  assert.equal(out.v, Array.from(x));
});

test('export: a controlled dataset as windows.csv + x.npy; numpy reads it back and finds every window detrended', async () => {
  const dir = tempDir('audit-export-');
  const DAYS = ['2016-02-10', '2016-02-11', '2016-02-12'];
  const store = new SwarmStore(() => path.join(dir, 'store'));
  for (const d of DAYS) store.writeDay(syntheticDay(d, new Rng('audit-export', d)), { producer: 'test' });
  const profile = { ...PROFILES.smoke, from: DAYS[0], to: DAYS[2], datasets: [3] };
  const r = await ensureDatasets({ source: 'simulated', profile, store, root: path.join(dir, 'datasets'), protocol: 'controlled',
    params: protocolParams('controlled', { splits: { gapDays: 0, stormsInOneSplit: false } }), log: () => undefined });
  const d = r.datasets[0];
  const ds = loadDataset(d.dir);
  const events = JSON.parse(fs.readFileSync(path.join(d.dir, 'events.json'), 'utf8'));
  const out = path.join(dir, 'export');
  const e = exportDataset(ds, events, null, out, { dataset: 3, protocol: 'controlled', run: 'signal', profile: 'test', hash: d.hash });
  assert.ok(e.windows > 20, `${e.windows} windows`);
  const res = JSON.parse(py(`
import numpy as np, json, csv
x = np.load(${JSON.stringify(path.join(out, 'x.npy'))})
rows = list(csv.DictReader(open(${JSON.stringify(path.join(out, 'windows.csv'))})))
t = np.arange(x.shape[1])
worst = max(float(np.abs(np.polyfit(t, x[w, :, c].astype(np.float64), 2)).max()) for w in range(x.shape[0]) for c in range(x.shape[2]))
print(json.dumps({'shape': list(x.shape), 'dtype': str(x.dtype), 'rows': len(rows), 'first': x[0, :3, :].ravel().tolist(), 'labels': [int(r['label']) for r in rows], 'worst': worst}))
`));
  assert.equal(res.shape, ds.manifest.shape);
  assert.is(res.dtype, 'float32');
  assert.is(res.rows, e.windows);
  assert.equal(res.labels, Array.from(ds.meta.label));
  assert.equal(res.first, Array.from(ds.X.subarray(0, 3 * 4)));
  // detrended channels: numpy's own quadratic fit of every window and channel is ~0 (float32 rounding)
  assert.ok(res.worst < 1e-3, `largest quadratic coefficient left ${res.worst}`);
  assert.match(fs.readFileSync(path.join(out, 'README.txt'), 'utf8'), /Channels, in order: B_N, B_E, B_C, Ne; channels 'detrended'/);
});

test('smoke profile, null run: controls put every shortcut MCC interval around 0; the paper protocol shows the position shortcut', async () => {
  const dir = tempDir('audit-smoke-');
  const days: string[] = [];
  for (let t = Date.parse(PROFILES.smoke.from); t <= Date.parse(PROFILES.smoke.to); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const root = path.join(dir, 'store-null');
  // the null run: the signal run's seed with nothing injected
  await simulateDaysParallel({ days, params: simParams({ injection: { enabled: false } }, DEFAULT_SIMULATION_PARAMS), seed: 'simulator', root, workers: 2, log: () => undefined });
  const store = new SwarmStore(() => root);
  const r = await runShortcutAudit({
    profile: PROFILES.smoke, ids: [3], runs: ['null'], stores: { null: store }, datasetsRoot: path.join(dir, 'datasets'), out: path.join(dir, 'shortcuts.json'),
    // the 21-day smoke period cannot hold the controlled split's 20-day gaps: the audit's short-period split
    // (lib/audit/report.ts SHORT_PERIOD_SPLITS) keeps every other control on; the default profile runs them all
    datasetParams: auditDatasetParams(PROFILES.smoke),
    params: { ...AUDIT_PARAMS, bootstrapReplicates: 400 }, log: () => undefined,
  });
  const controlled = r.shortcuts.filter((s) => s.protocol === 'controlled');
  assert.is(controlled.length, AUDIT_PARAMS.groups.length * 2);
  assert.ok(controlled[0].testWindows >= 30, `only ${controlled[0].testWindows} controlled test windows`);
  for (const s of controlled) assert.ok(s.lo <= 0 && s.hi >= 0, `${s.features} ${s.classifier}: MCC ${s.mcc.toFixed(3)} [${s.lo.toFixed(3)}, ${s.hi.toFixed(3)}]`);
  const pos = r.shortcuts.find((s) => s.protocol === 'paper' && s.features === 'position' && s.classifier === 'knn')!;
  assert.ok(pos.lo > 0, `paper protocol position shortcut ${pos.mcc} [${pos.lo}, ${pos.hi}]`);
  assert.ok(fs.existsSync(path.join(dir, 'shortcuts.json')));
});

test.run();
