// The two shortcut classifiers of the audit (issue 10): k-nearest neighbours and L2-regularised logistic
// regression, binary (class 0 vs 1), on small dense feature matrices; scikit-learn's definitions
// (KNeighborsClassifier uniform weights, LogisticRegression with C and an unpenalised intercept), which the tests
// check against. Serves the audit of paper section 4's scores.
import { lusolve } from 'mathjs';

/** P(class 1) of each test row: the share of class-1 labels among its k nearest training rows (Euclidean). */
export function knnProba(train: Float64Array, y: ArrayLike<number>, test: Float64Array, d: number, k: number): Float64Array {
  const nTr = y.length, nTe = test.length / d;
  if (train.length !== nTr * d) throw new Error(`knn: ${train.length / d} training rows but ${nTr} labels`);
  const kk = Math.min(k, nTr);
  if (kk < 1) throw new Error('knn: no training rows');
  const out = new Float64Array(nTe);
  const bestD = new Float64Array(kk), bestI = new Int32Array(kk);
  for (let i = 0; i < nTe; i++) {
    bestD.fill(Infinity);
    bestI.fill(-1);
    let worst = Infinity;
    for (let j = 0; j < nTr; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = test[i * d + c] - train[j * d + c];
        s += diff * diff;
        if (s >= worst) break;
      }
      if (s >= worst) continue;
      // insert (ties keep the earlier training row, as a stable sort does)
      let p = kk - 1;
      while (p > 0 && bestD[p - 1] > s) {
        bestD[p] = bestD[p - 1];
        bestI[p] = bestI[p - 1];
        p--;
      }
      bestD[p] = s;
      bestI[p] = j;
      worst = bestD[kk - 1];
    }
    let ones = 0;
    for (let q = 0; q < kk; q++) ones += y[bestI[q]] === 1 ? 1 : 0;
    out[i] = ones / kk;
  }
  return out;
}

export interface LogisticModel {
  /** Weights (d) and intercept. */
  w: Float64Array;
  b: number;
  iterations: number;
}

/**
 * Minimise 0.5 |w|^2 + C sum log-loss (intercept unpenalised) by Newton's method; stops when the largest
 * parameter step is below tol.
 */
export function fitLogistic(X: Float64Array, y: ArrayLike<number>, d: number, C = 1, maxIter = 50, tol = 1e-10): LogisticModel {
  const n = y.length;
  if (X.length !== n * d) throw new Error(`logistic: ${X.length / d} rows but ${n} labels`);
  const D = d + 1;
  const theta = new Float64Array(D); // w..., b
  for (let it = 1; it <= maxIter; it++) {
    const g = new Float64Array(D);
    const H = Array.from({ length: D }, () => new Float64Array(D));
    for (let k = 0; k < d; k++) {
      g[k] = theta[k];
      H[k][k] = 1;
    }
    for (let i = 0; i < n; i++) {
      let z = theta[d];
      for (let k = 0; k < d; k++) z += theta[k] * X[i * d + k];
      const p = 1 / (1 + Math.exp(-z));
      const r = C * (p - y[i]);
      const s = C * p * (1 - p);
      for (let a = 0; a < D; a++) {
        const xa = a < d ? X[i * d + a] : 1;
        g[a] += r * xa;
        for (let b = 0; b <= a; b++) H[a][b] += s * xa * (b < d ? X[i * d + b] : 1);
      }
    }
    for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) H[a][b] = H[b][a];
    const step = lusolve(H.map((r) => Array.from(r)), Array.from(g)) as number[][];
    let maxStep = 0;
    for (let a = 0; a < D; a++) {
      theta[a] -= step[a][0];
      maxStep = Math.max(maxStep, Math.abs(step[a][0]));
    }
    if (!Number.isFinite(maxStep)) throw new Error('logistic: Newton step is not finite (separable or degenerate features)');
    if (maxStep < tol * Math.max(1, ...Array.from(theta, Math.abs))) return { w: theta.slice(0, d), b: theta[d], iterations: it };
  }
  throw new Error(`logistic: no convergence in ${maxIter} Newton iterations`);
}

export function logisticProba(m: LogisticModel, X: Float64Array, d: number): Float64Array {
  const n = X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = m.b;
    for (let k = 0; k < d; k++) z += m.w[k] * X[i * d + k];
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}
