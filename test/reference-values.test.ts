// Independent reference values for numerics that the stage tests check only loosely (found by `npm run mutation`,
// issue 18): the Greenwich mean sidereal angle of the simulated orbit against the full IAU 1982 GMST polynomial
// (Aoki et al. 1982, as in the Astronomical Almanac), and the register-blocked CPU matrix product of the training
// backend against a plain triple loop for every row count modulo 4 (the blocked rows and the remainder rows).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gmst } from '../lib/simulation/orbit';
import { gemm } from '../lib/backend/kernels/matmul_cpu';
import { rngFor } from '../lib/core/random';

/** IAU 1982 GMST in degrees: seconds at 0h UT1 from the cubic in T (Julian centuries of UT1 from J2000), plus the
 * sidereal rate times the seconds since 0h UT1. */
function gmstIau1982Deg(tMs: number): number {
  const day0 = Math.floor(tMs / 86_400_000) * 86_400_000;
  const jd0 = day0 / 86_400_000 + 2440587.5;
  const T = (jd0 - 2451545.0) / 36525;
  const s0 = 24110.54841 + 8640184.812866 * T + 0.093104 * T * T - 6.2e-6 * T * T * T;
  const s = s0 + 1.00273790935 * ((tMs - day0) / 1000);
  return ((((s / 240) % 360) + 360) % 360);
}

test('simulated orbit: Greenwich mean sidereal angle within 0.0005 deg of the IAU 1982 polynomial, 2014-2020', () => {
  const times = ['2014-04-01T00:00:00Z', '2016-02-15T19:16:00Z', '2016-04-07T03:00:00Z', '2020-04-30T23:59:59Z'].map(Date.parse);
  for (const t of times) {
    const ours = (gmst(t) * 180) / Math.PI;
    let d = Math.abs(ours - gmstIau1982Deg(t));
    d = Math.min(d, 360 - d);
    assert.ok(d < 5e-4, `${new Date(t).toISOString()}: ${ours} vs ${gmstIau1982Deg(t)} deg`);
  }
  // J2000.0 (2000-01-01 12:00): 280.46061837 deg by definition of the linear term
  assert.ok(Math.abs((gmst(Date.UTC(2000, 0, 1, 12)) * 180) / Math.PI - 280.46061837) < 1e-9);
});

test('CPU matrix product equals the triple loop for M = 1..9 (blocked and remainder rows) at an offset', () => {
  const r = rngFor('test', 'gemm');
  for (let M = 1; M <= 9; M++) {
    const K = 5, N = 7, off = 3;
    const a = Float32Array.from({ length: off + M * K }, () => (r.next() < 0.2 ? 0 : r.normal()));
    const b = Float32Array.from({ length: off + K * N }, () => r.normal());
    const c = new Float32Array(off + M * N).fill(NaN);
    gemm(a, off, b, off, c, off, M, K, N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[off + i * K + k] * b[off + k * N + j];
        assert.ok(Math.abs(c[off + i * N + j] - s) < 1e-5, `M=${M} c[${i}][${j}] = ${c[off + i * N + j]}, expected ${s}`);
      }
    }
    assert.ok(Number.isNaN(c[0]) && Number.isNaN(c[off - 1]), 'values before the offset untouched');
  }
});

test.run();
