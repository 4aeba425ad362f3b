// Gradient boosting machine (GBM), the first baseline of paper section 3.3 compared with SafeNet in section 4.6
// (Table 2, Figure 11). Histogram gradient boosting with a multiclass softmax (cross-entropy) loss, written to
// follow scikit-learn's HistGradientBoostingClassifier: features binned into at most maxBins bins (binning.ts);
// per iteration one tree per class fitted to the gradients and hessians of the softmax loss; trees grown leaf-wise
// (best-first, at most maxLeafNodes leaves, optional maxDepth) with histogram subtraction (a node's histogram read
// row by row from a row-major copy of the bins, the root's column by column); gradients and hessians
// in float32 as scikit-learn keeps them (G_H_DTYPE), histogram sums in float64; split gain
// G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2); leaves -learningRate * G/(H+l2); minSamplesLeaf per leaf; early
// stopping on the validation loss (nIterNoChange, tol) of a given validation part or of a stratified
// validationFraction carved from the training rows. Class weights multiply the sample weights.
// Several threads (fit option threads, lib/models/tree-pool.ts): the features are cut into one contiguous shard per
// thread, each thread builds its shard's histograms and finds its best split, and the shards' bests are reduced in
// shard order (strictly larger gain wins, as the one-thread scan), so the model is the same for any thread count.
// Written in TypeScript with typed arrays: no maintained npm package offers binned, leaf-wise multiclass boosting
// with early stopping (see README's baselines note and bench/baselines.ts for the timing against scikit-learn).
import { Rng, rngFor } from '../core/random';
import { BinMapper, BinMapperJSON, ClassWeight, Matrix, checkLabels, checkMatrix, classWeights } from './binning';
import { IO_LENGTH, IO_OUT, resolveThreads, TreePool } from './tree-pool';

export interface GbmParams {
  nClasses: number;
  /** Shrinkage of every leaf value (scikit-learn learning_rate). */
  learningRate: number;
  /** Boosting iterations (one tree per class each). */
  maxIter: number;
  maxLeafNodes: number;
  /** null: no depth limit (leaf count only). */
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2Regularization: number;
  /** Bins per feature, 2..255 (scikit-learn max_bins, which excludes its missing-value bin). */
  maxBins: number;
  /** true, false, or 'auto' (on when there are more than 10,000 training rows or a validation part is given). */
  earlyStopping: boolean | 'auto';
  /** Fraction of the training rows held out (stratified) for early stopping when no validation part is given. */
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  classWeight: ClassWeight;
}

/** scikit-learn 1.2's HistGradientBoostingClassifier defaults, for 3 classes. */
export const GBM_DEFAULTS: Readonly<GbmParams> = Object.freeze({
  nClasses: 3,
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: 'auto' as const,
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  classWeight: null,
});

/** scikit-learn's min_hessian_to_split and the minimal probability kept in the loss. */
const MIN_HESSIAN_TO_SPLIT = 1e-3;
const EPS = 2.220446049250313e-16;

