// Simulated Swarm A orbit (lib/simulation/orbit.ts) against the published facts (METHOD-NOTES 'Orbit facts'):
// ~94 min period, 87.35 deg inclination, 460 -> 430 km, ~7.6 km/s, and the ~133-day local-time cycle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ascendingCrossings, ascendingNodeLocalTime, dayTimes, localSolarTime, makeOrbit, nodalPeriodS, positionsAt,
} from '../lib/simulation/orbit';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';

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

test('altitude 460 km in 2014 decaying to 430 km by 2020; ground speed about 7.6 km/s at 1 Hz', () => {
  const at = (iso: string) => positionsAt(orbit, [Date.parse(iso)]).Radius[0] / 1000 - 6371.2;
  assert.ok(Math.abs(at('2014-04-01T00:00:00Z') - 460) < 0.01);
  assert.ok(Math.abs(at('2020-01-01T00:00:00Z') - 430) < 0.01);
  let s = 0;
  for (let k = 1; k < 1000; k++) {
    const dot = day.unit[3 * k] * day.unit[3 * k - 3] + day.unit[3 * k + 1] * day.unit[3 * k - 2] + day.unit[3 * k + 2] * day.unit[3 * k - 1];
    s += Math.acos(Math.min(1, dot)) * 6371;
  }
  const v = s / 999;
  // ground-track speed includes Earth's rotation; orbital speed at 6830 km is 7.64 km/s (7.1 km/s projected)
  assert.ok(v > 6.9 && v < 7.7, `ground speed ${v.toFixed(2)} km/s`);
});

test('local-time drift: node LT falls ~0.09 h/day, all 24 h covered by both nodes in ~133 days', () => {
  // measure the LT of real equator crossings of the simulated track on days spread over 300 days
  const t0 = Date.parse('2014-04-01T00:00:00Z');
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
