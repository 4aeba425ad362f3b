// Scores of the model audit (issue 15; serves the reading of paper section 4's Table 2): class 1 vs class 0 of a
// model's predictions (AUC of p1 / (p0 + p1), MCC and recall of "p1 > p0"), each with a percentile bootstrap interval
// that resamples events (as lib/evaluation/bootstrap.ts: all windows of a drawn event, numpy's linear percentile,
// seeded by lib/core/random.ts), paired differences of two models scored on the same windows, and the per-stratum
// AUCs and residual AUCs that say by what nuisance feature a model separates the classes.
import { Rng } from '../core/random';
import { percentile } from '../evaluation/bootstrap';
import { mccFromConfusion } from '../evaluation/metrics';
import type { IntervalValue, SeparationScores } from './model-audit-types';

/** Class-0/1 windows of a 3-class prediction: label, score p1/(p0+p1), event id, and the row each came from. */
export interface BinaryView {
  y: Uint8Array;
  score: Float64Array;
  events: string[];
  rows: number[];
}

/** Keep the windows of true class 0 or 1 and score each by p1 / (p0 + p1) (0.5 when both are 0). */
export function binaryView(yTrue: ArrayLike<number>, proba: ArrayLike<number>, eventIds: ArrayLike<string | number>, K = 3): BinaryView {
  if (proba.length !== yTrue.length * K) throw new Error(`binaryView: ${yTrue.length} labels but ${proba.length / K} probability rows`);
  if (eventIds.length !== yTrue.length) throw new Error(`binaryView: ${yTrue.length} labels but ${eventIds.length} event ids`);
  const rows: number[] = [];
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 0 || yTrue[i] === 1) rows.push(i);
  const score = Float64Array.from(rows, (i) => {
    const p0 = proba[i * K], p1 = proba[i * K + 1];
    return p0 + p1 > 0 ? p1 / (p0 + p1) : 0.5;
  });
  return { y: Uint8Array.from(rows, (i) => yTrue[i]), score, events: rows.map((i) => String(eventIds[i])), rows };
}

/** Windows sorted by score with the end of each run of equal scores marked (for AUCs of weighted samples). */
export interface Ranked {
  order: Uint32Array;
  groupEnd: Uint8Array;
}

export function rank(score: ArrayLike<number>): Ranked {
  const n = score.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b] || a - b);
  const groupEnd = new Uint8Array(n);
  for (let j = 0; j < n; j++) groupEnd[j] = j === n - 1 || score[order[j + 1]] !== score[order[j]] ? 1 : 0;
  return { order, groupEnd };
}

/** AUC of a weighted sample (Mann-Whitney, ties one half; sklearn's trapezoid ROC area); null when a class is empty. */
export function weightedAuc(r: Ranked, y: ArrayLike<number>, w: ArrayLike<number>): number | null {
  let negBelow = 0, pos = 0, neg = 0, gPos = 0, gNeg = 0, u = 0;
  for (let j = 0; j < r.order.length; j++) {
    const i = r.order[j];
    const wi = w[i];
    if (wi > 0) {
      if (y[i] === 1) gPos += wi;
      else gNeg += wi;
    }
    if (r.groupEnd[j]) {
      u += gPos * (negBelow + 0.5 * gNeg);
      negBelow += gNeg;
      pos += gPos;
      neg += gNeg;
      gPos = 0;
      gNeg = 0;
    }
  }
  return pos > 0 && neg > 0 ? u / (pos * neg) : null;
}

/** Binary confusion counts [tn, fp, fn, tp] of a weighted sample. */
export function weightedConfusion(y: ArrayLike<number>, pred: ArrayLike<number>, w: ArrayLike<number>): [number, number, number, number] {
  const c: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < y.length; i++) if (w[i] > 0) c[y[i] * 2 + pred[i]] += w[i];
  return c;
}

export const mccOf = (c: number[]): number => mccFromConfusion([[c[0], c[1]], [c[2], c[3]]]);
export const recallOf = (c: number[]): number | null => (c[2] + c[3] > 0 ? c[3] / (c[2] + c[3]) : null);

/** The window indices of each event (the resampling units of an event bootstrap), events in order of first appearance. */
export function windowsByEvent(eventIds: ArrayLike<string | number>): number[][] {
  const byEvent = new Map<string, number[]>();
  for (let i = 0; i < eventIds.length; i++) {
    const id = String(eventIds[i]);
    let list = byEvent.get(id);
    if (!list) byEvent.set(id, (list = []));
    list.push(i);
  }
  return [...byEvent.values()];
}

