// Nuisance features of each window for the shortcut audit (issue 10): where and when the window was taken
// (position, dipole magnetic latitude, local time, season, Kp) and simple statistics of its input channels
// (mean, noise level). None of them carries a precursor; a classifier that scores on them shows a shortcut in the
// dataset construction (paper sections 2.3, 3.1). Feature matrices are row-major Float64Array [N, d].
import { coefficientsAt, decimalYear, dipoleAxis, igrf13 } from '../simulation/mainfield';
import { WindowMeta } from '../datasets/windows';
import { FeatureGroup } from './params';

const D2R = Math.PI / 180;

/** Dipole magnetic latitude (deg) from IGRF-13's degree-1 terms at the time. */
export function magneticLatitude(latDeg: number, lonDeg: number, tMs: number): number {
  const a = dipoleAxis(coefficientsAt(igrf13(), decimalYear(tMs)));
  const cl = Math.cos(latDeg * D2R);
  const x = cl * Math.cos(lonDeg * D2R), y = cl * Math.sin(lonDeg * D2R), z = Math.sin(latDeg * D2R);
  return Math.asin(Math.max(-1, Math.min(1, x * a[0] + y * a[1] + z * a[2]))) / D2R;
}

/** Day of year (fractional, 0-based) of a UTC time. */
export function dayOfYear(tMs: number): number {
  const d = new Date(tMs);
  return (tMs - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000;
}

export interface FeatureMatrix {
  names: string[];
  d: number;
  n: number;
  values: Float64Array;
}

/** Per-window magnetic latitude (deg). */
export function windowMagneticLatitudes(meta: WindowMeta): Float64Array {
  return Float64Array.from(meta.latitude, (lat, w) => magneticLatitude(lat, meta.longitude[w], meta.startTime[w]));
}

/**
 * Nuisance features of a feature group for windows `rows` of a dataset (X laid out windows x T x F, the
 * dataset's input channels). 'all' concatenates every group.
 */
export function nuisanceFeatures(
  group: FeatureGroup, meta: WindowMeta, X: Float32Array, T: number, channels: string[], rows: ArrayLike<number>, magLat?: Float64Array,
): FeatureMatrix {
  const F = channels.length;
  const cols: { name: string; f: (w: number) => number }[] = [];
  const add = (g: FeatureGroup) => {
    if (g === 'position') {
      cols.push({ name: 'latitude', f: (w) => meta.latitude[w] });
      cols.push({ name: 'magnetic latitude', f: (w) => (magLat ? magLat[w] : magneticLatitude(meta.latitude[w], meta.longitude[w], meta.startTime[w])) });
      cols.push({ name: 'sin longitude', f: (w) => Math.sin(meta.longitude[w] * D2R) });
      cols.push({ name: 'cos longitude', f: (w) => Math.cos(meta.longitude[w] * D2R) });
    } else if (g === 'localTime') {
      cols.push({ name: 'sin local time', f: (w) => Math.sin((meta.localTime[w] / 24) * 2 * Math.PI) });
      cols.push({ name: 'cos local time', f: (w) => Math.cos((meta.localTime[w] / 24) * 2 * Math.PI) });
    } else if (g === 'season') {
      cols.push({ name: 'sin day of year', f: (w) => Math.sin((dayOfYear(meta.startTime[w]) / 365.25) * 2 * Math.PI) });
      cols.push({ name: 'cos day of year', f: (w) => Math.cos((dayOfYear(meta.startTime[w]) / 365.25) * 2 * Math.PI) });
    } else if (g === 'kp') {
      cols.push({ name: 'Kp', f: (w) => meta.kp[w] });
    } else if (g === 'means') {
      for (let c = 0; c < F; c++) {
        cols.push({ name: `mean ${channels[c]}`, f: (w) => {
          let s = 0;
          for (let j = 0; j < T; j++) s += X[(w * T + j) * F + c];
          return s / T;
        } });
      }
    } else if (g === 'noise') {
      for (let c = 0; c < F; c++) {
        cols.push({ name: `rms 2nd difference ${channels[c]}`, f: (w) => {
          let s = 0;
          for (let j = 2; j < T; j++) {
            const d2 = X[(w * T + j) * F + c] - 2 * X[(w * T + j - 1) * F + c] + X[(w * T + j - 2) * F + c];
            s += d2 * d2;
          }
          return Math.sqrt(s / Math.max(1, T - 2));
        } });
      }
    } else {
      for (const h of ['position', 'localTime', 'season', 'kp', 'means', 'noise'] as FeatureGroup[]) add(h);
    }
  };
  add(group);
  const n = rows.length, d = cols.length;
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) values[i * d + k] = cols[k].f(rows[i]);
  return { names: cols.map((c) => c.name), d, n, values };
}

/** Relative spread below which a feature column counts as constant (float32 rounding is ~6e-8 relative). */
export const CONSTANT_SD = 1e-5;

/** Standardise train and test columns with the training rows' mean and (population) standard deviation. */
export function standardise(train: FeatureMatrix, test: FeatureMatrix): void {
  const d = train.d;
  for (let k = 0; k < d; k++) {
    let m = 0;
    for (let i = 0; i < train.n; i++) m += train.values[i * d + k];
    m /= Math.max(1, train.n);
    let v = 0;
    for (let i = 0; i < train.n; i++) v += (train.values[i * d + k] - m) ** 2;
    const sd = Math.sqrt(v / Math.max(1, train.n));
    // a column constant up to float32 rounding (e.g. the mean of a detrended channel) carries nothing: zero it
    // rather than blow its rounding noise up to unit variance
    const constant = !(sd > CONSTANT_SD * Math.max(1, Math.abs(m)));
    for (const fm of [train, test]) for (let i = 0; i < fm.n; i++) fm.values[i * d + k] = constant ? 0 : (fm.values[i * d + k] - m) / sd;
  }
}
