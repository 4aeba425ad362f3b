// Checks of the case-study numerics (paper section 2.2) against Debian's numpy/scipy reference outputs
// (test/fixtures/casestudy/make_references.py -> references.json): LSQ cubic spline, FFT, amplitude spectrum,
// degree-10 Chebyshev least squares.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../lib/core/paths';
import { fitLsqSpline, uniformInteriorKnots } from '../lib/casestudy/spline';
import { fft, amplitudeSpectrum } from '../lib/casestudy/fft';
import { chebyshevFit } from '../lib/casestudy/polyfit';

const ref = JSON.parse(fs.readFileSync(path.join(paths.fixtures, 'casestudy', 'references.json'), 'utf8'));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.is(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

for (const s of ref.splines) {
  test(`LSQ cubic spline matches scipy make_lsq_spline (${s.name})`, () => {
    const inner = uniformInteriorKnots(s.x[0], s.x[s.x.length - 1], s.spacing);
    assert.ok(maxAbsDiff(inner, s.interior) < 1e-9, 'knot placement rule differs from the script');
    const spl = fitLsqSpline(s.x, s.y, inner, 3);
    assert.ok(maxAbsDiff(spl.knots, s.knots) < 1e-9);
    const scale = maxAbs(s.coef);
    assert.ok(maxAbsDiff(spl.coef, s.coef) < 1e-9 * scale, `coef diff ${maxAbsDiff(spl.coef, s.coef)}`);
    assert.ok(maxAbsDiff(spl.evaluate(s.x), s.fitted) < 1e-9 * scale);
    assert.ok(maxAbsDiff(spl.evaluate(s.xEval), s.yEval) < 1e-9 * scale);
  });
}

test('LSQ spline reproduces a cubic exactly and rejects knots without data', () => {
  const x = Array.from({ length: 200 }, (_, i) => i * 0.5);
  const y = x.map((v) => 0.001 * v ** 3 - 0.2 * v ** 2 + v - 4);
  const spl = fitLsqSpline(x, y, uniformInteriorKnots(0, 99.5, 20));
  assert.ok(maxAbsDiff(spl.evaluate(x), y) < 1e-8);
  const gap = [0, 1, 2, 3, 4, 5, 50, 51, 52, 53, 54, 55];
  assert.throws(() => fitLsqSpline(gap, gap, [10, 20, 30, 40, 45]), /Schoenberg-Whitney|no data/);
});

for (const f of ref.ffts) {
  test(`FFT matches numpy.fft.fft (n = ${f.n})`, () => {
    const X = fft(f.re, f.im);
    const tol = 1e-11 * Math.max(1, f.n);
    assert.ok(maxAbsDiff(X.re, f.Xre) < tol, `re diff ${maxAbsDiff(X.re, f.Xre)}`);
    assert.ok(maxAbsDiff(X.im, f.Xim) < tol, `im diff ${maxAbsDiff(X.im, f.Xim)}`);
  });
}

for (const s of ref.spectra) {
  test(`amplitude spectrum matches numpy.fft.rfft (n = ${s.n}, dt = ${s.dt})`, () => {
    const sp = amplitudeSpectrum(s.x, s.dt);
    assert.ok(maxAbsDiff(sp.freq, s.freq) < 1e-12);
    assert.ok(maxAbsDiff(sp.amplitude, s.amplitude) < 1e-10);
    // the planted 0.4 Hz sine of amplitude 0.7 reads ~0.7 at ~0.4 Hz
    let kmax = 1;
    for (let k = 1; k < sp.amplitude.length; k++) if (sp.amplitude[k] > sp.amplitude[kmax]) kmax = k;
    assert.ok(Math.abs(sp.freq[kmax] - 0.4) < 1 / (s.n * s.dt) + 1e-12);
    assert.ok(sp.amplitude[kmax] > 0.45 && sp.amplitude[kmax] < 0.75, `peak ${sp.amplitude[kmax]}`); // scalloping loss off-bin
  });
}

for (const p of ref.polyfits) {
  test(`degree-10 Chebyshev least squares matches numpy Chebyshev.fit (${p.name})`, () => {
    const fit = chebyshevFit(p.x, p.y, p.degree);
    assert.ok(Math.abs(fit.xmin - p.xmin) < 1e-12 && Math.abs(fit.xmax - p.xmax) < 1e-12);
    assert.ok(maxAbsDiff(fit.coef, p.chebCoef) < 1e-8, `coef diff ${maxAbsDiff(fit.coef, p.chebCoef)}`);
    assert.ok(maxAbsDiff(fit.evaluate(p.x), p.fitted) < 1e-9);
  });
}

test('polynomial fit: exact on a degree-10 polynomial of latitude, clear errors on bad input', () => {
  const x = Array.from({ length: 300 }, (_, i) => -50 + (100 * i) / 299);
  const y = x.map((v) => 5 + 1e-3 * v - 2e-4 * v * v + 1e-16 * v ** 10);
  const fit = chebyshevFit(x, y, 10);
  assert.ok(maxAbsDiff(fit.evaluate(x), y) < 1e-10);
  assert.throws(() => chebyshevFit([1, 2, 3], [1, 2, 3], 10), /cannot determine/);
  assert.throws(() => chebyshevFit([1, 2, NaN, 4], [1, 2, 3, 4], 1), /non-finite.*index 2/);
});

test.run();
