// Realism of the Swarm A simulator against real Swarm A (the embedded default standing in for the Swarm data of
// paper section 2.3): the shipped real samples (VirES MAG LR 1B at 10 s, 2016-01-01 00:28-00:59 UT, and the EEF
// product's 15 ascending equator crossings of that day) against the simulator on the same day and times:
// position separation, residual to IGRF-13 by magnetic latitude (median, 5-95 %), robust sigma of second
// differences at 10/20/40 s, 0.1-0.5 Hz band power (1 Hz data only), and the injected packets' signal-to-noise
// by latitude band. The tables and figures of notebook 02's "Realism against real Swarm A" section.
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../core/paths';
import { openCdf } from '../swarm/cdf/reader';
import { timeColumnToUnixMs } from '../swarm/cdf';
import { MagRecords, readMagCsv } from '../swarm/swarm-csv';
import { markSimulated, VegaLiteSpec } from '../figures/render';
import { coefficientsAt, decimalYear, dipoleAxis, ecefToNec, mainFieldEcef, MainFieldModel } from './mainfield';
import { ascendingCrossings, localSolarTime, makeOrbit, positionsAt, Track } from './orbit';
import { DEFAULT_SIMULATION_PARAMS, OrbitParams, withParams } from './params';
import { highPass } from './signal';
import { loadInputs, SimulatedDay, simulateDay } from './simulate';

const DEG = Math.PI / 180;

/** The shipped real samples the simulator is calibrated on (provenance: test/fixtures/swarm/LICENSE.* and data-manifest.json). */
export const REAL_SAMPLES = {
  /** VirES for Swarm, SW_OPER_MAGA_LR_1B, every 10 s, 2016-01-01 00:28:00-00:59:50 UT (storm peak, Kp 6-). */
  magCsv: path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv'),
  /** ESA SW_OPER_EEFATMS_2F of 2016-01-01: the 15 ascending (dayside) equator crossings of Swarm A that day. */
  eefCdf: path.join(paths.fixtures, 'swarm', 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf'),
  day: '2016-01-01',
};

/** Positions and B_NEC of a stretch of Swarm A (real or simulated), Radius in metres. */
export type MagSeries = Pick<MagRecords, 'Timestamp' | 'Latitude' | 'Longitude' | 'Radius' | 'B_N' | 'B_E' | 'B_C'>;

/** The shipped VirES MAG sample. */
export function readRealMagSample(file = REAL_SAMPLES.magCsv): MagSeries {
  const r = readMagCsv(file);
  return { Timestamp: r.Timestamp, Latitude: r.Latitude, Longitude: r.Longitude, Radius: r.Radius, B_N: r.B_N, B_E: r.B_E, B_C: r.B_C };
}

/** Ascending equator crossings (time Unix ms, geographic longitude deg) from an ESA EEFxTMS_2F file. */
export function readEefNodes(file = REAL_SAMPLES.eefCdf): { time: number[]; longitude: number[]; file: string } {
  const f = openCdf(file);
  const t = timeColumnToUnixMs(f.read('Timestamp'));
  const lon = f.read('Longitude').data as ArrayLike<number>;
  if (t.length !== lon.length || t.length === 0) throw new Error(`${file}: Timestamp and Longitude must have the same, non-zero, number of records`);
  const time: number[] = [], longitude: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]) || !(Math.abs(lon[i]) <= 180)) throw new Error(`${file}: record ${i}: bad Timestamp or Longitude`);
    if (i > 0 && !(t[i] > t[i - 1])) throw new Error(`${file}: record ${i}: Timestamp not increasing`);
    time.push(t[i]);
    longitude.push(lon[i]);
  }
  return { time, longitude, file };
}

/** A Track (with Earth-fixed unit vectors) from geocentric positions. */
export function trackFrom(s: { Timestamp: ArrayLike<number>; Latitude: ArrayLike<number>; Longitude: ArrayLike<number>; Radius: ArrayLike<number> }): Track {
  const n = s.Timestamp.length;
  const tr: Track = {
    Timestamp: Float64Array.from(s.Timestamp), Latitude: Float64Array.from(s.Latitude), Longitude: Float64Array.from(s.Longitude),
    Radius: Float64Array.from(s.Radius), unit: new Float64Array(3 * n),
  };
  for (let k = 0; k < n; k++) {
    const la = tr.Latitude[k] * DEG, lo = tr.Longitude[k] * DEG;
    tr.unit[3 * k] = Math.cos(la) * Math.cos(lo);
    tr.unit[3 * k + 1] = Math.cos(la) * Math.sin(lo);
    tr.unit[3 * k + 2] = Math.sin(la);
  }
  return tr;
}

