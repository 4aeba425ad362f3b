// Tests for lib/datasets (selection, labels, windows, splits, non-seismic events, params) on hand-built tiny
// catalogs and tracks with known outcomes: distance (Dobrovolsky and degrees), time window, local-time band,
// Kp label, overlap priority, gaps/flags/NaN drops, per-event chronological splits, scaler on train only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { greatCircleKm, lonDiffDeg } from '../lib/catalog/filters';
import { rngFor } from '../lib/core/random';
import { syntheticDay } from '../lib/datasets/synthetic';
import { sliceColumns } from '../lib/swarm/store';
import { allocColumns, SwarmColumns } from '../lib/swarm/types';
import { conflictsWithReal, generateNonSeismic, spatialConflict } from '../lib/datasets/nonseismic';
import { DATASET_PARAMS, paramLeaves, paramTable, REASONS, withParams } from '../lib/datasets/params';
import {
  buildSelections, dobrovolskyKm, EventTable, eventTableFromRows, inBand, KpLookup, localTimeHours, selectDay,
} from '../lib/datasets/selection';
import { applyScaler, assertNoEventInTwoSplits, chronologicalSplit, ScalerFit, TEST, TRAIN, VALIDATION } from '../lib/datasets/splits';
import { DatasetConfig, selectionKey, table1Configs } from '../lib/datasets/table1';
import { tileDay, WindowSink } from '../lib/datasets/windows';

const DAY = 86_400_000;
const H = 3_600_000;
// 2016-02-10 00:00 UTC; at longitude 0 local time = UT
const T0 = Date.parse('2016-02-10T00:00:00Z');

/** A track along a meridian: n samples at 1 Hz from lat0 with dLat per second. */
function track(t0: number, n: number, lat0: number, dLat: number, lon: number): SwarmColumns {
  const c = allocColumns(n);
  for (let i = 0; i < n; i++) {
    c.Timestamp[i] = t0 + i * 1000;
    c.Latitude[i] = lat0 + i * dLat;
    c.Longitude[i] = lon;
    c.Radius[i] = 6.8e6;
    c.B_N[i] = 100 + i;
    c.B_E[i] = 2 * i;
    c.B_C[i] = -i;
    c.Ne[i] = 1e5 + i;
  }
  return c;
}

const quietKp = (from = T0 - 60 * DAY, days = 120) => {
  const n = days * 8;
  return { time: Float64Array.from({ length: n }, (_, k) => from + k * 3 * H), Kp: new Float64Array(n).fill(1) };
};

function cfg(over: Partial<DatasetConfig>): DatasetConfig {
  return { ...table1Configs()[2], ...over };
}

function selectOne(day: SwarmColumns, ev: EventTable, c: DatasetConfig, kp = quietKp(), p = DATASET_PARAMS) {
  const { selections } = buildSelections([c], ev, p);
  const s = selectDay(day, ev, selections, new KpLookup(kp), p);
  return { assign: s.assign[0], label: s.label[0], sel: s };
}

const count = (a: Int32Array, v: number) => a.reduce((s, x) => s + (x === v ? 1 : 0), 0);

test('Table 1: 17 configs, as in the paper', () => {
  const c = table1Configs();
  assert.is(c.length, 17);
  assert.equal(c.slice(0, 5).map((x) => x.T), [60, 80, 70, 50, 40]);
  assert.is(c[5].band, 'day');
  assert.equal(c.slice(6, 10).map((x) => (x.spatial.kind === 'degrees' ? x.spatial.deg : 0)), [3, 5, 7, 10]);
  assert.equal(c.slice(10, 13).map((x) => x.magBin), [[4.8, 5.2], [5.2, 5.8], [5.8, 7.5]]);
  assert.equal(c.slice(13).map((x) => x.ratio), [2, 3, 4, 5]);
  assert.equal(c.map((x) => x.paper.realEvents).slice(10, 13), [5136, 2793, 853]);
  assert.is(new Set(c.map(selectionKey)).size, 13);
});

