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

/** Split code of a window removed by a control (gap, storm, balance) before the dataset is written. */
export const DROPPED = 255;

/**
 * Magnetic storms from the 3-h Kp series: maximal runs of slots with Kp > threshold, joined when the quiet spell
 * between two runs is shorter than mergeHours; [start, end) Unix ms, only those meeting [from, to).
 */
export function stormIntervals(
  kp: { time: Float64Array; Kp: Float64Array }, threshold: number, mergeHours: number, from = -Infinity, to = Infinity, slotMs = 3 * 3_600_000,
): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < kp.time.length; k++) {
    if (!(kp.Kp[k] > threshold)) continue;
    const a = kp.time[k], b = a + slotMs;
    const last = out[out.length - 1];
    if (last && a - last[1] <= mergeHours * 3_600_000) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out.filter(([a, b]) => b > from && a < to);
}

export interface ControlledSplitResult extends SplitResult {
  /** Windows dropped: inside a gap or on the other side of a boundary from their event's split; boundaries moved out of storms. */
  dropped: { gapWindows: number; gapEvents: number; boundariesMovedOutOfStorms: number };
}

/**
 * Split by window time with the controls of issue 10: boundaries at the (1 - test - validation) and (1 - test)
 * quantiles of the window start times, each moved to the nearer end of a magnetic storm it falls into (so each
 * storm stays in one split), then a gap of gapDays centred on each boundary. An event goes wholly to the split
 * holding most of its windows; its windows outside that split's time range (other side, or inside a gap) are
 * dropped (split code DROPPED). windowMs: a window's duration.
 */
export function controlledSplit(
  eventIndex: Int32Array, windowStart: Float64Array,
  fr: { testFraction: number; validationFraction: number; gapDays: number },
  storms: [number, number][] | null, windowMs: number,
): ControlledSplitResult {
  const N = eventIndex.length;
  if (!(fr.testFraction >= 0 && fr.validationFraction >= 0 && fr.testFraction + fr.validationFraction < 1)) {
    throw new Error(`splits: bad fractions test=${fr.testFraction} validation=${fr.validationFraction}`);
  }
  const split = new Uint8Array(N);
  const dropped = { gapWindows: 0, gapEvents: 0, boundariesMovedOutOfStorms: 0 };
  if (N === 0) return { split, validationFrom: NaN, testFrom: NaN, overlapDays: 0, dropped };
  const sorted = Float64Array.from(windowStart).sort();
  const q = (f: number) => sorted[Math.min(N - 1, Math.floor(f * N))];
  const bounds = [
    fr.validationFraction > 0 ? q(1 - fr.testFraction - fr.validationFraction) : NaN,
    fr.testFraction > 0 ? q(1 - fr.testFraction) : NaN,
  ];
  if (storms) {
    for (let b = 0; b < 2; b++) {
      const S = bounds[b];
      if (Number.isNaN(S)) continue;
      // a window that starts before the storm's end and ends after its start sees the storm
      const st = storms.find(([a, e]) => S > a - windowMs && S < e);
      if (!st) continue;
      bounds[b] = S - (st[0] - windowMs) <= st[1] - S ? st[0] - windowMs : st[1];
      dropped.boundariesMovedOutOfStorms++;
    }
    if (!Number.isNaN(bounds[0]) && !Number.isNaN(bounds[1]) && bounds[0] > bounds[1]) bounds[0] = bounds[1];
  }
  const half = (fr.gapDays * 86_400_000) / 2;
  // split whose time range holds the whole window, or DROPPED (in a gap / straddling)
  const rangeOf = (t0: number): number => {
    const t1 = t0 + windowMs;
    const [v, te] = bounds;
    const lo = [-Infinity, Number.isNaN(v) ? NaN : v + half, Number.isNaN(te) ? NaN : te + half];
    const hi = [Number.isNaN(v) ? (Number.isNaN(te) ? Infinity : te - half) : v - half, Number.isNaN(v) ? NaN : Number.isNaN(te) ? Infinity : te - half, Infinity];
    for (let s = 0; s < 3; s++) if (!Number.isNaN(lo[s]) && !Number.isNaN(hi[s]) && t0 >= lo[s] && t1 <= hi[s]) return s;
    return DROPPED;
  };
  const perEvent = new Map<number, number[]>();
  const rng = new Uint8Array(N);
  for (let w = 0; w < N; w++) {
    rng[w] = rangeOf(windowStart[w]);
    const c = perEvent.get(eventIndex[w]) ?? [0, 0, 0];
    if (rng[w] !== DROPPED) c[rng[w]]++;
    perEvent.set(eventIndex[w], c);
  }
  const evSplit = new Map<number, number>();
  for (const [e, c] of perEvent) evSplit.set(e, c[0] + c[1] + c[2] === 0 ? DROPPED : c.indexOf(Math.max(...c)));
  const touched = new Set<number>();
  for (let w = 0; w < N; w++) {
    const s = evSplit.get(eventIndex[w])!;
    if (rng[w] === s) split[w] = s;
    else {
      split[w] = DROPPED;
      dropped.gapWindows++;
      touched.add(eventIndex[w]);
    }
  }
  dropped.gapEvents = [...touched].filter((e) => evSplit.get(e) === DROPPED).length;
  const maxOf = [-Infinity, -Infinity, -Infinity], minOf = [Infinity, Infinity, Infinity];
  for (let w = 0; w < N; w++) {
    const s = split[w];
    if (s === DROPPED) continue;
    if (windowStart[w] > maxOf[s]) maxOf[s] = windowStart[w];
    if (windowStart[w] < minOf[s]) minOf[s] = windowStart[w];
  }
  let overlap = -Infinity;
  for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) {
    if (Number.isFinite(maxOf[a]) && Number.isFinite(minOf[b])) overlap = Math.max(overlap, (maxOf[a] + windowMs - minOf[b]) / 86_400_000);
  }
  return { split, validationFrom: bounds[0], testFrom: bounds[1], overlapDays: Number.isFinite(overlap) ? overlap : 0, dropped };
}