/** Residual to the main-field model, with magnetic (centred-dipole) latitude and local time per sample. */
export interface Residual {
  Timestamp: Float64Array;
  dN: Float64Array;
  dE: Float64Array;
  dC: Float64Array;
  magLat: Float64Array;
  localTime: Float64Array;
  track: Track;
}

/** Centred-dipole magnetic latitude (deg) of Earth-fixed unit positions, dipole of the model at time t. */
export function magneticLatitudes(model: MainFieldModel, tr: Track): Float64Array {
  const out = new Float64Array(tr.Timestamp.length);
  if (out.length === 0) return out;
  const d = dipoleAxis(coefficientsAt(model, decimalYear(tr.Timestamp[Math.floor(out.length / 2)])));
  for (let k = 0; k < out.length; k++) {
    const s = tr.unit[3 * k] * d[0] + tr.unit[3 * k + 1] * d[1] + tr.unit[3 * k + 2] * d[2];
    out[k] = Math.asin(Math.max(-1, Math.min(1, s))) / DEG;
  }
  return out;
}

/** B_NEC minus the exact main field (degree maxDegree) at the series' own positions. */
export function residualToMainField(model: MainFieldModel, s: MagSeries, maxDegree = model.nmax): Residual {
  const tr = trackFrom(s);
  const n = tr.Timestamp.length;
  const ecef = mainFieldEcef(model, tr, maxDegree);
  const N = new Float64Array(n), E = new Float64Array(n), C = new Float64Array(n);
  ecefToNec(tr, ecef, N, E, C);
  const dN = new Float64Array(n), dE = new Float64Array(n), dC = new Float64Array(n), lt = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    dN[k] = s.B_N[k] - N[k];
    dE[k] = s.B_E[k] - E[k];
    dC[k] = s.B_C[k] - C[k];
    lt[k] = localSolarTime(tr.Timestamp[k], tr.Longitude[k]);
  }
  return { Timestamp: tr.Timestamp, dN, dE, dC, magLat: magneticLatitudes(model, tr), localTime: lt, track: tr };
}

/** The simulated day's samples at the given times (exact matches of the 1 Hz grid; throws when one is missing). */
export function sampleAt(sim: SimulatedDay, times: ArrayLike<number>): MagSeries {
  const d = sim.day;
  const t0 = d.Timestamp[0];
  const n = times.length;
  const out: MagSeries = {
    Timestamp: new Float64Array(n), Latitude: new Float64Array(n), Longitude: new Float64Array(n), Radius: new Float64Array(n),
    B_N: new Float64Array(n), B_E: new Float64Array(n), B_C: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const k = Math.round((times[i] - t0) / 1000);
    if (!(k >= 0 && k < d.Timestamp.length) || d.Timestamp[k] !== times[i]) {
      throw new Error(`simulated ${d.day}: no sample at ${new Date(times[i]).toISOString()}`);
    }
    out.Timestamp[i] = d.Timestamp[k];
    out.Latitude[i] = d.Latitude[k];
    out.Longitude[i] = d.Longitude[k];
    out.Radius[i] = d.Radius[k];
    out.B_N[i] = d.B_N[k];
    out.B_E[i] = d.B_E[k];
    out.B_C[i] = d.B_C[k];
  }
  return out;
}

/** Great-circle distance (km) between two positions on a sphere of the mean radius, plus the radius difference in quadrature. */
export function separationKm(la1: number, lo1: number, r1m: number, la2: number, lo2: number, r2m: number): number {
  const a = la1 * DEG, b = la2 * DEG, dl = (lo2 - lo1) * DEG;
  const c = Math.sin(a) * Math.sin(b) + Math.cos(a) * Math.cos(b) * Math.cos(dl);
  const ang = Math.acos(Math.max(-1, Math.min(1, c)));
  const rm = (r1m + r2m) / 2000;
  return Math.hypot(ang * rm, (r1m - r2m) / 1000);
}

