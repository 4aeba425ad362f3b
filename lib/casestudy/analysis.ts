// One track through the case-study chain (paper section 2.2, Figures 1-2): |MLat| <= 50 deg part, MASS, NeLOG,
// Dst/ap at the centre, night and quiet tests, distance to the epicentre; and the choice of the case track (the
// paper's number, else the nearest night track over the epicentre, with a note saying so).
import type { SwarmDay } from '../swarm/types';
import { MASS_PARAMS, MassParams, NELOG_PARAMS, NelogParams, SELECTION_PARAMS, SelectionParams, TRACK_PARAMS, TrackParams } from './params';
import { dipolePole, greatCircleKm, isNight, magneticLatitude, segmentTracks, Track, formatHours } from './tracks';
import { runMass, MassResult } from './mass';
import { runNelog, NelogResult } from './nelog';

/** Geomagnetic index look-ups at an instant (Unix ms). */
export interface GeomagIndices {
  dst(tMs: number): number;
  ap(tMs: number): number;
  kp(tMs: number): number;
}

/** Indices from the package's readers (lib/indices): hourly Dst (WDC Kyoto), 3-hourly Kp and ap from Kp (GFZ). */
export function loadIndices(): GeomagIndices {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { readKp3Hourly, kpAt } = require('../indices/kp') as typeof import('../indices/kp');
  const { readDstHourly, dstAt } = require('../indices/dst') as typeof import('../indices/dst');
  const { apAt } = require('../indices/ap') as typeof import('../indices/ap');
  const kp = readKp3Hourly();
  const dst = readDstHourly();
  return { dst: (t) => dstAt(dst, t), ap: (t) => apAt(kp, t), kp: (t) => kpAt(kp, t) };
}

export interface EpicentreArea {
  latitude: number;
  longitude: number;
  /** Dobrovolsky radius, km. */
  radiusKm: number;
}

export interface TrackAnalysis {
  day: string;
  satellite: string;
  source: 'real' | 'simulated';
  track: Track;
  /** Record range [start, end) of the day analysed: the track's contiguous part with |magnetic latitude| <= limit. */
  analysedStart: number;
  analysedEnd: number;
  /** Dipole pole used (IGRF-13 degree 1 at the track centre). */
  pole: { latitude: number; longitude: number };
  mass: MassResult;
  /** null when the track has too few usable Ne samples (the reason is in nelogError). */
  nelog: NelogResult | null;
  nelogError: string | null;
  dst: number;
  ap: number;
  kp: number;
  quiet: boolean;
  night: boolean;
  /** Present when an epicentre area was given. */
  area?: {
    closestKm: number;
    closestLat: number;
    closestLon: number;
    crosses: boolean;
    /** MASS windows (any component) whose centre lies inside the area. */
    anomalousWindowsInside: number;
  };
  /** Track longitude and latitude (every record of the half orbit), for the map. */
  path: { lat: Float64Array; lon: Float64Array };
}

export interface AnalysisOptions {
  indices: GeomagIndices;
  area?: EpicentreArea;
  mass?: MassParams;
  nelog?: NelogParams;
  selection?: SelectionParams;
}

/** Contiguous record range of a track with |dipole magnetic latitude| <= limit (the longest such run). */
export function analysedRange(day: Pick<SwarmDay, 'Latitude' | 'Longitude'>, track: Track, pole: { latitude: number; longitude: number }, maxAbsMagLat: number): [number, number] {
  let best: [number, number] = [track.start, track.start];
  let runStart = -1;
  for (let i = track.start; i <= track.end; i++) {
    const inside = i < track.end && Math.abs(magneticLatitude(day.Latitude[i], day.Longitude[i], pole)) <= maxAbsMagLat;
    if (inside && runStart < 0) runStart = i;
    if (!inside && runStart >= 0) {
      if (i - runStart > best[1] - best[0]) best = [runStart, i];
      runStart = -1;
    }
  }
  return best;
}

