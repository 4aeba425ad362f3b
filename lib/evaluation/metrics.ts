// Classification metrics with scikit-learn's definitions (paper sections 3.4 and 4: MCC, F1, accuracy, per-class
// ROC/AUC, confusion matrix and ternary plots of Table 2 and Figures 5-10). Names follow scikit-learn so that a
// metrics JSON reads like sklearn output: confusion_matrix (rows true, columns predicted), accuracy, f1_micro,
// f1_macro, f1_weighted, per-class precision/recall/F1 (zero_division -> 0), multiclass MCC (0 when undefined),
// one-vs-rest roc_curve (drop_intermediate=True) and AUC by the trapezoid rule; AUC is null for a class absent
// from the truth (or when every window is of that class), where sklearn raises.
// Labels are always 0..nClasses-1 (sklearn called with labels=range(K)): a class absent from both truth and
// prediction still counts in the macro average with F1 0. The predicted label is the argmax of the probability
// row, ties going to the lowest index (numpy's argmax).

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is max(score) + 1 (scikit-learn 1.2, Debian's; sklearn >= 1.3 writes +inf there). */
  thresholds: number[];
}

export interface Metrics {
  n: number;
  n_classes: number;
  confusion_matrix: number[][];
  accuracy: number;
  f1_micro: number;
  f1_macro: number;
  f1_weighted: number;
  f1_per_class: number[];
  precision_per_class: number[];
  recall_per_class: number[];
  /** Windows of each true class. */
  support_per_class: number[];
  mcc: number;
  roc_auc_per_class: (number | null)[];
  roc_curve_per_class: (RocCurve | null)[];
}

function checkLabel(y: number, i: number, nClasses: number): number {
  if (!Number.isInteger(y) || y < 0 || y >= nClasses) throw new Error(`label at index ${i} is ${y}, expected an integer in 0..${nClasses - 1}`);
  return y;
}

/** Predicted labels: argmax of each row of a row-major N x K probability matrix (ties: lowest index). */
export function argmaxRows(proba: ArrayLike<number>, nClasses = 3): Int32Array {
  if (proba.length % nClasses !== 0) throw new Error(`probabilities: length ${proba.length} is not a multiple of ${nClasses} classes`);
  const n = proba.length / nClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = proba[i * nClasses];
    if (Number.isNaN(bv)) throw new Error(`probabilities: NaN in row ${i}`);
    for (let k = 1; k < nClasses; k++) {
      const v = proba[i * nClasses + k];
      if (Number.isNaN(v)) throw new Error(`probabilities: NaN in row ${i}`);
      if (v > bv) {
        bv = v;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Confusion matrix, rows = true class, columns = predicted class (sklearn.metrics.confusion_matrix). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses = 3): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`confusion matrix: ${yTrue.length} true labels but ${yPred.length} predictions`);
  const cm = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) cm[checkLabel(yTrue[i], i, nClasses)][checkLabel(yPred[i], i, nClasses)]++;
  return cm;
}

/** Multiclass Matthews correlation coefficient from a confusion matrix (sklearn.metrics.matthews_corrcoef). */
export function mccFromConfusion(cm: number[][]): number {
  const K = cm.length;
  const t = new Array<number>(K).fill(0); // true counts
  const p = new Array<number>(K).fill(0); // predicted counts
  let c = 0;
  let s = 0;
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      t[i] += cm[i][j];
      p[j] += cm[i][j];
      s += cm[i][j];
    }
    c += cm[i][i];
  }
  let pt = 0;
  let pp = 0;
  let tt = 0;
  for (let k = 0; k < K; k++) {
    pt += p[k] * t[k];
    pp += p[k] * p[k];
    tt += t[k] * t[k];
  }
  const covYtYp = c * s - pt;
  const covYpYp = s * s - pp;
  const covYtYt = s * s - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** Matthews correlation coefficient of label vectors (binary or multiclass; labels 0..nClasses-1). */
