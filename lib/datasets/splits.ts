// Chronological splits (paper section 3.1: first 80 % train, last 20 % test) assigned per event so that no event
// gives windows to two splits, with a validation part at the end of the training period (not in the paper), and
// standardisation fitted on the training windows only.

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
export const TRAIN = 0, VALIDATION = 1, TEST = 2;

export interface SplitResult {
  /** Per window: 0 train, 1 validation, 2 test. */
  split: Uint8Array;
  /** Event times (Unix ms) at which validation and test begin (first event of each), NaN when empty. */
  validationFrom: number;
  testFrom: number;
  /** Largest amount (days) by which a window of an earlier split is later than a window of a later split. */
  overlapDays: number;
}

/**
 * Order the events that own windows by event time (ties by index), walk them accumulating window counts, and
 * give each event wholly to the split in which its first window falls: [0, 1 - test - val) train,
 * [1 - test - val, 1 - test) validation, the rest test.
 */
export function chronologicalSplit(
  eventIndex: Int32Array, eventTime: ArrayLike<number>, windowStart: Float64Array,
  fr: { testFraction: number; validationFraction: number },
): SplitResult {
  const N = eventIndex.length;
  if (!(fr.testFraction >= 0 && fr.validationFraction >= 0 && fr.testFraction + fr.validationFraction < 1)) {
    throw new Error(`splits: bad fractions test=${fr.testFraction} validation=${fr.validationFraction}`);
  }
  const perEvent = new Map<number, number>();
  for (let w = 0; w < N; w++) perEvent.set(eventIndex[w], (perEvent.get(eventIndex[w]) ?? 0) + 1);
  const events = [...perEvent.keys()].sort((a, b) => eventTime[a] - eventTime[b] || a - b);
  const trainEnd = (1 - fr.testFraction - fr.validationFraction) * N;
  const valEnd = (1 - fr.testFraction) * N;
  const splitOf = new Map<number, number>();
  let cum = 0;
  let validationFrom = NaN, testFrom = NaN;
  for (const e of events) {
    const s = cum < trainEnd ? TRAIN : cum < valEnd ? VALIDATION : TEST;
    if (s === VALIDATION && Number.isNaN(validationFrom)) validationFrom = eventTime[e];
    if (s === TEST && Number.isNaN(testFrom)) testFrom = eventTime[e];
    splitOf.set(e, s);
    cum += perEvent.get(e)!;
  }
  const split = new Uint8Array(N);
  for (let w = 0; w < N; w++) split[w] = splitOf.get(eventIndex[w])!;
  // temporal overlap between splits (windows of events near a boundary)
  const maxOf = [-Infinity, -Infinity, -Infinity], minOf = [Infinity, Infinity, Infinity];
  for (let w = 0; w < N; w++) {
    const s = split[w];
    if (windowStart[w] > maxOf[s]) maxOf[s] = windowStart[w];
    if (windowStart[w] < minOf[s]) minOf[s] = windowStart[w];
  }
  let overlap = 0;
  for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) {
    if (Number.isFinite(maxOf[a]) && Number.isFinite(minOf[b])) overlap = Math.max(overlap, (maxOf[a] - minOf[b]) / 86_400_000);
  }
  return { split, validationFrom, testFrom, overlapDays: overlap };
}

/** Throws when some event has windows in two splits; returns the number of events checked. */
export function assertNoEventInTwoSplits(eventIndex: Int32Array, split: Uint8Array, eventId?: (e: number) => string): number {
  const seen = new Map<number, number>();
  for (let w = 0; w < eventIndex.length; w++) {
    const e = eventIndex[w];
    const s = seen.get(e);
    if (s === undefined) seen.set(e, split[w]);
    else if (s !== split[w]) {
      throw new Error(`event ${eventId ? eventId(e) : e} gives windows to two splits (${SPLIT_NAMES[s]} and ${SPLIT_NAMES[split[w]]}, window ${w})`);
    }
  }
  return seen.size;
}

export interface Scaler {
  features: string[];
  mean: number[];
  std: number[];
  /** Windows the scaler was fitted on (training split only). */
  fittedOnWindows: number;
}

/** Streaming per-feature mean and variance (Chan et al. parallel update) over windows of the training split. */
export class ScalerFit {
  private n: number[];
  private mean: number[];
  private m2: number[];
  windows = 0;
  constructor(readonly features: string[]) {
    const F = features.length;
    this.n = new Array(F).fill(0);
    this.mean = new Array(F).fill(0);
    this.m2 = new Array(F).fill(0);
  }
  /** Add windows [w0, w0 + count) of X (laid out windows x T x F) whose split is TRAIN. */
  add(X: Float32Array, T: number, split: Uint8Array, w0: number, count: number) {
    const F = this.features.length;
    for (let f = 0; f < F; f++) {
      let nb = 0, sum = 0;
      for (let w = 0; w < count; w++) {
        if (split[w0 + w] !== TRAIN) continue;
        const base = w * T * F + f;
        for (let j = 0; j < T; j++) sum += X[base + j * F];
        nb += T;
      }
      if (nb === 0) continue;
      const mb = sum / nb;
      let m2b = 0;
      for (let w = 0; w < count; w++) {
        if (split[w0 + w] !== TRAIN) continue;
        const base = w * T * F + f;
        for (let j = 0; j < T; j++) {
          const d = X[base + j * F] - mb;
          m2b += d * d;
        }
      }
      const na = this.n[f];
      const delta = mb - this.mean[f];
      const nt = na + nb;
      this.mean[f] += (delta * nb) / nt;
      this.m2[f] += m2b + (delta * delta * na * nb) / nt;
      this.n[f] = nt;
    }
    for (let w = 0; w < count; w++) if (split[w0 + w] === TRAIN) this.windows++;
  }
  result(): Scaler {
    return {
      features: this.features,
      mean: this.mean.slice(),
      std: this.m2.map((m2, f) => {
        const sd = this.n[f] > 1 ? Math.sqrt(m2 / this.n[f]) : 1;
        return sd > 0 ? sd : 1;
      }),
      fittedOnWindows: this.windows,
    };
  }
}

/** Standardise X in place with a fitted scaler. */
export function applyScaler(X: Float32Array, F: number, s: Scaler): Float32Array {
  for (let i = 0; i < X.length; i++) {
    const f = i % F;
    X[i] = (X[i] - s.mean[f]) / s.std[f];
  }
  return X;
}
