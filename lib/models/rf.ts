// Random forest (RF), a baseline of paper section 3.3 compared with SafeNet in section 4.6 (Table 2, Figure 11).
// Follows scikit-learn's RandomForestClassifier: each tree on a bootstrap sample (drawn with replacement, the
// counts acting as sample weights), grown depth-first to purity (or maxDepth / minSamplesSplit / minSamplesLeaf),
// at each node the best Gini split over a fresh random subset of maxFeatures features (features constant in the
// node do not count, as in scikit-learn's BestSplitter), class weights null / 'balanced' / 'balanced_subsample' /
// explicit; probabilities are the mean over trees of the weighted class fractions of the leaf.
// One deliberate difference, a named parameter: split thresholds are searched on maxBins quantile bins of each
// feature (binning.ts, the bins of the GBM) instead of between every pair of sorted values: a node costs one pass
// over its rows per candidate feature rather than a sort. maxBins 255 keeps the accuracy of exact splits (the test
// against scikit-learn checks it); TypeScript with typed arrays, for the reasons given in gbm.ts.
// Several threads (fit option threads, lib/models/tree-pool.ts): trees are claimed one at a time from a shared
// counter, each drawn from its own stream (fork('tree', t)) and assembled in index order: the same forest for any
// thread count.
import { rngFor, Rng } from '../core/random';
import { BinMapper, BinMapperJSON, ClassWeight, Matrix, checkLabels, checkMatrix, classWeights } from './binning';
import { argmaxRows } from './gbm';
import { resolveThreads, TreePool } from './tree-pool';

export interface RfParams {
  nClasses: number;
  nEstimators: number;
  /** Features tried per split: 'sqrt' (floor(sqrt(d)), scikit-learn's default), 'log2', a fraction in (0, 1), or a count >= 1. */
  maxFeatures: 'sqrt' | 'log2' | number;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  bootstrap: boolean;
  classWeight: ClassWeight | 'balanced_subsample';
  /**
   * Bins per feature for the split search (2..256). Assumption of this package, not the paper's (which used
   * scikit-learn's exact splits, as far as its sibling code shows): binned splits make training a pass per
   * candidate feature; 255 quantile bins leave the accuracy within scikit-learn's (tested).
   */
  maxBins: number;
}

/** scikit-learn's RandomForestClassifier defaults (n_estimators 100, sqrt features, full depth, bootstrap). */
export const RF_DEFAULTS: Readonly<RfParams> = Object.freeze({
  nClasses: 3,
  nEstimators: 100,
  maxFeatures: 'sqrt' as const,
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  bootstrap: true,
  classWeight: null,
  maxBins: 255,
});

function validate(p: RfParams): void {
  const int = (k: keyof RfParams, min: number) => {
    const v = p[k] as number;
    if (!Number.isInteger(v) || v < min) throw new Error(`RfParams.${k} must be an integer >= ${min}, got ${v}`);
  };
  int('nClasses', 2);
  int('nEstimators', 1);
  int('minSamplesSplit', 2);
  int('minSamplesLeaf', 1);
  if (p.maxDepth !== null) int('maxDepth', 1);
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 256) throw new Error(`RfParams.maxBins must be an integer in 2..256, got ${p.maxBins}`);
  const mf = p.maxFeatures;
  if (!(mf === 'sqrt' || mf === 'log2' || (typeof mf === 'number' && mf > 0 && (mf < 1 || Number.isInteger(mf))))) {
    throw new Error(`RfParams.maxFeatures must be 'sqrt', 'log2', a fraction in (0, 1) or a positive integer, got ${mf}`);
  }
}

/** Number of features tried per split for d features (at least 1). */
export function featuresPerSplit(mf: RfParams['maxFeatures'], d: number): number {
  let k: number;
  if (mf === 'sqrt') k = Math.floor(Math.sqrt(d));
  else if (mf === 'log2') k = Math.floor(Math.log2(d));
  else if (mf < 1) k = Math.floor(mf * d);
  else k = mf;
  return Math.max(1, Math.min(d, k));
}

