// Borderline cases for every threshold of the paper and of the methods it uses: an input just below and just above
// each one (or exactly on it, where the paper says "greater than" or "within"), so that moving a threshold by a
// small amount fails a test. Thresholds: catalog M >= 4.8 (2.3), magnitude bins (4.4, Table 1), night/day local
// time, Dobrovolsky radius and 3/5/7/10 deg windows (Table 1), -15/+5 days (4), Kp > 3 (3.1), artificial events
// 10 deg / 15 days away (2.3), the 100 ms continuity tolerance (3.1), Gardner-Knopoff windows, MASS kt (Figures
// 1-2; De Santis et al. 2017), NeLOG degree and k (Figure 1 caption).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogFromRows, filterIndices, greatCircleKm, KM_PER_DEG } from '../lib/catalog/filters';
import { decluster, gardnerKnopoffTable } from '../lib/catalog/decluster';
import { rngFor } from '../lib/core/random';
import { lowerBound } from '../lib/core/search';
import { DATASET_PARAMS, withParams } from '../lib/datasets/params';
import { buildSelections, configMembers, eventTableFromRows, inBand, KpLookup, selectDay } from '../lib/datasets/selection';
import { conflictsWithReal, spatialConflict } from '../lib/datasets/nonseismic';
import { table1Configs } from '../lib/datasets/table1';
import { tileDay, WindowSink } from '../lib/datasets/windows';
import { allocColumns, SwarmColumns } from '../lib/swarm/types';
import { FLAG, isUsable, neStoreFlag } from '../lib/swarm/flags';
import { runMass } from '../lib/casestudy/mass';
import { runNelog } from '../lib/casestudy/nelog';
import { bandEnergy } from '../lib/audit/band';

const DAY = 86_400_000;
const H = 3_600_000;
const T0 = Date.parse('2016-02-10T00:00:00Z');
const D03 = table1Configs()[2];

/** Single samples at the given times and positions (each its own record). */
function samples(pts: { t: number; lat: number; lon: number }[]): SwarmColumns {
  const c = allocColumns(pts.length);
  pts.forEach((p, i) => {
    c.Timestamp[i] = p.t;
    c.Latitude[i] = p.lat;
    c.Longitude[i] = p.lon;
    c.Radius[i] = 6.8e6;
    c.Ne[i] = 1e5;
  });
  return c;
}

const kpSeries = (value = 1) => {
  const n = 120 * 8;
  const from = T0 - 60 * DAY;
  return { time: Float64Array.from({ length: n }, (_, k) => from + k * 3 * H), Kp: new Float64Array(n).fill(value) };
};

/** Assignment (event index or -1) of each sample for one config. */
function assigned(day: SwarmColumns, rows: Parameters<typeof eventTableFromRows>[0], c = D03, kp = kpSeries(), p = DATASET_PARAMS) {
  const ev = eventTableFromRows(rows);
  const { selections } = buildSelections([c], ev, p);
  const s = selectDay(day, ev, selections, new KpLookup(kp), p);
  return { assign: Array.from(s.assign[0]), label: Array.from(s.label[0]) };
}

test('catalog: M >= 4.8 keeps 4.8 and drops 4.79 (section 2.3)', () => {
  const cat = catalogFromRows([4.79, 4.8, 4.81].map((mag, i) => ({ id: `e${i}`, time: '2016-01-01', latitude: 0, longitude: 0, mag })));
  assert.equal(filterIndices(cat, { minMag: DATASET_PARAMS.catalog.minMag }), [1, 2]);
  // period: 1 April 2014 inclusive, 1 May 2020 exclusive
  const t = catalogFromRows(['2014-03-31T23:59:59Z', '2014-04-01T00:00:00Z', '2020-04-30T23:59:59Z', '2020-05-01T00:00:00Z']
    .map((time, i) => ({ id: `t${i}`, time, latitude: 0, longitude: 0, mag: 5 })));
  assert.equal(filterIndices(t, { from: DATASET_PARAMS.catalog.from, to: DATASET_PARAMS.catalog.to }), [1, 2]);
});

