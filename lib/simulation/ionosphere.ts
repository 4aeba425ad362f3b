// Electron density of the Swarm A simulator (stand-in for the EFI Langmuir-probe Ne of paper section 2.3, used by
// the NeLOG method of section 2.2): day/night through the solar zenith angle, the equatorial ionization anomaly,
// season and solar cycle, log-normal variability and night-time equatorial plasma bubbles.
import { Rng } from '../core/random';
import { IonosphereParams } from './params';
import { arProcess, NormalStream } from './background';

const DEG = Math.PI / 180;

export interface IonosphereContext {
  times: Float64Array;
  /** Geocentric latitude (deg). */
  latitude: Float64Array;
  magLat: Float64Array;
  /** Mean local solar time (h). */
  localTime: Float64Array;
  /** Day of year (1-based, fractional) and decimal year at the first sample (advanced per sample, 1 Hz). */
  dayOfYear: number;
  year: number;
}

/** Solar declination (radians) for a day of year (simple cosine approximation, good to ~0.5 deg). */
export function solarDeclination(dayOfYear: number): number {
  return -23.44 * DEG * Math.cos((2 * Math.PI * (dayOfYear + 10)) / 365.25);
}

/** Local-time factor of the anomaly: 0 before 08 LT, rising to a maximum mid-afternoon/evening, 0 after 23 LT. */
export function eiaLocalTimeFactor(lt: number): number {
  return lt >= 8 && lt <= 23 ? Math.sin((Math.PI * (lt - 8)) / 15) : 0;
}

/** Smooth day-ness (0 night .. 1 day) from the lagged solar zenith angle. */
export function dayness(p: IonosphereParams, latDeg: number, lt: number, decl: number): number {
  const H = (lt - p.lagH - 12) * 15 * DEG;
  const phi = latDeg * DEG;
  const cosChi = Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(H);
  return 0.5 * (1 + Math.tanh(cosChi / p.terminatorWidth));
}

/** Deterministic part of log10 Ne (cm^-3) at one point (no noise, no bubbles). */
export function log10NeClimatology(p: IonosphereParams, latDeg: number, magLat: number, lt: number, dayOfYear: number, year: number): number {
  const decl = solarDeclination(dayOfYear);
  const D = dayness(p, latDeg, lt, decl);
  let L = p.log10NeNight + (p.log10NeDay - p.log10NeNight) * D;
  const E = eiaLocalTimeFactor(lt);
  if (E > 0) {
    const a = (magLat - p.eiaCrestLatDeg) / p.eiaWidthDeg;
    const b = (magLat + p.eiaCrestLatDeg) / p.eiaWidthDeg;
    const c = magLat / (0.8 * p.eiaWidthDeg);
    L += E * (p.eiaCrestDex * (Math.exp(-a * a) + Math.exp(-b * b)) - p.eiaTroughDex * Math.exp(-c * c));
  }
  const m = magLat / 90;
  L -= p.polarDeclineDex * m * m;
  const t = (Math.abs(magLat) - p.troughLatDeg) / p.troughWidthDeg;
  L -= p.troughDex * (1 - D) * Math.exp(-t * t);
  const yrs = Math.min(Math.max(year - p.solarMaxYear, 0), p.solarMinYear - p.solarMaxYear);
  L -= p.solarDeclineDexPerYear * yrs;
  L += p.semiannualDex * Math.cos((4 * Math.PI * (dayOfYear - 80)) / 365.25);
  return L;
}

/** One simulated plasma-bubble depletion (for the notebook and tests). */
export interface Bubble {
  centreMs: number;
  widthS: number;
  depthDex: number;
}

function inLocalTimeWindow(lt: number, [a, b]: [number, number]): boolean {
  return a <= b ? lt >= a && lt < b : lt >= a || lt < b;
}

/** Night-side magnetic-equator crossings and the bubbles drawn on them. */
export function drawBubbles(p: IonosphereParams, ctx: IonosphereContext, rng: Rng): Bubble[] {
  const out: Bubble[] = [];
  const { magLat, localTime, times } = ctx;
  const n = magLat.length;
  // the satellite moves ~15.6 s per degree of latitude; depletions are placed within 0.8 * bubbleMaxMagLatDeg
  const halfSpanS = (p.bubbleMaxMagLatDeg * 0.8) * 15.6;
  // groups that would reach past either end of the day are not drawn (days are simulated independently, so a
  // group cut at 00 UT would leave a step in Ne)
  const edge = Math.ceil(halfSpanS + 3 * p.bubbleWidthS[1]);
  for (let k = Math.max(1, edge); k < n - edge; k++) {
    if ((magLat[k - 1] < 0) === (magLat[k] < 0)) continue;
    if (!inLocalTimeWindow(localTime[k], p.bubbleLocalTimeH)) continue;
    const r = rng.fork('crossing', times[k]);
    if (!r.bernoulli(p.bubbleProbability)) continue;
    const count = 1 + r.poisson(p.bubbleMeanExtra);
    for (let i = 0; i < count; i++) {
      out.push({
        centreMs: times[k] + r.uniform(-halfSpanS, halfSpanS) * 1000,
        widthS: r.uniform(p.bubbleWidthS[0], p.bubbleWidthS[1]),
        depthDex: r.uniform(p.bubbleDepthDex[0], p.bubbleDepthDex[1]),
      });
    }
  }
  return out;
}

/**
 * Electron density (cm^-3) for a day: climatology, log-normal AR(1) variability (bridged to the next day's
 * start state `end`), white noise and bubbles (flat-bottomed depletions). Returns Ne and the bubbles.
 */
export function electronDensity(p: IonosphereParams, ctx: IonosphereContext, rng: Rng, start: number, end: number, bridgeS: number): { Ne: Float64Array; bubbles: Bubble[] } {
  const n = ctx.times.length;
  const L = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const days = k / 86400; // continuous season and solar cycle across 00 UT
    L[k] = log10NeClimatology(p, ctx.latitude[k], ctx.magLat[k], ctx.localTime[k], ctx.dayOfYear + days, ctx.year + days / 365.25);
  }
  const u = arProcess(n, p.noiseCorrelationS, rng.fork('ne-ar'), start, end, Math.round(bridgeS));
  const white = new NormalStream(rng.fork('ne-white'));
  for (let k = 0; k < n; k++) L[k] += p.noiseDex * u[k] + p.whiteNoiseDex * white.next();
  const bubbles = drawBubbles(p, ctx, rng.fork('bubbles'));
  const t0 = ctx.times[0];
  for (const b of bubbles) {
    const c = (b.centreMs - t0) / 1000;
    const lo = Math.max(0, Math.floor(c - 3 * b.widthS));
    const hi = Math.min(n - 1, Math.ceil(c + 3 * b.widthS));
    for (let k = lo; k <= hi; k++) {
      const x = (k - c) / b.widthS;
      const x2 = x * x;
      L[k] -= b.depthDex / (1 + x2 * x2 * x2 * x2);
    }
  }
  const Ne = new Float64Array(n);
  for (let k = 0; k < n; k++) Ne[k] = Math.pow(10, L[k]);
  return { Ne, bubbles };
}