export function median(xs: ArrayLike<number>): number {
  const a = Array.from(xs).filter(Number.isFinite).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

export function quantile(xs: ArrayLike<number>, q: number): number {
  const a = Array.from(xs).filter(Number.isFinite).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const p = q * (a.length - 1);
  const i = Math.floor(p);
  return i + 1 < a.length ? a[i] + (p - i) * (a[i + 1] - a[i]) : a[i];
}

/** Robust sigma: 1.4826 x median absolute deviation from the median. */
export function robustSigma(xs: ArrayLike<number>): number {
  const m = median(xs);
  return 1.4826 * median(Array.from(xs, (x) => Math.abs(x - m)));
}

/**
 * Second differences x[k+L] - 2 x[k] + x[k-L] of a regularly sampled series (lag L samples), attributed to the
 * centre sample k; NaN where any of the three is missing or the time steps are not regular.
 */
export function secondDifferences(t: ArrayLike<number>, x: ArrayLike<number>, lag: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  for (let k = lag; k < n - lag; k++) {
    if (t[k + lag] - t[k] !== t[k] - t[k - lag]) continue;
    out[k] = x[k + lag] - 2 * x[k] + x[k - lag];
  }
  return out;
}

/** |magnetic latitude| bands (deg) of the realism tables. */
export const MAGLAT_BANDS: [number, number][] = [[0, 10], [10, 20], [20, 30], [30, 40], [40, 50], [50, 60], [60, 70], [70, 80], [80, 90]];

export interface BandRow {
  band: string;
  lo: number;
  hi: number;
  samples: number;
  /** Residual to IGRF per component: median and 5/95 % (nT). */
  medianN: number; p05N: number; p95N: number;
  medianE: number; p05E: number; p95E: number;
  medianC: number; p05C: number; p95C: number;
  /** Robust sigma (nT) of second differences at 10, 20 and 40 s, N, E and C pooled. */
  d2sigma10: number;
  d2sigma20: number;
  d2sigma40: number;
  /** Ratio d2sigma40 / d2sigma10 (2 for a random walk; larger for a redder spectrum). */
  redness: number;
  /** Mean square of the 0.1-0.5 Hz band (nT^2), N, E, C averaged; NaN unless the series is at 1 Hz. */
  bandPower: number;
}

/** Per-band statistics of a residual (cadence from the time steps; second differences at 10, 20, 40 s). */
export function bandTable(r: Residual, bands = MAGLAT_BANDS): BandRow[] {
  const t = r.Timestamp;
  const n = t.length;
  const stepS = n > 1 ? (t[1] - t[0]) / 1000 : NaN;
  const d2: Record<number, Float64Array[]> = {};
  for (const lagS of [10, 20, 40]) {
    const L = Math.round(lagS / stepS);
    d2[lagS] = [r.dN, r.dE, r.dC].map((x) => (L >= 1 && Math.abs(L * stepS - lagS) < 1e-6 ? secondDifferences(t, x, L) : new Float64Array(n).fill(NaN)));
  }
  const hp = stepS === 1 ? [r.dN, r.dE, r.dC].map((x) => highPass(x, 0.1)) : null;
  const rows: BandRow[] = [];
  for (const [lo, hi] of bands) {
    const idx: number[] = [];
    for (let k = 0; k < n; k++) {
      const a = Math.abs(r.magLat[k]);
      if (a >= lo && a < hi) idx.push(k);
    }
    const pick = (x: Float64Array) => idx.map((k) => x[k]);
    const pooled = (lagS: number) => robustSigma(d2[lagS].flatMap((x) => pick(x)).filter(Number.isFinite));
    let bp = NaN;
    if (hp && idx.length) {
      let s = 0, c = 0;
      for (const x of hp) for (const k of idx) if (Number.isFinite(x[k])) { s += x[k] * x[k]; c++; }
      bp = c ? s / c : NaN;
    }
    const s10 = pooled(10), s40 = pooled(40);
    rows.push({
      band: `${lo}-${hi}`, lo, hi, samples: idx.length,
      medianN: median(pick(r.dN)), p05N: quantile(pick(r.dN), 0.05), p95N: quantile(pick(r.dN), 0.95),
      medianE: median(pick(r.dE)), p05E: quantile(pick(r.dE), 0.05), p95E: quantile(pick(r.dE), 0.95),
      medianC: median(pick(r.dC)), p05C: quantile(pick(r.dC), 0.05), p95C: quantile(pick(r.dC), 0.95),
      d2sigma10: s10, d2sigma20: pooled(20), d2sigma40: s40, redness: s40 / s10, bandPower: bp,
    });
  }
  return rows;
}

/** Real against simulated at the real sample's times: positions and per-band statistics side by side. */
export interface RealismComparison {
  day: string;
  /** Separation (km) of simulated and real positions at each real sample time. */
  separationKm: Float64Array;
  medianSeparationKm: number;
  real: BandRow[];
  simulated: BandRow[];
  /** Rows for display: one per band with data, real and simulated values and their ratio. */
  rows: Record<string, string | number>[];
}

const r2 = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : NaN);

