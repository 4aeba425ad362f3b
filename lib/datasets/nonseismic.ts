// Artificial non-seismic events (paper section 2.3): random latitude, longitude and time, not within 10 deg of a
// real earthquake's latitude or longitude and not within 15 days of it; up to five per real event (Table 1 ratios
// 1:1 to 1:5). Seeded per (real event, replicate) so a ratio-k set is the first k replicates of the ratio-5 set.
// Placement 'uniform' is the paper's wording; 'matched' (shortcut control, issue 10) takes real epicentres at other
// real events' times, so position, local time and season follow the real events'.
import { rngFor } from '../core/random';
import { lonDiffDeg } from '../catalog/filters';
import { NonSeismicPlacement, OrReading } from './params';

export interface PointEvents {
  time: Float64Array;
  latitude: Float64Array;
  longitude: Float64Array;
}

export interface NonSeismicOptions {
  /** Artificial events per real event (1..5). */
  ratio: number;
  /** Time range (Unix ms) for the random times, [from, to). */
  from: number;
  to: number;
  latRange: [number, number];
  exclusionDeg: number;
  exclusionDays: number;
  orReading: OrReading;
  maxTries: number;
  /** 'uniform' (default) or 'matched' (needs `donors`). */
  placement?: NonSeismicPlacement;
  /** Matched placement: the real events whose epicentres and times are drawn (independently) for each try. */
  donors?: PointEvents;
}

export interface NonSeismicResult {
  time: Float64Array;
  latitude: Float64Array;
  longitude: Float64Array;
  /** Index of the real event each artificial event is paired with (its magnitude sets the Dobrovolsky radius). */
  pairedReal: Int32Array;
  replicate: Uint8Array;
  /** Real events x ratio that could not be placed within maxTries (reported, not hidden). */
  failed: number;
  tries: number;
}

/** Matched placement: tries with one donor epicentre (times redrawn) before another epicentre is drawn. */
export const MATCHED_TRIES_PER_DONOR = 1000;

/** True when the point (lat, lon) conflicts in space with the real event under the reading of "or". */
export function spatialConflict(lat: number, lon: number, rLat: number, rLon: number, deg: number, reading: OrReading): boolean {
  const nearLat = Math.abs(lat - rLat) <= deg;
  const nearLon = lonDiffDeg(lon, rLon) <= deg;
  return reading === 'box' ? nearLat && nearLon : nearLat || nearLon;
}

export { lowerBound } from '../core/search';
import { lowerBound } from '../core/search';

/** True when (t, lat, lon) is within exclusionDays of a real event that it also conflicts with in space. */
export function conflictsWithReal(
  t: number, lat: number, lon: number, real: PointEvents, o: Pick<NonSeismicOptions, 'exclusionDeg' | 'exclusionDays' | 'orReading'>,
): boolean {
  const dt = o.exclusionDays * 86_400_000;
  for (let k = lowerBound(real.time, t - dt); k < real.time.length && real.time[k] <= t + dt; k++) {
    if (spatialConflict(lat, lon, real.latitude[k], real.longitude[k], o.exclusionDeg, o.orReading)) return true;
  }
  return false;
}

/**
 * Draw `ratio` artificial events per real event by rejection sampling. `exclusion` must be sorted by time
 * (the real earthquakes to keep away from); `realIds` seed the streams.
 */
export function generateNonSeismic(realIds: string[], exclusion: PointEvents, o: NonSeismicOptions): NonSeismicResult {
  for (let k = 1; k < exclusion.time.length; k++) {
    if (exclusion.time[k] < exclusion.time[k - 1]) throw new Error('generateNonSeismic: exclusion events must be sorted by time');
  }
  if (!(o.ratio >= 1 && Number.isInteger(o.ratio))) throw new Error(`generateNonSeismic: ratio must be a positive integer, got ${o.ratio}`);
  if (!(o.to > o.from)) throw new Error('generateNonSeismic: empty time range');
  const matched = (o.placement ?? 'uniform') === 'matched';
  const donors = o.donors;
  if (matched && (!donors || donors.time.length === 0)) throw new Error("generateNonSeismic: placement 'matched' needs at least one donor event");
  const n = realIds.length * o.ratio;
  const time = new Float64Array(n), latitude = new Float64Array(n), longitude = new Float64Array(n);
  const pairedReal = new Int32Array(n), replicate = new Uint8Array(n);
  let m = 0, failed = 0, tries = 0;
  for (let i = 0; i < realIds.length; i++) {
    for (let r = 0; r < o.ratio; r++) {
      const rng = rngFor('nonSeismicEvents', realIds[i], r);
      let placed = false;
      let donor = 0;
      for (let k = 0; k < o.maxTries; k++) {
        tries++;
        let t: number, lat: number, lon: number;
        if (matched) {
          // the epicentre is kept for MATCHED_TRIES_PER_DONOR tries while only the time is redrawn, so that busy
          // seismic zones (where most times are excluded) are not under-represented among the artificial events
          if (k % MATCHED_TRIES_PER_DONOR === 0) donor = rng.int(donors!.time.length);
          lat = donors!.latitude[donor];
          lon = donors!.longitude[donor];
          t = donors!.time[rng.int(donors!.time.length)];
        } else {
          t = rng.uniform(o.from, o.to);
          lat = rng.uniform(o.latRange[0], o.latRange[1]);
          lon = rng.uniform(-180, 180);
        }
        if (conflictsWithReal(t, lat, lon, exclusion, o)) continue;
        time[m] = t;
        latitude[m] = lat;
        longitude[m] = lon;
        pairedReal[m] = i;
        replicate[m] = r;
        m++;
        placed = true;
        break;
      }
      if (!placed) failed++;
    }
  }
  return {
    time: time.slice(0, m), latitude: latitude.slice(0, m), longitude: longitude.slice(0, m),
    pairedReal: pairedReal.slice(0, m), replicate: replicate.slice(0, m), failed, tries,
  };
}
