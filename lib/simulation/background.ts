// Magnetic background of the Swarm A simulator (stand-in for the residual B_NEC variability of paper section 2.3):
// instrument noise, natural variability scaled by the real Kp and strongest in the auroral oval, the ring-current
// field from the real Dst, and data gaps and quality flags; plus helpers shared with the ionosphere module.
import { Rng } from '../core/random';
import { GapParams, MagneticBackgroundParams } from './params';
import { necBasis } from './mainfield';

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

export interface MagneticContext {
  times: Float64Array;
  /** Earth-fixed unit positions, interleaved. */
  unit: Float64Array;
  magLat: Float64Array;
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

/**
 * Add the magnetic background to B_N, B_E, B_C (nT) in place. `start`/`end` are the unit-variance states of the
 * three variability processes at this day's first sample and at the next day's first sample.
 */
export function addMagneticBackground(
  p: MagneticBackgroundParams, ctx: MagneticContext, rng: Rng, start: number[], end: number[],
  B_N: Float64Array, B_E: Float64Array, B_C: Float64Array,
): void {
  const n = ctx.times.length;
  const sigT = new Float64Array(n); // transverse (N, E) sigma
  const sigC = new Float64Array(n);
  const tau = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const kp = ctx.kp[k];
    const low = p.lowLatSigmaBaseNt + p.lowLatSigmaPerKpNt * kp;
    const aur = p.auroralSigmaBaseNt * Math.pow(1 + kp, p.auroralSigmaKpExponent) * auroralWeight(p, Math.abs(ctx.magLat[k]), kp);
    const aurC = aur * p.auroralRadialRatio;
    const vT = low * low + aur * aur;
    sigT[k] = Math.sqrt(vT);
    sigC[k] = Math.sqrt(low * low + aurC * aurC);
    tau[k] = (low * low * p.lowLatCorrelationS + aur * aur * p.auroralCorrelationS) / vT;
  }
  const bridge = Math.round(p.dayBridgeS);
  const uN = arProcess(n, tau, rng.fork('N'), start[0], end[0], bridge);
  const uE = arProcess(n, tau, rng.fork('E'), start[1], end[1], bridge);
  const uC = arProcess(n, tau, rng.fork('C'), start[2], end[2], bridge);
  const white = new NormalStream(rng.fork('instrument'));
  const Bas = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const [dx, dy, dz] = ctx.dipole;
  const wn = p.instrumentNoiseNt;
  for (let k = 0; k < n; k++) {
    necBasis(ctx.unit[3 * k], ctx.unit[3 * k + 1], ctx.unit[3 * k + 2], Bas);
    const ring = p.dstFactor * ctx.dst[k];
    B_N[k] += sigT[k] * uN[k] + wn * white.next() + ring * (Bas[0] * dx + Bas[1] * dy + Bas[2] * dz);
    B_E[k] += sigT[k] * uE[k] + wn * white.next() + ring * (Bas[3] * dx + Bas[4] * dy + Bas[5] * dz);
    B_C[k] += sigC[k] * uC[k] + wn * white.next() + ring * (Bas[6] * dx + Bas[7] * dy + Bas[8] * dz);
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
