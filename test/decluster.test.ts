// Tests for lib/catalog/decluster.ts and lib/catalog/filters.ts: hand-built catalogs with known outcomes for each
// rule, the Gardner-Knopoff windows against the published table and fit, and the bucketed implementation against
// a brute-force O(n^2) one on a random clustered catalog.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rngFor } from '../lib/core/random';
import {
  decluster, declusterTable, fixedWindow, gardnerKnopoffFit, gardnerKnopoffTable, gkFitDistanceKm, gkFitTimeDays,
  gkTableDistanceKm, gkTableTimeDays, NO_DECLUSTERING, ruleByName, scaledGardnerKnopoff, WindowRule,
} from '../lib/catalog/decluster';
import { catalogFromRows, CatalogLike, filterCatalog, greatCircleKm, magnitudeBinCounts } from '../lib/catalog/filters';

const DAY = 86_400_000;
const t0 = Date.parse('2016-01-01T00:00:00Z');

test('great-circle distance: one degree of arc and a quarter meridian', () => {
  assert.ok(Math.abs(greatCircleKm(0, 0, 0, 1) - 111.195) < 0.01);
  assert.ok(Math.abs(greatCircleKm(0, 0, 90, 0) - 10007.54) < 0.1);
  assert.ok(Math.abs(greatCircleKm(10, 179.5, 10, -179.5) - greatCircleKm(10, 0, 10, 1)) < 1e-6);
});

test('filters: magnitude, period (start inclusive, end exclusive) and type, sorted by time', () => {
  const cat = catalogFromRows([
    { id: 'c', time: '2016-03-01', latitude: 0, longitude: 0, mag: 5.0 },
    { id: 'a', time: '2014-03-31T23:59:59Z', latitude: 0, longitude: 0, mag: 6.0 },
    { id: 'b', time: '2014-04-01', latitude: 0, longitude: 0, mag: 4.8 },
    { id: 'd', time: '2016-03-02', latitude: 0, longitude: 0, mag: 4.79 },
    { id: 'e', time: '2016-03-03', latitude: 0, longitude: 0, mag: 5.5, type: 'explosion' },
    { id: 'f', time: '2020-05-01', latitude: 0, longitude: 0, mag: 7.0 },
  ]);
  const f = filterCatalog(cat, { minMag: 4.8, from: '2014-04-01', to: '2020-05-01', types: ['earthquake'] });
  assert.equal(f.id, ['b', 'c']);
  assert.equal(magnitudeBinCounts([4.8, 5.19, 5.2, 5.8, 7.5, 7.6], [[4.8, 5.2], [5.2, 5.8], [5.8, 7.5]]), [2, 1, 2]);
});

test('Gardner-Knopoff table values at the table points and the van Stiphout fit', () => {
  assert.is(gkTableDistanceKm(5.0), 40);
  assert.is(gkTableTimeDays(6.5), 790);
  assert.is(gkTableTimeDays(5.25), (155 + 290) / 2);
  assert.is(gkTableDistanceKm(9), 94); // clamped
  assert.ok(Math.abs(gkFitDistanceKm(5) - Math.pow(10, 0.1238 * 5 + 0.983)) < 1e-9);
  assert.ok(Math.abs(gkFitTimeDays(5) - Math.pow(10, 0.5409 * 5 - 0.547)) < 1e-9);
  assert.ok(Math.abs(gkFitTimeDays(7) - Math.pow(10, 0.032 * 7 + 2.7389)) < 1e-9);
});

// A M6.0 mainshock at (0,0) on day 0 (GK table: 54 km, 510 days)
const mainshock = { id: 'main', time: t0, latitude: 0, longitude: 0, mag: 6.0 };

test('GK: an aftershock inside both windows is removed, outside either is kept', () => {
  const cat = catalogFromRows([
    mainshock,
    { id: 'in', time: t0 + 100 * DAY, latitude: 0.3, longitude: 0, mag: 5.0 }, // 33 km, 100 d
    { id: 'far', time: t0 + 100 * DAY, latitude: 0.6, longitude: 0, mag: 5.0 }, // 67 km > 54
    { id: 'late', time: t0 + 600 * DAY, latitude: 0.1, longitude: 0, mag: 5.0 }, // 600 d > 510
    { id: 'fore', time: t0 - 5 * DAY, latitude: 0.1, longitude: 0, mag: 5.0 }, // before: foreshock
  ]);
  const r = decluster(cat, gardnerKnopoffTable());
  const kept = cat.id.filter((_, i) => r.kept[i]);
  assert.equal(kept.sort(), ['far', 'fore', 'late', 'main']);
  assert.is(r.mainshock[1], 0);
  // foreshocks too
  const b = decluster(cat, gardnerKnopoffTable('both'));
  assert.equal(cat.id.filter((_, i) => b.kept[i]).sort(), ['far', 'late', 'main']);
});

test('GK: a larger later event is not claimed by a smaller earlier one; removed events claim nothing', () => {
  const cat = catalogFromRows([
    { id: 'small', time: t0, latitude: 0, longitude: 0, mag: 5.0 },
    { id: 'big', time: t0 + 10 * DAY, latitude: 0, longitude: 0.1, mag: 6.0 },
    // inside small's window (40 km, 155 d) but removed by big first; then 'chain' is 45 km from 'a2' only
    { id: 'a2', time: t0 + 20 * DAY, latitude: 0, longitude: 0.3, mag: 5.5 },
    { id: 'chain', time: t0 + 30 * DAY, latitude: 0, longitude: 0.3 + 0.4, mag: 5.0 }, // 67 km from big, 44 km from a2
  ]);
  const r = decluster(cat, gardnerKnopoffTable());
  assert.equal(cat.id.filter((_, i) => r.kept[i]), ['small', 'big', 'chain']);
});

