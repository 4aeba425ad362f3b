// Bootstrap confidence intervals for the metrics of Table 2 (paper section 4) that resample events, not
// windows: the windows of one earthquake (or one artificial non-seismic event) are strongly correlated, so the
// unit of resampling is the event. Each replicate draws as many events as there are, with replacement, takes all
// their windows and recomputes the metrics; the interval is the percentile interval (numpy's linear percentile).
// A replicate is scored from window multiplicities (weights), so it costs O(windows) and not a sort.
// Seeded through lib/core/random.ts.
import { Rng } from '../core/random';
import { argmaxRows, column, evaluate, metricsFromConfusion } from './metrics';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  /** Replicates in which the metric was defined (AUC needs both the class and another in the resample). */
  replicates: number;
}

export interface BootstrapOptions {
  /** Replicates (default 1000). */
  n?: number;
  /** Seed (a number or label for lib/core/random.ts's Rng). */
  seed: number | string;
  /** Central coverage of the interval (default 0.95). */
  level?: number;
  nClasses?: number;
}

export interface BootstrapResult {
  n: number;
  level: number;
  seed: number | string;
  events: number;
  windows: number;
  /** accuracy, f1_micro, f1_macro, f1_weighted, mcc, roc_auc_0.. roc_auc_{K-1} (absent when the class is absent). */
  intervals: Record<string, Interval>;
}

/** numpy.percentile(values, q * 100) with the default linear interpolation; values need not be sorted. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Metrics of a weighted sample (weight = how many times a window was drawn), without materialising it: the
 * confusion matrix from weights, and each class's one-vs-rest AUC as the Mann-Whitney statistic (ties count
 * one half), which equals the trapezoid area under sklearn's ROC curve. `order[k]` lists the windows by
 * ascending score of class k and `groupEnd[k][j]` marks the last window of each run of equal scores.
 */
interface Prepared {
  K: number;
  yTrue: Int32Array;
  yPred: Int32Array;
  order: Uint32Array[];
  groupEnd: Uint8Array[];
}

function prepare(yTrue: ArrayLike<number>, proba: ArrayLike<number>, K: number): Prepared {
  const n = yTrue.length;
  const order: Uint32Array[] = [];
  const groupEnd: Uint8Array[] = [];
  for (let k = 0; k < K; k++) {
    const s = column(proba, k, K);
    const o = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a] - s[b] || a - b);
    const g = new Uint8Array(n);
    for (let j = 0; j < n; j++) g[j] = j === n - 1 || s[o[j + 1]] !== s[o[j]] ? 1 : 0;
    order.push(o);
    groupEnd.push(g);
  }
  return { K, yTrue: Int32Array.from(yTrue), yPred: argmaxRows(proba, K), order, groupEnd };
}

function weightedMetrics(p: Prepared, w: ArrayLike<number>): Record<string, number | null> {
  const K = p.K;
  const cm = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < w.length; i++) if (w[i] > 0) cm[p.yTrue[i]][p.yPred[i]] += w[i];
  const m = metricsFromConfusion(cm);
  const out: Record<string, number | null> = {
    accuracy: m.accuracy, f1_micro: m.f1_micro, f1_macro: m.f1_macro, f1_weighted: m.f1_weighted, mcc: m.mcc,
  };
  for (let k = 0; k < K; k++) {
    const o = p.order[k];
    const g = p.groupEnd[k];
    let negBelow = 0; // negative weight with a strictly lower score
    let pos = 0;
    let neg = 0;
    let gPos = 0;
    let gNeg = 0;
    let u = 0;
    for (let j = 0; j < o.length; j++) {
      const i = o[j];
      const wi = w[i];
      if (wi > 0) {
        if (p.yTrue[i] === k) gPos += wi;
        else gNeg += wi;
      }
      if (g[j]) {
        u += gPos * (negBelow + 0.5 * gNeg);
        negBelow += gNeg;
        pos += gPos;
        neg += gNeg;
        gPos = 0;
        gNeg = 0;
      }
    }
    out[`roc_auc_${k}`] = pos > 0 && neg > 0 ? u / (pos * neg) : null;
  }
  return out;
}

/** Percentile bootstrap intervals of the headline metrics, resampling whole events. */
export function bootstrapByEvent(
  yTrue: ArrayLike<number>,
  proba: ArrayLike<number>,
  eventIds: ArrayLike<string | number>,
  opts: BootstrapOptions,
): BootstrapResult {
  const K = opts.nClasses ?? 3;
  const n = opts.n ?? 1000;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`bootstrap: n must be a positive integer, got ${n}`);
  if (eventIds.length !== yTrue.length) throw new Error(`bootstrap: ${yTrue.length} windows but ${eventIds.length} event ids`);
  const full = evaluate(yTrue, proba, K); // validates shapes and labels; gives the estimates
  // windows of each event, events in order of first appearance
  const byEvent = new Map<string, number[]>();
  for (let i = 0; i < eventIds.length; i++) {
    const id = String(eventIds[i]);
    let list = byEvent.get(id);
    if (!list) byEvent.set(id, (list = []));
    list.push(i);
  }
  const groups = [...byEvent.values()];
  const prepared = prepare(yTrue, proba, K);
  const estimate: Record<string, number | null> = {
    accuracy: full.accuracy, f1_micro: full.f1_micro, f1_macro: full.f1_macro, f1_weighted: full.f1_weighted, mcc: full.mcc,
  };
  full.roc_auc_per_class.forEach((a, k) => (estimate[`roc_auc_${k}`] = a));
  const samples: Record<string, number[]> = {};
  for (const k of Object.keys(estimate)) samples[k] = [];
  const rng = new Rng(opts.seed, 'bootstrap-by-event');
  const weights = new Float64Array(yTrue.length);
  for (let r = 0; r < n; r++) {
    weights.fill(0);
    for (let g = 0; g < groups.length; g++) for (const i of groups[rng.int(groups.length)]) weights[i]++;
    const m = weightedMetrics(prepared, weights);
    for (const [k, v] of Object.entries(m)) if (v !== null) samples[k].push(v);
  }
  const a = (1 - level) / 2;
  const intervals: Record<string, Interval> = {};
  for (const [k, est] of Object.entries(estimate)) {
    if (est === null) continue;
    const s = samples[k];
    intervals[k] = { estimate: est, lo: percentile(s, a), hi: percentile(s, 1 - a), replicates: s.length };
  }
  return { n, level, seed: opts.seed, events: groups.length, windows: yTrue.length, intervals };
}
