// MASS (De Santis et al. 2017), paper section 2.2, Figures 1-2 panels A-F: first differences of B_N, B_E, B_C over
// the sampling interval, a least-squares cubic spline removed, FFT amplitude of the residual, and moving 7-deg
// latitude windows (shift 1/5) anomalous when their rms exceeds kt times the track's rms.
import { MASS_PARAMS, MassParams } from './params';
import { fitLsqSpline, uniformInteriorKnots } from './spline';
import { amplitudeSpectrum, AmplitudeSpectrum } from './fft';

export const COMPONENTS = ['X', 'Y', 'Z'] as const;
export type Component = (typeof COMPONENTS)[number];
/** The paper's X, Y, Z are Swarm's B_N, B_E, B_C. */
export const COMPONENT_COLUMN: Record<Component, 'B_N' | 'B_E' | 'B_C'> = { X: 'B_N', Y: 'B_E', Z: 'B_C' };

export interface MassInput {
  /** Unix ms, increasing. */
  Timestamp: ArrayLike<number>;
  Latitude: ArrayLike<number>;
  Longitude: ArrayLike<number>;
  B_N: ArrayLike<number>;
  B_E: ArrayLike<number>;
  B_C: ArrayLike<number>;
  /** 0 = usable (optional). */
  Flags_B?: ArrayLike<number>;
}

export interface MassWindow {
  startLat: number;
  endLat: number;
  /** Mean position of the window's samples. */
  centreLat: number;
  centreLon: number;
  n: number;
  rms: Record<Component, number>;
  anomalous: Record<Component, boolean>;
}

export interface MassResult {
  /** Derivative samples: midpoint time (s since the first record), latitude, longitude. */
  timeS: Float64Array;
  latitude: Float64Array;
  longitude: Float64Array;
  /** First differences / dt (nT/s). */
  derivative: Record<Component, Float64Array>;
  /** The fitted cubic spline (nT/s). */
  spline: Record<Component, Float64Array>;
  /** derivative - spline (nT/s): what is analysed and plotted (panels D-F). */
  residual: Record<Component, Float64Array>;
  /** One-sided amplitude spectrum of each residual (panels A-C). */
  spectrum: Record<Component, AmplitudeSpectrum>;
  /** Sampling interval used for the spectrum (median step, s) and the number of longer steps (gaps). */
  dtS: number;
  gaps: number;
  trackRms: Record<Component, number>;
  windows: MassWindow[];
  /** Per derivative sample: inside at least one anomalous window of that component. */
  flagged: Record<Component, Uint8Array>;
  nFlagged: Record<Component, number>;
  /** Derivative samples analysed. */
  n: number;
  /** Any anomalous window in any component. */
  anomalous: boolean;
  params: MassParams;
}

const rec = <T>(f: (c: Component) => T): Record<Component, T> => ({ X: f('X'), Y: f('Y'), Z: f('Z') });