test('params: every leaf has a reason; overrides merge and reject unknown keys', () => {
  for (const leaf of paramLeaves(DATASET_PARAMS)) assert.ok(REASONS[leaf], `no reason for ${leaf}`);
  assert.is(paramTable().length, paramLeaves(DATASET_PARAMS).length);
  const p = withParams({ windows: { preprocessing: 'demean' } });
  assert.is(p.windows.preprocessing, 'demean');
  assert.is(p.windows.samplingMs, 1000);
  assert.is(DATASET_PARAMS.windows.preprocessing, 'none');
  assert.throws(() => withParams({ windows: { nope: 1 } as never }), /unknown key 'nope'/);
});

test('distance: Dobrovolsky radius, great circle (M5.0 -> 141 km)', () => {
  // track along lon 0, lat -5..+5 at night (UT 00:00 at lon 0 = LT 0)
  const day = track(T0, 1000, -5, 0.01, 0);
  const ev = eventTableFromRows([{ id: 'q', time: T0 + DAY, latitude: 0, longitude: 0, mag: 5.0, seismic: true }]);
  const { assign } = selectOne(day, ev, cfg({}));
  const R = dobrovolskyKm(5.0);
  assert.ok(Math.abs(R - 141.25) < 0.01);
  let expected = 0;
  for (let i = 0; i < 1000; i++) if (greatCircleKm(day.Latitude[i], 0, 0, 0) <= R) expected++;
  assert.is(count(assign, 0), expected);
  assert.is(expected, 255); // |lat| <= 1.2703 deg at 0.01 deg steps: -1.27..1.27
  // a 3 deg circle instead
  const d3 = selectOne(day, ev, cfg({ spatial: { kind: 'degrees', deg: 3 } })).assign;
  assert.is(count(d3, 0), 601);
  // box reading: longitude offset track at 2.5 deg is inside the 3 deg box for |dlat| <= 3 but not all inside the circle
  const off = track(T0, 1000, -5, 0.01, 2.5);
  const circle = selectOne(off, ev, cfg({ spatial: { kind: 'degrees', deg: 3 } })).assign;
  const box = selectOne(off, ev, cfg({ spatial: { kind: 'degrees', deg: 3 } }), quietKp(), withParams({ spatial: { degreeShape: 'box' } })).assign;
  assert.is(count(box, 0), 601);
  assert.ok(count(circle, 0) < 601 && count(circle, 0) > 0);
});

test('time: -15..+5 days around the event', () => {
  const ev = eventTableFromRows([{ id: 'q', time: T0, latitude: 0, longitude: 0, mag: 6.0, seismic: true }]);
  const at = (dt: number) => {
    const day = track(T0 + dt, 100, -0.5, 0.01, 0);
    return count(selectOne(day, ev, cfg({ band: 'day' }), quietKp(), withParams({ localTime: { nightFromHour: 0, nightToHour: 0 } })).assign, 0);
  };
  // with nightFrom = nightTo = 0 the night band is empty, so 'day' takes every local time
  assert.is(at(-15 * DAY - 100_000), 0);
  assert.is(at(-15 * DAY - 1000), 99); // the first sample is 1 s too early
  assert.is(at(-15 * DAY), 100);
  assert.is(at(-14 * DAY), 100);
  assert.is(at(5 * DAY - 99_000), 100);
  assert.is(at(5 * DAY - 98_000), 99); // the last sample falls after +5 days
  assert.is(at(6 * DAY), 0);
});

test('local time: night is LT >= 18 or < 6; day the complement', () => {
  assert.ok(Math.abs(localTimeHours(T0 + 12 * H, 90) - 18) < 1e-9);
  assert.ok(Math.abs(localTimeHours(T0, -90) - 18) < 1e-9);
  const ev = eventTableFromRows([{ id: 'q', time: T0, latitude: 0, longitude: 0, mag: 6.0, seismic: true }]);
  const noon = track(T0 + 12 * H, 100, -0.5, 0.01, 0);
  const night = track(T0 + 23 * H, 100, -0.5, 0.01, 0);
  assert.is(count(selectOne(noon, ev, cfg({ band: 'night' })).assign, 0), 0);
  assert.is(count(selectOne(noon, ev, cfg({ band: 'day' })).assign, 0), 100);
  assert.is(count(selectOne(night, ev, cfg({ band: 'night' })).assign, 0), 100);
  assert.is(count(selectOne(night, ev, cfg({ band: 'day' })).assign, 0), 0);
});