export interface GbmTree {
  /** Per node: split feature (-1 for a leaf), bin threshold (bin <= threshold goes left), children, leaf value. */
  feature: Int32Array;
  bin: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface GbmFitOptions {
  /** Validation part for early stopping (the project's validation split); else carved from the training rows. */
  validation?: { x: Matrix; y: ArrayLike<number> };
  /** Label of the seed stream rngFor('training', 'gbm', seedLabel): binning subsample and validation carve. */
  seedLabel?: string | number;
  /** Threads that build the histograms (default defaultTreeThreads()); the model is the same for any count. */
  threads?: number;
  /** Called after each iteration (iteration, validation loss or null). */
  onIteration?: (iter: number, validationLoss: number | null) => void;
}

export interface GbmFitInfo {
  nIter: number;
  /** Validation loss after 0 (the baseline), 1, ... iterations, when early stopping ran. */
  validationLoss: number[];
  trainRows: number;
  validationRows: number;
  seconds: number;
}

function validate(p: GbmParams): void {
  const posInt = (k: keyof GbmParams, min: number) => {
    const v = p[k] as number;
    if (!Number.isInteger(v) || v < min) throw new Error(`GbmParams.${k} must be an integer >= ${min}, got ${v}`);
  };
  posInt('nClasses', 2);
  posInt('maxIter', 1);
  posInt('maxLeafNodes', 2);
  posInt('minSamplesLeaf', 1);
  posInt('nIterNoChange', 1);
  if (p.maxDepth !== null) posInt('maxDepth', 1);
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255) throw new Error(`GbmParams.maxBins must be an integer in 2..255, got ${p.maxBins}`);
  if (!(p.learningRate > 0)) throw new Error(`GbmParams.learningRate must be > 0, got ${p.learningRate}`);
  if (!(p.l2Regularization >= 0)) throw new Error(`GbmParams.l2Regularization must be >= 0, got ${p.l2Regularization}`);
  if (!(p.validationFraction > 0 && p.validationFraction < 1)) throw new Error(`GbmParams.validationFraction must be in (0, 1), got ${p.validationFraction}`);
  if (!(p.tol >= 0)) throw new Error(`GbmParams.tol must be >= 0, got ${p.tol}`);
  if (![true, false, 'auto'].includes(p.earlyStopping)) throw new Error(`GbmParams.earlyStopping must be true, false or 'auto', got ${p.earlyStopping}`);
}

/** Stratified split of row indices: per class, a shuffled round(fraction * count) go to validation. */
export function stratifiedHoldout(y: ArrayLike<number>, nClasses: number, fraction: number, rng: Rng): { train: Uint32Array; val: Uint32Array } {
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < y.length; i++) byClass[y[i]].push(i);
  const train: number[] = [];
  const val: number[] = [];
  byClass.forEach((rows, k) => {
    const r = rng.fork('class', k);
    r.shuffle(rows);
    const nv = Math.round(rows.length * fraction);
    for (let j = 0; j < rows.length; j++) (j < nv ? val : train).push(rows[j]);
  });
  train.sort((a, b) => a - b);
  val.sort((a, b) => a - b);
  return { train: Uint32Array.from(train), val: Uint32Array.from(val) };
}

function takeRows(x: Matrix, rows: Uint32Array): Matrix {
  const out = new Float64Array(rows.length * x.cols);
  for (let j = 0; j < rows.length; j++) {
    const o = rows[j] * x.cols;
    for (let f = 0; f < x.cols; f++) out[j * x.cols + f] = x.data[o + f];
  }
  return { data: out, rows: rows.length, cols: x.cols };
}

/** Weighted mean softmax cross-entropy of raw scores [n, K] against labels. */
function crossEntropy(raw: Float64Array, y: ArrayLike<number>, w: Float64Array, K: number): number {
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, raw[i * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(raw[i * K + k] - m);
    const logp = raw[i * K + y[i]] - m - Math.log(s);
    sum += -logp * w[i];
    wsum += w[i];
  }
  return sum / wsum;
}

/** Data of one GBM fit that every thread reads (typed arrays on SharedArrayBuffers when threads > 1). */
export interface GbmShared {
  /** Binned training matrix, column-major [features][rows]. */
  bins: Uint8Array;
  /** The same bins row-major ([rows][features]): a node's rows are read one contiguous row at a time. */
  rowBins: Uint8Array;
  n: number;
  d: number;
  nBins: Int32Array;
  /** Gradients and hessians of each class (float32, as scikit-learn's G_H_DTYPE). */
  g: Float32Array[];
  h: Float32Array[];
  /** Row order of the tree being grown: each node holds a contiguous range. */
  part: Uint32Array;
  minSamplesLeaf: number;
  l2: number;
}

/** Histogram jobs (io[0]) of a shard. */
export const GBM_OP = { root: 1, split: 2 } as const;
/** Bins per feature in a histogram (the largest maxBins + 1). */
const HB = 256 * 3;

/**
 * The histograms of a contiguous range of features [f0, f1), kept per slot (a node's histogram lives in the slot
 * the grower gives it), and the best split over those features. Each thread of a fit holds one shard; every
 * feature's sums run over the rows in the same order whatever the shards, so the histograms, the best split per
 * shard and the fixed-order reduction of the grower are the same for any thread count.
 */
