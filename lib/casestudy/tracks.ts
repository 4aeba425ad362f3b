// Track segmentation and geometry for the case studies (paper section 2.2, Figures 1-2): a UT day of Swarm
// records cut into half-orbit tracks between latitude extrema, numbered per day (TRACK_PARAMS.numbering), with
// each track's centre UT and local time, dipole magnetic latitude and great-circle distances.
import { IGRF13_DIPOLE, IGRF13_SV_2020, TRACK_PARAMS, TrackParams, EARTH_RADIUS_KM, SELECTION_PARAMS, SelectionParams } from './params';

const DEG = Math.PI / 180;

export interface Track {
  /** Track number of the day (1-based, UT order; track 1 holds the day's first record). */
  number: number;
  /** Index range [start, end) into the day's columns. */
  start: number;
  end: number;
  startMs: number;
  endMs: number;
  /** Centre: the record nearest the time midpoint of the track. */
  centreIndex: number;
  centreMs: number;
  centreLatitude: number;
  centreLongitude: number;
  /** UT of the centre, hours [0, 24). */
  centreUT: number;
  /** Mean solar local time of the centre, hours [0, 24): UT + longitude / 15. */
  centreLT: number;
  direction: 'ascending' | 'descending';
  /** True when the track is cut by the day's start or end (no latitude extremum there). */
  partial: boolean;
  nSamples: number;
  /** False when it has fewer than TRACK_PARAMS.minSamples records. */
  analysable: boolean;
}

/** Hours of UT in [0, 24) of a Unix-ms instant. */
export function utHours(tMs: number): number {
  const d = ((tMs % 86_400_000) + 86_400_000) % 86_400_000;
  return d / 3_600_000;
}

export { localTimeHours, greatCircleKm } from '../core/geo';
import { localTimeHours, greatCircleKm } from '../core/geo';

/** Is a local time (hours) inside the night interval [start, 24) U [0, end)? */
export function isNight(lt: number, sel: SelectionParams = SELECTION_PARAMS): boolean {
  return sel.nightStartLT > sel.nightEndLT ? lt >= sel.nightStartLT || lt < sel.nightEndLT : lt >= sel.nightStartLT && lt < sel.nightEndLT;
}