/** Compare a simulated day with a real series of the same day (the simulated day must cover the real times). */
export function compareWithReal(model: MainFieldModel, real: MagSeries, sim: SimulatedDay, minSamples = 5): RealismComparison {
  const simS = sampleAt(sim, real.Timestamp);
  const sep = new Float64Array(real.Timestamp.length);
  for (let i = 0; i < sep.length; i++) sep[i] = separationKm(real.Latitude[i], real.Longitude[i], real.Radius[i], simS.Latitude[i], simS.Longitude[i], simS.Radius[i]);
  const rr = residualToMainField(model, real);
  const rs = residualToMainField(model, simS);
  const bt = bandTable(rr);
  const bs = bandTable(rs);
  const rows: Record<string, string | number>[] = [];
  for (let i = 0; i < bt.length; i++) {
    if (bt[i].samples < minSamples) continue;
    const a = bt[i], b = bs[i];
    rows.push({
      '|MLat| band (deg)': a.band, 'real n': a.samples, 'sim n': b.samples,
      'real median N': r2(a.medianN), 'sim median N': r2(b.medianN),
      'real median E': r2(a.medianE), 'sim median E': r2(b.medianE),
      'real median C': r2(a.medianC), 'sim median C': r2(b.medianC),
      'real d2 10s': r2(a.d2sigma10), 'sim d2 10s': r2(b.d2sigma10), 'sim/real 10s': r2(b.d2sigma10 / a.d2sigma10),
      'real d2 40s/10s': r2(a.redness), 'sim d2 40s/10s': r2(b.redness),
    });
  }
  return { day: sim.day.day, separationKm: sep, medianSeparationKm: median(sep), real: bt, simulated: bs, rows };
}

/** Figure: residual to IGRF-13 against magnetic latitude, real and simulated, per component (same times). */
export function realismResidualSpec(model: MainFieldModel, real: MagSeries, sim: SimulatedDay, title: string): VegaLiteSpec {
  const simS = sampleAt(sim, real.Timestamp);
  const values: Record<string, number | string>[] = [];
  for (const [label, s] of [['real Swarm A', real], ['simulated', simS]] as const) {
    const r = residualToMainField(model, s);
    for (let k = 0; k < r.Timestamp.length; k++) {
      for (const [c, x] of [['B_N', r.dN], ['B_E', r.dE], ['B_C', r.dC]] as const) {
        values.push({ source: label, component: c, minute: (r.Timestamp[k] - real.Timestamp[0]) / 60000, magLat: r2(r.magLat[k]), residual: r2(x[k]) });
      }
    }
  }
  return markSimulated({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    facet: { row: { field: 'component', type: 'nominal', title: null } },
    spec: {
      width: 520, height: 130,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: { field: 'minute', type: 'quantitative', title: `minutes after ${new Date(real.Timestamp[0]).toISOString().slice(0, 19)} UT` },
        y: { field: 'residual', type: 'quantitative', title: 'B minus IGRF-13 (nT)' },
        color: { field: 'source', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  });
}

/** Figure: robust sigma of second differences at 10/20/40 s by |magnetic latitude| band, real against simulated. */
export function realismSigmaSpec(rowsByRun: { run: string; rows: BandRow[] }[], title: string): VegaLiteSpec {
  const values: Record<string, number | string>[] = [];
  for (const { run, rows } of rowsByRun) {
    for (const r of rows) {
      if (!(r.samples > 0)) continue;
      for (const [lag, v] of [[10, r.d2sigma10], [20, r.d2sigma20], [40, r.d2sigma40]] as const) {
        if (Number.isFinite(v)) values.push({ run, band: r.band, lo: r.lo, lag: `${lag} s`, sigma: r2(v) });
      }
    }
  }
  return markSimulated({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    facet: { column: { field: 'lag', type: 'nominal', title: 'second-difference lag' } },
    spacing: 40,
    spec: {
      width: 220, height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: '|MLat| band start (deg)' },
        y: { field: 'sigma', type: 'quantitative', scale: { type: 'log' }, title: 'robust sigma (nT)' },
        color: { field: 'run', type: 'nominal', title: null },
      },
    },
  });
}