test('labels: class 1 real, 0 artificial, 2 when Kp > 3 at the sample time whatever the event', () => {
  const ev = eventTableFromRows([
    { id: 'q', time: T0, latitude: 0, longitude: 0, mag: 6.0, seismic: true },
    { id: 'ns', time: T0, latitude: 40, longitude: 0, mag: 6.0, seismic: false, pairedReal: 0 },
  ]);
  const kp = quietKp();
  // slot 21:00-24:00 of T0 - 1 day has Kp 3.333 (> 3); the slot before has exactly 3 (not > 3)
  const k = (T0 - DAY + 21 * H - kp.time[0]) / (3 * H);
  kp.Kp[k] = 3.333;
  kp.Kp[k - 1] = 3;
  const c = cfg({});
  // at lon 0 19:30 UT: LT 19.5 (night), Kp exactly 3 -> class 1
  const sel1 = selectOne(track(T0 - DAY + 19.5 * H, 100, -0.5, 0.01, 0), ev, c, kp);
  assert.ok(sel1.label.every((x) => x === 1 || x === 255));
  assert.is(sel1.label.filter((x) => x === 1).length, 100);
  const storm = selectOne(track(T0 - DAY + 22 * H, 100, -0.5, 0.01, 0), ev, c, kp);
  assert.is(storm.label.filter((x) => x === 2).length, 100);
  const nsStorm = selectOne(track(T0 - DAY + 22 * H, 100, 39.5, 0.01, 0), ev, c, kp);
  assert.is(nsStorm.label.filter((x) => x === 2).length, 100);
  const ns = selectOne(track(T0 - DAY + 19.5 * H, 100, 39.5, 0.01, 0), ev, c, kp);
  assert.is(ns.label.filter((x) => x === 0).length, 100);
  assert.throws(() => new KpLookup(kp).at(T0 + 200 * DAY), /no value/);
});

test('selectDay (chunked prefilter) equals a brute-force scan of every sample against every event', () => {
  const rng = rngFor('test', 'select-brute');
  const day = sliceColumns(syntheticDay('2016-02-10', rng.fork('day')), 0, 30_000); // 8 h 20 min of track
  const rows = [];
  for (let k = 0; k < 150; k++) {
    // half the events near the track, half anywhere; times within the temporal window or just outside
    const i = rng.int(day.Timestamp.length);
    const near = k % 2 === 0;
    rows.push({
      id: `e${k}`, time: day.Timestamp[i] + rng.uniform(-6, 16) * DAY,
      latitude: near ? Math.max(-90, Math.min(90, day.Latitude[i] + rng.normal(0, 3))) : rng.uniform(-90, 90),
      longitude: near ? ((day.Longitude[i] + rng.normal(0, 3) + 540) % 360) - 180 : rng.uniform(-180, 180),
      mag: 4.8 + rng.uniform(0, 3), seismic: k % 3 !== 0, pairedReal: k % 3 === 0 ? 1 : undefined, replicate: k % 3 === 0 ? rng.int(5) : 0,
    });
  }
  const ev = eventTableFromRows(rows);
  const configs = table1Configs();
  const kp = quietKp(T0 - 30 * DAY, 60);
  for (const p of [DATASET_PARAMS, withParams({ spatial: { degreeShape: 'box' } })]) {
    const { selections } = buildSelections(configs, ev, p);
    const fast = selectDay(day, ev, selections, new KpLookup(kp), p);
    selections.forEach((sel, s) => {
      const want = new Int32Array(day.Timestamp.length).fill(-1);
      for (let i = 0; i < day.Timestamp.length; i++) {
        const t = day.Timestamp[i], lat = day.Latitude[i], lon = day.Longitude[i];
        const lt = localTimeHours(t, lon);
        for (let e = 0; e < ev.time.length; e++) {
          if (!sel.member[e] || t < ev.time[e] - 15 * DAY || t > ev.time[e] + 5 * DAY || !inBand(lt, sel.band, p.localTime)) continue;
          const inside = sel.spatial.kind === 'degrees' && p.spatial.degreeShape === 'box'
            ? Math.abs(lat - ev.latitude[e]) <= sel.spatial.deg && lonDiffDeg(lon, ev.longitude[e]) <= sel.spatial.deg
            : greatCircleKm(lat, lon, ev.latitude[e], ev.longitude[e]) <= sel.radiusKm[e];
          if (!inside) continue;
          const b = want[i];
          const better = b < 0 || (ev.seismic[e] !== ev.seismic[b] ? ev.seismic[e] > ev.seismic[b]
            : ev.mag[e] !== ev.mag[b] ? ev.mag[e] > ev.mag[b] : Math.abs(t - ev.time[e]) < Math.abs(t - ev.time[b]));
          if (better) want[i] = e;
        }
      }
      let diff = 0, assigned = 0;
      for (let i = 0; i < want.length; i++) {
        if (want[i] !== fast.assign[s][i]) diff++;
        if (want[i] >= 0) assigned++;
      }
      assert.is(diff, 0, `${sel.key} (${p.spatial.degreeShape}): ${diff} samples differ`);
      if (sel.key.includes('deg10')) assert.ok(assigned > 0, 'the test should select samples');
    });
  }
});

