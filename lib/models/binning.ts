// Feature binning for the tree baselines of paper section 3.3 (GBM and RF, compared with SafeNet in section 4.6,
// Table 2): each feature is cut into at most maxBins ordered bins at quantile midpoints, as scikit-learn's
// HistGradientBoostingClassifier does (_BinMapper: the midpoints between distinct values when there are at most
// maxBins of them, else the 'midpoint' percentiles at linspace(0, 100, maxBins + 1)[1:-1] of up to 200,000
// subsampled rows). A value v goes to bin b when thresholds[b-1] < v <= thresholds[b] (searchsorted 'left').
// The binned matrix is column-major Uint8Array (one contiguous column per feature), the layout histograms want.
import { Rng } from '../core/random';

/** A design matrix: n rows of d features, row-major. */
export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Check a matrix's shape and values (no NaN or infinity: the baselines have no missing-value bins). */
export function checkMatrix(x: Matrix, what: string): void {
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 1 || x.cols < 1) {
    throw new Error(`${what}: rows and cols must be positive integers, got ${x.rows} x ${x.cols}`);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new Error(`${what}: data has ${x.data.length} values, rows x cols = ${x.rows} x ${x.cols} = ${x.rows * x.cols}`);
  }
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new Error(`${what}: value ${x.data[i]} at row ${Math.floor(i / x.cols)}, feature ${i % x.cols} (missing values are not supported)`);
    }
  }
}

/** Check labels 0..nClasses-1, one per row. */
export function checkLabels(y: ArrayLike<number>, rows: number, nClasses: number, what: string): void {
  if (y.length !== rows) throw new Error(`${what}: ${y.length} labels for ${rows} rows`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= nClasses) {
      throw new Error(`${what}: label ${v} at row ${i} is not a class in 0..${nClasses - 1}`);
    }
  }
}

/** Rows scikit-learn's _BinMapper subsamples to find the thresholds (subsample=int(2e5)). */
export const BIN_SUBSAMPLE = 200_000;

export interface BinMapperJSON {
  maxBins: number;
  thresholds: number[][];
}

export class BinMapper {
  /** Per feature, the increasing upper edges of all bins but the last. */
  readonly thresholds: Float64Array[];
  readonly maxBins: number;

  constructor(thresholds: Float64Array[], maxBins: number) {
    this.thresholds = thresholds;
    this.maxBins = maxBins;
  }

  /** Number of bins of feature f (thresholds + 1). */
  nBins(f: number): number {
    return this.thresholds[f].length + 1;
  }

  get nFeatures(): number {
    return this.thresholds.length;
  }

  /** Find the thresholds from training data (rng draws the subsample when there are more than BIN_SUBSAMPLE rows). */
  static fit(x: Matrix, maxBins: number, rng: Rng): BinMapper {
    if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 256) {
      throw new Error(`BinMapper: maxBins must be an integer in 2..256, got ${maxBins}`);
    }
    const { rows, cols, data } = x;
    let sample: Uint32Array;
    if (rows > BIN_SUBSAMPLE) {
      sample = rng.permutation(rows).subarray(0, BIN_SUBSAMPLE);
    } else {
      sample = Uint32Array.from({ length: rows }, (_, i) => i);
    }
    const m = sample.length;
    // gather the sampled rows column-major in one row-by-row pass (reading a column of a row-major matrix
    // strides across memory and costs more than the sorting)
    const colsData = new Float64Array(m * cols);
    for (let j = 0; j < m; j++) {
      const o = sample[j] * cols;
      for (let f = 0; f < cols; f++) colsData[f * m + j] = data[o + f];
    }
    const thresholds: Float64Array[] = [];
    const distinct = new Float64Array(m);
    for (let f = 0; f < cols; f++) {
      const col = colsData.subarray(f * m, (f + 1) * m);
      col.sort();
      // distinct values
      let nd = 0;
      for (let j = 0; j < m; j++) if (j === 0 || col[j] !== col[j - 1]) distinct[nd++] = col[j];
      let t: number[];
      if (nd <= maxBins) {
        t = [];
        for (let j = 0; j + 1 < nd; j++) t.push((distinct[j] + distinct[j + 1]) / 2);
      } else {
        // numpy percentile, method 'midpoint': mean of the two order statistics around (m - 1) p / 100
        t = [];
        for (let q = 1; q < maxBins; q++) {
          const pos = ((m - 1) * q) / maxBins;
          const lo = Math.floor(pos);
          const hi = Math.ceil(pos);
          const v = (col[lo] + col[hi]) / 2;
          if (t.length === 0 || v > t[t.length - 1]) t.push(v);
        }
      }
      thresholds.push(Float64Array.from(t));
    }
    return new BinMapper(thresholds, maxBins);
  }

  /** Bin a matrix: column-major Uint8Array [cols][rows]. */
  transform(x: Matrix): Uint8Array {
    if (x.cols !== this.nFeatures) throw new Error(`BinMapper.transform: ${x.cols} features, the mapper was fitted on ${this.nFeatures}`);
    const { rows, cols, data } = x;
    const out = new Uint8Array(rows * cols);
    // row by row (sequential reads); each feature's thresholds searched by bisection
    const ts = this.thresholds;
    for (let i = 0; i < rows; i++) {
      const ro = i * cols;
      for (let f = 0; f < cols; f++) {
        const t = ts[f];
        const v = data[ro + f];
        // number of thresholds strictly below v
        let lo = 0;
        let hi = t.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (v <= t[mid]) hi = mid;
          else lo = mid + 1;
        }
        out[f * rows + i] = lo;
      }
    }
    return out;
  }

  toJSON(): BinMapperJSON {
    return { maxBins: this.maxBins, thresholds: this.thresholds.map((t) => Array.from(t)) };
  }

  static fromJSON(j: BinMapperJSON): BinMapper {
    if (!j || !Array.isArray(j.thresholds) || typeof j.maxBins !== 'number') {
      throw new Error('BinMapper.fromJSON: fields maxBins and thresholds are required');
    }
    return new BinMapper(j.thresholds.map((t) => Float64Array.from(t)), j.maxBins);
  }
}

/** Weight per class: 'balanced' gives n / (nClasses * count_k) (scikit-learn's compute_class_weight). */
export type ClassWeight = null | 'balanced' | number[];

export function classWeights(y: ArrayLike<number>, nClasses: number, cw: ClassWeight, what: string): Float64Array {
  const w = new Float64Array(nClasses).fill(1);
  if (cw === null) return w;
  if (cw === 'balanced') {
    const count = new Float64Array(nClasses);
    for (let i = 0; i < y.length; i++) count[y[i]]++;
    for (let k = 0; k < nClasses; k++) w[k] = count[k] > 0 ? y.length / (nClasses * count[k]) : 0;
    return w;
  }
  if (!Array.isArray(cw) || cw.length !== nClasses || cw.some((v) => !(v >= 0) || !Number.isFinite(v))) {
    throw new Error(`${what}: classWeight must be null, 'balanced' or ${nClasses} non-negative numbers, got ${JSON.stringify(cw)}`);
  }
  for (let k = 0; k < nClasses; k++) w[k] = cw[k];
  return w;
}