export interface RfTree {
  feature: Int32Array;
  bin: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Class fractions of each node, [nodes, K] (used at leaves). */
  proba: Float64Array;
}

const EPSILON = 1e-7; // scikit-learn's FEATURE_THRESHOLD / impurity floor

class TreeBuilder {
  private readonly hist: Float64Array; // [256, K] weighted class counts
  private readonly cnt: Int32Array; // [256] rows per bin
  private readonly pair: Int32Array; // small-node sort buffer: bin * n + row
  private readonly featOrder: Int32Array;

  constructor(
    private readonly bins: Uint8Array,
    private readonly n: number,
    private readonly d: number,
    private readonly y: ArrayLike<number>,
    private readonly K: number,
    private readonly p: RfParams,
    private readonly mtry: number,
  ) {
    this.hist = new Float64Array(256 * K);
    this.cnt = new Int32Array(256);
    this.pair = new Int32Array(n);
    this.featOrder = Int32Array.from({ length: d }, (_, i) => i);
  }

  build(rows: Uint32Array, w: Float64Array, rng: Rng): RfTree {
    const { K, p, bins, n, y } = this;
    // each tree starts from the same feature order (as each of scikit-learn's trees gets a fresh splitter): a tree
    // depends on its own stream only, not on the trees this builder grew before (any thread may grow it)
    for (let f = 0; f < this.d; f++) this.featOrder[f] = f;
    const feature: number[] = [];
    const bin: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const proba: number[] = [];
    const stack: { start: number; end: number; depth: number; index: number }[] = [];
    const newNode = (): number => {
      feature.push(-1);
      bin.push(0);
      left.push(-1);
      right.push(-1);
      for (let k = 0; k < K; k++) proba.push(0);
      return feature.length - 1;
    };
    const part = rows;
    stack.push({ start: 0, end: part.length, depth: 0, index: newNode() });
    const wk = new Float64Array(K);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const m = node.end - node.start;
      wk.fill(0);
      for (let j = node.start; j < node.end; j++) wk[y[part[j]]] += w[part[j]];
      let W = 0;
      let sq = 0;
      for (let k = 0; k < K; k++) {
        W += wk[k];
        sq += wk[k] * wk[k];
      }
      for (let k = 0; k < K; k++) proba[node.index * K + k] = W > 0 ? wk[k] / W : 1 / K;
      const impurity = W > 0 ? 1 - sq / (W * W) : 0;
      const isLeaf = m < p.minSamplesSplit || m < 2 * p.minSamplesLeaf || impurity <= EPSILON || (p.maxDepth !== null && node.depth >= p.maxDepth);
      if (isLeaf) continue;
      const split = this.bestSplit(part, node.start, node.end, w, wk, W, rng);
      if (split === null) continue;
      // partition: bin <= threshold to the left
      const co = split.feature * n;
      let i = node.start;
      let j = node.end - 1;
      while (i <= j) {
        if (bins[co + part[i]] <= split.bin) i++;
        else {
          const t = part[i];
          part[i] = part[j];
          part[j] = t;
          j--;
        }
      }
      feature[node.index] = split.feature;
      bin[node.index] = split.bin;
      const li = newNode();
      const ri = newNode();
      left[node.index] = li;
      right[node.index] = ri;
      // depth-first, left child first (pushed last)
      stack.push({ start: i, end: node.end, depth: node.depth + 1, index: ri });
      stack.push({ start: node.start, end: i, depth: node.depth + 1, index: li });
    }
    return {
      feature: Int32Array.from(feature),
      bin: Uint8Array.from(bin),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      proba: Float64Array.from(proba),
    };
  }

  /** Best Gini split over random features; null when no feature is non-constant in the node. */
  private bestSplit(part: Uint32Array, start: number, end: number, w: Float64Array, wk: Float64Array, W: number, rng: Rng): { feature: number; bin: number } | null {
    const { K, p, bins, n, y, hist, cnt, pair, featOrder, d } = this;
    const m = end - start;
    const msl = p.minSamplesLeaf;
    let bestScore = -Infinity;
    let bestF = -1;
    let bestB = 0;
    let visited = 0;
    const wl = new Float64Array(K);
    // draw features without replacement (partial Fisher-Yates over a persistent order) until mtry non-constant ones
    for (let t = 0; t < d && visited < this.mtry; t++) {
      const r = t + rng.int(d - t);
      const f = featOrder[r];
      featOrder[r] = featOrder[t];
      featOrder[t] = f;
      const co = f * n;
      if (m <= 48) {
        // small node: sort (bin, row) keys
        for (let j = 0; j < m; j++) {
          const row = part[start + j];
          pair[j] = bins[co + row] * n + row;
        }
        const keys = pair.subarray(0, m);
        keys.sort();
        const first = Math.floor(keys[0] / n);
        if (Math.floor(keys[m - 1] / n) === first) continue; // constant here
        visited++;
        wl.fill(0);
        let WL = 0;
        for (let j = 0; j < m - 1; j++) {
          const row = keys[j] % n;
          const b = (keys[j] - row) / n;
          const wr = w[row];
          wl[y[row]] += wr;
          WL += wr;
          const nb = Math.floor(keys[j + 1] / n);
          if (nb === b) continue;
          const nl = j + 1;
          if (nl < msl) continue;
          if (m - nl < msl) break;
          const score = this.score(wl, WL, wk, W);
          if (score > bestScore) {
            bestScore = score;
            bestF = f;
            bestB = b;
          }
        }
      } else {
        let lo = 255;
        let hi = 0;
        for (let j = start; j < end; j++) {
          const row = part[j];
          const b = bins[co + row];
          hist[b * K + y[row]] += w[row];
          cnt[b]++;
          if (b < lo) lo = b;
          if (b > hi) hi = b;
        }
        if (lo === hi) {
          hist.fill(0, lo * K, (lo + 1) * K);
          cnt[lo] = 0;
          continue;
        }
        visited++;
        wl.fill(0);
        let WL = 0;
        let nl = 0;
        for (let b = lo; b < hi; b++) {
          const c = cnt[b];
          if (c === 0) continue;
          for (let k = 0; k < K; k++) {
            wl[k] += hist[b * K + k];
            WL += hist[b * K + k];
          }
          nl += c;
          if (nl < msl) continue;
          if (m - nl < msl) break;
          const score = this.score(wl, WL, wk, W);
          if (score > bestScore) {
            bestScore = score;
            bestF = f;
            bestB = b;
          }
        }
        hist.fill(0, lo * K, (hi + 1) * K);
        cnt.fill(0, lo, hi + 1);
      }
    }
    return bestF < 0 ? null : { feature: bestF, bin: bestB };
  }

  /** Gini proxy: sum_k wl_k^2 / WL + sum_k wr_k^2 / WR (larger is a purer split). */
  private score(wl: Float64Array, WL: number, wk: Float64Array, W: number): number {
    const WR = W - WL;
    if (WL <= 0 || WR <= 0) return -Infinity;
    let sl = 0;
    let sr = 0;
    for (let k = 0; k < this.K; k++) {
      sl += wl[k] * wl[k];
      const r = wk[k] - wl[k];
      sr += r * r;
    }
    return sl / WL + sr / WR;
  }
}