test('magnitude bins of DataSets 11-13: lower edge in, upper edge out, 7.5 in the last bin', () => {
  const mags = [4.79, 4.8, 5.19, 5.2, 5.79, 5.8, 7.49, 7.5, 7.51];
  const ev = eventTableFromRows(mags.map((mag, i) => ({ id: `m${mag}`, time: T0 + i, latitude: 0, longitude: 0, mag, seismic: true })));
  const [d11, d12, d13] = table1Configs().slice(10, 13);
  const members = (c: typeof d11) => mags.filter((_, i) => configMembers(c, ev)[i]);
  assert.equal(members(d11), [4.8, 5.19]);
  assert.equal(members(d12), [5.2, 5.79]);
  assert.equal(members(d13), [5.8, 7.49, 7.5]);
});

test('local time: night starts at 18:00 and ends at 06:00 LT', () => {
  const lt = DATASET_PARAMS.localTime;
  const night = (h: number) => inBand(h, 'night', lt);
  assert.equal([17.99, 18, 23.99, 0, 5.99, 6, 12].map(night), [false, true, true, true, true, false, false]);
  assert.equal([17.99, 18, 5.99, 6].map((h) => inBand(h, 'day', lt)), [true, false, false, true]);
});

test('Dobrovolsky radius: a sample 0.5 km inside is selected, 0.5 km outside is not (M5.0, R = 141.25 km)', () => {
  const R = Math.pow(10, 0.43 * 5.0); // 141.254 km
  const lat = (km: number) => (km / KM_PER_DEG);
  const t = T0 + 1 * H; // LT 01:00 at lon 0: night
  const day = samples([
    { t, lat: lat(R - 0.5), lon: 0 }, { t: t + 1000, lat: lat(R + 0.5), lon: 0 },
    { t: t + 2000, lat: -lat(R - 0.5), lon: 0 }, { t: t + 3000, lat: -lat(R + 0.5), lon: 0 },
  ]);
  assert.ok(Math.abs(greatCircleKm(day.Latitude[0], 0, 0, 0) - (R - 0.5)) < 1e-6);
  const { assign } = assigned(day, [{ id: 'q', time: T0 + DAY, latitude: 0, longitude: 0, mag: 5.0, seismic: true }]);
  assert.equal(assign, [0, -1, 0, -1]);
});

test('degree windows (DataSets 07-10): a circle of 3/5/7/10 deg, 0.01 deg either side of the edge', () => {
  const t = T0 + 1 * H;
  for (const c of table1Configs().slice(6, 10)) {
    const deg = c.spatial.kind === 'degrees' ? c.spatial.deg : NaN;
    const day = samples([{ t, lat: deg - 0.01, lon: 0 }, { t: t + 1000, lat: deg + 0.01, lon: 0 }]);
    const { assign } = assigned(day, [{ id: 'q', time: T0 + DAY, latitude: 0, longitude: 0, mag: 5.0, seismic: true }], c);
    assert.equal(assign, [0, -1], c.name);
  }
});

test('temporal window: 15 days before (inclusive) to 5 days after (inclusive), 1 s either side', () => {
  const te = T0 + 20 * DAY + 1 * H; // 01:00 UT at lon 0: night at every whole-day offset
  const at = [-15 * DAY - 1000, -15 * DAY, -15 * DAY + 1000, 5 * DAY - 1000, 5 * DAY, 5 * DAY + 1000];
  const day = samples(at.map((dt) => ({ t: te + dt, lat: 0.5, lon: 0 })));
  const { assign } = assigned(day, [{ id: 'q', time: te, latitude: 0, longitude: 0, mag: 6.0, seismic: true }]);
  assert.equal(assign, [-1, 0, 0, 0, 0, -1]);
  // a day whose only sample lies exactly on either edge still finds the event (binary search: first time >= edge)
  for (const dt of [-15 * DAY, 5 * DAY]) {
    assert.equal(assigned(samples([{ t: te + dt, lat: 0.5, lon: 0 }]), [{ id: 'q', time: te, latitude: 0, longitude: 0, mag: 6.0, seismic: true }]).assign, [0]);
  }
  // lowerBound: the first index whose value is >= v, duplicates included
  assert.equal([0, 1, 2, 2.5, 3, 4].map((v) => lowerBound([1, 2, 2, 3], v)), [0, 0, 1, 3, 3, 4]);
});