/**
 * Class ratio counted in windows (issue 10): in each split, artificial events (whole, in a seeded random order) are
 * kept while their class-0 windows stay within ratio x the split's class-1 windows. Returns the windows to drop
 * (true) and the count of dropped artificial events. isArtificial(e): event e is artificial.
 */
export function balanceByWindows(
  eventIndex: Int32Array, label: Uint8Array, split: Uint8Array, isArtificial: (e: number) => boolean, ratio: number,
  order: (splitIndex: number, n: number) => Uint32Array,
): { drop: Uint8Array; droppedEvents: number; droppedWindows: number } {
  const N = eventIndex.length;
  const drop = new Uint8Array(N);
  let droppedEvents = 0, droppedWindows = 0;
  for (let s = 0; s < 3; s++) {
    let c1 = 0;
    const c0 = new Map<number, number>();
    for (let w = 0; w < N; w++) {
      if (split[w] !== s) continue;
      const e = eventIndex[w];
      if (label[w] === 1) c1++;
      if (isArtificial(e)) c0.set(e, (c0.get(e) ?? 0) + (label[w] === 0 ? 1 : 0));
    }
    const events = [...c0.keys()].sort((a, b) => a - b);
    const perm = order(s, events.length);
    const target = ratio * c1;
    let used = 0;
    const dropped = new Set<number>();
    for (let k = 0; k < events.length; k++) {
      const e = events[perm[k]];
      const n0 = c0.get(e)!;
      if (used + n0 <= target) used += n0;
      else dropped.add(e);
    }
    droppedEvents += dropped.size;
    for (let w = 0; w < N; w++) {
      if (split[w] === s && dropped.has(eventIndex[w])) {
        drop[w] = 1;
        droppedWindows++;
      }
    }
  }
  return { drop, droppedEvents, droppedWindows };
}