export function matthewsCorrcoef(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses = 2): number {
  return mccFromConfusion(confusionMatrix(yTrue, yPred, nClasses));
}

/**
 * ROC curve of binary truth (1 = positive) against scores, as sklearn.metrics.roc_curve with
 * drop_intermediate=True; null when the truth has no positive or no negative (the curve is undefined).
 */
export function rocCurve(yBinary: ArrayLike<number>, scores: ArrayLike<number>, dropIntermediate = true): RocCurve | null {
  const n = yBinary.length;
  if (scores.length !== n) throw new Error(`roc curve: ${n} labels but ${scores.length} scores`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`roc curve: score at index ${i} is NaN`);
    if (yBinary[i] !== 0 && yBinary[i] !== 1) throw new Error(`roc curve: label at index ${i} is ${yBinary[i]}, expected 0 or 1`);
  }
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  // _binary_clf_curve: the last index of each run of equal scores
  let fps: number[] = [];
  let tps: number[] = [];
  let thr: number[] = [];
  let cumT = 0;
  for (let r = 0; r < n; r++) {
    cumT += yBinary[order[r]];
    if (r === n - 1 || scores[order[r + 1]] !== scores[order[r]]) {
      tps.push(cumT);
      fps.push(r + 1 - cumT);
      thr.push(scores[order[r]]);
    }
  }
  const P = n > 0 ? tps[tps.length - 1] : 0;
  const N = n > 0 ? fps[fps.length - 1] : 0;
  if (P <= 0 || N <= 0) return null;
  if (dropIntermediate && fps.length > 2) {
    // keep the ends and every point where the second difference of fps or tps is non-zero (a corner)
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => fps[i]);
    tps = keep.map((i) => tps[i]);
    thr = keep.map((i) => thr[i]);
  }
  return {
    fpr: [0, ...fps.map((f) => f / N)],
    tpr: [0, ...tps.map((t) => t / P)],
    thresholds: [thr[0] + 1, ...thr],
  };
}

/** Area under a curve by the trapezoid rule (sklearn.metrics.auc, x monotonic). */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return a;
}

/** ROC AUC of binary truth against scores (sklearn.metrics.roc_auc_score); null when only one class is present. */
export function rocAuc(yBinary: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const c = rocCurve(yBinary, scores, true);
  return c ? trapezoidArea(c.fpr, c.tpr) : null;
}

/** Per-class precision, recall, F1 and support from a confusion matrix (zero_division -> 0). */
export function perClass(cm: number[][]): { precision: number[]; recall: number[]; f1: number[]; support: number[] } {
  const K = cm.length;
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (let k = 0; k < K; k++) {
    const tp = cm[k][k];
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < K; j++) {
      predicted += cm[j][k];
      actual += cm[k][j];
    }
    const p = predicted > 0 ? tp / predicted : 0;
    const r = actual > 0 ? tp / actual : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
    support.push(actual);
  }
  return { precision, recall, f1, support };
}

/** Every label metric from a confusion matrix (counts may be weights, e.g. bootstrap multiplicities). */
export function metricsFromConfusion(cm: number[][]) {
  const nClasses = cm.length;
  const pc = perClass(cm);
  let n = 0;
  let tpSum = 0;
  let predSum = 0;
  for (let k = 0; k < nClasses; k++) {
    tpSum += cm[k][k];
    for (let j = 0; j < nClasses; j++) {
      predSum += cm[j][k];
      n += cm[k][j];
    }
  }
  if (n === 0) throw new Error('metrics: no samples');
  // micro: pooled TP, FP, FN over the labels 0..K-1 (equals accuracy when every label is in range)
  const microP = predSum > 0 ? tpSum / predSum : 0;
  const microR = tpSum / n;
  const f1Micro = microP + microR > 0 ? (2 * microP * microR) / (microP + microR) : 0;
  let f1Macro = 0;
  let f1Weighted = 0;
  for (let k = 0; k < nClasses; k++) {
    f1Macro += pc.f1[k] / nClasses;
    f1Weighted += (pc.f1[k] * pc.support[k]) / n;
  }
  return {
    n,
    n_classes: nClasses,
    confusion_matrix: cm,
    accuracy: tpSum / n,
    f1_micro: f1Micro,
    f1_macro: f1Macro,
    f1_weighted: f1Weighted,
    f1_per_class: pc.f1,
    precision_per_class: pc.precision,
    recall_per_class: pc.recall,
    support_per_class: pc.support,
    mcc: mccFromConfusion(cm),
  };
}

