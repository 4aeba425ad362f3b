// Tests for lib/datasets/figures.ts and report.ts: the Vega-Lite specs compile with inlined data, Figure 3's data
// matches the windows, the declustering comparison on the shipped catalogs has the paper's row and one row per
// rule, and Table 1 rows carry the paper's columns beside our counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as vl from 'vega-lite';
import { rngFor } from '../lib/core/random';
import { paths } from '../lib/core/paths';
import { readComcat } from '../lib/catalog/comcat';
import { declusterRules } from '../lib/catalog/decluster';
import { balanceRows, classBalanceSpec, declusterSpec, figure3Example, figure3Spec } from '../lib/datasets/figures';
import { declusterComparison, table1Comparison } from '../lib/datasets/report';
import { eventTableFromRows, localTimeHours } from '../lib/datasets/selection';
import { syntheticDay } from '../lib/datasets/synthetic';
import { configsById } from '../lib/datasets/table1';

const day = syntheticDay('2016-02-11', rngFor('test', 'report'));

test('Figure 3 example: windows inside the shown stretch, labels of the samples, spec compiles', () => {
  // an event on a night-time part of the track
  let i = 20_000;
  while (!(localTimeHours(day.Timestamp[i], day.Longitude[i]) >= 20 || localTimeHours(day.Timestamp[i], day.Longitude[i]) < 4)) i += 60;
  const ev = eventTableFromRows([{ id: 'q', time: day.Timestamp[i] + 86_400_000, latitude: day.Latitude[i], longitude: day.Longitude[i], mag: 6.5, seismic: true }]);
  const t0 = Date.parse('2016-02-01T00:00:00Z');
  const kp = { time: Float64Array.from({ length: 240 }, (_, k) => t0 + k * 3 * 3_600_000), Kp: new Float64Array(240).fill(1) };
  const fig = figure3Example(day, ev, kp, configsById([3])[0], { feature: 'B_N' });
  assert.ok(fig);
  assert.ok(fig!.windows.length >= 1);
  for (const w of fig!.windows) {
    assert.is(w.end - w.start, 70_000);
    assert.is(w.label, 1);
    assert.ok(w.start >= fig!.time[0] && w.end <= fig!.time[fig!.time.length - 1] + 1000);
  }
  assert.ok(Array.from(fig!.label).includes(1) && Array.from(fig!.label).includes(255));
  const spec = figure3Spec(fig!);
  const compiled = vl.compile(spec as any);
  assert.ok(compiled.spec.data && JSON.stringify(spec).includes('"values"'));
});

test('class balance and declustering specs compile', () => {
  const rows = balanceRows([{ name: 'DataSet 03', bySplitClass: [[5, 4, 1], [1, 1, 0], [2, 2, 1]] }]);
  assert.is(rows.length, 9);
  assert.is(rows.reduce((a, r) => a + r.windows, 0), 17);
  const balance = vl.compile(classBalanceSpec(rows) as any).spec as any;
  assert.is(balance.data.find((d: any) => d.name === 'source_0').values.length, 9);
  assert.ok(balance.marks.length > 0);
  const dc = vl.compile(declusterSpec([{ rule: 'gk-table', catalog: 'ours', kept: 5000 }]) as any).spec as any;
  assert.equal(dc.marks.map((m: any) => m.type), ['rect', 'rule', 'text']);
  assert.ok(JSON.stringify(dc.data).includes('5000') && JSON.stringify(dc.data).includes('9017'));
});

test('declustering comparison on the shipped catalogs: the paper row first, one row per rule', () => {
  const cmp = declusterComparison(readComcat(paths.catalogM50), readComcat(paths.catalogM45));
  assert.is(cmp.rows.length, declusterRules().length + 1);
  assert.is(cmp.rows[0].kept, 9017);
  const none = cmp.rows.find((r) => r.rule === 'none')!;
  assert.is(none.events, none.kept);
  const gk = cmp.rows.find((r) => r.rule === 'gk-table')!;
  assert.ok((gk.kept as number) < (none.kept as number));
  assert.ok(cmp.notes[0].includes('M>=5.0 only'));
});

test('Table 1 comparison rows: paper columns beside ours', () => {
  const summary = { counts: { windows: 10, bySplitClass: [[3, 3, 1], [1, 0, 0], [1, 1, 0]], eventsBySplit: [2, 1, 1], realEventsWithWindows: 2, artificialEventsWithWindows: 2 }, drops: {} } as any;
  const [r] = table1Comparison([{ id: 11, summary }]);
  assert.is(r['paper: real events'], 5136);
  assert.is(r['paper: magnitude'], '4.8~5.2');
  assert.is(r['class 0/1/2'], '5/4/1');
  assert.is(r['train 0/1/2'], '3/3/1');
});

test.run();
