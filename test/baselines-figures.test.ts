// Tests for lib/models/baseline-figures.ts (paper Figures 11-12): ternary coordinates at the vertices and the
// centre, confusion-matrix row and column percentages worked by hand, and both figures render to SVG with their
// data inline and the simulated-data mark in the title.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { confusionCells, figure11Spec, figure12Spec, ternaryXY } from '../lib/models/baseline-figures';
import { evaluate } from '../lib/evaluation/metrics';
import { assertInlineData, markSimulated, renderSvg } from '../lib/figures/render';
import { Rng } from '../lib/core/random';
import { expectError } from './helpers';

test('ternary coordinates: vertices, centre, renormalisation', () => {
  assert.equal(ternaryXY(1, 0, 0), [0, 0]);
  assert.equal(ternaryXY(0, 1, 0), [1, 0]);
  const [x2, y2] = ternaryXY(0, 0, 1);
  assert.ok(Math.abs(x2 - 0.5) < 1e-15 && Math.abs(y2 - Math.sqrt(3) / 2) < 1e-15);
  const [xc, yc] = ternaryXY(2, 2, 2);
  assert.ok(Math.abs(xc - 0.5) < 1e-15 && Math.abs(yc - Math.sqrt(3) / 6) < 1e-15);
  expectError(() => ternaryXY(-0.1, 0.5, 0.6), /non-negative/);
});

test('confusion cells: row % is recall, column % is precision', () => {
  // rows true, columns predicted
  const cells = confusionCells([[8, 2, 0], [1, 3, 0], [0, 0, 0]]);
  const c01 = cells.find((c) => c.true === 0 && c.predicted === 1)!;
  assert.is(c01.count, 2);
  assert.is(c01.rowPct, 20); // 2 of the 10 true class-0 windows
  assert.is(c01.colPct, 40); // 2 of the 5 windows predicted class 1
  const c22 = cells.find((c) => c.true === 2 && c.predicted === 2)!;
  assert.is(c22.rowPct, null);
  assert.is(c22.colPct, null);
});

test('Figures 11 and 12 render with inline data', async () => {
  const r = new Rng('fig12');
  const n = 300;
  const y = Uint8Array.from({ length: n }, (_, i) => i % 3);
  const p = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = [r.next(), r.next(), r.next()];
    v[y[i]] += 1;
    const s = v[0] + v[1] + v[2];
    for (let k = 0; k < 3; k++) p[3 * i + k] = v[k] / s;
  }
  const m = evaluate(y, p, 3);
  const f12 = markSimulated(figure12Spec(y, p, m, { maxPoints: 50 }));
  assertInlineData(f12);
  assert.match(JSON.stringify(f12.title), /simulated data/);
  assert.match(JSON.stringify(f12), /1 in 2 shown/);
  const svg12 = await renderSvg(f12);
  assert.match(svg12, /<svg/);
  const f11 = figure11Spec([{ label: 'SafeNet', metrics: m }, { label: 'GBM', metrics: m }]);
  assertInlineData(f11);
  assert.match(await renderSvg(f11), /<svg/);
  expectError(() => figure12Spec(y, p.subarray(3), m), /probabilities for 300 windows/);
});

test.run();
