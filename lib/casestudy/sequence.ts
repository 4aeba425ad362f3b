// Beyond the paper (its Text S1/S2): day by day from the case track to the earthquake, night tracks crossing the
// Dobrovolsky area through MASS, anomalous ones counted (quiet / disturbed) beside daily Kp and Dst, with the
// cumulative count; days missing from the store are listed, not invented.
import type { SwarmDay } from '../swarm/types';
import { progress } from '../core/progress';
import { MASS_PARAMS, MassParams, SELECTION_PARAMS, SelectionParams, TRACK_PARAMS, CaseEvent, dobrovolskyRadiusKm } from './params';
import { segmentTracks, isNight, formatHours } from './tracks';
import { analyseTrack, trackClosestKm, GeomagIndices, EpicentreArea } from './analysis';

export interface SequenceTrack {
  number: number;
  centreUT: string;
  centreLT: string;
  closestKm: number;
  quiet: boolean;
  dst: number;
  ap: number;
  anomalousWindowsInside: number;
  anomalous: boolean;
  flaggedY: number;
  n: number;
}

export interface SequenceDay {
  day: string;
  status: 'ok' | 'missing' | 'error';
  message?: string;
  /** Analysable night tracks whose analysed part crosses the area (before the event time on the event day). */
  nightTracksInArea: number;
  anomalousQuiet: number;
  anomalousDisturbed: number;
  /** Tracks that crossed the area but could not be analysed (reason in tracksSkipped). */
  tracksSkipped: string[];
  /** Cumulative anomalousQuiet up to and including this day. */
  cumulative: number;
  kpMax: number;
  dstMin: number;
  tracks: SequenceTrack[];
}

export interface SequenceResult {
  event: CaseEvent;
  satellite: string;
  source: 'real' | 'simulated';
  from: string;
  to: string;
  radiusKm: number;
  days: SequenceDay[];
  missing: string[];
  totalAnomalousQuiet: number;
  massKt: number;
  params: SelectionParams;
}

export interface SequenceOptions {
  event: CaseEvent;
  source: 'real' | 'simulated';
  satellite?: 'A' | 'B' | 'C';
  /** Reads one day (e.g. the store's readDay); null when the day is absent. */
  readDay: (day: string) => SwarmDay | null;
  indices: GeomagIndices;
  /** First day (default: the case track's day) and last day (default: the earthquake's UT day). */
  from?: string;
  to?: string;
  mass?: MassParams;
  selection?: SelectionParams;
}

/** UT days from..to inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const a = Date.parse(from + 'T00:00:00Z'), b = Date.parse(to + 'T00:00:00Z');
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`daysBetween: bad day '${from}' or '${to}' (want YYYY-MM-DD)`);
  const out: string[] = [];
  for (let t = a; t <= b; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function dailyExtremes(indices: GeomagIndices, day: string): { kpMax: number; dstMin: number } {
  const t0 = Date.parse(day + 'T00:00:00Z');
  let kpMax = NaN, dstMin = NaN;
  for (let h = 0; h < 24; h++) {
    const t = t0 + h * 3_600_000 + 1;
    try {
      const k = indices.kp(t);
      if (Number.isFinite(k) && !(k <= kpMax)) kpMax = k;
    } catch { /* outside the series: stays NaN */ }
    try {
      const d = indices.dst(t);
      if (Number.isFinite(d) && !(d >= dstMin)) dstMin = d;
    } catch { /* outside the series */ }
  }
  return { kpMax, dstMin };
}

export function runSequence(opts: SequenceOptions): SequenceResult {
  const ev = opts.event;
  const sel = opts.selection ?? SELECTION_PARAMS;
  const mass = opts.mass ?? MASS_PARAMS;
  const radiusKm = dobrovolskyRadiusKm(ev.magnitude);
  const area: EpicentreArea = { latitude: ev.latitude, longitude: ev.longitude, radiusKm };
  const eventMs = Date.parse(ev.time);
  const from = opts.from ?? ev.trackDay, to = opts.to ?? ev.time.slice(0, 10);
  const days = daysBetween(from, to);
  const out: SequenceDay[] = [];
  let cumulative = 0;
  const bar = progress(`sequence ${ev.name}`, days.length);
  for (const day of days) {
    const ext = dailyExtremes(opts.indices, day);
    const base: SequenceDay = { day, status: 'ok', nightTracksInArea: 0, anomalousQuiet: 0, anomalousDisturbed: 0, tracksSkipped: [], cumulative, kpMax: ext.kpMax, dstMin: ext.dstMin, tracks: [] };
    let d: SwarmDay | null;
    try {
      d = opts.readDay(day);
    } catch (e) {
      out.push({ ...base, status: 'error', message: (e as Error).message });
      bar.tick(1, day);
      continue;
    }
    if (!d) {
      out.push({ ...base, status: 'missing', message: `no ${opts.source} Swarm ${opts.satellite ?? 'A'} data for ${day}` });
      bar.tick(1, day);
      continue;
    }
    const tracks = segmentTracks(d, TRACK_PARAMS, Date.parse(day + 'T00:00:00Z'));
    for (const tr of tracks) {
      if (!tr.analysable || !isNight(tr.centreLT, sel) || tr.centreMs >= eventMs) continue;
      if (trackClosestKm(d, tr, area, sel) > radiusKm) continue;
      let a;
      try {
        a = analyseTrack(d, tr, { indices: opts.indices, area, mass, selection: sel });
      } catch (e) {
        base.tracksSkipped.push(`track ${tr.number}: ${(e as Error).message}`);
        continue;
      }
      const anomalous = a.area!.anomalousWindowsInside > 0;
      base.nightTracksInArea++;
      if (anomalous && a.quiet) base.anomalousQuiet++;
      if (anomalous && !a.quiet) base.anomalousDisturbed++;
      base.tracks.push({
        number: tr.number, centreUT: formatHours(tr.centreUT), centreLT: formatHours(tr.centreLT), closestKm: Math.round(a.area!.closestKm),
        quiet: a.quiet, dst: a.dst, ap: a.ap, anomalousWindowsInside: a.area!.anomalousWindowsInside, anomalous, flaggedY: a.mass.nFlagged.Y, n: a.mass.n,
      });
    }
    cumulative += base.anomalousQuiet;
    base.cumulative = cumulative;
    out.push(base);
    bar.tick(1, day);
  }
  bar.done();
  return {
    event: ev, satellite: opts.satellite ?? 'A', source: opts.source, from, to, radiusKm, days: out,
    missing: out.filter((x) => x.status === 'missing').map((x) => x.day), totalAnomalousQuiet: cumulative, massKt: mass.kt, params: sel,
  };
}

/** Flat rows of a sequence for a table (one a day). */
export function sequenceRows(seq: SequenceResult): Record<string, string | number | null>[] {
  return seq.days.map((d) => ({
    day: d.day,
    data: d.status === 'ok' ? 'yes' : d.status === 'missing' ? 'missing' : `error: ${d.message}`,
    'night tracks in area': d.status === 'ok' ? d.nightTracksInArea : null,
    'anomalous (quiet)': d.status === 'ok' ? d.anomalousQuiet : null,
    'anomalous (disturbed)': d.status === 'ok' ? d.anomalousDisturbed : null,
    cumulative: d.cumulative,
    'max Kp': Number.isFinite(d.kpMax) ? +d.kpMax.toFixed(2) : null,
    'min Dst (nT)': Number.isFinite(d.dstMin) ? d.dstMin : null,
    tracks: d.tracks.map((t) => `${t.number}${t.anomalous ? '*' : ''}`).join(' '),
  }));
}