/** Root mean square of x over [a, b] (inclusive indices), NaN skipped. */
function rmsOver(x: Float64Array, a: number, b: number): number {
  let s = 0, c = 0;
  for (let k = a; k <= b; k++) if (Number.isFinite(x[k])) { s += x[k] * x[k]; c++; }
  return c ? Math.sqrt(s / c) : NaN;
}

export interface SnrRow {
  band: string;
  packets: number;
  /** Median over packets of the 0.1-0.5 Hz rms of the packet (signal minus null) over its span, B_E (nT). */
  medianPacketRmsNt: number;
  /** Median over packets of the 0.1-0.5 Hz rms of the background (null run) over the same span, B_E (nT). */
  medianNoiseRmsNt: number;
  /** Median and 10/90 % of the per-packet ratio packet rms / noise rms. */
  medianSnr: number;
  p10Snr: number;
  p90Snr: number;
}

/**
 * Signal-to-noise of the injected packets by |magnetic latitude| band: signal and null runs of the same day and
 * seed differ only by the packets, so each packet's 0.1-0.5 Hz rms (signal minus null) is set against the null
 * run's 0.1-0.5 Hz rms over the same span (B_E, the packets' main component).
 */
export function snrByLatitudeBand(signal: SimulatedDay[], nullRun: SimulatedDay[], bands: [number, number][] = [[0, 20], [20, 40], [40, 50], [50, 60], [60, 70], [70, 90]]): SnrRow[] {
  const per: { ml: number; packet: number; noise: number }[] = [];
  for (let d = 0; d < signal.length; d++) {
    const s = signal[d], z = nullRun[d];
    if (s.day.day !== z.day.day) throw new Error(`snrByLatitudeBand: signal day ${s.day.day} paired with null day ${z.day.day}`);
    const diff = new Float64Array(s.day.B_E.length);
    for (let k = 0; k < diff.length; k++) diff[k] = s.day.B_E[k] - z.day.B_E[k];
    const hpD = highPass(diff, 0.1), hpN = highPass(z.day.B_E, 0.1);
    const t0 = s.day.Timestamp[0];
    for (const e of s.truth) {
      const a = Math.round((e.tStartMs - t0) / 1000), b = Math.round((e.tEndMs - t0) / 1000);
      const mid = Math.round((a + b) / 2);
      const packet = rmsOver(hpD, a, b), noise = rmsOver(hpN, a, b);
      if (Number.isFinite(packet) && Number.isFinite(noise) && noise > 0) per.push({ ml: Math.abs(s.magLat[mid]), packet, noise });
    }
  }
  return bands.map(([lo, hi]) => {
    const ps = per.filter((x) => x.ml >= lo && x.ml < hi);
    const snr = ps.map((x) => x.packet / x.noise);
    return {
      band: `${lo}-${hi}`, packets: ps.length,
      medianPacketRmsNt: r2(median(ps.map((x) => x.packet))), medianNoiseRmsNt: r2(median(ps.map((x) => x.noise))),
      medianSnr: r2(median(snr)), p10Snr: r2(quantile(snr, 0.1)), p90Snr: r2(quantile(snr, 0.9)),
    };
  });
}

