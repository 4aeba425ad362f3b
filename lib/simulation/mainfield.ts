// Main geomagnetic field for the Swarm A simulator (the B_NEC of paper section 2.3): IGRF-13 spherical-harmonic
// synthesis (degree 13, coefficients shipped in data/mainfield with provenance), geocentric North-East-Centre
// components, and a cheap along-track evaluation (coarse grid + cubic interpolation in Earth-fixed components).
import * as fs from 'fs';
import { paths } from '../core/paths';
import { Orbit, positionsAt, Track } from './orbit';

const DEG = Math.PI / 180;
/** Reference radius of IGRF and WMM (km). */
export const REFERENCE_RADIUS_KM = 6371.2;

/** Gauss coefficients of a spherical-harmonic model, index i = n(n+1)/2 + m (n >= 1), nT. */
export interface Coefficients {
  nmax: number;
  g: Float64Array;
  h: Float64Array;
}

/** A time-dependent model: snapshots at epochs (decimal years), linear between, secular variation after the last. */
export interface MainFieldModel {
  name: string;
  source: string;
  nmax: number;
  epochs: number[];
  snapshots: Coefficients[];
  /** Secular variation (nT/yr) valid after the last epoch. */
  sv: Coefficients;
  /** Last decimal year the model is valid for. */
  validUntil: number;
}

export const coefIndex = (n: number, m: number) => (n * (n + 1)) / 2 + m;
const nCoef = (nmax: number) => coefIndex(nmax, nmax) + 1;

function emptyCoefficients(nmax: number): Coefficients {
  return { nmax, g: new Float64Array(nCoef(nmax)), h: new Float64Array(nCoef(nmax)) };
}

/**
 * Read an IAGA IGRF coefficient table ('g/h n m <epochs...> SV' header, then one row per coefficient);
 * lines starting with '#' are comments. Errors name the file and line.
 */