/**
 * Percentile bootstrap over events of statistics computed from window weights (how often each window was drawn):
 * estimate at weight 1 everywhere, interval from `replicates` resamples of the events with replacement. A statistic
 * that is null in a replicate (e.g. an AUC without positives) is left out of that statistic's percentiles.
 */
export function eventBootstrap(
  events: ArrayLike<string | number>, stats: (w: Float64Array) => Record<string, number | null>,
  o: { replicates: number; level: number; seed: string },
): Record<string, IntervalValue | null> {
  const groups = windowsByEvent(events);
  const w = new Float64Array(events.length).fill(1);
  const est = stats(w);
  const samples: Record<string, number[]> = {};
  for (const k of Object.keys(est)) samples[k] = [];
  const rng = new Rng(o.seed, 'audit-event-bootstrap');
  for (let r = 0; r < o.replicates && groups.length > 0; r++) {
    w.fill(0);
    for (let g = 0; g < groups.length; g++) for (const i of groups[rng.int(groups.length)]) w[i]++;
    const s = stats(w);
    for (const k of Object.keys(samples)) if (s[k] !== null && Number.isFinite(s[k]!)) samples[k].push(s[k]!);
  }
  const a = (1 - o.level) / 2;
  const out: Record<string, IntervalValue | null> = {};
  for (const [k, e] of Object.entries(est)) {
    out[k] = e === null || samples[k].length === 0 ? null : { estimate: e, lo: percentile(samples[k], a), hi: percentile(samples[k], 1 - a) };
  }
  return out;
}

/** Number of distinct events. */
export function eventCount(events: ArrayLike<string | number>): number {
  return new Set(Array.from(events, String)).size;
}

/** AUC, MCC and recall of class 1 vs 0 with event-bootstrap intervals; separable when the AUC's (or MCC's) interval excludes chance. */
export function separation(v: BinaryView, o: { replicates: number; level: number; seed: string }): SeparationScores & { recall: IntervalValue | null } {
  const r = rank(v.score);
  const pred = Uint8Array.from(v.score, (s) => (s > 0.5 ? 1 : 0));
  const iv = eventBootstrap(v.events, (w) => {
    const c = weightedConfusion(v.y, pred, w);
    return { auc: weightedAuc(r, v.y, w), mcc: mccOf(c), recall: recallOf(c) };
  }, o);
  const excl = (x: IntervalValue | null, chance: number) => x !== null && (x.lo > chance || x.hi < chance);
  return {
    windows: v.y.length, events: eventCount(v.events), auc: iv.auc, mcc: iv.mcc, recall: iv.recall,
    separable: excl(iv.auc, 0.5) || excl(iv.mcc, 0),
  };
}

/** Ordinary least squares residuals of y on the columns of X (row-major n x d, intercept added). */
export function olsResiduals(X: Float64Array, d: number, y: Float64Array): Float64Array {
  const n = y.length;
  const D = d + 1;
  const A = Array.from({ length: D }, () => new Float64Array(D));
  const b = new Float64Array(D);
  const row = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) row[k] = X[i * d + k];
    row[d] = 1;
    for (let a = 0; a < D; a++) {
      b[a] += row[a] * y[i];
      for (let c = 0; c <= a; c++) A[a][c] += row[a] * row[c];
    }
  }
  for (let a = 0; a < D; a++) for (let c = a + 1; c < D; c++) A[a][c] = A[c][a];
  // ridge of 1e-9 x trace keeps a constant or collinear column from making A singular
  let tr = 0;
  for (let a = 0; a < D; a++) tr += A[a][a];
  for (let a = 0; a < D; a++) A[a][a] += 1e-9 * (tr / D || 1);
  // Cholesky solve
  const L = Array.from({ length: D }, () => new Float64Array(D));
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j][j];
    }
  }
  const z = new Float64Array(D), beta = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  for (let i = D - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < D; k++) s -= L[k][i] * beta[k];
    beta[i] = s / L[i][i];
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = beta[d];
    for (let k = 0; k < d; k++) f += beta[k] * X[i * d + k];
    out[i] = y[i] - f;
  }
  return out;
}

/** AUC with an event-bootstrap interval of an arbitrary score over a binary view's labels. */
export function aucInterval(y: Uint8Array, score: ArrayLike<number>, events: string[], o: { replicates: number; level: number; seed: string }): IntervalValue | null {
  const r = rank(score);
  return eventBootstrap(events, (w) => ({ auc: weightedAuc(r, y, w) }), o).auc;
}