test('Kp label: 3.0 is not class 2, 3.01 and 3.333 are (Kp > 3, section 3.1); slot edges are 3 h', () => {
  const kp = kpSeries();
  const slot = (t: number) => (t - kp.time[0]) / (3 * H);
  const te = T0 + 1 * H;
  // three slots: 00-03 UT Kp 3.0, 03-06 UT Kp 3.01 (on the day before the event, LT = UT at lon 0 -> night until 06)
  const d0 = T0 - DAY;
  kp.Kp[slot(d0)] = 3.0;
  kp.Kp[slot(d0 + 3 * H)] = 3.01;
  kp.Kp[slot(d0 + 6 * H)] = 3.333;
  const day = samples([
    { t: d0 + 3 * H - 1000, lat: 0.5, lon: 0 }, // last second of the Kp 3.0 slot
    { t: d0 + 3 * H, lat: 0.5, lon: 0 }, // first second of the Kp 3.01 slot
    { t: d0 + 6 * H - 1000, lat: 0.5, lon: 90 }, // LT 11:59 -> not night: unassigned
    { t: d0 + 6 * H - 1000, lat: 0.5, lon: -5 }, // LT 05:39: night, Kp 3.01
  ]);
  const { assign, label } = assigned(day, [{ id: 'q', time: te, latitude: 0, longitude: 0, mag: 7.0, seismic: true }], D03, kp);
  assert.equal(assign, [0, 0, -1, 0]);
  assert.equal(label, [1, 2, 255, 2]);
  // the same with an artificial event: class 0 below the threshold, 2 above
  const ns = assigned(day, [
    { id: 'far', time: te, latitude: 60, longitude: 0, mag: 7.0, seismic: true },
    { id: 'n', time: te, latitude: 0, longitude: 0, mag: 7.0, seismic: false, pairedReal: 0 },
  ], D03, kp);
  assert.equal(ns.assign, [1, 1, -1, 1]);
  assert.equal(ns.label, [0, 2, 255, 2]);
  // the threshold is a parameter: at 3.01 the 3.01 slot is class 1
  const p = withParams({ kp: { threshold: 3.01 } });
  assert.equal(assigned(day, [{ id: 'q', time: te, latitude: 0, longitude: 0, mag: 7.0, seismic: true }], D03, kp, p).label, [1, 1, 255, 1]);
});

test('artificial events: 10 deg in latitude and longitude, 15 days (section 2.3), just inside and just outside', () => {
  const o = { exclusionDeg: DATASET_PARAMS.nonSeismic.exclusionDeg, exclusionDays: DATASET_PARAMS.nonSeismic.exclusionDays, orReading: 'box' as const };
  const real = { time: Float64Array.from([T0]), latitude: Float64Array.from([0]), longitude: Float64Array.from([170]) };
  const c = (dtDays: number, lat: number, lon: number) => conflictsWithReal(T0 + dtDays * DAY, lat, lon, real, o);
  assert.is(c(0, 9.99, 179.99), true); // 9.99 deg in latitude, 9.99 deg across the dateline
  assert.is(c(0, 10.01, 170), false);
  assert.is(c(0, 0, -179.99), false); // 10.01 deg across the dateline
  assert.is(c(14.99, 0, 170), true);
  assert.is(c(-14.99, 0, 170), true);
  assert.is(c(15.01, 0, 170), false);
  assert.is(c(-15.01, 0, 170), false);
  // "within 10 deg" includes 10 itself; the two readings of "or"
  assert.is(spatialConflict(10, 10, 0, 0, 10, 'box'), true);
  assert.is(spatialConflict(10.01, 0, 0, 0, 10, 'box'), false);
  assert.is(spatialConflict(10.01, 0, 0, 0, 10, 'bands'), true);
  assert.is(spatialConflict(10.01, 10.01, 0, 0, 10, 'bands'), false);
});

test('window continuity: steps of 1 s within 100 ms keep a window, 101 ms off drops it (section 3.1)', () => {
  const T = 70;
  const run = (jitterMs: number) => {
    const day = samples(Array.from({ length: T }, (_, i) => ({ t: T0 + i * 1000, lat: i * 0.06, lon: 0 })));
    day.Timestamp[35] += jitterMs;
    const sink = new WindowSink(T, DATASET_PARAMS.windows.features);
    const n = day.Timestamp.length;
    tileDay(day, new Int32Array(n).fill(0), new Uint8Array(n).fill(1), new Float64Array(n), new Float64Array(n), sink,
      withParams({ windows: { membership: 'inside' } }).windows);
    sink.close();
    return [sink.count, sink.drops.gapWindows];
  };
  assert.equal(run(0), [1, 0]);
  assert.equal(run(100), [1, 0]);
  assert.equal(run(-100), [1, 0]);
  assert.equal(run(101), [0, 1]);
  assert.equal(run(-101), [0, 1]);
});