export function readIgrfTable(file: string = paths.igrf13): MainFieldModel {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  let epochs: number[] | null = null;
  let nmax = 0;
  const rows: { gh: string; n: number; m: number; vals: number[]; line: number }[] = [];
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(/\s+/);
    if (f[0] === 'g/h') {
      epochs = f.slice(3, -1).map((s) => Number(s));
      if (epochs.length === 0 || epochs.some((e) => !Number.isFinite(e)) || !/^SV/.test(f[f.length - 1])) {
        throw new Error(`${file}:${li + 1}: header must be 'g/h n m <epoch>... SV', got '${line}'`);
      }
      continue;
    }
    if (!epochs) throw new Error(`${file}:${li + 1}: coefficient row before the 'g/h n m ...' header`);
    if ((f[0] !== 'g' && f[0] !== 'h') || f.length !== 3 + epochs.length + 1) {
      throw new Error(`${file}:${li + 1}: expected 'g|h n m' and ${epochs.length + 1} values, got '${line}'`);
    }
    const n = Number(f[1]);
    const m = Number(f[2]);
    const vals = f.slice(3).map(Number);
    if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 0 || m > n || vals.some((v) => !Number.isFinite(v))) {
      throw new Error(`${file}:${li + 1}: bad degree/order or value in '${line}'`);
    }
    if (f[0] === 'h' && m === 0) throw new Error(`${file}:${li + 1}: h with m = 0`);
    nmax = Math.max(nmax, n);
    rows.push({ gh: f[0], n, m, vals, line: li + 1 });
  }
  if (!epochs) throw new Error(`${file}: no 'g/h n m ...' header found`);
  const snapshots = epochs.map(() => emptyCoefficients(nmax));
  const sv = emptyCoefficients(nmax);
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.gh}${r.n},${r.m}`;
    if (seen.has(key)) throw new Error(`${file}:${r.line}: coefficient ${key} repeated`);
    seen.add(key);
    const i = coefIndex(r.n, r.m);
    for (let e = 0; e < epochs.length; e++) (r.gh === 'g' ? snapshots[e].g : snapshots[e].h)[i] = r.vals[e];
    (r.gh === 'g' ? sv.g : sv.h)[i] = r.vals[epochs.length];
  }
  const expected = nmax * (nmax + 2);
  if (seen.size !== expected) throw new Error(`${file}: ${seen.size} coefficients, expected ${expected} for degree ${nmax}`);
  return {
    name: 'IGRF-13',
    source: file,
    nmax,
    epochs,
    snapshots,
    sv,
    validUntil: epochs[epochs.length - 1] + 5,
  };
}

let yearCache = { y: 0, a: 0, b: -1 };
/** Decimal year of a Unix-ms time (fraction of the calendar year elapsed). */
export function decimalYear(tMs: number): number {
  let c = yearCache;
  if (!(tMs >= c.a && tMs < c.b)) {
    const y = new Date(tMs).getUTCFullYear();
    c = yearCache = { y, a: Date.UTC(y, 0, 1), b: Date.UTC(y + 1, 0, 1) };
  }
  return c.y + (tMs - c.a) / (c.b - c.a);
}

/** Coefficients at a decimal year (into `out` when given). Throws outside the model's validity. */
export function coefficientsAt(model: MainFieldModel, year: number, out?: Coefficients): Coefficients {
  const c = out ?? emptyCoefficients(model.nmax);
  const E = model.epochs;
  if (!(year >= E[0] && year <= model.validUntil)) {
    throw new RangeError(`${model.name}: year ${year.toFixed(3)} outside ${E[0]}..${model.validUntil}`);
  }
  const last = E.length - 1;
  if (year >= E[last]) {
    const dt = year - E[last];
    const s = model.snapshots[last];
    for (let i = 0; i < c.g.length; i++) {
      c.g[i] = s.g[i] + dt * model.sv.g[i];
      c.h[i] = s.h[i] + dt * model.sv.h[i];
    }
    return c;
  }
  let k = 0;
  while (year >= E[k + 1]) k++;
  const f = (year - E[k]) / (E[k + 1] - E[k]);
  const a = model.snapshots[k], b = model.snapshots[k + 1];
  for (let i = 0; i < c.g.length; i++) {
    c.g[i] = a.g[i] + f * (b.g[i] - a.g[i]);
    c.h[i] = a.h[i] + f * (b.h[i] - a.h[i]);
  }
  return c;
}

/** Scratch arrays for the synthesis (one per thread of work; avoids allocation per point). */
export class Synth {
  readonly nmax: number;
  private P: Float64Array;
  private dP: Float64Array;
  private cm: Float64Array;
  private sm: Float64Array;
  private rn: Float64Array;
  private sq: Float64Array;
  constructor(nmax: number) {
    this.nmax = nmax;
    this.P = new Float64Array(nCoef(nmax));
    this.dP = new Float64Array(nCoef(nmax));
    this.cm = new Float64Array(nmax + 1);
    this.sm = new Float64Array(nmax + 1);
    this.rn = new Float64Array(nmax + 1);
    // sq[k] = sqrt(k) for the recursions
    this.sq = new Float64Array(2 * nmax * nmax + 4);
    for (let k = 0; k < this.sq.length; k++) this.sq[k] = Math.sqrt(k);
  }

  /**
   * Geocentric spherical components (B_r, B_theta, B_phi), nT, at radius r (km), colatitude theta and
   * longitude phi (radians), into out[0..2]. Schmidt semi-normalised Legendre functions by recursion.
   */
  spherical(c: Coefficients, rKm: number, theta: number, phi: number, out: Float64Array | number[], nmaxUse = this.nmax): void {
    const nmax = Math.min(nmaxUse, c.nmax, this.nmax);
    const P = this.P, dP = this.dP, cm = this.cm, sm = this.sm, rn = this.rn, sq = this.sq;
    const ct = Math.cos(theta);
    let st = Math.sin(theta);
    if (st < 1e-10) st = 1e-10;
    // P(0,0)
    P[0] = 1;
    dP[0] = 0;
    for (let n = 1; n <= nmax; n++) {
      const base = coefIndex(n, 0);
      const prev = coefIndex(n - 1, 0);
      const prev2 = n >= 2 ? coefIndex(n - 2, 0) : 0;
      for (let m = 0; m <= n; m++) {
        const i = base + m;
        if (m === n) {
          const j = prev + (n - 1);
          if (n === 1) {
            P[i] = st;
            dP[i] = ct;
          } else {
            const f = Math.sqrt((2 * n - 1) / (2 * n));
            P[i] = f * st * P[j];
            dP[i] = f * (st * dP[j] + ct * P[j]);
          }
        } else {
          const j = prev + m;
          const a = 2 * n - 1;
          const d = sq[n * n - m * m];
          if (n - 2 >= m) {
            const k = prev2 + m;
            const b = sq[(n - 1) * (n - 1) - m * m];
            P[i] = (a * ct * P[j] - b * P[k]) / d;
            dP[i] = (a * (ct * dP[j] - st * P[j]) - b * dP[k]) / d;
          } else {
            P[i] = (a * ct * P[j]) / d;
            dP[i] = (a * (ct * dP[j] - st * P[j])) / d;
          }
        }
      }
    }
    const cp = Math.cos(phi), sp = Math.sin(phi);
    cm[0] = 1;
    sm[0] = 0;
    for (let m = 1; m <= nmax; m++) {
      cm[m] = cm[m - 1] * cp - sm[m - 1] * sp;
      sm[m] = sm[m - 1] * cp + cm[m - 1] * sp;
    }
    const ar = REFERENCE_RADIUS_KM / rKm;
    rn[0] = ar * ar;
    for (let n = 1; n <= nmax; n++) rn[n] = rn[n - 1] * ar; // (a/r)^(n+2)
    let br = 0, bt = 0, bp = 0;
    const g = c.g, h = c.h;
    for (let n = 1; n <= nmax; n++) {
      const base = coefIndex(n, 0);
      let sr = 0, stt = 0, spp = 0;
      for (let m = 0; m <= n; m++) {
        const i = base + m;
        const gc = g[i] * cm[m] + h[i] * sm[m];
        sr += gc * P[i];
        stt += gc * dP[i];
        spp += m * (g[i] * sm[m] - h[i] * cm[m]) * P[i];
      }
      br += (n + 1) * rn[n] * sr;
      bt -= rn[n] * stt;
      bp += rn[n] * spp;
    }
    out[0] = br;
    out[1] = bt;
    out[2] = bp / st;
  }

  /** Geocentric North-East-Centre components (nT) at geocentric latitude/longitude (deg) and radius (km). */
  nec(c: Coefficients, rKm: number, latDeg: number, lonDeg: number, out: Float64Array | number[]): void {
    this.spherical(c, rKm, (90 - latDeg) * DEG, lonDeg * DEG, out);
    const br = out[0], bt = out[1], bp = out[2];
    out[0] = -bt;
    out[1] = bp;
    out[2] = -br;
  }
}

/** WGS84 ellipsoid. */
const WGS84_A = 6378.137;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);

/** Geodetic latitude (deg) and height above the WGS84 ellipsoid (km) -> geocentric latitude (deg), radius (km). */
export function geodeticToGeocentric(latDeg: number, heightKm: number): { latDeg: number; rKm: number } {
  const phi = latDeg * DEG;
  const s = Math.sin(phi), c = Math.cos(phi);
  const N = WGS84_A / Math.sqrt(1 - WGS84_E2 * s * s);
  const p = (N + heightKm) * c;
  const z = (N * (1 - WGS84_E2) + heightKm) * s;
  return { latDeg: Math.atan2(z, p) / DEG, rKm: Math.hypot(p, z) };
}

/**
 * Field in the geodetic frame (X north, Y east, Z down; nT) at a geodetic position, as the WMM and IGRF
 * calculators report it: synthesis at the geocentric position, then rotation by the latitude difference.
 */
export function fieldGeodetic(c: Coefficients, latDeg: number, lonDeg: number, heightKm: number, synth = new Synth(c.nmax)): { X: number; Y: number; Z: number } {
  const gc = geocentricOf(latDeg, heightKm);
  const o = [0, 0, 0];
  synth.nec(c, gc.rKm, gc.latDeg, lonDeg, o);
  const psi = (latDeg - gc.latDeg) * DEG;
  return { X: o[0] * Math.cos(psi) + o[2] * Math.sin(psi), Y: o[1], Z: -o[0] * Math.sin(psi) + o[2] * Math.cos(psi) };
}
const geocentricOf = geodeticToGeocentric;

/** Read a WMM coefficient set as the npm package `geomagnetism` ships it (JSON arrays indexed n(n+1)/2+m). */
export function wmmFromGeomagnetismJson(json: {
  main_field_coeff_g: number[]; main_field_coeff_h: number[]; secular_var_coeff_g: number[]; secular_var_coeff_h: number[];
  n_max: number; epoch: number; name?: string;
}): MainFieldModel {
  const nmax = json.n_max;
  const snap = emptyCoefficients(nmax);
  const sv = emptyCoefficients(nmax);
  for (let i = 0; i < nCoef(nmax); i++) {
    snap.g[i] = json.main_field_coeff_g[i] ?? 0;
    snap.h[i] = json.main_field_coeff_h[i] ?? 0;
    sv.g[i] = json.secular_var_coeff_g[i] ?? 0;
    sv.h[i] = json.secular_var_coeff_h[i] ?? 0;
  }
  snap.g[0] = snap.h[0] = sv.g[0] = sv.h[0] = 0;
  return { name: json.name ?? 'WMM', source: 'npm geomagnetism', nmax, epochs: [json.epoch], snapshots: [snap], sv, validUntil: json.epoch + 5 };
}

/** Unit vector (Earth-fixed) towards the geomagnetic north pole of the centred dipole: -(g11, h11, g10)/|.|. */
export function dipoleAxis(c: Coefficients): [number, number, number] {
  const g10 = c.g[coefIndex(1, 0)], g11 = c.g[coefIndex(1, 1)], h11 = c.h[coefIndex(1, 1)];
  const b = Math.hypot(g10, g11, h11);
  return [-g11 / b, -h11 / b, -g10 / b];
}

/** NEC unit vectors from an Earth-fixed unit position: returns the 3x3 rows N, E, C (row-major, 9 numbers). */
export function necBasis(x: number, y: number, z: number, out: Float64Array | number[]): void {
  const cphi = Math.sqrt(x * x + y * y);
  let cl = 1, sl = 0;
  if (cphi > 1e-12) {
    cl = x / cphi;
    sl = y / cphi;
  }
  const sphi = z;
  out[0] = -sphi * cl; out[1] = -sphi * sl; out[2] = cphi; // N
  out[3] = -sl; out[4] = cl; out[5] = 0; // E
  out[6] = -cphi * cl; out[7] = -cphi * sl; out[8] = -sphi; // C
}

/** Exact main field (ECEF x, y, z components, nT) at each point of a track, coefficients updated per point. */
export function mainFieldEcef(model: MainFieldModel, tr: Track, nmax = model.nmax): Float64Array {
  const n = tr.Timestamp.length;
  const out = new Float64Array(3 * n);
  const synth = new Synth(model.nmax);
  const coef = emptyCoefficients(model.nmax);
  const o = [0, 0, 0];
  const B = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    coefficientsAt(model, decimalYear(tr.Timestamp[k]), coef);
    const x = tr.unit[3 * k], y = tr.unit[3 * k + 1], z = tr.unit[3 * k + 2];
    synth.spherical(coef, tr.Radius[k] / 1000, Math.acos(Math.max(-1, Math.min(1, z))), Math.atan2(y, x), o, nmax);
    const bn = -o[1], be = o[2], bc = -o[0];
    necBasis(x, y, z, B);
    out[3 * k] = bn * B[0] + be * B[3] + bc * B[6];
    out[3 * k + 1] = bn * B[1] + be * B[4] + bc * B[7];
    out[3 * k + 2] = bn * B[2] + be * B[5] + bc * B[8];
  }
  return out;
}

/** Rotate Earth-fixed vectors (interleaved x, y, z) into N, E, C at each track point. */
export function ecefToNec(tr: Track, v: Float64Array, N: Float64Array, E: Float64Array, C: Float64Array): void {
  const B = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < tr.Timestamp.length; k++) {
    necBasis(tr.unit[3 * k], tr.unit[3 * k + 1], tr.unit[3 * k + 2], B);
    const bx = v[3 * k], by = v[3 * k + 1], bz = v[3 * k + 2];
    N[k] = B[0] * bx + B[1] * by + B[2] * bz;
    E[k] = B[3] * bx + B[4] * by + B[5] * bz;
    C[k] = B[6] * bx + B[7] * by + B[8] * bz;
  }
}

/**
 * Main field along a track sampled on a uniform time grid: the model is evaluated exactly every `gridStepS`
 * seconds (positions from the orbit, one node before and two after the samples) and each Earth-fixed component
 * is interpolated with 4-point Lagrange (cubic) weights; returns interleaved ECEF components.
 * Earth-fixed components are smooth along track even over the poles, where N and E turn quickly.
 */
export function mainFieldAlongTrack(model: MainFieldModel, orbit: Orbit, tr: Track, gridStepS: number, nmax = model.nmax): Float64Array {
  const n = tr.Timestamp.length;
  const out = new Float64Array(3 * n);
  if (n === 0) return out;
  const t0 = tr.Timestamp[0];
  const stepMs = gridStepS * 1000;
  const span = tr.Timestamp[n - 1] - t0;
  const K = Math.floor(span / stepMs) + 4;
  const nodeTimes = new Float64Array(K);
  for (let k = 0; k < K; k++) nodeTimes[k] = t0 + (k - 1) * stepMs;
  const nodes = mainFieldEcef(model, positionsAt(orbit, nodeTimes), nmax);
  for (let s = 0; s < n; s++) {
    const u = (tr.Timestamp[s] - t0) / stepMs;
    let j = Math.floor(u);
    if (j > K - 3) j = K - 3;
    const f = u - j;
    // nodes j, j+1, j+2, j+3 sit at grid offsets -1, 0, 1, 2 around the interval [j, j+1]
    const w0 = (-f * (f - 1) * (f - 2)) / 6;
    const w1 = ((f + 1) * (f - 1) * (f - 2)) / 2;
    const w2 = (-(f + 1) * f * (f - 2)) / 2;
    const w3 = ((f + 1) * f * (f - 1)) / 6;
    const b = 3 * j;
    for (let c = 0; c < 3; c++) {
      out[3 * s + c] = w0 * nodes[b + c] + w1 * nodes[b + 3 + c] + w2 * nodes[b + 6 + c] + w3 * nodes[b + 9 + c];
    }
  }
  return out;
}

let cached: MainFieldModel | null = null;
/** The shipped IGRF-13 model (read once per process). */
export function igrf13(): MainFieldModel {
  if (!cached) cached = readIgrfTable(paths.igrf13);
  return cached;
}