/** SNR rows with readable column names for a notebook table ('-' where a band has no packet). */
export function snrTableRows(rows: SnrRow[]): Record<string, string | number>[] {
  const f = (x: number) => (Number.isFinite(x) ? x : '-');
  return rows.map((r) => ({
    '|MLat| band (deg)': r.band, packets: r.packets, 'packet rms (nT)': f(r.medianPacketRmsNt), 'background rms (nT)': f(r.medianNoiseRmsNt),
    'median SNR': f(r.medianSnr), 'SNR 10 %': f(r.p10Snr), 'SNR 90 %': f(r.p90Snr),
  }));
}

/**
 * How the simulated orbit drifts from the real one away from the calibration day: within the day, the separation
 * at the real crossings (EEF file); beyond it, the position difference that a decay rate off by +-dKmPerYear would
 * make (the real decay follows solar activity, the simulator's is linear), at each day offset.
 */
export function orbitDriftRows(orbitParams: OrbitParams, nodes: { time: number[]; longitude: number[] }, dayOffsets: number[], dKmPerYear = 1): Record<string, number | string>[] {
  const rows: Record<string, number | string>[] = [];
  const o = makeOrbit(orbitParams);
  for (let i = 0; i < nodes.time.length; i++) {
    const t = nodes.time[i];
    const tr = positionsAt(o, Array.from({ length: 121 }, (_, k) => t + (k - 60) * 1000));
    const c = ascendingCrossings(tr);
    if (!c.time.length) continue;
    const along = ((c.time[0] - t) / 1000) * 7.6;
    const across = (c.longitude[0] - nodes.longitude[i]) * 111.2;
    rows.push({ kind: 'real crossings, 2016-01-01', days: r2((t - nodes.time[0]) / 86400e3), separationKm: r2(Math.hypot(along, across)) });
  }
  const lo = makeOrbit({ ...orbitParams, decayKmPerYear: orbitParams.decayKmPerYear - dKmPerYear });
  const hi = makeOrbit({ ...orbitParams, decayKmPerYear: orbitParams.decayKmPerYear + dKmPerYear });
  const t0 = Date.parse(orbitParams.nodeTime);
  for (const d of dayOffsets) {
    const t = t0 + d * 86400e3;
    const a = positionsAt(lo, [t]), b = positionsAt(hi, [t]);
    rows.push({ kind: `decay rate +-${dKmPerYear} km/yr`, days: d, separationKm: r2(separationKm(a.Latitude[0], a.Longitude[0], a.Radius[0], b.Latitude[0], b.Longitude[0], b.Radius[0]) / 2) });
  }
  return rows;
}

/** Figure: orbit drift away from the calibration day (log scale), from orbitDriftRows. */
export function orbitDriftSpec(rows: Record<string, number | string>[], title: string): VegaLiteSpec {
  return markSimulated({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520, height: 220,
    data: { values: rows.map((r) => ({ ...r, separationKm: Math.max(0.01, Number(r.separationKm)) })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'days', type: 'quantitative', title: 'days after the calibration crossing (2016-01-01 00:27:57 UT)' },
      y: { field: 'separationKm', type: 'quantitative', scale: { type: 'log' }, title: 'position difference (km)' },
      color: { field: 'kind', type: 'nominal', title: null },
    },
  });
}

/** The recorded realism of the simulator before issue 11 (lib/simulation/realism-before.json, with its provenance). */
export interface BeforeRecord {
  about: string;
  commit: string;
  day: string;
  medianSeparationKm: number;
  rows: Record<string, string | number>[];
  simulated: BandRow[];
}

export function readBeforeRecord(file = path.join(__dirname, 'realism-before.json')): BeforeRecord {
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as BeforeRecord;
  if (!Array.isArray(j.simulated) || !Array.isArray(j.rows) || !Number.isFinite(j.medianSeparationKm)) throw new Error(`${file}: fields rows, simulated and medianSeparationKm are required`);
  return j;
}