/** What every thread of a forest fit needs (typed arrays on SharedArrayBuffers when threads > 1). */
export interface RfJob {
  /** Binned training matrix, column-major [features][rows]. */
  bins: Uint8Array;
  n: number;
  d: number;
  y: Int32Array;
  K: number;
  p: RfParams;
  mtry: number;
  /** Labels of the fit's seed stream (Rng.labels): tree t draws from its fork('tree', t). */
  rngLabels: (string | number)[];
  /** Class weights of the whole training set; null for 'balanced_subsample' (from each bootstrap sample). */
  fullCw: Float64Array | null;
  /** [0]: next tree to claim, [1]: trees finished. */
  counter: Int32Array;
}

/** Grow trees claimed one at a time from job.counter until none is left; returns [index, tree] pairs. */
export function growClaimedTrees(job: RfJob, onDone?: () => void): [number, RfTree][] {
  const { bins, n, d, y, K, p, mtry, fullCw, counter } = job;
  const rng = new Rng(job.rngLabels[0], ...job.rngLabels.slice(1));
  const builder = new TreeBuilder(bins, n, d, y, K, p, mtry);
  const counts = new Float64Array(n);
  const out: [number, RfTree][] = [];
  for (let t = Atomics.add(counter, 0, 1); t < p.nEstimators; t = Atomics.add(counter, 0, 1)) {
    const tr = rng.fork('tree', t);
    counts.fill(0);
    if (p.bootstrap) {
      const br = tr.fork('bootstrap');
      for (let i = 0; i < n; i++) counts[br.int(n)]++;
    } else counts.fill(1);
    let cw = fullCw;
    if (!cw) {
      // 'balanced_subsample': weights from the bootstrap sample's class counts
      const ck = new Float64Array(K);
      let tot = 0;
      for (let i = 0; i < n; i++) {
        ck[y[i]] += counts[i];
        tot += counts[i];
      }
      cw = Float64Array.from(ck, (c) => (c > 0 ? tot / (K * c) : 0));
    }
    const w = new Float64Array(n);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      w[i] = counts[i] * cw[y[i]];
      if (counts[i] > 0) rows.push(i);
    }
    out.push([t, builder.build(Uint32Array.from(rows), w, tr.fork('features'))]);
    Atomics.add(counter, 1, 1);
    onDone?.();
  }
  return out;
}

