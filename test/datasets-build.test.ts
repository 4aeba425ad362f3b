// End-to-end tests of lib/datasets/build.ts and cache.ts: all 17 Table 1 datasets from a few synthetic orbit days
// with events placed on the track (invariants: labels match events and Kp, sample accounting, no NaN, streaming
// equals one-config builds, files equal memory), and the content-hash cache (reuse, and rebuild with its reason).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rngFor } from '../lib/core/random';
import { PROFILES } from '../lib/core/config';
import { SwarmStore } from '../lib/swarm/store';
import { SwarmDay } from '../lib/swarm/types';
import { buildDatasets, BuiltDataset, loadDataset, prepareEvents } from '../lib/datasets/build';
import { ensureDatasets, explainRebuild } from '../lib/datasets/cache';
import { DATASET_PARAMS, withParams } from '../lib/datasets/params';
import { eventTableFromRows, localTimeHours } from '../lib/datasets/selection';
import { assertNoEventInTwoSplits, TRAIN } from '../lib/datasets/splits';
import { syntheticDay } from '../lib/datasets/synthetic';
import { configsById, table1Configs } from '../lib/datasets/table1';
import { catalogFromRows } from '../lib/catalog/filters';

const DAY = 86_400_000;
const DAYS = ['2016-02-10', '2016-02-11', '2016-02-12'];
const days: SwarmDay[] = DAYS.map((d, k) => syntheticDay(d, rngFor('test', 'datasets-build', d), k === 1 ? { gapRate: 2e-4, flagRate: 1e-4, nanRate: 1e-4 } : {}));

// events on night-time track positions of the middle day; Kp > 3 for one slot
function events() {
  const d = days[1];
  const rows: Parameters<typeof eventTableFromRows>[0] = [];
  let k = 0;
  for (let i = 1000; i < d.Timestamp.length && rows.length < 24; i += 1777) {
    const lt = localTimeHours(d.Timestamp[i], d.Longitude[i]);
    if (!(lt >= 18 || lt < 6) && k % 4 !== 0) { k++; continue; } // a few day-time events too
    const seismic: boolean = rows.length % 3 !== 2;
    rows.push({ id: `e${rows.length}`, time: d.Timestamp[i] + ((k % 7) - 3) * DAY, latitude: d.Latitude[i], longitude: d.Longitude[i], mag: 4.8 + (k % 9) * 0.3, seismic, pairedReal: seismic ? undefined : 0, replicate: seismic ? 0 : (k % 5) });
    k++;
  }
  return eventTableFromRows(rows);
}
const ev = events();
const t0 = Date.parse('2016-01-01T00:00:00Z');
const kp = { time: Float64Array.from({ length: 8 * 90 }, (_, k) => t0 + k * 3 * 3_600_000), Kp: Float64Array.from({ length: 8 * 90 }, (_, k) => (k % 11 === 0 ? 4.333 : 2)) };

let all: BuiltDataset[] = [];

test('all 17 datasets in one pass: labels, accounting, no NaN, no event in two splits', async () => {
  all = await buildDatasets({ days, events: ev, kp, configs: table1Configs(), log: () => undefined });
  assert.is(all.length, 17);
  let total = 0;
  for (const b of all) {
    const { meta, X, drops, T } = { ...b, T: b.T };
    total += meta.label.length;
    assert.ok(X!.every((v) => Number.isFinite(v)), `${b.config.name} has non-finite values`);
    for (let w = 0; w < meta.label.length; w++) {
      const e = meta.eventIndex[w];
      if (meta.label[w] === 2) assert.ok(meta.kp[w] > 3);
      else assert.is(meta.label[w], ev.seismic[e], `${b.config.name} window ${w}`);
      if (b.config.band === 'night') assert.ok(meta.localTime[w] >= 18 || meta.localTime[w] < 6);
      else assert.ok(meta.localTime[w] >= 6 && meta.localTime[w] < 18);
    }
    assert.ok(drops.selectedSamples > 0, `${b.config.name}: no selected samples`);
    assert.is(T, b.config.T);
    assertNoEventInTwoSplits(meta.eventIndex, b.split.split);
    const c = b.counts.bySplitClass;
    assert.is(c.flat().reduce((a, x) => a + x, 0), meta.label.length);
  }
  assert.ok(total > 0);
  // 01-05 share one selection; windows shrink with T
  for (const k of [1, 2, 3, 4]) assert.is(all[k].drops.selectedSamples, all[0].drops.selectedSamples);
  assert.ok(all[4].counts.windows >= all[3].counts.windows); // T=40 vs 50
  // bigger circles select more
  assert.ok(all[9].drops.selectedSamples >= all[6].drops.selectedSamples);
  // ratio 1:2 has at least the class-0 windows of 1:1
  const cls0 = (b: BuiltDataset) => b.counts.bySplitClass.reduce((a, r) => a + r[0], 0);
  assert.ok(cls0(all[13]) >= cls0(all[2]));
  // dropped windows [gap, flagged, missing] per dataset on these days (values of this build; none for DataSet 03)
  assert.equal(all.map((x) => [x.drops.gapWindows, x.drops.flaggedWindows, x.drops.missingWindows]), [
    [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 2], [0, 1, 0], [0, 1, 0], [1, 1, 0], [2, 1, 0],
    [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0],
  ]);
});

test("membership 'inside': every selected sample is in a kept window, a dropped window or a remainder", async () => {
  const p = withParams({ windows: { membership: 'inside' } });
  const built = await buildDatasets({ days, events: ev, kp, configs: configsById([3, 10]), params: p, log: () => undefined });
  for (const b of built) {
    const d = b.drops;
    const dropped = (d.gapWindows + d.flaggedWindows + d.missingWindows) * b.T;
    assert.is(b.counts.windows * b.T + dropped + d.remainderSamples, d.selectedSamples, `${b.config.name} sample accounting`);
  }
  // 'centre' keeps at least as many windows as 'inside' (one per pass at least)
  assert.ok(all[2].counts.windows >= built[0].counts.windows);
});