test('scaled and fixed windows, and none', () => {
  const cat = catalogFromRows([
    mainshock,
    { id: 'd60', time: t0 + 60 * DAY, latitude: 0.2, longitude: 0, mag: 5.0 },
    { id: 'd20', time: t0 + 20 * DAY, latitude: 0.2, longitude: 0, mag: 5.0 },
  ]);
  const kept = (rule: WindowRule) => { const r = decluster(cat, rule); return cat.id.filter((_, i) => r.kept[i]); };
  assert.equal(kept(scaledGardnerKnopoff(1, 0.1)), ['main', 'd60']); // 51 days
  assert.equal(kept(fixedWindow(30, 30)), ['main', 'd60']); // 22 km, 20 days
  assert.equal(kept(fixedWindow(10, 100)), ['main', 'd20']); // 22 km > 10 from main, but d20 claims d60 (same place, 40 d later)
  assert.equal(kept(NO_DECLUSTERING), ['main', 'd60', 'd20']);
  assert.is(ruleByName('gk-table-x0.5d-x0.25t').distanceKm(5), 20);
  assert.is(ruleByName('fixed-100km-30d').timeDays(7), 30);
  assert.throws(() => ruleByName('nonsense'), /unknown declustering rule/);
});

function bruteForce(cat: CatalogLike, rule: WindowRule): Uint8Array {
  const n = cat.time.length;
  const kept = new Uint8Array(n).fill(1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cat.mag[b] - cat.mag[a] || cat.time[a] - cat.time[b] || a - b);
  for (const i of order) {
    if (!kept[i]) continue;
    for (let j = 0; j < n; j++) {
      if (j === i || !kept[j] || cat.mag[j] > cat.mag[i]) continue;
      const dt = cat.time[j] - cat.time[i];
      if (dt > rule.timeDays(cat.mag[i]) * DAY || (rule.direction === 'after' ? dt < 0 : dt < -rule.timeDays(cat.mag[i]) * DAY)) continue;
      if (greatCircleKm(cat.latitude[i], cat.longitude[i], cat.latitude[j], cat.longitude[j]) > rule.distanceKm(cat.mag[i])) continue;
      kept[j] = 0;
    }
  }
  return kept;
}

test('bucketed declustering equals brute force on a random clustered catalog (incl. poles and the dateline)', () => {
  const rng = rngFor('test', 'decluster');
  const rows = [];
  for (let c = 0; c < 150; c++) {
    const lat = c < 10 ? rng.uniform(85, 90) : rng.uniform(-80, 80);
    const lon = c < 20 ? rng.uniform(179, 180) : rng.uniform(-180, 180);
    const t = t0 + rng.uniform(0, 2000) * DAY;
    const k = rng.int(8);
    rows.push({ id: `m${c}`, time: t, latitude: lat, longitude: lon, mag: rng.uniform(5.5, 7.5) });
    for (let a = 0; a < k; a++) {
      let lo = lon + rng.normal(0, 0.4);
      if (lo >= 180) lo -= 360;
      rows.push({ id: `m${c}a${a}`, time: t + rng.uniform(-5, 400) * DAY, latitude: Math.max(-90, Math.min(90, lat + rng.normal(0, 0.4))), longitude: lo, mag: rng.uniform(4.8, 6) });
    }
  }
  const cat = catalogFromRows(rows);
  for (const rule of [gardnerKnopoffTable(), gardnerKnopoffFit(), gardnerKnopoffTable('both'), fixedWindow(100, 30)]) {
    const a = decluster(cat, rule).kept;
    const b = bruteForce(cat, rule);
    assert.equal(Array.from(a), Array.from(b), rule.name);
  }
});

test('declusterTable: one row per rule, kept counts pinned and monotone in window size on 10k random events', () => {
  const rng = rngFor('test', 'decluster-big');
  const rows = [];
  for (let i = 0; i < 10_000; i++) {
    rows.push({ id: `e${i}`, time: t0 + rng.uniform(0, 2200) * DAY, latitude: rng.uniform(-60, 60), longitude: rng.uniform(-180, 180), mag: 4.8 + rng.uniform(0, 1) ** 3 * 3 });
  }
  const cat = catalogFromRows(rows);
  const tab = declusterTable('random', cat, [NO_DECLUSTERING, scaledGardnerKnopoff(1, 0.1), gardnerKnopoffTable()]);
  assert.equal(tab.map((r) => r.rule), ['none', 'gk-table-x1d-x0.1t', 'gk-table']);
  // values of this implementation on the seeded catalog (equal to brute force above); larger windows keep fewer
  assert.equal(tab.map((r) => [r.kept, ...r.bins]), [[10_000, 5111, 1847, 2704], [9963, 5089, 1841, 2697], [9731, 4958, 1781, 2656]]);
  assert.ok(tab[0].kept > tab[1].kept && tab[1].kept > tab[2].kept);
  assert.is(tab[0].keptPercent, 100);
  assert.ok(Math.abs(tab[2].keptPercent - 97.31) < 1e-9);
});

test.run();