export class HistShard {
  private readonly slots: Float64Array[] = [];
  private readonly og: Float32Array;
  private readonly oh: Float32Array;

  constructor(private readonly s: GbmShared, readonly f0: number, readonly f1: number) {
    this.og = new Float32Array(s.n);
    this.oh = new Float32Array(s.n);
  }

  private slot(i: number): Float64Array {
    let a = this.slots[i];
    if (!a) a = this.slots[i] = new Float64Array((this.f1 - this.f0) * HB);
    return a;
  }

  /** Histogram of rows part[start..end) into slot `slot` (gradients of class k). */
  private build(slot: number, start: number, end: number, k: number): void {
    const hist = this.slot(slot);
    hist.fill(0);
    const { bins, rowBins, n, d, part } = this.s;
    const g = this.s.g[k];
    const h = this.s.h[k];
    const { f0, f1 } = this;
    const m = end - start;
    if (m === n) {
      // the root: every row in order, no gather; two features per pass
      let f = f0;
      for (; f + 1 < f1; f += 2) {
        const co0 = f * n;
        const co1 = co0 + n;
        const ho0 = (f - f0) * HB;
        const ho1 = ho0 + HB;
        for (let i = 0; i < n; i++) {
          const gi = g[i];
          const hi = h[i];
          const q0 = ho0 + bins[co0 + i] * 3;
          const q1 = ho1 + bins[co1 + i] * 3;
          hist[q0] += gi;
          hist[q0 + 1] += hi;
          hist[q0 + 2] += 1;
          hist[q1] += gi;
          hist[q1 + 1] += hi;
          hist[q1 + 2] += 1;
        }
      }
      for (; f < f1; f++) {
        const co = f * n;
        const ho = (f - f0) * HB;
        for (let i = 0; i < n; i++) {
          const q = ho + bins[co + i] * 3;
          hist[q] += g[i];
          hist[q + 1] += h[i];
          hist[q + 2] += 1;
        }
      }
      return;
    }
    const { og, oh } = this;
    for (let j = 0; j < m; j++) {
      const i = part[start + j];
      og[j] = g[i];
      oh[j] = h[i];
    }
    // row by row: the shard's bins of a row are contiguous in rowBins, its gradient pair loaded once
    const w = f1 - f0;
    for (let j = 0; j < m; j++) {
      const ro = part[start + j] * d + f0;
      const gj = og[j];
      const hj = oh[j];
      for (let f = 0, ho = 0; f < w; f++, ho += HB) {
        const q = ho + rowBins[ro + f] * 3;
        hist[q] += gj;
        hist[q + 1] += hj;
        hist[q + 2] += 1;
      }
    }
  }

  /**
   * Best split of a node over the shard's features into out[o..o+3): gain (-1: none), feature, bin. With `sub`
   * >= 0 the node's histogram is first made by subtracting slot `sub` (its smaller sibling) from slot `slot` (their
   * parent's), feature by feature, so that each feature's bins are scanned while they are in cache.
   */
  private best(slot: number, count: number, sumG: number, sumH: number, out: Float64Array, o: number, sub = -1): void {
    const hist = this.slot(slot);
    const sh = sub >= 0 ? this.slot(sub) : null;
    const { nBins, minSamplesLeaf: msl, l2 } = this.s;
    const parent = (sumG * sumG) / (sumH + l2);
    let best = 0;
    let bestGain = -1;
    let bestF = -1;
    let bestB = 0;
    for (let f = this.f0; f < this.f1; f++) {
      const ho = (f - this.f0) * HB;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const nb = nBins[f];
      if (sh) for (let q = ho, qe = ho + nb * 3; q < qe; q++) hist[q] -= sh[q];
      for (let b = 0; b < nb - 1; b++) {
        const q = ho + b * 3;
        gl += hist[q];
        hl += hist[q + 1];
        cl += hist[q + 2];
        if (cl < msl) continue;
        const cr = count - cl;
        if (cr < msl) break;
        const hr = sumH - hl;
        if (hl < MIN_HESSIAN_TO_SPLIT) continue;
        if (hr < MIN_HESSIAN_TO_SPLIT) break;
        const gr = sumG - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
        if (gain > best) {
          best = gain;
          bestGain = gain;
          bestF = f;
          bestB = b;
        }
      }
    }
    out[o] = bestGain;
    out[o + 1] = bestF;
    out[o + 2] = bestB;
  }