test('one-config build equals the same config inside the 17-config pass', async () => {
  const [one] = await buildDatasets({ days, events: ev, kp, configs: configsById([8]), log: () => undefined });
  const ref = all[7];
  assert.equal(Array.from(one.meta.startTime), Array.from(ref.meta.startTime));
  assert.equal(Array.from(one.X!), Array.from(ref.X!));
  assert.equal(one.scaler, ref.scaler);
});

test('files equal memory; scaled load has mean 0 on the training windows', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-'));
  try {
    const [b] = await buildDatasets({ days, events: ev, kp, configs: configsById([10]), outDirs: [dir], log: () => undefined });
    const ref = all[9];
    assert.ok(ref.counts.windows > 0, 'need windows for this test');
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ shape: [b.counts.windows, b.T, 4], scaler: b.scaler }));
    const raw = loadDataset(dir);
    assert.equal(Array.from(raw.X), Array.from(ref.X!));
    assert.equal(Array.from(raw.meta.eventIndex), Array.from(ref.meta.eventIndex));
    const sc = loadDataset(dir, { scaled: true });
    let s = 0, n = 0;
    for (let w = 0; w < b.counts.windows; w++) {
      if (sc.split[w] !== TRAIN) continue;
      for (let j = 0; j < b.T; j++) { s += sc.X[(w * b.T + j) * 4]; n++; }
    }
    assert.ok(Math.abs(s / n) < 1e-3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('prepareEvents: declustered real events in range plus five artificial events each', () => {
  const cat = catalogFromRows([
    { id: 'm', time: '2016-02-05', latitude: 0, longitude: 0, mag: 6.0 },
    { id: 'a', time: '2016-02-06', latitude: 0.1, longitude: 0, mag: 5.0 },
    { id: 'x', time: '2016-02-08', latitude: 30, longitude: 100, mag: 5.5 },
    { id: 'old', time: '2015-01-01', latitude: 30, longitude: 100, mag: 5.5 },
  ]);
  const e = prepareEvents(cat, { from: '2016-02-10', to: '2016-02-12' }, DATASET_PARAMS);
  assert.is(e.counts.declustered, 3);
  assert.is(e.counts.used, 2);
  assert.is(e.counts.nonSeismicPlaced + e.counts.nonSeismicFailed, 10);
  const real = e.table.id.filter((_, k) => e.table.seismic[k]).sort();
  assert.equal(real, ['m', 'x']);
  for (let k = 0; k < e.table.id.length; k++) {
    if (e.table.seismic[k]) continue;
    assert.ok(e.table.seismic[e.table.pairedReal[k]] === 1);
    assert.is(e.table.mag[k], e.table.mag[e.table.pairedReal[k]]);
  }
});

test('cache: reuse when nothing changed; a parameter or input change rebuilds and says why', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dscache-'));
  try {
    const store = new SwarmStore(() => path.join(tmp, 'store'));
    for (const d of days) store.writeDay(d, { producer: 'test' });
    const profile = { ...PROFILES.smoke, name: 'smoke' as const, from: DAYS[0], to: DAYS[2], datasets: [3, 10] };
    const lines: string[] = [];
    const log = (s: string) => lines.push(s);
    const root = path.join(tmp, 'datasets');
    const a = await ensureDatasets({ source: 'simulated', profile, store, root, log });
    assert.ok(a.datasets.every((d) => d.rebuilt));
    assert.ok(lines.some((l) => /DataSet 03: rebuilding .* because not built before/.test(l)));
    const b = await ensureDatasets({ source: 'simulated', profile, store, root, log });
    assert.ok(b.datasets.every((d) => !d.rebuilt));
    assert.is(b.datasets[0].hash, a.datasets[0].hash);
    assert.is(b.events, null);
    lines.length = 0;
    const c = await ensureDatasets({ source: 'simulated', profile, store, root, log, params: withParams({ windows: { preprocessing: 'demean' } }) });
    assert.ok(c.datasets.every((d) => d.rebuilt));
    assert.ok(lines.some((l) => l.includes('params.windows.preprocessing: "none" -> "demean"')), lines.join('\n'));
    // an input change (a store day rewritten with other content; store files are keyed by content, issue 16)
    store.writeDay({ ...days[1], B_N: days[1].B_N.map((x) => x + 1) }, { producer: 'test' });
    lines.length = 0;
    await ensureDatasets({ source: 'simulated', profile, store, root, log, ids: [3], params: withParams({ windows: { preprocessing: 'demean' } }) });
    assert.ok(lines.some((l) => l.includes(`inputs: store ${DAYS[1]} changed`)), lines.join('\n'));
    // only the current hash folder is kept
    assert.is(fs.readdirSync(path.join(root, 'simulated-smoke', 'ds03')).filter((n) => /^[0-9a-f]{16}$/.test(n)).length, 1);
    const loaded = loadDataset(c.datasets[1].dir);
    assert.is(loaded.meta.label.length, c.datasets[1].summary.counts.windows);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('explainRebuild names the code file that changed', () => {
  const p = { inputs: { kp: 'x' }, config: { a: '1' }, code: { 'lib/datasets/windows.ts': 'h1', 'lib/x.ts': 'h' } };
  const r = explainRebuild(p, { ...p, code: { ...p.code, 'lib/datasets/windows.ts': 'h2' } });
  assert.equal(r, ['code: lib/datasets/windows.ts changed']);
  assert.equal(explainRebuild(null, p), ['not built before']);
});

test.run();
