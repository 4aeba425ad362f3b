// Tests for lib/figures/render.ts: simulated-data titles, inline data, the three output files with the font.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markSimulated, assertInlineData, saveFigure, FIGURE_FONT } from '../lib/figures/render';
import { dobrovolskySpec } from '../lib/figures/overview';
import { dobrovolskyRadiusKm, dobrovolskyRadiusDeg } from '../lib/catalog/dobrovolsky';
import { tempDirs } from './helpers';

/** Temporary folders of this file, removed after its tests. */
const temps = tempDirs();
test.after(temps.cleanup);

test('simulated figures say so in their title, once', () => {
  assert.is(markSimulated({ title: 'Tracks' }).title, 'Tracks (simulated data)');
  // the literal mark, even when the title says "simulated" in other words (a reader scans for the mark)
  assert.is(markSimulated({ title: 'Simulated tracks' }).title, 'Simulated tracks (simulated data)');
  assert.is(markSimulated({ title: 'Tracks (simulated data)' }).title, 'Tracks (simulated data)');
  assert.is(markSimulated({}).title, '(simulated data)');
  assert.equal(markSimulated({ title: { text: 'A', subtitle: 'b' } }).title, { text: 'A (simulated data)', subtitle: 'b' });
  assert.equal(markSimulated({ title: ['A', 'B'] }).title, ['A', 'B (simulated data)']);
});

test('data must be inline', () => {
  assert.throws(() => assertInlineData({ layer: [{ data: { url: 'x.csv' } }] }), /spec\.layer\[0\]\.data has url 'x\.csv'/);
  assertInlineData({ data: { values: [] } });
});

test('saveFigure writes .vl.json (data inlined), .svg and .png with DejaVu Sans', async () => {
  const dir = temps.tempDir('fig-');
  const r = await saveFigure('dobro', dobrovolskySpec(), { simulated: true, dir });
  assert.equal(fs.readdirSync(dir).sort(), ['dobro.png', 'dobro.svg', 'dobro.vl.json']);
  const spec = JSON.parse(fs.readFileSync(r.vlJson, 'utf8'));
  assert.is(spec.config.font, FIGURE_FONT);
  assert.match(JSON.stringify(spec.title), /simulated data/);
  assert.ok(spec.layer[1].data.values.length > 50);
  const svg = fs.readFileSync(r.svgPath, 'utf8');
  assert.match(svg, /^<svg/);
  assert.match(svg, /DejaVu Sans/);
  assert.match(svg, /simulated data/);
  const png = fs.readFileSync(r.pngPath);
  assert.equal([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(png.length > 10_000);
});

test('saveFigure rejects bad names and a missing simulated flag', async () => {
  let msg = '';
  try { await saveFigure('../x', {}, { simulated: false }); } catch (e) { msg = (e as Error).message; }
  assert.match(msg, /plain file name/);
  try { await saveFigure('x', {}, {} as any); } catch (e) { msg = (e as Error).message; }
  assert.match(msg, /say whether the data are simulated/);
});

test('Dobrovolsky radius: the method notes values', () => {
  assert.is(Math.round(dobrovolskyRadiusKm(4.8)), 116);
  assert.is(Math.round(dobrovolskyRadiusKm(7.8)), 2259);
  assert.ok(Math.abs(dobrovolskyRadiusDeg(7.8) - 20.32) < 0.01);
});

test.run();
