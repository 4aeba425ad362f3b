// Magnetic background of the Swarm A simulator (stand-in for the residual B_NEC variability of paper section 2.3),
// calibrated on real Swarm A (lib/simulation/calibrate.ts): instrument noise; low/mid-latitude variability by
// magnetic latitude and local time with a weak Kp dependence and a red spectrum (rough AR(1) plus smooth AR(1)-of-
// AR(1)); auroral-oval variability scaled by the real Kp; a smooth polar cap with a large-scale Region-1 field; the
// storm-time field per component from the real Dst with its induced part; data gaps and quality flags; plus
// helpers shared with the ionosphere module.
import { Rng } from '../core/random';
import { GapParams, MagneticBackgroundParams } from './params';
import { necBasis } from './mainfield';
import { sunDirection } from './orbit';

/** Flag values written by the simulator (0 = usable, as the real readers map product flags). */
export const SIM_FLAGS = {
  /** No measurement: the value is NaN. */
  gap: 255,
  /** Measurement present but flagged (thruster firing, instrument anomaly stand-in). */
  suspect: 1,
} as const;

/** A regularly slotted index (Kp 3-hourly, Dst hourly): time[i] is the start of slot i. */
export interface SlottedSeries {
  time: Float64Array;
  values: Float64Array;
  slotMs: number;
  name: string;
}

/**
 * Index value at tMs, linearly interpolated between slot centres (continuous, so noise amplitudes and the Dst
 * field have no steps at slot boundaries). Throws RangeError outside the series.
 */
export function smoothIndexAt(s: SlottedSeries, tMs: number): number {
  const n = s.time.length;
  if (n === 0 || !(tMs >= s.time[0]) || !(tMs < s.time[n - 1] + s.slotMs)) {
    throw new RangeError(`${s.name}: ${new Date(tMs).toISOString()} outside the series ${n ? new Date(s.time[0]).toISOString() : ''}..${n ? new Date(s.time[n - 1] + s.slotMs).toISOString() : ''}`);
  }
  const x = (tMs - s.time[0]) / s.slotMs - 0.5; // slot-centre coordinates (series assumed regular)
  let i = Math.floor(x);
  if (i < 0) i = 0;
  if (i > n - 2) i = n - 2;
  if (s.time[i] !== s.time[0] + i * s.slotMs) throw new Error(`${s.name}: series is not regular near ${new Date(s.time[i]).toISOString()}`);
  const f = Math.min(1, Math.max(0, x - i));
  const a = s.values[i], b = s.values[i + 1];
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`${s.name}: missing value near ${new Date(tMs).toISOString()}`);
  return a + f * (b - a);
}

/** Smooth index for every sample time. */
export function smoothIndexSeries(s: SlottedSeries, times: Float64Array): Float64Array {
  const out = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) out[k] = smoothIndexAt(s, times[k]);
  return out;
}

/**
 * Standard normal deviates from an Rng's 32-bit stream by the Box-Muller transform (two per pair of draws):
 * about twice as fast as Rng.normal's polar method, which matters at 8 normals per 1 Hz record.
 */
export class NormalStream {
  private spare = 0;
  private hasSpare = false;
  constructor(private readonly rng: Rng) {}
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = (this.rng.uint32() + 0.5) / 4294967296; // (0, 1)
    const u2 = this.rng.uint32() / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = 2 * Math.PI * u2;
    this.spare = r * Math.sin(a);
    this.hasSpare = true;
    return r * Math.cos(a);
  }
}

/** Unit-variance start states of a day's noise processes (shared by that day and the day before). */
export function boundaryState(rng: Rng, count: number): number[] {
  const z: number[] = [];
  for (let i = 0; i < count; i++) z.push(rng.normal());
  return z;
}

/**
 * Unit-variance AR(1) with a per-sample correlation time, starting at `start` and linearly bridged over the
 * last `bridge` samples so that the sample after the last one would equal `end`. Innovations from rng.
 */
export function arProcess(n: number, tauS: Float64Array | number, rng: Rng, start: number, end: number, bridge: number): Float64Array {
  const u = new Float64Array(n);
  const z = new NormalStream(rng);
  let x = start;
  const constTau = typeof tauS === 'number';
  let rho = constTau ? Math.exp(-1 / (tauS as number)) : 0;
  let s = Math.sqrt(1 - rho * rho);
  for (let k = 0; k < n; k++) {
    u[k] = x;
    if (!constTau) {
      rho = Math.exp(-1 / (tauS as Float64Array)[k]);
      s = Math.sqrt(1 - rho * rho);
    }
    x = rho * x + s * z.next();
  }
  // x is now the process value at sample n (the next day's first sample): bridge to `end`
  const L = Math.min(bridge, n);
  if (L > 0) {
    const d = end - x;
    for (let j = 1; j <= L; j++) u[n - L + j - 1] += (d * j) / (L + 1);
  }
  return u;
}