test('Gardner-Knopoff: an M6.0 mainshock claims an M5 event at 53.9 km / 509.9 days, not at 54.1 km / 510.1 days', () => {
  const rule = gardnerKnopoffTable();
  const ms = { id: 'ms', time: T0, latitude: 0, longitude: 0, mag: 6.0 };
  const ev = (id: string, km: number, days: number) => ({ id, time: T0 + days * DAY, latitude: km / KM_PER_DEG, longitude: 0, mag: 5.0 });
  const cases: [number, number, number][] = [[53.9, 10, 0], [54.1, 10, 1], [20, 509.9, 0], [20, 510.1, 1], [20, -1, 1]];
  for (const [km, days, keptExpected] of cases) {
    const r = decluster(catalogFromRows([ms, ev('a', km, days)]), rule);
    assert.is(r.kept[1], keptExpected, `${km} km, ${days} d`);
  }
  // interpolated edge at M5.25 (43.5 km, 222.5 days)
  const ms2 = { ...ms, mag: 5.25 };
  assert.is(decluster(catalogFromRows([ms2, ev('b', 43.4, 1)]), rule).kept[1], 0);
  assert.is(decluster(catalogFromRows([ms2, ev('b', 43.6, 1)]), rule).kept[1], 1);
  assert.is(decluster(catalogFromRows([ms2, ev('b', 1, 222.4)]), rule).kept[1], 0);
  assert.is(decluster(catalogFromRows([ms2, ev('b', 1, 222.6)]), rule).kept[1], 1);
});

test('store flags: Ne <= 0 is impossible (0 included), the smallest positive Ne is usable', () => {
  assert.is(neStoreFlag(null, 0), FLAG.IMPOSSIBLE);
  assert.is(neStoreFlag(null, -1e-9), FLAG.IMPOSSIBLE);
  assert.is(neStoreFlag(null, 1e-9), 0);
  assert.is(neStoreFlag(null, NaN), FLAG.MISSING);
  assert.equal([neStoreFlag(null, 0), neStoreFlag(null, 1e-9)].map(isUsable), [false, true]);
});

test('audit band 0.1-0.5 Hz: its edge bins (k = 7 and the Nyquist bin 35 of a 70 s window) count, k = 6 does not', () => {
  const T = 70;
  const energy = (k: number, band: [number, number] = [0.1, 0.5]) => {
    const X = Float32Array.from({ length: T }, (_, j) => Math.cos((2 * Math.PI * k * j) / T));
    return bandEnergy(X, T, 1, 0, band)[0];
  };
  // a unit cosine at bin k carries T/4 in bin k (T at the Nyquist bin); the quadratic detrend leaks little
  assert.ok(Math.abs(energy(7) / (T / 4) - 1) < 0.05, String(energy(7)));
  assert.ok(Math.abs(energy(20) / (T / 4) - 1) < 0.01, String(energy(20)));
  assert.ok(Math.abs(energy(35) / T - 1) < 0.01, String(energy(35)));
  assert.ok(energy(6) < 0.05 * (T / 4), String(energy(6)));
  assert.ok(energy(35, [0.1, 0.49]) < 0.05 * T, 'bin 35 is outside a band ending at 0.49 Hz');
  assert.ok(energy(7, [0.11, 0.5]) < 0.05 * (T / 4), 'bin 7 is outside a band starting at 0.11 Hz');
});

/** A 100-deg night track at 1 Hz (~0.064 deg/s) with white noise in the field's derivative and a burst. */
function massTrack(burstAmp: (lat: number) => number) {
  const r = rngFor('test', 'mass-threshold');
  const n = 1600;
  const t = new Float64Array(n), lat = new Float64Array(n), lon = new Float64Array(n);
  const bn = new Float64Array(n), be = new Float64Array(n), bc = new Float64Array(n);
  let x = 0, y = 0, z = 0;
  for (let i = 0; i < n; i++) {
    t[i] = T0 + i * 1000;
    lat[i] = -50 + i * 0.0625;
    lon[i] = 10;
    const a = burstAmp(lat[i]);
    x += r.normal(0, 0.1);
    y += r.normal(0, 0.1) + a * Math.sin(2 * Math.PI * 0.3 * i);
    z += r.normal(0, 0.1);
    bn[i] = 20000 + x; be[i] = y; bc[i] = z;
  }
  return runMass({ Timestamp: t, Latitude: lat, Longitude: lon, B_N: bn, B_E: be, B_C: bc });
}

