// A simple precursor detector for the audit (issue 10): the 0.1-0.5 Hz energy of one channel after a quadratic
// detrend, scored against the ground truth (windows holding an injected packet vs class 0) as ROC AUC with an
// event bootstrap. It shows that the controlled inputs still carry the precursor (paper sections 2.2, 3.1).
import { bootstrapByEvent, Interval } from '../evaluation/bootstrap';
import { detrendQuadratic } from '../datasets/windows';

/** Sum of DFT power (|X_k|^2 / T) over the bins k/T (Hz at 1 Hz sampling) inside [lo, hi], after a quadratic detrend. */
export function bandEnergy(X: Float32Array, T: number, F: number, channel: number, band: [number, number], samplingHz = 1): Float64Array {
  const N = X.length / (T * F);
  const out = new Float64Array(N);
  const v = new Float64Array(T);
  const k0 = Math.max(1, Math.ceil((band[0] * T) / samplingHz - 1e-9)), k1 = Math.min(Math.floor(T / 2), Math.floor((band[1] * T) / samplingHz + 1e-9));
  const cos = new Float64Array(T * (k1 + 1)), sin = new Float64Array(T * (k1 + 1));
  for (let k = k0; k <= k1; k++) for (let j = 0; j < T; j++) {
    cos[k * T + j] = Math.cos((2 * Math.PI * k * j) / T);
    sin[k * T + j] = Math.sin((2 * Math.PI * k * j) / T);
  }
  for (let w = 0; w < N; w++) {
    for (let j = 0; j < T; j++) v[j] = X[(w * T + j) * F + channel];
    detrendQuadratic(v, T);
    let e = 0;
    for (let k = k0; k <= k1; k++) {
      let re = 0, im = 0;
      for (let j = 0; j < T; j++) {
        re += v[j] * cos[k * T + j];
        im -= v[j] * sin[k * T + j];
      }
      e += (re * re + im * im) / T;
    }
    out[w] = e;
  }
  return out;
}

export interface BandAuc {
  auc: Interval | null;
  positives: number;
  negatives: number;
  events: number;
}

/**
 * AUC of `score` separating positives (packet windows) from negatives (class-0 windows without a packet); rows
 * neither are left out. Interval: bootstrap over events (lib/evaluation/bootstrap.ts).
 */
export function bandAuc(score: Float64Array, positive: Uint8Array, negative: Uint8Array, eventIds: ArrayLike<number>, replicates: number, level: number, seed: string): BandAuc {
  const idx: number[] = [];
  for (let w = 0; w < score.length; w++) if (positive[w] || negative[w]) idx.push(w);
  const pos = idx.filter((w) => positive[w]).length;
  const neg = idx.length - pos;
  const events = new Set(idx.map((w) => eventIds[w])).size;
  if (pos === 0 || neg === 0) return { auc: null, positives: pos, negatives: neg, events };
  // scores as probabilities of class 1 by rank (AUC depends on the order only)
  const order = idx.slice().sort((a, b) => score[a] - score[b]);
  const rank = new Map<number, number>();
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && score[order[j + 1]] === score[order[i]]) j++;
    for (let k = i; k <= j; k++) rank.set(order[k], (i + j) / 2 / Math.max(1, order.length - 1));
    i = j + 1;
  }
  const y = Int32Array.from(idx, (w) => (positive[w] ? 1 : 0));
  const proba = new Float64Array(idx.length * 2);
  idx.forEach((w, k) => {
    const r = rank.get(w)!;
    proba[2 * k] = 1 - r;
    proba[2 * k + 1] = r;
  });
  const b = bootstrapByEvent(y, proba, Int32Array.from(idx, (w) => eventIds[w]), { n: replicates, seed, level, nClasses: 2 });
  return { auc: b.intervals['roc_auc_1'] ?? null, positives: pos, negatives: neg, events };
}
