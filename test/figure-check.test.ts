// Tests for the figure check (lib/figures/check.ts): planted bad figures fail on each check, and figures the
// package draws (generated here, into a temporary folder) pass it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkFigures, checkFigureSpec, formatFigureProblem, FigureProblem } from '../lib/figures/check';
import { saveFigure, VegaLiteSpec } from '../lib/figures/render';
import { dobrovolskySpec } from '../lib/figures/overview';
import { indicesSpec, magnitudeHistogramSpec, selectEvents } from '../lib/data/overview';
import { readComcat } from '../lib/catalog/comcat';
import { readKp3Hourly } from '../lib/indices/kp';
import { readDstHourly } from '../lib/indices/dst';
import { makeOrbit } from '../lib/simulation/orbit';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';
import { trackPoints, groundTrackSpec, localTimeCoverageRows, localTimeCoverageSpec } from '../lib/simulation/figures';
import { tempDirs } from './helpers';

const tmp = tempDirs();
test.after(() => tmp.cleanup());

const points = [1, 2, 3, 4, 5, 6, 7, 8].map((x) => ({ x, y: x * x }));
function good(title = 'Squares'): VegaLiteSpec {
  return {
    title, width: 300, height: 200, usermeta: { simulated: false },
    data: { values: points }, mark: 'line',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  };
}
async function checks(spec: VegaLiteSpec): Promise<string[]> {
  return (await checkFigureSpec('planted', spec)).map((p: FigureProblem) => p.check);
}

test('a plain good figure passes', async () => {
  assert.equal(await checks(good()), []);
});

test('planted bad figures fail, each on its check', async () => {
  const { title: _t, ...untitled } = good();
  assert.ok((await checks(untitled)).includes('title'));
  assert.ok((await checks({ ...good('Tracks'), usermeta: { simulated: true } })).includes('simulated'));
  assert.ok((await checks({ ...good(), usermeta: undefined })).includes('simulated'));
  assert.ok((await checks({ ...good('Tracks (simulated data)'), usermeta: { simulated: true } })).length === 0);
  // a text mark placed beyond the canvas
  const outside = { ...good(), autosize: 'none', layer: [{ mark: 'line', encoding: good().encoding }, { mark: { type: 'text', dx: 400, align: 'left' }, encoding: { ...good().encoding, text: { value: 'far away label' } } }] };
  delete (outside as any).mark;
  delete (outside as any).encoding;
  assert.ok((await checks(outside)).includes('outside'), 'text outside the canvas');
  // two labels on the same spot
  const overlapping = { ...good(), data: { values: [{ x: 1, y: 1, t: 'first label' }, { x: 1, y: 1, t: 'second label' }] }, mark: 'text', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 't' } } };
  assert.ok((await checks(overlapping)).includes('overlap'), 'overlapping text');
  // a label across the y axis line
  const crossing = { ...good(), layer: [{ mark: 'line', encoding: good().encoding }, { data: { values: [{ x: 1, y: 30 }] }, mark: { type: 'text', align: 'right', dx: 20 }, encoding: { ...good().encoding, text: { value: 'label across the axis' } } }] };
  delete (crossing as any).mark;
  delete (crossing as any).encoding;
  assert.ok((await checks(crossing)).includes('crossing'), 'text across an axis');
  // a cut legend label
  const cut = { ...good(), data: { values: points.map((p) => ({ ...p, s: 'a very long series name that the legend cannot hold in its default limit of pixels' })) }, encoding: { ...good().encoding, color: { field: 's', type: 'nominal', legend: { labelLimit: 80 } } } };
  assert.ok((await checks(cut)).includes('cut'), 'cut text');
  // data marks with no data: axes only
  assert.ok((await checks({ ...good(), data: { values: [] } })).includes('no-data'));
  // a small plot on a large canvas
  const emptyCanvas = { ...good(), width: 60, height: 40, padding: { left: 5, top: 5, right: 900, bottom: 600 } };
  assert.ok((await checks(emptyCanvas)).includes('empty'), 'mostly empty canvas');
});

test('checkFigures reads a folder: a planted bad figure file is named, bad JSON is reported', async () => {
  const dir = tmp.tempDir('figcheck-');
  await saveFigure('good', good(), { simulated: false, dir, show: false });
  fs.writeFileSync(path.join(dir, 'bad.vl.json'), JSON.stringify({ ...good(), title: undefined }));
  fs.writeFileSync(path.join(dir, 'broken.vl.json'), '{nope');
  const problems = await checkFigures(dir);
  const text = problems.map(formatFigureProblem).join('\n');
  assert.match(text, /^bad: \[title\] no title/m);
  assert.match(text, /^broken: \[spec\] .*not valid JSON/m);
  assert.not.match(text, /^good:/m);
});

test("the package's figures pass (drawn here: overview, data, simulator)", async () => {
  const dir = tmp.tempDir('figcheck-pkg-');
  const o = { dir, show: false };
  await saveFigure('00-dobrovolsky-radius', dobrovolskySpec(), { ...o, simulated: false });
  const cat = readComcat();
  const sel = selectEvents(cat, { from: '2014-04-01', to: '2020-04-30', minMag: 5.0, type: 'earthquake' });
  await saveFigure('01-magnitude-histogram', magnitudeHistogramSpec(cat, sel, { title: `Magnitudes of the same ${sel.length.toLocaleString('en-US')} earthquakes` }).spec, { ...o, simulated: false });
  await saveFigure('01-kp-dst-2014-2020', indicesSpec(readKp3Hourly(), readDstHourly(), '2014-01-01', '2020-12-31').spec, { ...o, simulated: false });
  const orbit = makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit);
  await saveFigure('02-ground-track', groundTrackSpec(trackPoints(orbit, Date.parse('2016-02-15T00:00:00Z'), 3), 'Swarm A ground track, 2016-02-15 00-03 UT'), { ...o, simulated: true });
  await saveFigure('02-local-time-coverage', localTimeCoverageSpec(localTimeCoverageRows(orbit, '2015-06-01', '2016-05-31', 4), 'Local-time coverage of the simulated orbit'), { ...o, simulated: true });
  const problems = await checkFigures(dir);
  assert.equal(problems.map(formatFigureProblem), []);
});

test.run();