/** 'HH:MM' of hours in [0, 24). */
export function formatHours(h: number): string {
  let m = Math.round(h * 60);
  m = ((m % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Decimal year of a Unix-ms instant. */
export function decimalYear(tMs: number): number {
  const y = new Date(tMs).getUTCFullYear();
  const a = Date.UTC(y, 0, 1), b = Date.UTC(y + 1, 0, 1);
  return y + (tMs - a) / (b - a);
}

/** IGRF-13 degree-1 coefficients at a decimal year (linear between epochs, SV after 2020). */
export function dipoleCoefficients(year: number): { g10: number; g11: number; h11: number } {
  const E = IGRF13_DIPOLE;
  if (year >= E[E.length - 1].epoch) {
    const last = E[E.length - 1], dt = year - last.epoch;
    return { g10: last.g10 + IGRF13_SV_2020.g10 * dt, g11: last.g11 + IGRF13_SV_2020.g11 * dt, h11: last.h11 + IGRF13_SV_2020.h11 * dt };
  }
  let i = 0;
  while (i < E.length - 2 && year >= E[i + 1].epoch) i++;
  const a = E[i], b = E[i + 1];
  const f = (year - a.epoch) / (b.epoch - a.epoch); // < 0 before 2010: linear extrapolation
  return { g10: a.g10 + f * (b.g10 - a.g10), g11: a.g11 + f * (b.g11 - a.g11), h11: a.h11 + f * (b.h11 - a.h11) };
}

/** Geocentric position (deg) of the boreal (northern) geomagnetic dipole pole at a Unix-ms instant. */
export function dipolePole(tMs: number): { latitude: number; longitude: number } {
  const { g10, g11, h11 } = dipoleCoefficients(decimalYear(tMs));
  const b0 = Math.hypot(g10, g11, h11);
  const theta = Math.acos(-g10 / b0);
  const phi = Math.atan2(-h11, -g11);
  return { latitude: 90 - theta / DEG, longitude: phi / DEG };
}

/** Dipole magnetic latitude (deg) of geocentric (latitude, longitude) for a given pole. */
export function magneticLatitude(latitude: number, longitude: number, pole: { latitude: number; longitude: number }): number {
  const s = Math.sin(latitude * DEG) * Math.sin(pole.latitude * DEG)
    + Math.cos(latitude * DEG) * Math.cos(pole.latitude * DEG) * Math.cos((longitude - pole.longitude) * DEG);
  return Math.asin(Math.max(-1, Math.min(1, s))) / DEG;
}


/** Points (lon, lat) of a small circle of radius km around a centre, clockwise (bearing 0..360), closed. */
export function circlePoints(lat: number, lon: number, radiusKm: number, n = 120): [number, number][] {
  const d = radiusKm / EARTH_RADIUS_KM;
  const out: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const brg = (2 * Math.PI * (i % n)) / n;
    const la = Math.asin(Math.sin(lat * DEG) * Math.cos(d) + Math.cos(lat * DEG) * Math.sin(d) * Math.cos(brg));
    const lo = lon * DEG + Math.atan2(Math.sin(brg) * Math.sin(d) * Math.cos(lat * DEG), Math.cos(d) - Math.sin(lat * DEG) * Math.sin(la));
    out.push([((((lo / DEG) + 540) % 360) - 180), la / DEG]);
  }
  return out;
}

/**
 * Split a UT day of records (Timestamp Unix ms increasing, geocentric Latitude, Longitude) into half-orbit tracks.
 * Boundaries are latitude extrema (a change of the sign of dLatitude). A gap longer than params.maxGapS in which
 * the orbit turned (direction differs across it, or the gap spans about a half period or more) advances the
 * track number by the number of turning points it hides, estimated from the median half-orbit duration, so the
 * numbering stays "per day in UT order" across data gaps. With dayStartMs (00:00 UT of the day), data that
 * start more than maxGapS after it are numbered as if the half orbits before the first record were there.
 */
export function segmentTracks(
  cols: { Timestamp: ArrayLike<number>; Latitude: ArrayLike<number>; Longitude: ArrayLike<number> },
  params: TrackParams = TRACK_PARAMS,
  dayStartMs?: number,
): Track[] {
  const t = cols.Timestamp, lat = cols.Latitude, lon = cols.Longitude;
  const n = t.length;
  if (lat.length !== n || lon.length !== n) throw new Error(`segmentTracks: column lengths differ (Timestamp ${n}, Latitude ${lat.length}, Longitude ${lon.length})`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i]) || !Number.isFinite(lat[i]) || !Number.isFinite(lon[i])) {
      throw new Error(`segmentTracks: non-finite Timestamp/Latitude/Longitude at record ${i}`);
    }
    if (i > 0 && !(t[i] > t[i - 1])) throw new Error(`segmentTracks: Timestamp not increasing at record ${i}`);
  }
  if (n === 0) return [];
  const gapMs = params.maxGapS * 1000;
  // cut points: record index where a new track starts, and how many turning points precede it
  const cuts: { at: number; advance: number; gap: boolean }[] = [];
  let dir = 0; // sign of dLatitude of the current run
  for (let i = 1; i < n; i++) {
    const d = Math.sign(lat[i] - lat[i - 1]);
    const gap = t[i] - t[i - 1] > gapMs;
    if (gap) {
      const dNext = i + 1 < n && t[i + 1] - t[i] <= gapMs ? Math.sign(lat[i + 1] - lat[i]) : d;
      cuts.push({ at: i, advance: dir !== 0 && dNext !== 0 && dNext !== dir ? -1 : -2, gap: true }); // resolved below
      dir = dNext;
      continue;
    }
    if (d === 0) continue;
    if (dir !== 0 && d !== dir) {
      // extremum at i-1: the new track starts at the record nearer the extremum side; start at i-1's successor
      cuts.push({ at: i, advance: 1, gap: false });
    }
    dir = d;
  }
  // median half-orbit duration from complete tracks (between two extrema, no gap)
  const ext = cuts.filter((c) => !c.gap).map((c) => c.at);
  const durations: number[] = [];
  for (let j = 1; j < ext.length; j++) {
    const between = cuts.some((c) => c.gap && c.at > ext[j - 1] && c.at < ext[j]);
    if (!between) durations.push(t[ext[j]] - t[ext[j - 1]]);
  }
  durations.sort((a, b) => a - b);
  const halfPeriodMs = durations.length ? durations[durations.length >> 1] : 47.2 * 60_000;
  for (const c of cuts) {
    if (!c.gap) continue;
    const odd = c.advance === -1; // direction changed: an odd number of turning points in the gap
    const est = (t[c.at] - t[c.at - 1]) / halfPeriodMs;
    let k = Math.round(est);
    if (odd && k % 2 === 0) k = est >= k ? k + 1 : Math.max(1, k - 1);
    if (!odd && k % 2 === 1) k = est >= k ? k + 1 : k - 1;
    c.advance = k;
  }
  const tracks: Track[] = [];
  let number = 1, start = 0;
  // data starting late in the day: count the turning points hidden before the first record
  if (dayStartMs !== undefined && t[0] - dayStartMs > gapMs && ext.length > 0) {
    number += Math.floor((t[ext[0]] - dayStartMs) / halfPeriodMs);
  }
  const push = (end: number, partialEnd: boolean, partialStart: boolean) => {
    if (end <= start) return;
    const mid = (t[start] + t[end - 1]) / 2;
    let ci = start;
    while (ci + 1 < end && Math.abs(t[ci + 1] - mid) <= Math.abs(t[ci] - mid)) ci++;
    const dlat = lat[end - 1] - lat[start];
    tracks.push({
      number, start, end, startMs: t[start], endMs: t[end - 1],
      centreIndex: ci, centreMs: t[ci], centreLatitude: lat[ci], centreLongitude: lon[ci],
      centreUT: utHours(t[ci]), centreLT: localTimeHours(t[ci], lon[ci]),
      direction: dlat >= 0 ? 'ascending' : 'descending',
      partial: partialStart || partialEnd, nSamples: end - start, analysable: end - start >= params.minSamples,
    });
  };
  let startPartial = true; // the day's first track starts at the day boundary
  for (const c of cuts) {
    if (c.advance === 0) {
      // a gap inside one half orbit: keep one track (with a hole)
      continue;
    }
    push(c.at, c.gap, startPartial);
    number += c.advance;
    start = c.at;
    startPartial = c.gap;
  }
  push(n, true, startPartial);
  return tracks;
}

/** Track with a given number, or undefined. */
export function trackByNumber(tracks: Track[], number: number): Track | undefined {
  return tracks.find((tr) => tr.number === number);
}
