// NeLOG (De Santis et al. 2019), paper section 2.2 and Figures 1-2 panel G: log10 of the electron density along
// the track, a degree-10 polynomial fitted against latitude (Chebyshev basis, QR), and samples deviating from
// the fit by more than k times the fit's residual rms flagged as potential anomalies.
import { NELOG_PARAMS, NelogParams } from './params';
import { chebyshevFit } from './polyfit';

export interface NelogInput {
  Latitude: ArrayLike<number>;
  Longitude?: ArrayLike<number>;
  Timestamp?: ArrayLike<number>;
  /** cm^-3; NaN or <= 0 are skipped. */
  Ne: ArrayLike<number>;
  /** 0 = usable (optional). */
  Flags_Ne?: ArrayLike<number>;
}

export interface NelogResult {
  /** Index (into the input) of each analysed sample. */
  index: Int32Array;
  latitude: Float64Array;
  logNe: Float64Array;
  fit: Float64Array;
  residual: Float64Array;
  /** rms of the residual (log10 units). */
  rms: number;
  /** Threshold used: max(k * rms, minDeviation). */
  threshold: number;
  flagged: Uint8Array;
  nFlagged: number;
  n: number;
  /** Samples skipped (missing, non-positive or flagged Ne). */
  skipped: number;
  coef: Float64Array;
  params: NelogParams;
}

export function runNelog(input: NelogInput, params: NelogParams = NELOG_PARAMS): NelogResult {
  const n0 = input.Latitude.length;
  if (input.Ne.length !== n0) throw new Error(`NeLOG: Ne has ${input.Ne.length} values, Latitude has ${n0}`);
  const idx: number[] = [];
  for (let i = 0; i < n0; i++) {
    if (input.Flags_Ne && input.Flags_Ne[i] !== 0) continue;
    const v = input.Ne[i];
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (!Number.isFinite(input.Latitude[i])) throw new Error(`NeLOG: non-finite Latitude at record ${i}`);
    idx.push(i);
  }
  const n = idx.length;
  if (n < 3 * (params.degree + 1)) throw new Error(`NeLOG: only ${n} usable Ne samples on this track (need ${3 * (params.degree + 1)} for a degree-${params.degree} fit)`);
  const latitude = Float64Array.from(idx, (i) => input.Latitude[i]);
  const logNe = Float64Array.from(idx, (i) => Math.log10(input.Ne[i]));
  const f = chebyshevFit(latitude, logNe, params.degree);
  const fit = f.evaluate(latitude);
  const residual = logNe.map((v, i) => v - fit[i]);
  const rms = Math.sqrt(residual.reduce((s, v) => s + v * v, 0) / n);
  const threshold = Math.max(params.k * rms, params.minDeviation);
  const flagged = Uint8Array.from(residual, (r) => (Math.abs(r) > threshold ? 1 : 0));
  const nFlagged = flagged.reduce((s, v) => s + v, 0);
  return { index: Int32Array.from(idx), latitude, logNe, fit, residual, rms, threshold, flagged, nFlagged, n, skipped: n0 - n, coef: f.coef, params };
}
