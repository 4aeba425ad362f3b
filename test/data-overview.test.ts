// Tests for lib/data/overview.ts: every figure spec of notebook 01 compiles with vega-lite, and the counts it
// draws match the inputs (Kp>3 slots and days 2014-2020 as counted independently with Python's csv module:
// 2507 of 20456 slots, 874 days; 10,037 catalog earthquakes of M>=5 in the paper's period; 192 Swarm records).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as vl from 'vega-lite';
import * as path from 'path';
import { paths } from '../lib/core/paths';
import { readComcat } from '../lib/catalog/comcat';
import { readDstHourly } from '../lib/indices/dst';
import { readKp3Hourly } from '../lib/indices/kp';
import { readMagCsv } from '../lib/swarm/swarm-csv';
import { catalogMapSpec, indicesSpec, magnitudeHistogramSpec, selectEvents, swarmTrackSpec, worldLand } from '../lib/data/overview';

function compiles(spec: object) {
  const warnings: string[] = [];
  const logger = { level: () => logger, info: () => logger, debug: () => logger, warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger), error: (...a: unknown[]) => { throw new Error(a.join(' ')); } };
  const out = vl.compile(spec as vl.TopLevelSpec, { logger: logger as never });
  assert.ok(out.spec, 'compiled');
  assert.equal(warnings, [], `vega-lite warnings: ${warnings.join('; ')}`);
  // inline data only
  assert.not.match(JSON.stringify(spec), /"url"\s*:/);
  return out.spec;
}

test('Kp/Dst 2014-2020: counts and Kp>3 shading', () => {
  const f = indicesSpec(readKp3Hourly(), readDstHourly());
  assert.equal(f.counts, { days: 2557, kpSlots: 20456, kpSlotsAbove: 2507, daysAbove: 874, shadedIntervals: f.counts.shadedIntervals, dstHours: 2557 * 24 });
  const bands = f.spec.vconcat[0].layer[0].data.values as { start: string; end: string }[];
  assert.is(bands.length, f.counts.shadedIntervals);
  const shadedDays = bands.reduce((s, b) => s + (Date.parse(b.end) - Date.parse(b.start)) / 86400e3, 0);
  assert.is(shadedDays, 874);
  // the St Patrick's Day storm (2015-03-17) and the Sumatra case day 2016-02-15 (max Kp 4+) are shaded
  const covered = (day: string) => bands.some((b) => b.start <= `${day}T00:00:00.000Z` && `${day}T00:00:00.000Z` < b.end);
  assert.ok(covered('2015-03-17'));
  assert.ok(covered('2016-02-15'));
  assert.is(f.spec.vconcat[0].layer[1].data.values.length, 2557);
  compiles(f.spec);
  assert.throws(() => indicesSpec(readKp3Hourly(), readDstHourly(), '2005-12-31', '2006-01-02'), /days without Kp/);
});

test('catalog map and magnitude histogram: 10,037 earthquakes M>=5 in 2014-04-01..2020-04-30', () => {
  const cat = readComcat();
  const idx = selectEvents(cat, { from: '2014-04-01', to: '2020-04-30', minMag: 5, type: 'earthquake' });
  assert.is(idx.length, 10037);
  const map = catalogMapSpec(cat, idx, { title: 'USGS ComCat', highlight: { us10004u1y: 'Sumatra 2016', us20005j32: 'Ecuador 2016', nope: 'absent' } });
  assert.equal(map.counts, { events: 10037, highlighted: 2 });
  compiles(map.spec);
  const land = worldLand() as { type: string; features: unknown[] };
  assert.is(land.type, 'FeatureCollection');
  const h = magnitudeHistogramSpec(cat, idx, { title: 'magnitudes' });
  assert.is(h.bins.reduce((s, b) => s + b.count, 0), 10037);
  assert.is(h.bins[0].from, 5);
  const b78 = h.bins.find((b) => b.from === 7.8)!;
  assert.ok(b78.count >= 2); // both case-study events are M7.8
  let n78 = 0;
  for (const i of idx) if (cat.mag[i] >= 7.8 - 1e-9 && cat.mag[i] < 7.9 - 1e-9) n78++;
  assert.is(b78.count, n78);
  compiles(h.spec);
});

test('Swarm track figure: the 192 real records', () => {
  const mag = readMagCsv(path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv'));
  const f = swarmTrackSpec(mag, { title: 'Swarm A MAG LR 1B sample' });
  assert.is(f.counts.records, 192);
  const pts = f.spec.hconcat[0].layer[3].data.values as { lat: number; B_C: number }[];
  assert.is(pts.length, 192);
  assert.is(pts[0].B_C, mag.B_C[0]);
  compiles(f.spec);
});

test.run();