  /**
   * Run the job in io (GBM_OP): root [op, k, slot, canSplit, sumG, sumH] -> out [gain, feature, bin];
   * split [op, k, parentSlot, smallSlot, smallStart, smallEnd, largeMode (0 none, 1 parent - small, 2 build),
   * largeSlot, largeStart, largeEnd, smallCanSplit, smallG, smallH, largeCanSplit, largeG, largeH]
   * -> out [small gain, feature, bin, large gain, feature, bin]. Results from io[IO_OUT].
   */
  run(io: Float64Array, outAt: number): void {
    const op = io[0];
    const k = io[1];
    if (op === GBM_OP.root) {
      const slot = io[2];
      this.build(slot, 0, this.s.n, k);
      io[outAt] = -1;
      if (io[3]) this.best(slot, this.s.n, io[4], io[5], io, outAt);
      return;
    }
    if (op !== GBM_OP.split) throw new Error(`HistShard: unknown job ${op}`);
    const parent = io[2];
    const small = io[3];
    const ss = io[4];
    const se = io[5];
    const mode = io[6];
    const large = io[7];
    const ls = io[8];
    const le = io[9];
    this.build(small, ss, se, k);
    if (mode === 2) this.build(large, ls, le, k);
    io[outAt] = -1;
    io[outAt + 3] = -1;
    if (io[10]) this.best(small, se - ss, io[11], io[12], io, outAt);
    // the larger child's histogram (parent - small, in the parent's slot) made while its splits are scanned
    if (mode === 1) this.best(parent, le - ls, io[14], io[15], io, outAt + 3, small);
    else if (mode === 2) this.best(large, le - ls, io[14], io[15], io, outAt + 3);
  }
}

interface GrowNode {
  start: number;
  end: number;
  depth: number;
  sumG: number;
  sumH: number;
  /** Histogram slot of the node in every shard (-1: none). */
  slot: number;
  gain: number;
  feature: number;
  bin: number;
  index: number; // position in the output tree
}

/**
 * Grows the trees of one fit (the histogram grower): this thread drives the best-first growth, partitions rows
 * and runs shard 0; the pool's workers run the other shards of each histogram job. A shard's best split replaces
 * the one before only when its gain is strictly larger, which is the single-thread scan's choice (first of the
 * largest gains in feature order).
 */
class Grower {
  private readonly shards: { f0: number; f1: number }[];
  private readonly local: HistShard;
  private readonly localIo = new Float64Array(IO_LENGTH);
  private readonly free: number[] = [];
  private nextSlot = 0;

  constructor(private readonly s: GbmShared, private readonly p: GbmParams, private readonly pool: TreePool | null) {
    const t = pool ? pool.count + 1 : 1;
    const d = s.d;
    this.shards = Array.from({ length: t }, (_, i) => ({ f0: Math.floor((i * d) / t), f1: Math.floor(((i + 1) * d) / t) }));
    this.local = new HistShard(s, this.shards[0].f0, this.shards[0].f1);
    if (pool) {
      for (let w = 0; w < pool.count; w++) pool.post(w, { type: 'gbm', shared: s, f0: this.shards[w + 1].f0, f1: this.shards[w + 1].f1 });
      for (let w = 0; w < pool.count; w++) pool.wait(w);
    }
  }

  /** Let the workers drop this fit's arrays. */
  close(): void {
    const pool = this.pool;
    if (!pool) return;
    for (let w = 0; w < pool.count; w++) pool.post(w, { type: 'release' });
    for (let w = 0; w < pool.count; w++) pool.wait(w);
  }

  private takeSlot(): number {
    return this.free.length > 0 ? this.free.pop()! : this.nextSlot++;
  }

  private giveSlot(node: GrowNode): void {
    if (node.slot >= 0) this.free.push(node.slot);
    node.slot = -1;
  }