test('MASS: a window is anomalous exactly when its rms exceeds kt = 2.5 times the track rms', () => {
  // a burst in the east component whose amplitude ramps up with latitude gives windows on both sides of 2.5
  const res = massTrack((la) => (la > 0 && la < 30 ? 0.04 * la : 0));
  const ratios = res.windows.map((w) => w.rms.Y / res.trackRms.Y);
  const below = ratios.filter((q) => q > 2.2 && q <= 2.5).length;
  const above = ratios.filter((q) => q > 2.5 && q < 2.8).length;
  assert.ok(below > 0 && above > 0, `windows near the threshold: ${ratios.map((q) => q.toFixed(2)).join(' ')}`);
  res.windows.forEach((w, k) => assert.is(w.anomalous.Y, ratios[k] > 2.5, `window at ${w.startLat.toFixed(1)}: ${ratios[k]}`));
  // X and Z hold noise only: no window of theirs is anomalous (none reaches 2.5 times the track rms)
  assert.is(res.windows.filter((w) => w.anomalous.X || w.anomalous.Z).length, 0);
  // 7-deg windows shifted by 1.4 deg
  assert.ok(Math.abs(res.windows[1].startLat - res.windows[0].startLat - 1.4) < 1e-9);
  assert.ok(Math.abs(res.windows[0].endLat - res.windows[0].startLat - 7) < 1e-9);
});

test('NeLOG: degree 10 fits a degree-10 profile exactly and leaves a degree-11 term; k = 3 flags beyond 3 rms', () => {
  const n = 2000;
  const lat = Float64Array.from({ length: n }, (_, i) => -50 + (100 * i) / (n - 1));
  // log10 Ne = 5 + 0.5 T10(lat/50) + a T11(lat/50) (Chebyshev polynomials)
  const T = (k: number, x: number) => Math.cos(k * Math.acos(Math.max(-1, Math.min(1, x))));
  const a = 0.02;
  const ne = lat.map((la) => Math.pow(10, 5 + 0.5 * T(10, la / 50) + a * T(11, la / 50)));
  const r10 = runNelog({ Latitude: lat, Ne: ne });
  // the degree-11 term is orthogonal-ish to lower degrees: its residual rms is about a / sqrt(2)
  assert.ok(r10.rms > 0.6 * a && r10.rms < 0.75 * a, `rms ${r10.rms}`);
  const r11 = runNelog({ Latitude: lat, Ne: ne }, { ...r10.params, degree: 11 });
  assert.ok(r11.rms < 1e-9, `degree 11 rms ${r11.rms}`);
  const r9 = runNelog({ Latitude: lat, Ne: ne }, { ...r10.params, degree: 9 });
  assert.ok(r9.rms > 10 * a, `degree 9 rms ${r9.rms}`);
  // k: Gaussian scatter on a smooth profile; samples between 2.9 and 3 rms stay, between 3 and 3.1 rms are flagged
  const rng = rngFor('test', 'nelog-threshold');
  const noisy = lat.map((la) => Math.pow(10, 5 + 0.3 * T(2, la / 50) + rng.normal(0, 0.05)));
  const r = runNelog({ Latitude: lat, Ne: noisy });
  assert.ok(Math.abs(r.threshold - 3 * r.rms) < 1e-15);
  const z = Array.from(r.residual, (v) => Math.abs(v) / r.rms);
  const justBelow = z.map((q, i) => [q, i]).filter(([q]) => q > 2.85 && q <= 3);
  const justAbove = z.map((q, i) => [q, i]).filter(([q]) => q > 3 && q < 3.15);
  assert.ok(justBelow.length > 0 && justAbove.length > 0, `${justBelow.length} below, ${justAbove.length} above`);
  for (const [, i] of justBelow) assert.is(r.flagged[i], 0);
  for (const [, i] of justAbove) assert.is(r.flagged[i], 1);
  assert.is(r.nFlagged, z.filter((q) => q > 3).length);
});

test.run();