/** Run the case-study chain on one track of a day. Throws with the reason when the track cannot be analysed. */
export function analyseTrack(day: SwarmDay, track: Track, opts: AnalysisOptions): TrackAnalysis {
  const sel = opts.selection ?? SELECTION_PARAMS;
  const pole = dipolePole(track.centreMs);
  const [a, b] = analysedRange(day, track, pole, sel.maxAbsMagLat);
  const where = `Swarm ${day.satellite} ${day.day} track ${track.number}`;
  if (b - a < TRACK_PARAMS.minSamples) {
    throw new Error(`${where}: only ${b - a} records within +-${sel.maxAbsMagLat} deg magnetic latitude (need ${TRACK_PARAMS.minSamples})`);
  }
  const slice = <T extends { subarray(s: number, e: number): T }>(c: T) => c.subarray(a, b);
  let mass: MassResult;
  try {
    mass = runMass(
      { Timestamp: slice(day.Timestamp), Latitude: slice(day.Latitude), Longitude: slice(day.Longitude), B_N: slice(day.B_N), B_E: slice(day.B_E), B_C: slice(day.B_C), Flags_B: slice(day.Flags_B) },
      opts.mass ?? MASS_PARAMS,
    );
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  let nelog: NelogResult | null = null, nelogError: string | null = null;
  try {
    nelog = runNelog({ Latitude: slice(day.Latitude), Longitude: slice(day.Longitude), Ne: slice(day.Ne), Flags_Ne: slice(day.Flags_Ne) }, opts.nelog ?? NELOG_PARAMS);
  } catch (e) {
    nelogError = (e as Error).message;
  }
  const dst = opts.indices.dst(track.centreMs), ap = opts.indices.ap(track.centreMs), kp = opts.indices.kp(track.centreMs);
  const quiet = Math.abs(dst) <= sel.maxAbsDst && ap <= sel.maxAp;
  const night = isNight(track.centreLT, sel);
  const out: TrackAnalysis = {
    day: day.day, satellite: day.satellite, source: day.source, track, analysedStart: a, analysedEnd: b, pole, mass, nelog, nelogError,
    dst, ap, kp, quiet, night,
    path: { lat: day.Latitude.slice(track.start, track.end), lon: day.Longitude.slice(track.start, track.end) },
  };
  if (opts.area) out.area = areaRelation(day, a, b, mass, opts.area);
  return out;
}

function areaRelation(day: SwarmDay, a: number, b: number, mass: MassResult, area: EpicentreArea): NonNullable<TrackAnalysis['area']> {
  let closestKm = Infinity, closestLat = NaN, closestLon = NaN;
  for (let i = a; i < b; i++) {
    const d = greatCircleKm(day.Latitude[i], day.Longitude[i], area.latitude, area.longitude);
    if (d < closestKm) {
      closestKm = d;
      closestLat = day.Latitude[i];
      closestLon = day.Longitude[i];
    }
  }
  const anomalousWindowsInside = mass.windows.filter(
    (w) => (w.anomalous.X || w.anomalous.Y || w.anomalous.Z) && greatCircleKm(w.centreLat, w.centreLon, area.latitude, area.longitude) <= area.radiusKm,
  ).length;
  return { closestKm, closestLat, closestLon, crosses: closestKm <= area.radiusKm, anomalousWindowsInside };
}

/** Minimum distance (km) from a track's analysed part to a point: cheap pre-screen without MASS. */
export function trackClosestKm(day: SwarmDay, track: Track, area: EpicentreArea, sel: SelectionParams = SELECTION_PARAMS): number {
  const [a, b] = analysedRange(day, track, dipolePole(track.centreMs), sel.maxAbsMagLat);
  let m = Infinity;
  for (let i = a; i < b; i++) m = Math.min(m, greatCircleKm(day.Latitude[i], day.Longitude[i], area.latitude, area.longitude));
  return m;
}

export interface CaseTrackChoice {
  track: Track;
  tracks: Track[];
  /** True when the paper's track number is a night track crossing the epicentre's area in these data. */
  matchesPaper: boolean;
  paperNumber: number;
  closestKm: number;
  /** Sentence for the figure and notebook saying what was chosen and why. */
  note: string;
}

/**
 * The case track of a day: the paper's track number when, in these data, it is an analysable night track that
 * crosses the epicentre's Dobrovolsky area; otherwise, among analysable night tracks, the one crossing the area in
 * quiet conditions (when indices are given) and passing nearest the epicentre, else the nearest night track; the
 * note says which and why.
 */
export function chooseCaseTrack(
  day: SwarmDay, paperNumber: number, area: EpicentreArea,
  opts: { selection?: SelectionParams; trackParams?: TrackParams; indices?: GeomagIndices } = {},
): CaseTrackChoice {
  const sel = opts.selection ?? SELECTION_PARAMS;
  const tracks = segmentTracks(day, opts.trackParams ?? TRACK_PARAMS, Date.parse(day.day + 'T00:00:00Z'));
  // Night as the MASS selection defines it (22-06 LT by default); when no track of the day falls in it (the
  // orbit's night side can sit at ~21 LT, as on 2016-04-07), the dark-side tracks (18-06 LT) are used instead
  // and the note says so.
  const strictNight = (t: Track) => t.analysable && isNight(t.centreLT, sel);
  const darkSide = (t: Track) => t.analysable && isNight(t.centreLT, { ...sel, nightStartLT: 18, nightEndLT: 6 });
  const anyStrict = tracks.some(strictNight);
  const ok = anyStrict ? strictNight : darkSide;
  const nightWords = anyStrict
    ? ''
    : ` No track of this day falls in the ${sel.nightStartLT}-${sel.nightEndLT} LT night window, so dark-side tracks (18-06 LT) are considered.`;
  const paperTrack = tracks.find((t) => t.number === paperNumber);
  if (paperTrack && ok(paperTrack)) {
    const d = trackClosestKm(day, paperTrack, area, sel);
    if (d <= area.radiusKm) {
      return {
        track: paperTrack, tracks, matchesPaper: true, paperNumber, closestKm: d,
        note: `Track ${paperNumber} of ${day.day}, as in the paper: a ${anyStrict ? 'night' : 'dark-side'} track (centre ${formatHours(paperTrack.centreLT)} LT) passing ${d.toFixed(0)} km from the epicentre.${nightWords}`,
      };
    }
  }
  const quietAt = (t: Track) => {
    if (!opts.indices) return true;
    try {
      return Math.abs(opts.indices.dst(t.centreMs)) <= sel.maxAbsDst && opts.indices.ap(t.centreMs) <= sel.maxAp;
    } catch {
      return false;
    }
  };
  let best: Track | null = null, bestKey: [number, number] = [Infinity, Infinity];
  for (const t of tracks) {
    if (!ok(t)) continue;
    const d = trackClosestKm(day, t, area, sel);
    const rank = d <= area.radiusKm ? (quietAt(t) ? 0 : 1) : 2;
    if (rank < bestKey[0] || (rank === bestKey[0] && d < bestKey[1])) {
      bestKey = [rank, d];
      best = t;
    }
  }
  if (!best) throw new Error(`Swarm ${day.satellite} ${day.day}: no analysable night or dark-side track (18-06 LT) in the data`);
  const bestD = bestKey[1];
  const why = !paperTrack
    ? `there is no track ${paperNumber} in these data`
    : !isNight(paperTrack.centreLT, sel)
      ? `track ${paperNumber} is not a night track in these data (centre ${formatHours(paperTrack.centreLT)} LT)`
      : !paperTrack.analysable
        ? `track ${paperNumber} is too short in these data (${paperTrack.nSamples} records)`
        : `track ${paperNumber} passes ${trackClosestKm(day, paperTrack, area, sel).toFixed(0)} km from the epicentre, outside its ${area.radiusKm.toFixed(0)} km Dobrovolsky radius`;
  const how = bestKey[0] === 0
    ? `the night track crossing the Dobrovolsky area in quiet conditions nearest the epicentre`
    : bestKey[0] === 1
      ? `the night track crossing the Dobrovolsky area nearest the epicentre (no quiet one crosses it)`
      : `the night track passing nearest the epicentre (none crosses the Dobrovolsky area)`;
  return {
    track: best, tracks, matchesPaper: false, paperNumber, closestKm: bestD,
    note: `The paper's track ${paperNumber} of ${day.day} is not used: ${why}. Track ${best.number} (centre ${formatHours(best.centreUT)} UT, ${formatHours(best.centreLT)} LT, ${bestD.toFixed(0)} km from the epicentre), ${how}, is shown instead.${nightWords}`,
  };
}