/**
 * Unit-variance AR(1)-of-AR(1) (a critically damped, f^-4 spectrum above 1/(2 pi tau)): x1 is a unit AR(1), x2
 * follows x2 <- rho x2 + (1 - rho^2)/sqrt(1 + rho^2) x1; autocorrelation rho^L (1 + L (1 - rho^2)/(1 + rho^2)).
 * Starts at (start1, start2) and x2 is linearly bridged over the last `bridge` samples to `end`.
 */
export function smoothProcess(n: number, tauS: number, rng: Rng, start1: number, start2: number, end: number, bridge: number): Float64Array {
  const u = new Float64Array(n);
  const z = new NormalStream(rng);
  const rho = Math.exp(-1 / tauS);
  const s1 = Math.sqrt(1 - rho * rho);
  const s2 = (1 - rho * rho) / Math.sqrt(1 + rho * rho);
  let x1 = start1;
  let x2 = start2;
  for (let k = 0; k < n; k++) {
    u[k] = x2;
    const x1n = rho * x1 + s1 * z.next();
    x2 = rho * x2 + s2 * x1;
    x1 = x1n;
  }
  const L = Math.min(bridge, n);
  if (L > 0) {
    const d = end - x2;
    for (let j = 1; j <= L; j++) u[n - L + j - 1] += (d * j) / (L + 1);
  }
  return u;
}

/** Autocorrelation at lag L (samples) of a unit AR(1) and of the AR(1)-of-AR(1), correlation time tau (samples). */
export function arCorrelation(L: number, tau: number): number {
  return Math.exp(-L / tau);
}
export function smoothCorrelation(L: number, tau: number): number {
  const r = Math.exp(-1 / tau);
  return Math.pow(r, L) * (1 + (L * (1 - r * r)) / (1 + r * r));
}
/** Variance of second differences at lag L of a unit-variance stationary process with autocorrelation rho(.). */
export function secondDifferenceVariance(rho: (L: number) => number, L: number): number {
  return 6 - 8 * rho(L) + 2 * rho(2 * L);
}

/** Number of unit-variance boundary states the magnetic background uses (rough N,E,C; smooth N,E,C x 2). */
export const MAGNETIC_STATES = 9;

export interface MagneticContext {
  times: Float64Array;
  /** Earth-fixed unit positions, interleaved. */
  unit: Float64Array;
  /** Geocentric radius (km). */
  radiusKm: Float64Array;
  magLat: Float64Array;
  localTime: Float64Array;
  kp: Float64Array;
  dst: Float64Array;
  /** Earth-fixed unit vector towards the geomagnetic north pole. */
  dipole: [number, number, number];
}

/** Auroral-oval weight (0..1, polar cap level poleward of the oval) at |magnetic latitude| and Kp. */
export function auroralWeight(p: MagneticBackgroundParams, absMagLat: number, kp: number): number {
  const c = p.ovalQuietLatDeg - p.ovalPerKpDeg * kp;
  const x = (absMagLat - c) / p.ovalWidthDeg;
  const oval = Math.exp(-x * x);
  return absMagLat > c ? Math.max(oval, p.polarCapFraction) : oval;
}

/** Weight (0..1) of the polar-cap field: 0 equatorward of the oval centre, 1 from one oval width poleward of it (smoothstep). */
export function polarCapWeight(p: MagneticBackgroundParams, absMagLat: number, kp: number): number {
  const c = p.ovalQuietLatDeg - p.ovalPerKpDeg * kp;
  const x = Math.min(1, Math.max(0, (absMagLat - c) / p.ovalWidthDeg));
  return x * x * (3 - 2 * x);
}

/** Piecewise-linear table lookup (constant beyond the ends). */
export function tableAt(nodes: number[], values: number[], x: number): number {
  const n = nodes.length;
  if (x <= nodes[0]) return values[0];
  if (x >= nodes[n - 1]) return values[n - 1];
  let i = 0;
  while (x > nodes[i + 1]) i++;
  const f = (x - nodes[i]) / (nodes[i + 1] - nodes[i]);
  return values[i] + f * (values[i + 1] - values[i]);
}