/** Every metric of hard predictions (no ROC): confusion matrix, accuracy, F1s, precision, recall, MCC. */
export function labelMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses = 3) {
  if (yTrue.length === 0) throw new Error('metrics: no samples');
  return metricsFromConfusion(confusionMatrix(yTrue, yPred, nClasses));
}

/** Column k of a row-major N x K matrix. */
export function column(proba: ArrayLike<number>, k: number, nClasses: number): Float64Array {
  const n = proba.length / nClasses;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = proba[i * nClasses + k];
  return out;
}

/**
 * Every metric of a classifier's probabilities: labels by argmax, then labelMetrics, plus one-vs-rest ROC curves
 * and AUC per class. proba is row-major N x nClasses.
 */
export function evaluate(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses = 3): Metrics {
  if (proba.length !== yTrue.length * nClasses) {
    throw new Error(`evaluate: ${yTrue.length} labels need ${yTrue.length * nClasses} probabilities (${nClasses} per row), got ${proba.length}`);
  }
  const yPred = argmaxRows(proba, nClasses);
  const base = labelMetrics(yTrue, yPred, nClasses);
  const curves: (RocCurve | null)[] = [];
  const aucs: (number | null)[] = [];
  for (let k = 0; k < nClasses; k++) {
    const yk = new Uint8Array(yTrue.length);
    for (let i = 0; i < yTrue.length; i++) yk[i] = yTrue[i] === k ? 1 : 0;
    const c = rocCurve(yk, column(proba, k, nClasses), true);
    curves.push(c);
    aucs.push(c ? trapezoidArea(c.fpr, c.tpr) : null);
  }
  return { ...base, roc_auc_per_class: aucs, roc_curve_per_class: curves };
}

/** JSON text of metrics; the +Infinity first ROC threshold is written as the string "inf" (JSON has no infinity). */
export function metricsToJson(m: unknown, indent = 2): string {
  return JSON.stringify(m, (_k, v) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v), indent);
}

export interface TernaryPoint {
  y_true: number;
  y_pred: number;
  p0: number;
  p1: number;
  p2: number;
  /** Cartesian position in an equilateral triangle with class 0 at (0,0), class 1 at (1,0), class 2 at (0.5, sqrt(3)/2). */
  x: number;
  y: number;
}

/** Ternary-plot data of three-class probabilities (the paper's ternary figures): one point per window. */
export function ternaryData(yTrue: ArrayLike<number>, proba: ArrayLike<number>): TernaryPoint[] {
  if (proba.length !== yTrue.length * 3) throw new Error(`ternaryData: ${yTrue.length} labels need ${yTrue.length * 3} probabilities, got ${proba.length}`);
  const yPred = argmaxRows(proba, 3);
  const out: TernaryPoint[] = [];
  for (let i = 0; i < yTrue.length; i++) {
    const p0 = proba[3 * i];
    const p1 = proba[3 * i + 1];
    const p2 = proba[3 * i + 2];
    const s = p0 + p1 + p2;
    out.push({ y_true: yTrue[i], y_pred: yPred[i], p0, p1, p2, x: (p1 + 0.5 * p2) / s, y: ((Math.sqrt(3) / 2) * p2) / s });
  }
  return out;
}