  /** Run a histogram job on every shard; set the nodes' best splits (fixed-order reduction). */
  private exec(args: number[], nodes: (GrowNode | null)[]): void {
    const pool = this.pool;
    if (pool) {
      for (let w = 0; w < pool.count; w++) {
        pool.io(w).set(args);
        pool.post(w);
      }
    }
    this.localIo.set(args);
    this.local.run(this.localIo, IO_OUT);
    const outs = [this.localIo];
    if (pool) {
      for (let w = 0; w < pool.count; w++) {
        pool.wait(w);
        outs.push(pool.io(w));
      }
    }
    nodes.forEach((node, r) => {
      if (!node) return;
      node.gain = -1;
      node.feature = -1;
      for (const io of outs) {
        const o = IO_OUT + 3 * r;
        if (io[o + 1] >= 0 && io[o] > node.gain) {
          node.gain = io[o];
          node.feature = io[o + 1];
          node.bin = io[o + 2];
        }
      }
    });
  }

  /** Grow one tree for class k; returns it and, per leaf, the range of `part` (rows) it holds. */
  grow(k: number): { tree: GbmTree; leaves: { start: number; end: number; value: number }[] } {
    const { p } = this;
    const { bins, n, part } = this.s;
    const g = this.s.g[k];
    const h = this.s.h[k];
    for (let i = 0; i < n; i++) part[i] = i;
    this.free.length = 0;
    this.nextSlot = 0;
    const feature: number[] = [];
    const bin: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const newNode = (): number => {
      feature.push(-1);
      bin.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      return feature.length - 1;
    };
    const leaves: { start: number; end: number; value: number }[] = [];
    const finalize = (node: GrowNode) => {
      const v = (-p.learningRate * node.sumG) / (node.sumH + p.l2Regularization + EPS);
      value[node.index] = v;
      leaves.push({ start: node.start, end: node.end, value: v });
      this.giveSlot(node);
    };
    let sumG = 0;
    let sumH = 0;
    for (let j = 0; j < n; j++) {
      sumG += g[j];
      sumH += h[j];
    }
    const node0 = (start: number, end: number, depth: number, sG: number, sH: number, index: number): GrowNode =>
      ({ start, end, depth, sumG: sG, sumH: sH, slot: -1, gain: -1, feature: -1, bin: 0, index });
    const root = node0(0, n, 0, sumG, sumH, newNode());
    root.slot = this.takeSlot();
    const rootCan = n >= 2 * p.minSamplesLeaf && (p.maxDepth === null || p.maxDepth > 0);
    this.exec([GBM_OP.root, k, root.slot, rootCan ? 1 : 0, sumG, sumH], [rootCan ? root : null]);
    const open: GrowNode[] = [];
    if (root.feature >= 0) open.push(root);
    else finalize(root);
    let nLeaves = 1;
    while (open.length > 0) {
      // best-first: the open node of largest gain (first on ties)
      let bi = 0;
      for (let i = 1; i < open.length; i++) if (open[i].gain > open[bi].gain) bi = i;
      const node = open.splice(bi, 1)[0];
      // partition the node's rows: bin <= threshold to the left
      const co = node.feature * n;
      let i = node.start;
      let j = node.end - 1;
      while (i <= j) {
        if (bins[co + part[i]] <= node.bin) i++;
        else {
          const t = part[i];
          part[i] = part[j];
          part[j] = t;
          j--;
        }
      }
      const mid = i;
      feature[node.index] = node.feature;
      bin[node.index] = node.bin;
      const li = newNode();
      const ri = newNode();
      left[node.index] = li;
      right[node.index] = ri;
      nLeaves++;
      let lg = 0;
      let lh = 0;
      for (let q = node.start; q < mid; q++) {
        lg += g[part[q]];
        lh += h[part[q]];
      }
      const L = node0(node.start, mid, node.depth + 1, lg, lh, li);
      const R = node0(mid, node.end, node.depth + 1, node.sumG - lg, node.sumH - lh, ri);
      const full = nLeaves >= p.maxLeafNodes;
      const canSplit = (c: GrowNode) => !full && c.end - c.start >= 2 * p.minSamplesLeaf && (p.maxDepth === null || c.depth < p.maxDepth);
      const lCan = canSplit(L);
      const rCan = canSplit(R);
      if (lCan || rCan) {
        // histogram of the smaller child; the larger one's by subtraction from the parent's when it is large
        // (building a small one costs less than subtracting whole histograms), none when it cannot split
        const [small, large] = mid - node.start <= node.end - mid ? [L, R] : [R, L];
        const smallCan = small === L ? lCan : rCan;
        const largeCan = large === L ? lCan : rCan;
        small.slot = this.takeSlot();
        let mode = 0;
        if (largeCan) {
          if (large.end - large.start > HB) {
            mode = 1;
            large.slot = node.slot;
            node.slot = -1;
          } else {
            mode = 2;
            this.giveSlot(node);
            large.slot = this.takeSlot();
          }
        }
        this.exec([GBM_OP.split, k, mode === 1 ? large.slot : node.slot, small.slot, small.start, small.end, mode,
          large.slot, large.start, large.end, smallCan ? 1 : 0, small.sumG, small.sumH, largeCan ? 1 : 0, large.sumG, large.sumH],
        [smallCan ? small : null, largeCan ? large : null]);
      }
      this.giveSlot(node);
      for (const c of [L, R]) {
        if (c.feature >= 0) open.push(c);
        else finalize(c);
      }
      if (full) {
        for (const o of open) finalize(o);
        open.length = 0;
      }
    }
    return {
      tree: {
        feature: Int32Array.from(feature),
        bin: Uint8Array.from(bin),
        left: Int32Array.from(left),
        right: Int32Array.from(right),
        value: Float64Array.from(value),
      },
      leaves,
    };
  }
}