/** Day weight of the low-latitude variability: 1 at noon, 0 at midnight. */
export function dayWeight(localTimeH: number): number {
  return 0.5 * (1 + Math.cos((2 * Math.PI * (localTimeH - 12)) / 24));
}

/** Sigma (nT) of the rough low/mid-latitude part at |magnetic latitude|, local time and Kp. */
export function lowLatSigma(p: MagneticBackgroundParams, absMagLat: number, localTimeH: number, kp: number): number {
  return tableAt(p.lowLatNodesDeg, p.lowLatSigmaNt, absMagLat) * (1 + p.lowLatDayGain * dayWeight(localTimeH)) * (1 + p.lowLatPerKp * kp);
}

/** Check the table parameters (clear errors naming the field). */
export function checkMagneticParams(p: MagneticBackgroundParams): void {
  if (p.lowLatNodesDeg.length < 1 || p.lowLatNodesDeg.length !== p.lowLatSigmaNt.length) {
    throw new Error(`magnetic.lowLatNodesDeg and magnetic.lowLatSigmaNt must be non-empty and of the same length (${p.lowLatNodesDeg.length} vs ${p.lowLatSigmaNt.length})`);
  }
  for (let i = 0; i < p.lowLatNodesDeg.length; i++) {
    if (i > 0 && !(p.lowLatNodesDeg[i] > p.lowLatNodesDeg[i - 1])) throw new Error(`magnetic.lowLatNodesDeg must increase (index ${i})`);
    if (!(p.lowLatSigmaNt[i] >= 0)) throw new Error(`magnetic.lowLatSigmaNt[${i}] must be >= 0, got ${p.lowLatSigmaNt[i]}`);
  }
  for (const k of ['lowLatRoughCorrelationS', 'smoothCorrelationS', 'auroralRoughCorrelationS'] as const) if (!(p[k] >= 1)) throw new Error(`magnetic.${k} must be >= 1 s, got ${p[k]}`);
}

/**
 * Add the magnetic background to B_N, B_E, B_C (nT) in place. `start`/`end` are the MAGNETIC_STATES unit-variance
 * states of the noise processes at this day's first sample and at the next day's first sample.
 */