/** Before/after table: per band below 90 deg with real data, real against the old and the calibrated simulator. */
export function beforeAfterRows(before: BeforeRecord, after: RealismComparison): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const fmt = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? r2(x) : '-');
  for (let i = 0; i < after.real.length; i++) {
    const r = after.real[i], a = after.simulated[i];
    const b = before.simulated.find((x) => x.band === r.band);
    if (r.samples < 5) continue;
    const ratio = (x: number | undefined) => (x !== undefined && Number.isFinite(x) && x > 0 ? `${r2(x)} (x${r2(x / r.d2sigma10)})` : '-');
    rows.push({
      '|MLat| band (deg)': r.band, 'real d2 10s (nT)': r2(r.d2sigma10), 'before d2 10s': ratio(b?.d2sigma10), 'after d2 10s': ratio(a.d2sigma10),
      'real N (nT)': fmt(r.medianN), 'before N': fmt(b?.medianN), 'after N': fmt(a.medianN),
      'real C (nT)': fmt(r.medianC), 'before C': fmt(b?.medianC), 'after C': fmt(a.medianC),
      'real E (nT)': fmt(r.medianE), 'before E': fmt(b?.medianE), 'after E': fmt(a.medianE),
    });
  }
  return rows;
}

/** Summary rows: position separation and the worst second-difference ratio below 50 deg, before and after. */
export function realismSummaryRows(before: BeforeRecord, after: RealismComparison): Record<string, string | number>[] {
  const worst = (rows: BandRow[]) => {
    let w = 1;
    for (const r of after.real) {
      const s = rows.find((x) => x.band === r.band);
      if (!s || r.hi > 50 || r.samples < 5 || !(s.d2sigma10 > 0)) continue;
      const q = s.d2sigma10 / r.d2sigma10;
      if (Math.max(q, 1 / q) > Math.max(w, 1 / w)) w = q;
    }
    return `x${r2(w)}`;
  };
  return [
    { quantity: 'median position separation at the real sample times (km)', before: r2(before.medianSeparationKm), after: r2(after.medianSeparationKm), target: 'under 50' },
    { quantity: 'worst simulated/real second-difference sigma at 10 s below 50 deg', before: worst(before.simulated), after: worst(after.simulated), target: 'within x1.5' },
  ];
}

export interface RealismReport {
  model: MainFieldModel;
  real: MagSeries;
  sim: SimulatedDay;
  comparison: RealismComparison;
  before: BeforeRecord;
  beforeAfter: Record<string, string | number>[];
  summary: Record<string, string | number>[];
  sigmaRuns: { run: string; rows: BandRow[] }[];
  driftRows: Record<string, number | string>[];
  snr: SnrRow[];
  /** The SNR rows for display (readable names). */
  snrTable: Record<string, string | number>[];
  snrDays: string[];
}

/**
 * Everything notebook 02's realism section shows: 2016-01-01 simulated with the shipped parameters and the signal
 * seed against the shipped real sample, the recorded before-calibration figures, the orbit drift rows and the
 * injected packets' signal-to-noise on the given days (signal and null runs, same seed).
 */
export function realismReport(opts: { snrDays?: string[] } = {}): RealismReport {
  const inputs = loadInputs();
  const real = readRealMagSample();
  const sim = simulateDay(REAL_SAMPLES.day, inputs, DEFAULT_SIMULATION_PARAMS, 'simulator');
  const comparison = compareWithReal(inputs.model, real, sim);
  const before = readBeforeRecord();
  const snrDays = opts.snrDays ?? ['2016-02-14', '2016-02-15', '2016-02-16'];
  const sig = snrDays.map((d) => simulateDay(d, inputs, DEFAULT_SIMULATION_PARAMS, 'simulator'));
  const nul = snrDays.map((d) => simulateDay(d, inputs, withParams({ injection: { enabled: false } }), 'nullSimulation'));
  const snr = snrByLatitudeBand(sig, nul);
  return {
    model: inputs.model, real, sim, comparison, before, beforeAfter: beforeAfterRows(before, comparison), summary: realismSummaryRows(before, comparison),
    sigmaRuns: [
      { run: 'real Swarm A', rows: comparison.real },
      { run: `simulated before (${before.commit})`, rows: before.simulated },
      { run: 'simulated, calibrated', rows: comparison.simulated },
    ],
    driftRows: orbitDriftRows(DEFAULT_SIMULATION_PARAMS.orbit, readEefNodes(), [0, 1, 2, 5, 10, 20, 45, 90]),
    snr, snrTable: snrTableRows(snr), snrDays,
  };
}
