// Simulated Swarm A orbit (lib/simulation/orbit.ts) against the published facts (METHOD-NOTES 'Orbit facts'):
// ~94 min period, 87.35 deg inclination, ~7.6 km/s, the ~133-day local-time cycle; and against the real orbit:
// the shipped EEF crossings and VirES positions of 2016-01-01 (phase, node directions, radius profile), with the
// paper's 01:30 LT Sumatra track of 2016-02-15 as a check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ascendingCrossings, ascendingNodeLocalTime, dayTimes, localSolarTime, makeOrbit, nodalPeriodS, positionsAt,
} from '../lib/simulation/orbit';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';
import { median, readEefNodes, readRealMagSample, separationKm } from '../lib/simulation/realism';

const orbit = makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit);
const day = positionsAt(orbit, dayTimes('2016-02-15'));

test('orbital period is about 94 min (about 15.4 orbits a day), measured from equator crossings', () => {
  const c = ascendingCrossings(day);
  assert.ok(c.time.length >= 15 && c.time.length <= 16, `${c.time.length} ascending crossings in a day`);
  const periods = c.time.slice(1).map((t, i) => (t - c.time[i]) / 60000);
  const mean = periods.reduce((a, b) => a + b, 0) / periods.length;
  assert.ok(mean > 93 && mean < 95, `mean period ${mean.toFixed(2)} min`);
  assert.ok(Math.abs(mean - nodalPeriodS(orbit, day.Timestamp[0]) / 60) < 0.01);
});

test('inclination: the track reaches 87.35 deg latitude and never more; longitudes in [-180, 180)', () => {
  let mx = -90, mn = 90;
  for (let k = 0; k < day.Latitude.length; k++) {
    mx = Math.max(mx, day.Latitude[k]);
    mn = Math.min(mn, day.Latitude[k]);
    assert.ok(day.Longitude[k] >= -180 && day.Longitude[k] < 180);
  }
  assert.ok(Math.abs(mx - 87.35) < 0.01 && Math.abs(mn + 87.35) < 0.01, `latitude range ${mn}..${mx}`);
});

test('radius follows the real one along the orbit (6,816-6,828 km on 2016-01-01), decays over the years; ground speed ~7.6 km/s', () => {
  const real = readRealMagSample();
  const tr = positionsAt(orbit, real.Timestamp);
  let worst = 0, rMin = Infinity, rMax = -Infinity;
  for (let i = 0; i < tr.Radius.length; i++) {
    worst = Math.max(worst, Math.abs(tr.Radius[i] - real.Radius[i]) / 1000);
    rMin = Math.min(rMin, tr.Radius[i] / 1000);
    rMax = Math.max(rMax, tr.Radius[i] / 1000);
  }
  assert.ok(worst < 0.1, `simulated minus real radius at most ${worst.toFixed(3)} km`);
  assert.ok(rMax - rMin > 10, `radius varies by ${(rMax - rMin).toFixed(1)} km over the sample (real: 12.4 km)`);
  const meanAlt = (iso: string) => {
    const t0 = Date.parse(iso);
    const r = positionsAt(orbit, Array.from({ length: 5616 }, (_, i) => t0 + i * 1000)).Radius;
    return r.reduce((x, y) => x + y, 0) / r.length / 1000 - 6371.2;
  };
  const a14 = meanAlt('2014-06-01T00:00:00Z'), a16 = meanAlt('2016-01-01T00:00:00Z'), a19 = meanAlt('2019-12-01T00:00:00Z');
  assert.ok(a16 > 440 && a16 < 460 && a14 > a16 && a19 < a16 && a19 > 420, `mean altitude ${a14.toFixed(1)} / ${a16.toFixed(1)} / ${a19.toFixed(1)} km (2014 / 2016 / 2019)`);
  let s = 0;
  for (let k = 1; k < 1000; k++) {
    const dot = day.unit[3 * k] * day.unit[3 * k - 3] + day.unit[3 * k + 1] * day.unit[3 * k - 2] + day.unit[3 * k + 2] * day.unit[3 * k - 1];
    s += Math.acos(Math.min(1, dot)) * 6371;
  }
  const v = s / 999;
  // ground-track speed includes Earth's rotation; orbital speed at 6830 km is 7.64 km/s (7.1 km/s projected)
  assert.ok(v > 6.9 && v < 7.7, `ground speed ${v.toFixed(2)} km/s`);
});

test('phase from the real orbit: the 15 ascending crossings of 2016-01-01 (EEF file) within 0.5 s and 0.02 deg', () => {
  const real = readEefNodes();
  assert.is(real.time.length, 15);
  const sim = ascendingCrossings(positionsAt(orbit, dayTimes('2016-01-01')));
  for (let i = 0; i < real.time.length; i++) {
    // the simulated crossing nearest in time
    let j = 0;
    for (let k = 1; k < sim.time.length; k++) if (Math.abs(sim.time[k] - real.time[i]) < Math.abs(sim.time[j] - real.time[i])) j = k;
    const dt = (sim.time[j] - real.time[i]) / 1000;
    const dl = sim.longitude[j] - real.longitude[i];
    assert.ok(Math.abs(dt) < 0.5 && Math.abs(dl) < 0.02, `crossing ${i}: ${dt.toFixed(2)} s, ${dl.toFixed(4)} deg`);
  }
});