export function addMagneticBackground(
  p: MagneticBackgroundParams, ctx: MagneticContext, rng: Rng, start: number[], end: number[],
  B_N: Float64Array, B_E: Float64Array, B_C: Float64Array,
): void {
  checkMagneticParams(p);
  const n = ctx.times.length;
  const bridge = Math.round(p.dayBridgeS);
  // per-sample sigmas: rough part (low-latitude random walk and small-scale auroral structures in one AR(1) whose
  // correlation time follows the variance-weighted mix of the two), smooth part (low-latitude smooth and oval)
  const roughT = new Float64Array(n), roughC = new Float64Array(n), tau = new Float64Array(n);
  const smoothT = new Float64Array(n), smoothC = new Float64Array(n);
  const ratio2 = p.lowLatSmoothRatio * p.lowLatSmoothRatio;
  const nodes = p.lowLatNodesDeg, vals = p.lowLatSigmaNt;
  for (let k = 0; k < n; k++) {
    const kp = ctx.kp[k];
    const aml = Math.abs(ctx.magLat[k]);
    const low = tableAt(nodes, vals, aml) * (1 + p.lowLatDayGain * dayWeight(ctx.localTime[k])) * (1 + p.lowLatPerKp * kp);
    const aur = p.auroralSigmaBaseNt * Math.pow(1 + kp, p.auroralSigmaKpExponent) * auroralWeight(p, aml, kp);
    const aurR = p.auroralRoughFraction * aur;
    const low2 = low * low;
    const v = low2 + aurR * aurR;
    roughT[k] = Math.sqrt(v);
    roughC[k] = Math.sqrt(low2 + (aurR * p.auroralRadialRatio) ** 2);
    tau[k] = v > 0 ? (low2 * p.lowLatRoughCorrelationS + aurR * aurR * p.auroralRoughCorrelationS) / v : p.lowLatRoughCorrelationS;
    smoothT[k] = Math.sqrt(low2 * ratio2 + aur * aur);
    const aurC = aur * p.auroralRadialRatio;
    smoothC[k] = Math.sqrt(low2 * ratio2 + aurC * aurC);
  }
  const rN = arProcess(n, tau, rng.fork('N'), start[0], end[0], bridge);
  const rE = arProcess(n, tau, rng.fork('E'), start[1], end[1], bridge);
  const rC = arProcess(n, tau, rng.fork('C'), start[2], end[2], bridge);
  const sN = smoothProcess(n, p.smoothCorrelationS, rng.fork('smooth-N'), start[3], start[4], end[4], bridge);
  const sE = smoothProcess(n, p.smoothCorrelationS, rng.fork('smooth-E'), start[5], start[6], end[6], bridge);
  const sC = smoothProcess(n, p.smoothCorrelationS, rng.fork('smooth-C'), start[7], start[8], end[8], bridge);
  const white = new NormalStream(rng.fork('instrument'));
  const Bas = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const sun = [0, 0, 0];
  const [dx, dy, dz] = ctx.dipole;
  const wn = p.instrumentNoiseNt;
  for (let k = 0; k < n; k++) {
    const kp = ctx.kp[k];
    const aml = Math.abs(ctx.magLat[k]);
    const ux = ctx.unit[3 * k], uy = ctx.unit[3 * k + 1], uz = ctx.unit[3 * k + 2];
    necBasis(ux, uy, uz, Bas);
    // storm field: external along the dipole axis plus its induced part
    const ar = 6371.2 / ctx.radiusKm[k];
    const q = p.stormInductionQ * ar * ar * ar;
    const D = p.stormExternalFactor * ctx.dst[k];
    const zN = Bas[0] * dx + Bas[1] * dy + Bas[2] * dz;
    const zE = Bas[3] * dx + Bas[4] * dy + Bas[5] * dz;
    const zC = Bas[6] * dx + Bas[7] * dy + Bas[8] * dz;
    let fN = D * (1 + q) * zN;
    let fE = p.stormEastFactor * ctx.dst[k] * zE;
    const fC = D * (1 - 2 * q) * zC;
    // polar cap: horizontal sunward (north) / antisunward (south) field, tapered in from the oval
    const wpc = p.polarCapFieldNtPerKp !== 0 ? polarCapWeight(p, aml, kp) : 0;
    if (wpc > 0) {
      sunDirection(ctx.times[k], sun);
      const hN = Bas[0] * sun[0] + Bas[1] * sun[1] + Bas[2] * sun[2];
      const hE = Bas[3] * sun[0] + Bas[4] * sun[1] + Bas[5] * sun[2];
      const h = Math.hypot(hN, hE);
      if (h > 1e-9) {
        const amp = ((ctx.magLat[k] >= 0 ? 1 : -1) * wpc * p.polarCapFieldNtPerKp * kp) / h;
        fN += amp * hN;
        fE += amp * hE;
      }
    }
    B_N[k] += roughT[k] * rN[k] + smoothT[k] * sN[k] + wn * white.next() + fN;
    B_E[k] += roughT[k] * rE[k] + smoothT[k] * sE[k] + wn * white.next() + fE;
    B_C[k] += roughC[k] * rC[k] + smoothC[k] * sC[k] + wn * white.next() + fC;
  }
}

/** Gap and flag masks for one day (1 = gap / flagged). */
export interface GapMasks {
  magGap: Uint8Array;
  magFlag: Uint8Array;
  neGap: Uint8Array;
  neFlag: Uint8Array;
}

function logUniform(rng: Rng, [lo, hi]: [number, number]): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

function markRuns(mask: Uint8Array, count: number, len: [number, number], rng: Rng): void {
  const n = mask.length;
  for (let i = 0; i < count; i++) {
    const L = Math.max(1, Math.round(logUniform(rng, len)));
    const s = rng.int(n);
    for (let k = s; k < Math.min(n, s + L); k++) mask[k] = 1;
  }
}

/** Draw the day's gaps and flagged stretches (Poisson counts, log-uniform lengths). */
export function drawGaps(p: GapParams, n: number, rng: Rng): GapMasks {
  const m: GapMasks = { magGap: new Uint8Array(n), magFlag: new Uint8Array(n), neGap: new Uint8Array(n), neFlag: new Uint8Array(n) };
  const r1 = rng.fork('mag-gaps'), r2 = rng.fork('mag-flags'), r3 = rng.fork('ne-gaps'), r4 = rng.fork('ne-flags');
  markRuns(m.magGap, r1.poisson(p.magGapsPerDay), p.magGapLengthS, r1);
  markRuns(m.magFlag, r2.poisson(p.magFlaggedPerDay), p.magFlaggedLengthS, r2);
  markRuns(m.neGap, r3.poisson(p.neGapsPerDay), p.neGapLengthS, r3);
  markRuns(m.neFlag, r4.poisson(p.neFlaggedPerDay), p.neFlaggedLengthS, r4);
  return m;
}
