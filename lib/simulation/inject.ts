// Injected "precursors" for real catalog events (paper 2.1): on passes inside the Dobrovolsky area in the days before
// an event, a 0.1-0.5 Hz wave packet mainly in B_East plus a relative Ne change (the case-study signatures, paper
// 2.2), each returned as a ground-truth entry; a Hann envelope leaves everything outside the span untouched.
import { Rng } from '../core/random';
import { Catalog } from '../catalog/comcat';
import { InjectionParams } from './params';
import { localSolarTime } from './orbit';

const DEG = Math.PI / 180;
const DAY_MS = 86_400_000;
/** Coarse step (samples) of the pass search, and the angle (rad) flown in half of it at <= 8 km/s, with margin. */
const COARSE = 10;
const COARSE_MARGIN_RAD = (COARSE * 8) / 6371;
/** Mean Earth radius for great-circle distances (km). */
export const EARTH_RADIUS_KM = 6371.0;

/** One injected perturbation (a row of the ground-truth table). */
export interface TruthEntry {
  /** Unique id: <day>#<k>. */
  id: string;
  satellite: 'A';
  day: string;
  eventId: string;
  eventTime: string;
  eventMag: number;
  eventLatitude: number;
  eventLongitude: number;
  /** Preparation radius used (km) and the pass's closest distance to the epicentre (km). */
  radiusKm: number;
  closestKm: number;
  /** Days from the pass to the event. */
  leadDays: number;
  /** Perturbed span (inclusive sample times, Unix ms and ISO). */
  tStartMs: number;
  tEndMs: number;
  tStart: string;
  tEnd: string;
  /** Position and local time at the packet centre. */
  latitude: number;
  longitude: number;
  localTimeH: number;
  frequencyHz: number;
  /** Phases (radians) of the packet's carrier per component at tStart: the packet is fully reconstructible. */
  phaseN: number;
  phaseE: number;
  phaseC: number;
  /** Peak amplitudes (nT) per component and the peak relative Ne change (signed). */
  amplitudeN: number;
  amplitudeE: number;
  amplitudeC: number;
  neRelative: number;
  /** Samples of the span where B is present (not a gap) in the output. */
  validSamples: number;
}

/** Dobrovolsky preparation radius (km): radiusFactor * 10^(radiusExponent * M). */
export function preparationRadiusKm(p: InjectionParams, mag: number): number {
  return p.radiusFactor * Math.pow(10, p.radiusExponent * mag);
}

/** Events whose precursor window can touch the day [t0, t1): indices into the catalog. */
export function candidateEvents(p: InjectionParams, cat: Catalog, t0: number, t1: number): number[] {
  const out: number[] = [];
  const lo = t0 + p.minLeadDays * DAY_MS;
  const hi = t1 + p.maxLeadDays * DAY_MS;
  for (let i = 0; i < cat.id.length; i++) {
    const t = cat.time[i];
    if (t > lo && t <= hi && cat.mag[i] >= p.minMagnitude && cat.type[i] === p.eventType) out.push(i);
  }
  return out;
}

export interface InjectTrack {
  Timestamp: Float64Array;
  Latitude: Float64Array;
  Longitude: Float64Array;
  unit: Float64Array;
}

export interface InjectTargets {
  B_N: Float64Array;
  B_E: Float64Array;
  B_C: Float64Array;
  Ne: Float64Array;
}

/**
 * Find the passes over each candidate event's preparation area whose time is within the lead window, draw
 * whether each carries a precursor, and add the packets to the targets in place. Returns the ground truth.
 * The random draws of one (event, pass) come from their own stream, so they do not depend on other events.
 */