/** Run MASS on one track (already restricted to the analysed latitudes). */
export function runMass(input: MassInput, params: MassParams = MASS_PARAMS): MassResult {
  const n0 = input.Timestamp.length;
  for (const k of ['Latitude', 'Longitude', 'B_N', 'B_E', 'B_C'] as const) {
    if (input[k].length !== n0) throw new Error(`MASS: column ${k} has ${input[k].length} values, Timestamp has ${n0}`);
  }
  // usable records
  const keep: number[] = [];
  for (let i = 0; i < n0; i++) {
    if (input.Flags_B && input.Flags_B[i] !== 0) continue;
    if (!Number.isFinite(input.B_N[i]) || !Number.isFinite(input.B_E[i]) || !Number.isFinite(input.B_C[i])) continue;
    if (!Number.isFinite(input.Timestamp[i]) || !Number.isFinite(input.Latitude[i])) {
      throw new Error(`MASS: non-finite Timestamp/Latitude at record ${i}`);
    }
    if (keep.length && !(input.Timestamp[i] > input.Timestamp[keep[keep.length - 1]])) throw new Error(`MASS: Timestamp not increasing at record ${i}`);
    keep.push(i);
  }
  const t0 = keep.length ? input.Timestamp[keep[0]] : 0;
  const steps: number[] = [];
  const tS: number[] = [], la: number[] = [], lo: number[] = [];
  const der = rec(() => [] as number[]);
  let gaps = 0;
  for (let j = 1; j < keep.length; j++) {
    const a = keep[j - 1], b = keep[j];
    const dt = (input.Timestamp[b] - input.Timestamp[a]) / 1000;
    if (dt > params.maxDiffStepS) {
      gaps++;
      continue;
    }
    steps.push(dt);
    tS.push((input.Timestamp[a] + input.Timestamp[b]) / 2000 - t0 / 1000);
    la.push((input.Latitude[a] + input.Latitude[b]) / 2);
    let dl = input.Longitude[b] - input.Longitude[a];
    if (dl > 180) dl -= 360;
    if (dl < -180) dl += 360;
    let ml = input.Longitude[a] + dl / 2;
    if (ml >= 180) ml -= 360;
    if (ml < -180) ml += 360;
    lo.push(ml);
    for (const c of COMPONENTS) {
      const col = input[COMPONENT_COLUMN[c]];
      der[c].push((col[b] - col[a]) / dt);
    }
  }
  const n = tS.length;
  const knotsNeeded = 4 + Math.max(0, Math.round((tS[n - 1] - tS[0]) / params.splineKnotSpacingS) - 1);
  if (n < Math.max(2 * knotsNeeded, 20)) {
    throw new Error(`MASS: only ${n} usable first differences on this track (need at least ${Math.max(2 * knotsNeeded, 20)})`);
  }
  const timeS = Float64Array.from(tS), latitude = Float64Array.from(la), longitude = Float64Array.from(lo);
  const inner = uniformInteriorKnots(timeS[0], timeS[n - 1], params.splineKnotSpacingS);
  const derivative = rec((c) => Float64Array.from(der[c]));
  const spline = rec((c) => fitLsqSpline(timeS, derivative[c], inner, 3).evaluate(timeS));
  const residual = rec((c) => derivative[c].map((v, i) => v - spline[c][i]));
  steps.sort((a, b) => a - b);
  const dtS = steps[steps.length >> 1];
  const spectrum = rec((c) => amplitudeSpectrum(residual[c], dtS));
  const trackRms = rec((c) => Math.sqrt(residual[c].reduce((s, v) => s + v * v, 0) / n));
  // moving latitude windows
  let latMin = Infinity, latMax = -Infinity;
  for (let i = 0; i < n; i++) {
    latMin = Math.min(latMin, latitude[i]);
    latMax = Math.max(latMax, latitude[i]);
  }
  const perDeg = n / Math.max(1e-9, latMax - latMin);
  const shift = params.windowDeg * params.windowShiftFraction;
  const windows: MassWindow[] = [];
  const flagged = rec(() => new Uint8Array(n));
  for (let s = latMin; s + params.windowDeg <= latMax + 1e-9; s += shift) {
    const e = s + params.windowDeg;
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (latitude[i] >= s && latitude[i] < e) idx.push(i);
    if (idx.length < params.minWindowFill * params.windowDeg * perDeg || idx.length < 2) continue;
    let cl = 0, sx = 0, sy = 0;
    for (const i of idx) {
      cl += latitude[i];
      sx += Math.cos((longitude[i] * Math.PI) / 180);
      sy += Math.sin((longitude[i] * Math.PI) / 180);
    }
    const rms = rec((c) => Math.sqrt(idx.reduce((acc, i) => acc + residual[c][i] ** 2, 0) / idx.length));
    const anomalous = rec((c) => rms[c] > params.kt * trackRms[c] && rms[c] > params.minWindowRms);
    for (const c of COMPONENTS) if (anomalous[c]) for (const i of idx) flagged[c][i] = 1;
    windows.push({ startLat: s, endLat: e, centreLat: cl / idx.length, centreLon: (Math.atan2(sy, sx) * 180) / Math.PI, n: idx.length, rms, anomalous });
  }
  const nFlagged = rec((c) => flagged[c].reduce((s, v) => s + v, 0));
  const anomalous = windows.some((w) => w.anomalous.X || w.anomalous.Y || w.anomalous.Z);
  return { timeS, latitude, longitude, derivative, spline, residual, spectrum, dtS, gaps, trackRms, windows, flagged, nFlagged, n, anomalous, params };
}
