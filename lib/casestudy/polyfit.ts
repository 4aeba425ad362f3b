// Numerically stable least-squares polynomial fit (NeLOG: a degree-10 polynomial of log10 Ne against latitude,
// paper section 2.2, Figure 1 panel G): abscissa scaled to [-1, 1], Chebyshev basis, Householder QR on typed
// arrays, and the small triangular system solved with mathjs.
import { usolve } from 'mathjs';

export interface ChebyshevFit {
  degree: number;
  /** Chebyshev coefficients c_0..c_degree in the scaled variable u = (2x - (xmax + xmin)) / (xmax - xmin). */
  coef: Float64Array;
  xmin: number;
  xmax: number;
  evaluate(x: ArrayLike<number>): Float64Array;
}

/** Chebyshev polynomials T_0..T_degree at u, written into out. */
function chebRow(u: number, degree: number, out: Float64Array): void {
  out[0] = 1;
  if (degree >= 1) out[1] = u;
  for (let j = 2; j <= degree; j++) out[j] = 2 * u * out[j - 1] - out[j - 2];
}

/** Clenshaw evaluation of sum c_j T_j(u). */
function clenshaw(coef: Float64Array, u: number): number {
  let b1 = 0, b2 = 0;
  for (let j = coef.length - 1; j >= 1; j--) {
    const b0 = 2 * u * b1 - b2 + coef[j];
    b2 = b1;
    b1 = b0;
  }
  return u * b1 - b2 + coef[0];
}

/** Least-squares fit of y against x by a polynomial of the given degree (Chebyshev basis, QR). */
export function chebyshevFit(x: ArrayLike<number>, y: ArrayLike<number>, degree: number): ChebyshevFit {
  const n = x.length;
  if (y.length !== n) throw new Error(`polyfit: x has ${n} values, y has ${y.length}`);
  if (!Number.isInteger(degree) || degree < 0) throw new Error(`polyfit: degree must be a non-negative integer, got ${degree}`);
  const p = degree + 1;
  if (n < p) throw new Error(`polyfit: ${n} points cannot determine a degree-${degree} polynomial`);
  let xmin = Infinity, xmax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new Error(`polyfit: non-finite x or y at index ${i}`);
    if (x[i] < xmin) xmin = x[i];
    if (x[i] > xmax) xmax = x[i];
  }
  if (!(xmax > xmin)) throw new Error('polyfit: all x are equal');
  const scale = (v: number) => (2 * v - (xmax + xmin)) / (xmax - xmin);
  // design matrix, column-major (p columns of n)
  const A = new Float64Array(n * p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    chebRow(scale(x[i]), degree, row);
    for (let j = 0; j < p; j++) A[j * n + i] = row[j];
  }
  const b = Float64Array.from(y);
  // Householder QR, applying reflections to b as we go
  const R: number[][] = Array.from({ length: p }, () => new Array(p).fill(0));
  for (let j = 0; j < p; j++) {
    const col = j * n;
    let norm = 0;
    for (let i = j; i < n; i++) norm += A[col + i] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error(`polyfit: design matrix is rank deficient (column ${j}); too few distinct x`);
    const alpha = A[col + j] > 0 ? -norm : norm;
    A[col + j] -= alpha; // v = a - alpha e1, stored in place
    let vnorm2 = 0;
    for (let i = j; i < n; i++) vnorm2 += A[col + i] ** 2;
    if (vnorm2 > 0) {
      for (let c = j + 1; c < p; c++) {
        const cc = c * n;
        let s = 0;
        for (let i = j; i < n; i++) s += A[col + i] * A[cc + i];
        const f = (2 * s) / vnorm2;
        for (let i = j; i < n; i++) A[cc + i] -= f * A[col + i];
      }
      let s = 0;
      for (let i = j; i < n; i++) s += A[col + i] * b[i];
      const f = (2 * s) / vnorm2;
      for (let i = j; i < n; i++) b[i] -= f * A[col + i];
    }
    R[j][j] = alpha;
    for (let c = j + 1; c < p; c++) R[j][c] = A[c * n + j];
    if (Math.abs(alpha) < 1e-12 * Math.abs(R[0][0])) throw new Error(`polyfit: design matrix is numerically rank deficient (column ${j})`);
  }
  const qtb = Array.from(b.subarray(0, p), (v) => [v]);
  const sol = usolve(R, qtb) as unknown as number[][];
  const coef = Float64Array.from(sol, (r) => Number(r[0]));
  const evaluate = (xs: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = clenshaw(coef, scale(xs[i]));
    return out;
  };
  return { degree, coef, xmin, xmax, evaluate };
}