export function injectPrecursors(p: InjectionParams, cat: Catalog, day: string, tr: InjectTrack, targets: InjectTargets, rng: Rng): TruthEntry[] {
  const truth: TruthEntry[] = [];
  if (!p.enabled) return truth;
  const n = tr.Timestamp.length;
  if (n === 0) return truth;
  const t0 = tr.Timestamp[0];
  const t1 = tr.Timestamp[n - 1] + 1000;
  const U = tr.unit;
  for (const i of candidateEvents(p, cat, t0, t1)) {
    const mag = cat.mag[i];
    const R = preparationRadiusKm(p, mag);
    const cosR = Math.cos(Math.min(R / EARTH_RADIUS_KM, Math.PI));
    const la = cat.latitude[i] * DEG, lo = cat.longitude[i] * DEG;
    const ex = Math.cos(la) * Math.cos(lo), ey = Math.cos(la) * Math.sin(lo), ez = Math.sin(la);
    // coarse scan every COARSE samples with the radius widened by the distance flown meanwhile, then a fine
    // scan of the flagged stretches only (an inside sample is never more than COARSE/2 samples from a coarse one)
    const cosWide = Math.cos(Math.min(R / EARTH_RADIUS_KM + COARSE_MARGIN_RAD, Math.PI));
    const ranges: number[] = [];
    for (let c = 0; c < n; c += COARSE) {
      if (U[3 * c] * ex + U[3 * c + 1] * ey + U[3 * c + 2] * ez <= cosWide) continue;
      const lo0 = Math.max(0, c - COARSE), hi0 = Math.min(n - 1, c + COARSE);
      if (ranges.length && ranges[ranges.length - 1] >= lo0 - 1) ranges[ranges.length - 1] = hi0;
      else ranges.push(lo0, hi0);
    }
    for (let ri = 0; ri < ranges.length; ri += 2) {
      const rEnd = ranges[ri + 1];
      let k = ranges[ri];
      while (k <= rEnd) {
        if (U[3 * k] * ex + U[3 * k + 1] * ey + U[3 * k + 2] * ez <= cosR) {
          k++;
          continue;
        }
        // a pass: contiguous samples inside the radius
        const s = k;
        let best = k, bestDot = -2;
        while (k < n) {
          const d = U[3 * k] * ex + U[3 * k + 1] * ey + U[3 * k + 2] * ez;
          if (d <= cosR) break;
          if (d > bestDot) { bestDot = d; best = k; }
          k++;
        }
        const e = k - 1;
        const lead = (cat.time[i] - tr.Timestamp[best]) / DAY_MS;
        if (!(lead > p.minLeadDays && lead <= p.maxLeadDays)) continue;
        const r = rng.fork('pass', cat.id[i], tr.Timestamp[s]);
        if (!r.bernoulli(p.probability)) continue;
        // packet: centred on the closest approach, inside the pass
        const want = r.uniform(p.durationS[0], p.durationS[1]);
        const half = Math.floor(want / 2);
        const a = Math.max(s, best - half);
        const b = Math.min(e, best + half);
        if (b - a < 4) continue; // a grazing pass too short to hold a packet
        const scale = Math.pow(10, p.magnitudeScaling * (mag - p.referenceMagnitude));
        const spread = Math.exp(r.uniform(Math.log(p.amplitudeSpread[0]), Math.log(p.amplitudeSpread[1])));
        const aE = p.amplitudeEastNt * scale * spread;
        const aN = p.northRatio * aE;
        const aC = p.centreRatio * aE;
        const f = r.uniform(p.bandHz[0], p.bandHz[1]);
        const phE = r.uniform(0, 2 * Math.PI), phN = r.uniform(0, 2 * Math.PI), phC = r.uniform(0, 2 * Math.PI);
        const neRel = Math.min(0.9, p.neRelative * scale * spread) * (r.bernoulli(0.5) ? 1 : -1);
        const span = b - a;
        for (let q = a; q <= b; q++) {
          const x = (q - a) / span;
          const w = Math.sin(Math.PI * x);
          const env = w * w;
          const ph = 2 * Math.PI * f * (q - a);
          targets.B_E[q] += aE * env * Math.sin(ph + phE);
          targets.B_N[q] += aN * env * Math.sin(ph + phN);
          targets.B_C[q] += aC * env * Math.sin(ph + phC);
          targets.Ne[q] *= 1 + neRel * env;
        }
        const c = (a + b) >> 1;
        truth.push({
          id: `${day}#${truth.length}`,
          satellite: 'A',
          day,
          eventId: cat.id[i],
          eventTime: new Date(cat.time[i]).toISOString(),
          eventMag: mag,
          eventLatitude: cat.latitude[i],
          eventLongitude: cat.longitude[i],
          radiusKm: R,
          closestKm: Math.acos(Math.min(1, bestDot)) * EARTH_RADIUS_KM,
          leadDays: lead,
          tStartMs: tr.Timestamp[a],
          tEndMs: tr.Timestamp[b],
          tStart: new Date(tr.Timestamp[a]).toISOString(),
          tEnd: new Date(tr.Timestamp[b]).toISOString(),
          latitude: tr.Latitude[c],
          longitude: tr.Longitude[c],
          localTimeH: localSolarTime(tr.Timestamp[c], tr.Longitude[c]),
          frequencyHz: f,
          phaseN: phN,
          phaseE: phE,
          phaseC: phC,
          amplitudeN: aN,
          amplitudeE: aE,
          amplitudeC: aC,
          neRelative: neRel,
          validSamples: span + 1,
        });
    }
    }
  }
  return truth;
}

/**
 * The perturbation an entry describes at a sample time (Unix ms): [dN, dE, dC] in nT and the Ne factor.
 * Zero (and factor 1) outside [tStartMs, tEndMs]. Used by tests and figures to rebuild a packet from the table.
 */
export function packetAt(e: TruthEntry, tMs: number): { dN: number; dE: number; dC: number; neFactor: number } {
  if (tMs < e.tStartMs || tMs > e.tEndMs) return { dN: 0, dE: 0, dC: 0, neFactor: 1 };
  const q = (tMs - e.tStartMs) / 1000;
  const span = (e.tEndMs - e.tStartMs) / 1000;
  const w = Math.sin((Math.PI * q) / span);
  const env = w * w;
  const ph = 2 * Math.PI * e.frequencyHz * q;
  return {
    dN: e.amplitudeN * env * Math.sin(ph + e.phaseN),
    dE: e.amplitudeE * env * Math.sin(ph + e.phaseE),
    dC: e.amplitudeC * env * Math.sin(ph + e.phaseC),
    neFactor: 1 + e.neRelative * env,
  };
}

/** Columns of the ground-truth CSV, in order. */
export const TRUTH_COLUMNS: (keyof TruthEntry)[] = [
  'id', 'satellite', 'day', 'eventId', 'eventTime', 'eventMag', 'eventLatitude', 'eventLongitude', 'radiusKm', 'closestKm',
  'leadDays', 'tStartMs', 'tEndMs', 'tStart', 'tEnd', 'latitude', 'longitude', 'localTimeH', 'frequencyHz', 'phaseN', 'phaseE', 'phaseC', 'amplitudeN',
  'amplitudeE', 'amplitudeC', 'neRelative', 'validSamples',
];
