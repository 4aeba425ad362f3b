// Synthetic Swarm-like days for the case-study tests (not a test file itself): a circular near-polar orbit
// (inclination 87.35 deg, period 94 min) over a rotating Earth, a smooth dipole-like field, white noise, an
// optional 0.4 Hz wave packet in B_E and an Ne profile that is an exact low-degree polynomial in log10.
import { rngFor } from '../lib/core/random';
import type { SwarmDay } from '../lib/swarm/types';
import { allocColumns } from '../lib/swarm/types';

export interface SyntheticOptions {
  day?: string;
  /** Seconds of the day to generate [from, to). */
  fromS?: number;
  toS?: number;
  /** Noise sd (nT) on each component. */
  noiseNt?: number;
  /** Planted packet in B_E: centre latitude (deg, on the track holding centreTimeS), frequency, amplitude (nT), Gaussian sd (s). */
  packet?: { centreTimeS: number; freqHz: number; amplitudeNt: number; sdS: number };
  /** Planted Ne depletion: centre time (s), log10 depth, half width (s). */
  depletion?: { centreTimeS: number; depth: number; halfWidthS: number };
  /** Uniform noise half width on log10 Ne. */
  neNoise?: number;
  /** Records removed (gap) [from, to) seconds. */
  gapS?: [number, number];
  /** Initial argument of latitude (deg) and ascending-node longitude at 00 UT (deg; 22.5: ascending passes near 01:30 LT, as Swarm A in Feb 2016). */
  u0Deg?: number;
  nodeLonDeg?: number;
  stream?: string;
}

export const PERIOD_S = 94 * 60;
const INC = (87.35 * Math.PI) / 180;
const OMEGA_E = (2 * Math.PI) / 86164;

/** Orbit position (geocentric lat, lon in deg) at second s of the day. */
export function orbitAt(s: number, u0Deg = 10, nodeLonDeg = 22.5): { lat: number; lon: number; u: number } {
  const u = (u0Deg * Math.PI) / 180 + (2 * Math.PI * s) / PERIOD_S;
  const lat = Math.asin(Math.sin(INC) * Math.sin(u));
  let lon = Math.atan2(Math.cos(INC) * Math.sin(u), Math.cos(u)) + (nodeLonDeg * Math.PI) / 180 - OMEGA_E * s;
  lon = ((((lon * 180) / Math.PI + 540) % 360) + 360) % 360 - 180;
  return { lat: (lat * 180) / Math.PI, lon, u };
}

export function syntheticDay(o: SyntheticOptions = {}): SwarmDay {
  const day = o.day ?? '2016-02-15';
  const from = o.fromS ?? 0, to = o.toS ?? 86400;
  const rng = rngFor('test', 'casestudy-synthetic', o.stream ?? 'default');
  const secs: number[] = [];
  for (let s = from; s < to; s++) if (!o.gapS || s < o.gapS[0] || s >= o.gapS[1]) secs.push(s);
  const c = allocColumns(secs.length);
  const t0 = Date.parse(day + 'T00:00:00Z');
  const noise = o.noiseNt ?? 0.1;
  secs.forEach((s, i) => {
    const { lat, lon } = orbitAt(s, o.u0Deg, o.nodeLonDeg);
    const la = (lat * Math.PI) / 180, lo = (lon * Math.PI) / 180;
    c.Timestamp[i] = t0 + s * 1000;
    c.Latitude[i] = lat;
    c.Longitude[i] = lon;
    c.Radius[i] = 6_371_200 + 460_000;
    c.B_N[i] = 27000 * Math.cos(la) + 300 * Math.sin(lo) + (noise ? rng.normal(0, noise) : 0);
    c.B_E[i] = -1500 * Math.sin(lo) * Math.cos(la) + (noise ? rng.normal(0, noise) : 0);
    c.B_C[i] = 45000 * Math.sin(la) - 800 * Math.cos(2 * la) + (noise ? rng.normal(0, noise) : 0);
    if (o.packet) {
      const p = o.packet, dt = s - p.centreTimeS;
      c.B_E[i] += p.amplitudeNt * Math.exp(-0.5 * (dt / p.sdS) ** 2) * Math.sin(2 * Math.PI * p.freqHz * dt);
    }
    // log10 Ne: exact quadratic in latitude (plus optional uniform noise and depletion)
    let logNe = 5.3 - 6e-5 * lat * lat + 2e-3 * lat;
    if (o.neNoise) logNe += rng.uniform(-o.neNoise, o.neNoise);
    if (o.depletion && Math.abs(s - o.depletion.centreTimeS) <= o.depletion.halfWidthS) logNe -= o.depletion.depth;
    c.Ne[i] = Math.pow(10, logNe);
  });
  return { ...c, satellite: 'A', day, source: 'simulated' };
}

/** Second of the day at which the orbit crosses a given latitude going in the given direction, after `after`. */
export function crossingTime(lat: number, ascending: boolean, after: number, u0Deg = 10, nodeLonDeg = 22.5): number {
  for (let s = after; s < after + 2 * PERIOD_S; s++) {
    const a = orbitAt(s, u0Deg, nodeLonDeg).lat, b = orbitAt(s + 1, u0Deg, nodeLonDeg).lat;
    if (ascending ? a <= lat && b > lat : a >= lat && b < lat) return s + (lat - a) / (b - a);
  }
  throw new Error(`no crossing of ${lat} after ${after}`);
}