test('overlap: a real earthquake wins over an artificial event, then the larger magnitude', () => {
  const ev = eventTableFromRows([
    { id: 'small', time: T0, latitude: 0, longitude: 0, mag: 5.0, seismic: true },
    { id: 'big', time: T0 + DAY, latitude: 0.5, longitude: 0, mag: 6.0, seismic: true },
    { id: 'ns', time: T0, latitude: 0, longitude: 0.2, mag: 7.0, seismic: false, pairedReal: 0 },
  ]);
  const { assign } = selectOne(track(T0 - DAY, 200, -1, 0.01, 0), ev, cfg({}));
  const big = ev.id.indexOf('big');
  const small = ev.id.indexOf('small');
  // every sample within the M6 radius (~380 km) goes to 'big'; 'ns' (class 0) never wins
  assert.is(count(assign, big), 200);
  assert.is(count(assign, small), 0);
});

test('ratio and magnitude bins: configs take the first k artificial replicates of their real events', () => {
  const ev = eventTableFromRows([
    { id: 'a', time: T0, latitude: 0, longitude: 0, mag: 5.0, seismic: true },
    { id: 'b', time: T0, latitude: 50, longitude: 0, mag: 6.0, seismic: true },
    ...[0, 1, 2].map((r) => ({ id: `ns-a-${r}`, time: T0 + r, latitude: -30, longitude: 100, mag: 5.0, seismic: false, pairedReal: 0, replicate: r })),
    ...[0, 1, 2].map((r) => ({ id: `ns-b-${r}`, time: T0 + r, latitude: -50, longitude: 100, mag: 6.0, seismic: false, pairedReal: 1, replicate: r })),
  ]);
  const { selections } = buildSelections([cfg({ ratio: 2 }), cfg({ magBin: [4.8, 5.2] })], ev, DATASET_PARAMS);
  const ids = (m: Uint8Array) => ev.id.filter((_, e) => m[e]).sort();
  assert.equal(ids(selections[0].member), ['a', 'b', 'ns-a-0', 'ns-a-1', 'ns-b-0', 'ns-b-1']);
  assert.equal(ids(selections[1].member), ['a', 'ns-a-0']);
});

function sinkFor(T: number) {
  return new WindowSink(T, DATASET_PARAMS.windows.features);
}
const INSIDE = withParams({ windows: { membership: 'inside' } }).windows;