test('nodes the right way round: ascending at 17.6 h LT (dusk), descending at 5.6 h LT on 2016-01-01, as the real orbit', () => {
  const real = readEefNodes();
  const ltReal = localSolarTime(real.time[0], real.longitude[0]);
  assert.ok(Math.abs(ltReal - 17.62) < 0.01, `real ascending node ${ltReal.toFixed(2)} h LT`);
  const lt = ascendingNodeLocalTime(orbit, real.time[0]);
  assert.ok(Math.abs(lt - ltReal) < 0.02, `simulated ascending node ${lt.toFixed(3)} h LT vs real ${ltReal.toFixed(3)}`);
  // a descending crossing half an orbit later sits 12 h away
  const mid = real.time[0] + (nodalPeriodS(orbit, real.time[0]) / 2) * 1000;
  const times = Array.from({ length: 241 }, (_, i) => mid + (i - 120) * 1000);
  const tr = positionsAt(orbit, times);
  const k = tr.Latitude.findIndex((x, i) => i > 0 && tr.Latitude[i - 1] >= 0 && x < 0);
  assert.ok(k > 0, 'a descending equator crossing within 2 minutes of half an orbit later');
  const ltDesc = localSolarTime(times[k], tr.Longitude[k]);
  assert.ok(Math.abs(ltDesc - 5.6) < 0.1, `descending node ${ltDesc.toFixed(2)} h LT`);
});

test('simulated and real positions at the same instants: median separation under 50 km on the calibration day', () => {
  const real = readRealMagSample();
  const tr = positionsAt(orbit, real.Timestamp);
  const sep = Array.from(real.Timestamp, (_, i) => separationKm(real.Latitude[i], real.Longitude[i], real.Radius[i], tr.Latitude[i], tr.Longitude[i], tr.Radius[i]));
  const med = median(sep);
  assert.ok(med < 50, `median separation ${med.toFixed(2)} km`);
  assert.ok(Math.max(...sep) < 5, `largest separation ${Math.max(...sep).toFixed(2)} km (the fit reaches about 1 km)`);
});

test("the paper's check: on 2016-02-15 a descending night pass near 01:30 LT crosses the Sumatra epicentre's area at ~19 UT", () => {
  // epicentre of the 2016-03-02 M7.8 southwest of Sumatra (ComCat us10004u1y); Dobrovolsky radius 10^(0.43 M) km
  const lat = -4.9082, lon = 94.2746, radius = Math.pow(10, 0.43 * 7.8);
  let best = Infinity, kb = 0;
  for (let k = 0; k < day.Timestamp.length; k++) {
    const d = separationKm(day.Latitude[k], day.Longitude[k], 6371e3, lat, lon, 6371e3);
    if (d < best) {
      best = d;
      kb = k;
    }
  }
  const lt = localSolarTime(day.Timestamp[kb], day.Longitude[kb]);
  const utH = (day.Timestamp[kb] - Date.parse('2016-02-15T00:00:00Z')) / 3600e3;
  assert.ok(best < radius, `closest approach ${best.toFixed(0)} km (Dobrovolsky radius ${radius.toFixed(0)} km)`);
  assert.ok(Math.abs(lt - 1.5) < 0.25, `local time at the closest approach ${lt.toFixed(2)} h (paper: ~01:30)`);
  assert.ok(day.Latitude[kb + 1] < day.Latitude[kb], 'a descending pass');
  assert.ok(utH > 18.5 && utH < 20, `at ${utH.toFixed(2)} h UT`);
  // track numbering of the case studies: track 26 when counted from 00 UT, 1-based, partial first
  let extrema = 0;
  for (let k = 1; k < kb; k++) if ((day.Latitude[k] - day.Latitude[k - 1]) * (day.Latitude[k + 1] - day.Latitude[k]) < 0) extrema++;
  assert.is(extrema + 1, 26, 'track number of the pass');
});

test('local-time drift: node LT falls ~0.09 h/day, all 24 h covered by both nodes in ~133 days', () => {
  // measure the LT of real equator crossings of the simulated track on days spread over 300 days
  const t0 = Date.parse('2014-06-01T00:00:00Z');
  const xs: number[] = [];
  const ys: number[] = [];
  let prev: number | null = null;
  let unwrap = 0;
  for (let d = 0; d <= 300; d += 20) {
    const times = Array.from({ length: 6000 }, (_, i) => t0 + d * 86400e3 + i * 1000);
    const c = ascendingCrossings(positionsAt(orbit, times));
    let lt = localSolarTime(c.time[0], c.longitude[0]);
    assert.ok(Math.abs(lt - ascendingNodeLocalTime(orbit, c.time[0])) < 0.02, 'crossing LT equals the element LTAN');
    if (prev !== null) {
      while (lt + unwrap - prev > 12) unwrap -= 24;
      while (lt + unwrap - prev < -12) unwrap += 24;
    }
    lt += unwrap;
    prev = lt;
    xs.push(d);
    ys.push(lt);
  }
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx; // hours per day
  assert.ok(slope < 0, `a prograde (i < 90 deg) orbit regresses: the node moves to earlier LT (slope ${slope})`);
  const fullCycle = 24 / Math.abs(slope);
  const bothNodes = fullCycle / 2;
  assert.ok(bothNodes > 128 && bothNodes < 138, `both nodes cover 24 h LT in ${bothNodes.toFixed(1)} days (Swarm A: ~133)`);
});

test('positions are deterministic functions of time (days can be computed independently)', () => {
  const t = Date.parse('2016-02-15T12:00:00Z');
  const a = positionsAt(orbit, [t]);
  const b = positionsAt(orbit, dayTimes('2016-02-15'));
  assert.is(a.Latitude[0], b.Latitude[43200]);
  assert.is(a.Longitude[0], b.Longitude[43200]);
});

test.run();