export interface RfFitOptions {
  /** Label of the seed stream rngFor('training', 'rf', seedLabel): bootstrap draws and feature subsets. */
  seedLabel?: string | number;
  /** Threads that grow trees (default defaultTreeThreads()); the forest is the same for any count. */
  threads?: number;
  /** Progress: trees finished by all threads, called by this thread after each of its trees. */
  onTree?: (done: number, total: number) => void;
}

export interface RfJSON {
  kind: 'rf';
  params: RfParams;
  mapper: BinMapperJSON;
  trees: { feature: number[]; bin: number[]; left: number[]; right: number[]; proba: number[] }[];
  seconds: number;
}

export class RfClassifier {
  readonly params: RfParams;
  mapper: BinMapper | null = null;
  trees: RfTree[] = [];
  seconds = 0;

  constructor(params: Partial<RfParams> = {}) {
    this.params = { ...RF_DEFAULTS, ...params };
    validate(this.params);
  }

  fit(x: Matrix, y: ArrayLike<number>, opts: RfFitOptions = {}): this {
    const t0 = Date.now();
    const p = this.params;
    const K = p.nClasses;
    checkMatrix(x, 'RfClassifier.fit x');
    checkLabels(y, x.rows, K, 'RfClassifier.fit y');
    const rng = rngFor('training', 'rf', opts.seedLabel ?? 0);
    const n = x.rows;
    const d = x.cols;
    this.mapper = BinMapper.fit(x, p.maxBins, rng.fork('bins'));
    const bins = this.mapper.transform(x);
    const mtry = featuresPerSplit(p.maxFeatures, d);
    const fullCw = p.classWeight === 'balanced_subsample' ? null : classWeights(y, K, p.classWeight, 'RfParams');
    const threads = Math.min(resolveThreads(opts.threads, 'RfClassifier.fit'), p.nEstimators);
    // trees are claimed from a shared counter by every thread; each tree's draws come from its own stream
    // (rng.fork('tree', t)), and the trees are assembled in index order: the same forest for any thread count
    const share = threads > 1;
    const buf = (bytes: number) => (share ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const sbins = share ? new Uint8Array(buf(bins.length)) : bins;
    if (share) sbins.set(bins);
    const job: RfJob = {
      bins: sbins, n, d, y: Int32Array.from(y), K, p, mtry, rngLabels: rng.labels, fullCw, counter: new Int32Array(buf(8)),
    };
    const pool = share ? new TreePool(threads - 1) : null;
    if (pool) for (let w = 0; w < pool.count; w++) pool.post(w, { type: 'rf', ...job });
    const trees: (RfTree | undefined)[] = new Array(p.nEstimators);
    let mainError: unknown = null;
    try {
      for (const [t, tree] of growClaimedTrees(job, () => opts.onTree?.(Math.min(Atomics.load(job.counter, 1), p.nEstimators), p.nEstimators))) trees[t] = tree;
    } catch (e) {
      // stop the workers claiming more trees, collect them, then rethrow
      Atomics.store(job.counter, 0, p.nEstimators);
      mainError = e;
    }
    if (pool) {
      for (let w = 0; w < pool.count; w++) {
        for (const m of pool.wait(w)) for (const [t, tree] of (m as { trees: [number, RfTree][] }).trees) trees[t] = tree;
      }
    }
    if (mainError) throw mainError;
    const missing = trees.findIndex((t) => t === undefined);
    if (missing >= 0) throw new Error(`RfClassifier.fit: tree ${missing} of ${p.nEstimators} was not grown`);
    this.trees = trees as RfTree[];
    this.seconds = (Date.now() - t0) / 1000;
    return this;
  }

  /** Mean over trees of the leaf class fractions, [rows, K]. */
  predictProba(x: Matrix): Float64Array {
    if (!this.mapper) throw new Error('RfClassifier: not fitted');
    checkMatrix(x, 'RfClassifier.predict x');
    const K = this.params.nClasses;
    const n = x.rows;
    const bins = this.mapper.transform(x);
    const out = new Float64Array(n * K);
    for (const t of this.trees) {
      for (let i = 0; i < n; i++) {
        let node = 0;
        while (t.feature[node] >= 0) node = bins[t.feature[node] * n + i] <= t.bin[node] ? t.left[node] : t.right[node];
        for (let k = 0; k < K; k++) out[i * K + k] += t.proba[node * K + k];
      }
    }
    for (let q = 0; q < out.length; q++) out[q] /= this.trees.length;
    return out;
  }

  predict(x: Matrix): Int32Array {
    return argmaxRows(this.predictProba(x), this.params.nClasses);
  }

  toJSON(): RfJSON {
    if (!this.mapper) throw new Error('RfClassifier.toJSON: not fitted');
    return {
      kind: 'rf',
      params: this.params,
      mapper: this.mapper.toJSON(),
      trees: this.trees.map((t) => ({
        feature: Array.from(t.feature), bin: Array.from(t.bin), left: Array.from(t.left), right: Array.from(t.right), proba: Array.from(t.proba),
      })),
      seconds: this.seconds,
    };
  }

  static fromJSON(j: RfJSON): RfClassifier {
    if (!j || j.kind !== 'rf' || !Array.isArray(j.trees)) throw new Error("RfClassifier.fromJSON: expected an object with kind 'rf' and trees");
    const m = new RfClassifier(j.params);
    m.mapper = BinMapper.fromJSON(j.mapper);
    m.trees = j.trees.map((t) => ({
      feature: Int32Array.from(t.feature), bin: Uint8Array.from(t.bin), left: Int32Array.from(t.left), right: Int32Array.from(t.right), proba: Float64Array.from(t.proba),
    }));
    m.seconds = j.seconds;
    return m;
  }
}