test('windows: non-overlapping tiles of T, remainder counted, metadata kept', () => {
  const day = track(T0, 250, 0, 0.01, 0);
  const assign = new Int32Array(250).fill(-1);
  assign.fill(3, 10, 240); // 230 selected samples -> 3 windows of 70, remainder 20
  const label = new Uint8Array(250).fill(255);
  label.fill(1, 10, 240);
  const kp = new Float64Array(250).fill(1.5);
  const lt = new Float64Array(250).fill(23);
  const sink = sinkFor(70);
  tileDay(day, assign, label, kp, lt, sink, INSIDE);
  const { meta, X } = sink.close();
  assert.is(meta.label.length, 3);
  assert.equal(Array.from(meta.startTime), [T0 + 10_000, T0 + 80_000, T0 + 150_000]);
  assert.equal(Array.from(meta.eventIndex), [3, 3, 3]);
  assert.is(sink.drops.remainderSamples, 20);
  assert.is(sink.drops.selectedSamples, 230);
  assert.is(X!.length, 3 * 70 * 4);
  // window 1, step 5, feature B_N (index 0) and Ne (3): sample 85
  assert.is(X![(1 * 70 + 5) * 4 + 0], 185);
  assert.is(X![(1 * 70 + 5) * 4 + 3], 1e5 + 85);
  assert.ok(Math.abs(meta.latitude[1] - 1.15) < 1e-6); // position of the middle sample (80 + 35)
  assert.is(meta.kp[0], 1.5);
  assert.is(meta.localTime[0], 23);
});

test('windows: a class change ends a run (one label per window)', () => {
  const day = track(T0, 200, 0, 0.01, 0);
  const assign = new Int32Array(200).fill(0);
  const label = new Uint8Array(200).fill(1);
  label.fill(2, 100); // Kp > 3 from sample 100
  const sink = sinkFor(70);
  tileDay(day, assign, label, new Float64Array(200), new Float64Array(200), sink, INSIDE);
  const { meta } = sink.close();
  assert.equal(Array.from(meta.label), [1, 2]);
  assert.is(sink.drops.runs, 2);
  assert.is(sink.drops.remainderSamples, 60);
});

test('windows: gap, flagged and missing samples drop the window, each counted by reason', () => {
  const day = track(T0, 280, 0, 0.01, 0);
  for (let i = 100; i < 280; i++) day.Timestamp[i] += 5000; // a 5 s gap between samples 99 and 100 (window 1)
  day.Flags_B[150] = 4; // window 2
  day.Ne[230] = NaN; // window 3
  const assign = new Int32Array(280).fill(0);
  const label = new Uint8Array(280).fill(0);
  const z = new Float64Array(280);
  const sink = sinkFor(70);
  tileDay(day, assign, label, z, z, sink, INSIDE);
  const { meta, X } = sink.close();
  assert.is(meta.label.length, 1);
  assert.equal({ ...sink.drops, selectedSamples: 0, runs: 0 }, {
    gapWindows: 1, flaggedWindows: 1, missingWindows: 1, flaggedSamples: 0, missingSamples: 0, remainderSamples: 0, selectedSamples: 0, runs: 0,
    overlapWindows: 0, edgeWindows: 0,
  });
  assert.ok(X!.every((v) => Number.isFinite(v)));
  // restartAfter: the invalid sample is removed and tiling restarts after it
  const s2 = sinkFor(70);
  tileDay(day, assign, label, z, z, s2, withParams({ windows: { invalidSamples: 'restartAfter', membership: 'inside' } }).windows);
  s2.close();
  // runs: [0,100) -> 1 window (30 left), [100,150) -> 0 (50), [151,230) -> 1 (9), [231,280) -> 0 (49)
  assert.is(s2.count, 2);
  assert.is(s2.drops.flaggedSamples, 1);
  assert.is(s2.drops.missingSamples, 1);
  assert.is(s2.drops.remainderSamples, 30 + 50 + 9 + 49);
  assert.is(s2.drops.gapWindows, 0);
});

