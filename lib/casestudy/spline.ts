// Least-squares cubic B-spline (the MASS method's "cubic spline fitted to the derivative and removed", paper
// section 2.2 and Figures 1-2 D-F): fixed interior knots, boundary knots repeated k+1 times, as
// scipy.interpolate.make_lsq_spline / LSQUnivariateSpline; solved by banded normal equations (Cholesky).

export interface LsqSpline {
  /** Full knot vector (boundary knots repeated degree+1 times). */
  knots: Float64Array;
  /** B-spline coefficients, knots.length - degree - 1 of them. */
  coef: Float64Array;
  degree: number;
  /** Evaluate at x (outside [knots[0], knots[last]] the end polynomial pieces are extended). */
  evaluate(x: ArrayLike<number>): Float64Array;
}

/** Index i with knots[i] <= x < knots[i+1], clamped to the valid span range [k, n-1]. */
function findSpan(t: Float64Array, k: number, nCoef: number, x: number): number {
  if (x >= t[nCoef]) return nCoef - 1;
  if (x <= t[k]) return k;
  let lo = k, hi = nCoef; // t[lo] <= x < t[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= t[mid]) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The k+1 non-zero B-spline basis values at x on span i (Cox-de Boor recursion), written into out. */
function basisFuns(t: Float64Array, k: number, i: number, x: number, out: Float64Array, left: Float64Array, right: Float64Array): void {
  out[0] = 1;
  for (let j = 1; j <= k; j++) {
    left[j] = x - t[i + 1 - j];
    right[j] = t[i + j] - x;
    let saved = 0;
    for (let r = 0; r < j; r++) {
      const temp = out[r] / (right[r + 1] + left[j - r]);
      out[r] = saved + right[r + 1] * temp;
      saved = left[j - r] * temp;
    }
    out[j] = saved;
  }
}

/** Equally spaced interior knots: [x0, xN] cut into max(1, round((xN-x0)/spacing)) equal intervals. */
export function uniformInteriorKnots(x0: number, xN: number, spacing: number): Float64Array {
  if (!(spacing > 0)) throw new Error(`spline: knot spacing must be > 0, got ${spacing}`);
  if (!(xN > x0)) throw new Error(`spline: empty abscissa range [${x0}, ${xN}]`);
  const m = Math.max(1, Math.round((xN - x0) / spacing));
  const out = new Float64Array(m - 1);
  for (let j = 1; j < m; j++) out[j - 1] = x0 + ((xN - x0) * j) / m;
  return out;
}

/**
 * Fit a least-squares spline of the given degree (default cubic) with the given interior knots to (x, y),
 * x increasing. Boundary knots are x[0] and x[n-1]. Optional weights w (default 1), as scipy's make_lsq_spline.
 */
export function fitLsqSpline(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  interiorKnots: ArrayLike<number>,
  degree = 3,
  w?: ArrayLike<number>,
): LsqSpline {
  const n = x.length;
  if (y.length !== n) throw new Error(`spline: x has ${n} values, y has ${y.length}`);
  const k = degree;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new Error(`spline: non-finite x or y at index ${i}`);
    if (i > 0 && x[i] < x[i - 1]) throw new Error(`spline: x must be non-decreasing (index ${i})`);
  }
  const nInt = interiorKnots.length;
  const t = new Float64Array(nInt + 2 * (k + 1));
  for (let j = 0; j <= k; j++) {
    t[j] = x[0];
    t[t.length - 1 - j] = x[n - 1];
  }
  for (let j = 0; j < nInt; j++) {
    const v = interiorKnots[j];
    if (!(v > x[0] && v < x[n - 1])) throw new Error(`spline: interior knot ${v} outside (${x[0]}, ${x[n - 1]})`);
    if (j > 0 && v <= interiorKnots[j - 1]) throw new Error(`spline: interior knots must increase (knot ${j})`);
    t[k + 1 + j] = v;
  }
  const nCoef = t.length - k - 1;
  if (n < nCoef) throw new Error(`spline: ${n} points cannot determine ${nCoef} coefficients`);
  // banded normal matrix: band[i][d] = (A^T W A)[i][i+d], d = 0..k
  const bw = k + 1;
  const band = new Float64Array(nCoef * bw);
  const rhs = new Float64Array(nCoef);
  const N = new Float64Array(k + 1), left = new Float64Array(k + 1), right = new Float64Array(k + 1);
  const counts = new Int32Array(nCoef);
  for (let p = 0; p < n; p++) {
    const span = findSpan(t, k, nCoef, x[p]);
    basisFuns(t, k, span, x[p], N, left, right);
    const wp = w ? w[p] : 1;
    const first = span - k;
    for (let a = 0; a <= k; a++) {
      const va = wp * N[a];
      if (va === 0) continue;
      rhs[first + a] += va * y[p];
      counts[first + a]++;
      for (let b = a; b <= k; b++) band[(first + a) * bw + (b - a)] += va * N[b];
    }
  }
  for (let i = 0; i < nCoef; i++) {
    if (counts[i] === 0) throw new Error(`spline: no data under B-spline ${i} (Schoenberg-Whitney condition fails; knots too dense)`);
  }
  // Schoenberg-Whitney: distinct data x_{p_0} < x_{p_1} < ... with t_j < x_{p_j} < t_{j+k+1} (ends inclusive)
  for (let j = 0, p = 0, last = -Infinity; j < nCoef; j++) {
    const lo = t[j], hi = t[j + k + 1];
    while (p < n && (x[p] <= last || (j > 0 ? x[p] <= lo : x[p] < lo))) p++;
    if (p >= n || !(j === nCoef - 1 ? x[p] <= hi : x[p] < hi)) {
      throw new Error(`spline: Schoenberg-Whitney condition fails at B-spline ${j} (no data in (${lo}, ${hi})); knots too dense for the data`);
    }
    last = x[p++];
  }
  // banded Cholesky: L stored in the same band layout (L[i][i-d] at band[(i-d)*bw + d])
  for (let j = 0; j < nCoef; j++) {
    let s = band[j * bw];
    for (let d = 1; d <= k && j - d >= 0; d++) s -= band[(j - d) * bw + d] ** 2;
    if (!(s > 0)) throw new Error(`spline: normal matrix not positive definite at coefficient ${j}`);
    const ljj = Math.sqrt(s);
    band[j * bw] = ljj;
    for (let d = 1; d <= k && j + d < nCoef; d++) {
      let v = band[j * bw + d]; // (j, j+d)
      for (let e = 1; e <= k - d && j - e >= 0; e++) v -= band[(j - e) * bw + e] * band[(j - e) * bw + e + d];
      band[j * bw + d] = v / ljj;
    }
  }
  // solve L z = rhs, then L^T c = z
  const c = new Float64Array(nCoef);
  for (let i = 0; i < nCoef; i++) {
    let s = rhs[i];
    for (let d = 1; d <= k && i - d >= 0; d++) s -= band[(i - d) * bw + d] * c[i - d];
    c[i] = s / band[i * bw];
  }
  for (let i = nCoef - 1; i >= 0; i--) {
    let s = c[i];
    for (let d = 1; d <= k && i + d < nCoef; d++) s -= band[i * bw + d] * c[i + d];
    c[i] = s / band[i * bw];
  }
  const evaluate = (xs: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(xs.length);
    const Nb = new Float64Array(k + 1), l2 = new Float64Array(k + 1), r2 = new Float64Array(k + 1);
    for (let p = 0; p < xs.length; p++) {
      const span = findSpan(t, k, nCoef, xs[p]);
      basisFuns(t, k, span, xs[p], Nb, l2, r2);
      let s = 0;
      for (let a = 0; a <= k; a++) s += Nb[a] * c[span - k + a];
      out[p] = s;
    }
    return out;
  };
  return { knots: t, coef: c, degree: k, evaluate };
}