/** Value of a tree for row i of column-major binned data with n rows. */
function treeValue(t: GbmTree, bins: Uint8Array, n: number, i: number): number {
  let node = 0;
  while (t.feature[node] >= 0) {
    node = bins[t.feature[node] * n + i] <= t.bin[node] ? t.left[node] : t.right[node];
  }
  return t.value[node];
}

export interface GbmJSON {
  kind: 'gbm';
  params: GbmParams;
  mapper: BinMapperJSON;
  baseline: number[];
  trees: { feature: number[]; bin: number[]; left: number[]; right: number[]; value: number[] }[][];
  info: GbmFitInfo;
}

export class GbmClassifier {
  readonly params: GbmParams;
  mapper: BinMapper | null = null;
  /** Raw score of every class before the first tree (log class priors, centred). */
  baseline: Float64Array = new Float64Array(0);
  /** trees[iteration][class] */
  trees: GbmTree[][] = [];
  info: GbmFitInfo | null = null;

  constructor(params: Partial<GbmParams> = {}) {
    this.params = { ...GBM_DEFAULTS, ...params };
    validate(this.params);
  }

  fit(x: Matrix, y: ArrayLike<number>, opts: GbmFitOptions = {}): this {
    const t0 = Date.now();
    const p = this.params;
    const K = p.nClasses;
    checkMatrix(x, 'GbmClassifier.fit x');
    checkLabels(y, x.rows, K, 'GbmClassifier.fit y');
    const rng = rngFor('training', 'gbm', opts.seedLabel ?? 0);
    const early = p.earlyStopping === 'auto' ? x.rows > 10000 || opts.validation !== undefined : p.earlyStopping;
    let xt = x;
    let yt: ArrayLike<number> = y;
    let xv: Matrix | null = null;
    let yv: ArrayLike<number> | null = null;
    if (early) {
      if (opts.validation) {
        checkMatrix(opts.validation.x, 'GbmClassifier.fit validation x');
        checkLabels(opts.validation.y, opts.validation.x.rows, K, 'GbmClassifier.fit validation y');
        if (opts.validation.x.cols !== x.cols) throw new Error(`GbmClassifier.fit: validation has ${opts.validation.x.cols} features, training ${x.cols}`);
        xv = opts.validation.x;
        yv = opts.validation.y;
      } else {
        const split = stratifiedHoldout(y, K, p.validationFraction, rng.fork('validation'));
        xt = takeRows(x, split.train);
        yt = Int32Array.from(split.train, (i) => y[i]);
        xv = takeRows(x, split.val);
        yv = Int32Array.from(split.val, (i) => y[i]);
      }
    }
    const n = xt.rows;
    const d = xt.cols;
    // class weights from the training labels, as sample weights
    const cw = classWeights(yt, K, p.classWeight, 'GbmParams');
    const w = Float64Array.from({ length: n }, (_, i) => cw[yt[i]]);
    const wv = yv ? Float64Array.from({ length: yv.length }, (_, i) => cw[yv![i]]) : null;
    this.mapper = BinMapper.fit(xt, p.maxBins, rng.fork('bins'));
    const bins = this.mapper.transform(xt);
    const binsV = xv ? this.mapper.transform(xv) : null;
    const nBins = Int32Array.from({ length: d }, (_, f) => this.mapper!.nBins(f));
    // baseline: log of the weighted class frequencies, centred (scikit-learn's symmetric multinomial link)
    const prior = new Float64Array(K);
    let wsum = 0;
    for (let i = 0; i < n; i++) {
      prior[yt[i]] += w[i];
      wsum += w[i];
    }
    const base = new Float64Array(K);
    for (let k = 0; k < K; k++) base[k] = Math.log(Math.min(Math.max(prior[k] / wsum, EPS), 1 - EPS));
    const mean = base.reduce((a, b) => a + b, 0) / K;
    for (let k = 0; k < K; k++) base[k] -= mean;
    this.baseline = base;
    const raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++) raw.set(base, i * K);
    const rawV = xv ? new Float64Array(xv.rows * K) : null;
    if (rawV) for (let i = 0; i < xv!.rows; i++) rawV.set(base, i * K);
    const valLoss: number[] = [];
    if (rawV) valLoss.push(crossEntropy(rawV, yv!, wv!, K));
    // the fit's arrays on SharedArrayBuffers when other threads read them
    const threads = Math.min(resolveThreads(opts.threads, 'GbmClassifier.fit'), d);
    const share = threads > 1;
    const alloc = <T>(ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, length: number): T =>
      new ctor(share ? new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT) : new ArrayBuffer(length * ctor.BYTES_PER_ELEMENT));
    const sbins = share ? alloc(Uint8Array, n * d) : bins;
    if (share) sbins.set(bins);
    const rowBins = alloc(Uint8Array, n * d);
    for (let f = 0; f < d; f++) {
      const co = f * n;
      for (let i = 0; i < n; i++) rowBins[i * d + f] = bins[co + i];
    }
    const g = Array.from({ length: K }, () => alloc(Float32Array, n));
    const h = Array.from({ length: K }, () => alloc(Float32Array, n));
    const part = alloc(Uint32Array, n);
    const shared: GbmShared = { bins: sbins, rowBins, n, d, nBins, g, h, part, minSamplesLeaf: p.minSamplesLeaf, l2: p.l2Regularization };
    const grower = new Grower(shared, p, share ? new TreePool(threads - 1) : null);
    const prob = new Float64Array(K);
    this.trees = [];
    try {
      for (let it = 0; it < p.maxIter; it++) {
        for (let i = 0; i < n; i++) {
          let m = -Infinity;
          for (let k = 0; k < K; k++) m = Math.max(m, raw[i * K + k]);
          let s = 0;
          for (let k = 0; k < K; k++) {
            prob[k] = Math.exp(raw[i * K + k] - m);
            s += prob[k];
          }
          for (let k = 0; k < K; k++) {
            const pk = prob[k] / s;
            g[k][i] = w[i] * (pk - (yt[i] === k ? 1 : 0));
            h[k][i] = w[i] * pk * (1 - pk);
          }
        }
        const iterTrees: GbmTree[] = [];
        for (let k = 0; k < K; k++) {
          const { tree, leaves } = grower.grow(k);
          for (const leaf of leaves) for (let j = leaf.start; j < leaf.end; j++) raw[part[j] * K + k] += leaf.value;
          if (rawV) for (let i = 0; i < xv!.rows; i++) rawV[i * K + k] += treeValue(tree, binsV!, xv!.rows, i);
          iterTrees.push(tree);
        }
        this.trees.push(iterTrees);
        let vl: number | null = null;
        if (rawV) {
          vl = crossEntropy(rawV, yv!, wv!, K);
          valLoss.push(vl);
        }
        opts.onIteration?.(it + 1, vl);
        if (rawV && shouldStop(valLoss, p.nIterNoChange, p.tol)) break;
      }
    } finally {
      grower.close();
    }
    this.info = { nIter: this.trees.length, validationLoss: valLoss, trainRows: n, validationRows: xv ? xv.rows : 0, seconds: (Date.now() - t0) / 1000 };
    return this;
  }

  /** Raw class scores [rows, K]. */
  decisionFunction(x: Matrix): Float64Array {
    if (!this.mapper) throw new Error('GbmClassifier: not fitted');
    checkMatrix(x, 'GbmClassifier.predict x');
    const K = this.params.nClasses;
    const bins = this.mapper.transform(x);
    const raw = new Float64Array(x.rows * K);
    for (let i = 0; i < x.rows; i++) raw.set(this.baseline, i * K);
    for (const iter of this.trees) {
      for (let k = 0; k < K; k++) {
        const t = iter[k];
        for (let i = 0; i < x.rows; i++) raw[i * K + k] += treeValue(t, bins, x.rows, i);
      }
    }
    return raw;
  }

  /** Class probabilities [rows, K] (softmax of the raw scores). */
  predictProba(x: Matrix): Float64Array {
    return softmaxRows(this.decisionFunction(x), this.params.nClasses);
  }

  predict(x: Matrix): Int32Array {
    return argmaxRows(this.predictProba(x), this.params.nClasses);
  }

  toJSON(): GbmJSON {
    if (!this.mapper || !this.info) throw new Error('GbmClassifier.toJSON: not fitted');
    return {
      kind: 'gbm',
      params: this.params,
      mapper: this.mapper.toJSON(),
      baseline: Array.from(this.baseline),
      trees: this.trees.map((it) => it.map((t) => ({
        feature: Array.from(t.feature), bin: Array.from(t.bin), left: Array.from(t.left), right: Array.from(t.right), value: Array.from(t.value),
      }))),
      info: this.info,
    };
  }

  static fromJSON(j: GbmJSON): GbmClassifier {
    if (!j || j.kind !== 'gbm' || !Array.isArray(j.trees) || !Array.isArray(j.baseline)) {
      throw new Error("GbmClassifier.fromJSON: expected an object with kind 'gbm', trees and baseline");
    }
    const m = new GbmClassifier(j.params);
    m.mapper = BinMapper.fromJSON(j.mapper);
    m.baseline = Float64Array.from(j.baseline);
    m.trees = j.trees.map((it) => it.map((t) => ({
      feature: Int32Array.from(t.feature), bin: Uint8Array.from(t.bin), left: Int32Array.from(t.left), right: Int32Array.from(t.right), value: Float64Array.from(t.value),
    })));
    m.info = j.info;
    return m;
  }
}

/**
 * scikit-learn's _should_stop on scores = -loss: stop when none of the last nIterNoChange losses is below the loss
 * nIterNoChange + 1 entries back by more than tol.
 */
export function shouldStop(losses: number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (losses.length < ref) return false;
  const refLoss = losses[losses.length - ref] - tol;
  for (let i = losses.length - nIterNoChange; i < losses.length; i++) if (losses[i] < refLoss) return false;
  return true;
}

export function softmaxRows(raw: Float64Array, K: number): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i += K) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, raw[i + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += out[i + k] = Math.exp(raw[i + k] - m);
    for (let k = 0; k < K; k++) out[i + k] /= s;
  }
  return out;
}

/** Index of the largest value of each row (first on ties, as numpy's argmax). */
export function argmaxRows(p: Float64Array, K: number): Int32Array {
  const out = new Int32Array(p.length / K);
  for (let i = 0; i < out.length; i++) {
    let b = 0;
    for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + b]) b = k;
    out[i] = b;
  }
  return out;
}