test("windows: membership 'centre' lays ceil(len/T) windows centred on each run, one even for a short pass", () => {
  const day = track(T0, 400, 0, 0.01, 0);
  const assign = new Int32Array(400).fill(-1);
  const label = new Uint8Array(400).fill(255);
  assign.fill(0, 100, 130); // a 30-sample pass (shorter than T)
  label.fill(1, 100, 130);
  assign.fill(1, 200, 345); // 145 samples -> 3 windows spanning 210, from 200 + floor(-65 / 2) = 167
  label.fill(0, 200, 345);
  const kp = new Float64Array(400).fill(NaN);
  for (let i = 0; i < 400; i++) if (assign[i] >= 0) kp[i] = 2;
  const sink = sinkFor(70);
  tileDay(day, assign, label, kp, new Float64Array(400), sink, DATASET_PARAMS.windows);
  const { meta } = sink.close();
  assert.equal(Array.from(meta.startTime), [T0 + 80_000, T0 + 167_000, T0 + 237_000, T0 + 307_000]);
  assert.equal(Array.from(meta.label), [1, 0, 0, 0]);
  assert.equal(Array.from(meta.kp), [2, 2, 2, 2]); // from the middle sample, clamped into the run
  // adjacent runs (two events): the second run's window starts where the first one's ends
  const s3 = sinkFor(70);
  const a3 = new Int32Array(400).fill(-1);
  a3.fill(0, 100, 130);
  a3.fill(1, 130, 200);
  tileDay(day, a3, new Uint8Array(400), kp.fill(2), new Float64Array(400), s3, DATASET_PARAMS.windows);
  const m3 = s3.close().meta;
  assert.equal(Array.from(m3.startTime), [T0 + 80_000, T0 + 150_000]);
  assert.equal(Array.from(m3.eventIndex), [0, 1]);
  assert.is(s3.drops.overlapWindows, 0);
  // a run at the day's edge: the window would reach past the first sample
  const s2 = sinkFor(70);
  const a2 = new Int32Array(400).fill(-1);
  a2.fill(0, 0, 20);
  tileDay(day, a2, new Uint8Array(400), kp, new Float64Array(400), s2, DATASET_PARAMS.windows);
  assert.is(s2.count, 0);
  assert.is(s2.drops.edgeWindows, 1);
});

test('windows: demean preprocessing removes each window mean per feature', () => {
  const day = track(T0, 70, 0, 0.01, 0);
  const sink = sinkFor(70);
  tileDay(day, new Int32Array(70), new Uint8Array(70), new Float64Array(70), new Float64Array(70), sink,
    withParams({ windows: { preprocessing: 'demean' } }).windows);
  const X = sink.close().X!;
  for (let f = 0; f < 4; f++) {
    let s = 0;
    for (let j = 0; j < 70; j++) s += X[j * 4 + f];
    assert.ok(Math.abs(s) < 1e-2);
  }
  assert.ok(Math.abs(X[0] - (100 - 134.5)) < 1e-3);
});

test('splits: chronological by event, 70/10/20, no event in two splits, boundaries at events', () => {
  // 10 events, 10 windows each, event e at day e; windows of event e start from day e-15 (straddling)
  const N = 100;
  const eventIndex = new Int32Array(N), start = new Float64Array(N);
  const evTime = Array.from({ length: 10 }, (_, e) => T0 + e * DAY);
  for (let w = 0; w < N; w++) {
    eventIndex[w] = 9 - Math.floor(w / 10); // windows not in event order
    start[w] = evTime[eventIndex[w]] - 15 * DAY + (w % 10) * DAY;
  }
  const r = chronologicalSplit(eventIndex, evTime, start, { testFraction: 0.2, validationFraction: 0.1 });
  const splitOfEvent = (e: number) => r.split[eventIndex.indexOf(e)];
  assert.equal([...Array(10).keys()].map(splitOfEvent), [0, 0, 0, 0, 0, 0, 0, 1, 2, 2]);
  assert.is(assertNoEventInTwoSplits(eventIndex, r.split), 10);
  assert.is(r.testFrom, evTime[8]);
  assert.is(r.validationFrom, evTime[7]);
  assert.ok(r.overlapDays > 0); // windows of neighbouring events overlap in time: reported
  // uneven events: an event straddling the 80 % mark goes wholly to the split where its first window falls
  const ei = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
  const r2 = chronologicalSplit(ei, [1, 2, 3], new Float64Array(10), { testFraction: 0.2, validationFraction: 0 });
  assert.equal(Array.from(r2.split), [TRAIN, TRAIN, TRAIN, TRAIN, TRAIN, TRAIN, TRAIN, TRAIN, TRAIN, TEST]);
  const bad = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 2, 2]);
  assert.throws(() => assertNoEventInTwoSplits(ei, bad, (e) => `ev${e}`), /ev1 gives windows to two splits/);
  assert.is(VALIDATION, 1);
});

test('scaler: fitted on training windows only, equals the direct mean and std', () => {
  const T = 3, F = 2, N = 4;
  const X = Float32Array.from({ length: N * T * F }, (_, i) => (i % 7) * 1.5 + (i % 2) * 10);
  const split = Uint8Array.from([TRAIN, TEST, TRAIN, VALIDATION]);
  const fit = new ScalerFit(['a', 'b']);
  fit.add(X.subarray(0, 2 * T * F), T, split, 0, 2); // in two chunks
  fit.add(X.subarray(2 * T * F), T, split, 2, 2);
  const s = fit.result();
  for (let f = 0; f < F; f++) {
    const v: number[] = [];
    for (const w of [0, 2]) for (let j = 0; j < T; j++) v.push(X[(w * T + j) * F + f]);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    assert.ok(Math.abs(s.mean[f] - m) < 1e-9);
    assert.ok(Math.abs(s.std[f] - sd) < 1e-9);
  }
  assert.is(s.fittedOnWindows, 2);
  const Y = applyScaler(X.slice(), F, s);
  assert.ok(Math.abs(Y[0] - (X[0] - s.mean[0]) / s.std[0]) < 1e-6);
});

test('non-seismic: the two readings of "or", per-earthquake time rule, seeded and nested by ratio', () => {
  assert.ok(spatialConflict(5, 5, 0, 0, 10, 'box'));
  assert.not.ok(spatialConflict(5, 15, 0, 0, 10, 'box')); // 15 deg away in longitude
  assert.ok(spatialConflict(5, 15, 0, 0, 10, 'bands')); // but within 10 deg of its latitude
  assert.not.ok(spatialConflict(25, 15, 0, 0, 10, 'bands'));
  assert.ok(spatialConflict(0, 175, 0, -178, 10, 'box')); // across the dateline
  const real = { time: Float64Array.from([T0, T0 + 40 * DAY]), latitude: Float64Array.from([0, 30]), longitude: Float64Array.from([0, 60]) };
  const o = { exclusionDeg: 10, exclusionDays: 15, orReading: 'box' as const };
  assert.ok(conflictsWithReal(T0 + 14 * DAY, 5, 5, real, o));
  assert.not.ok(conflictsWithReal(T0 + 16 * DAY, 5, 5, real, o)); // more than 15 days away
  const gen = (ratio: number, reading: 'box' | 'bands') => generateNonSeismic(['a', 'b'], real, {
    ratio, from: T0 - 10 * DAY, to: T0 + 50 * DAY, latRange: [-20, 40], exclusionDeg: 10, exclusionDays: 15, orReading: reading, maxTries: 10_000,
  });
  const g5 = gen(5, 'box');
  assert.is(g5.time.length, 10);
  assert.is(g5.failed, 0);
  for (let k = 0; k < 10; k++) {
    assert.not.ok(conflictsWithReal(g5.time[k], g5.latitude[k], g5.longitude[k], real, o));
    assert.ok(g5.latitude[k] >= -20 && g5.latitude[k] < 40);
  }
  const g2 = gen(2, 'box');
  const key = (g: typeof g5, k: number) => `${g.pairedReal[k]}/${g.replicate[k]}/${g.time[k]}/${g.latitude[k]}`;
  const set5 = new Set(Array.from({ length: 10 }, (_, k) => key(g5, k)));
  for (let k = 0; k < g2.time.length; k++) assert.ok(set5.has(key(g2, k)));
  assert.equal(Array.from(gen(2, 'box').latitude), Array.from(g2.latitude)); // deterministic
  const strict = gen(5, 'bands');
  for (let k = 0; k < strict.time.length; k++) {
    assert.not.ok(conflictsWithReal(strict.time[k], strict.latitude[k], strict.longitude[k], real, { ...o, orReading: 'bands' }));
  }
  // infeasible: latitude range entirely within 10 deg of a real event at all times -> reported, not hidden
  const inf = generateNonSeismic(['a'], { time: Float64Array.from([T0]), latitude: Float64Array.from([0]), longitude: Float64Array.from([0]) }, {
    ratio: 3, from: T0 - DAY, to: T0 + DAY, latRange: [-5, 5], exclusionDeg: 10, exclusionDays: 15, orReading: 'bands', maxTries: 100,
  });
  assert.is(inf.failed, 3);
  assert.is(inf.time.length, 0);
});

test.run();
