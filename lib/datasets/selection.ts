// Sample selection and labelling (paper sections 3.1, 4, Figure 3): a 1 Hz sample belongs to an event inside its
// spatial window (Dobrovolsky R = 10^(0.43 M) km or 3/5/7/10 deg), temporal window (-15..+5 days) and local-time
// band; class 1 real earthquake, 0 artificial event, 2 when Kp > 3 at the sample's time whatever the event.
import { greatCircleKm, KM_PER_DEG, lonDiffDeg } from '../catalog/filters';
import { DOBROVOLSKY_EXPONENT, dobrovolskyRadiusKm } from '../catalog/dobrovolsky';
import { SwarmColumns } from '../swarm/types';
import { lowerBound } from './nonseismic';
import { DatasetParams } from './params';
import { DatasetConfig, LocalTimeBand, selectionKey, SpatialRule } from './table1';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Real and artificial events in one table, sorted by time. */
export interface EventTable {
  id: string[];
  time: Float64Array;
  latitude: Float64Array;
  longitude: Float64Array;
  /** Magnitude; for an artificial event the magnitude of its paired real event. */
  mag: Float64Array;
  /** 1 real earthquake (class 1), 0 artificial non-seismic event (class 0). */
  seismic: Uint8Array;
  /** For an artificial event: table index of its real event; for a real event: its own index. */
  pairedReal: Int32Array;
  /** Replicate number of an artificial event (0..4); 0 for real events. */
  replicate: Uint8Array;
}

export function eventTableFromRows(
  rows: { id: string; time: number; latitude: number; longitude: number; mag: number; seismic: boolean; pairedReal?: number; replicate?: number }[],
): EventTable {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].time - rows[b].time || a - b);
  const pos = new Int32Array(rows.length);
  order.forEach((o, k) => (pos[o] = k));
  const r = order.map((i) => rows[i]);
  return {
    id: r.map((x) => x.id),
    time: Float64Array.from(r, (x) => x.time),
    latitude: Float64Array.from(r, (x) => x.latitude),
    longitude: Float64Array.from(r, (x) => x.longitude),
    mag: Float64Array.from(r, (x) => x.mag),
    seismic: Uint8Array.from(r, (x) => (x.seismic ? 1 : 0)),
    pairedReal: Int32Array.from(r, (x, k) => (x.pairedReal === undefined ? k : pos[x.pairedReal])),
    replicate: Uint8Array.from(r, (x) => x.replicate ?? 0),
  };
}

/** Dobrovolsky et al. (1979) preparation radius, km (the catalog stage's function, with the exponent a parameter). */
export function dobrovolskyKm(m: number, exponent = DOBROVOLSKY_EXPONENT): number {
  return dobrovolskyRadiusKm(m, exponent);
}

export { localTimeHours } from '../core/geo';
import { localTimeHours } from '../core/geo';

export function inBand(lt: number, band: LocalTimeBand, p: DatasetParams['localTime']): boolean {
  const { nightFromHour: a, nightToHour: b } = p;
  const night = a > b ? lt >= a || lt < b : lt >= a && lt < b;
  return band === 'night' ? night : !night;
}

/** Kp at a time: the 3-hour slot that holds it (series sorted by slot start). */
export class KpLookup {
  constructor(readonly series: { time: Float64Array; Kp: Float64Array }, readonly slotMs = 3 * HOUR_MS) {
    const t = series.time;
    for (let i = 1; i < t.length; i++) if (!(t[i] > t[i - 1])) throw new Error(`Kp series: time not increasing at row ${i}`);
  }
  at(tMs: number): number {
    const t = this.series.time;
    const k = lowerBound(t, tMs + 1) - 1; // last slot start <= tMs
    if (k < 0 || tMs >= t[k] + this.slotMs || !Number.isFinite(this.series.Kp[k])) {
      throw new Error(`Kp series has no value at ${new Date(tMs).toISOString()}`);
    }
    return this.series.Kp[k];
  }
}

/** One distinct selection (shared by configs that differ only in T). */
export interface Selection {
  key: string;
  band: LocalTimeBand;
  spatial: SpatialRule;
  /** member[e] = 1 when event e takes part. */
  member: Uint8Array;
  /** radiusKm[e]: spatial window radius (circle) or box half-size bound for the prefilter. */
  radiusKm: Float64Array;
}

/** Which events a config uses: real events in its magnitude bin and their first `ratio` artificial replicates. */
export function configMembers(c: DatasetConfig, ev: EventTable): Uint8Array {
  const n = ev.time.length;
  const realIn = new Uint8Array(n);
  for (let e = 0; e < n; e++) {
    if (!ev.seismic[e]) continue;
    const m = ev.mag[e];
    const ok = !c.magBin || (m >= c.magBin[0] && (c.magHiClosed ? m <= c.magBin[1] : m < c.magBin[1]));
    realIn[e] = ok ? 1 : 0;
  }
  const member = new Uint8Array(n);
  for (let e = 0; e < n; e++) {
    member[e] = ev.seismic[e] ? realIn[e] : realIn[ev.pairedReal[e]] && ev.replicate[e] < c.ratio ? 1 : 0;
  }
  return member;
}

export function buildSelections(configs: DatasetConfig[], ev: EventTable, p: DatasetParams): { selections: Selection[]; ofConfig: number[] } {
  const selections: Selection[] = [];
  const ofConfig: number[] = [];
  for (const c of configs) {
    const key = selectionKey(c);
    let k = selections.findIndex((s) => s.key === key);
    if (k < 0) {
      const member = configMembers(c, ev);
      const radiusKm = new Float64Array(ev.time.length);
      for (let e = 0; e < radiusKm.length; e++) {
        radiusKm[e] = c.spatial.kind === 'dobrovolsky'
          ? dobrovolskyKm(ev.mag[e], p.spatial.dobrovolskyExponent)
          : c.spatial.deg * KM_PER_DEG * (p.spatial.degreeShape === 'box' ? 1.5 : 1);
      }
      selections.push({ key, band: c.band, spatial: c.spatial, member, radiusKm });
      k = selections.length - 1;
    }
    ofConfig.push(k);
  }
  return { selections, ofConfig };
}

function withinSpatial(s: Selection, e: number, dKm: number, lat: number, lon: number, ev: EventTable, p: DatasetParams): boolean {
  if (s.spatial.kind === 'degrees' && p.spatial.degreeShape === 'box') {
    return Math.abs(lat - ev.latitude[e]) <= s.spatial.deg && lonDiffDeg(lon, ev.longitude[e]) <= s.spatial.deg;
  }
  return dKm <= s.radiusKm[e];
}

/** True when event a has priority over event b for sample time t (params.overlap.priority). */
function better(a: number, b: number, t: number, ev: EventTable): boolean {
  if (b < 0) return true;
  if (ev.seismic[a] !== ev.seismic[b]) return ev.seismic[a] > ev.seismic[b];
  if (ev.mag[a] !== ev.mag[b]) return ev.mag[a] > ev.mag[b];
  const da = Math.abs(t - ev.time[a]), db = Math.abs(t - ev.time[b]);
  if (da !== db) return da < db;
  return a < b;
}

export interface DaySelection {
  /** Per selection: event index of each sample, -1 outside every window. */
  assign: Int32Array[];
  /** Per selection: class of each assigned sample (0, 1, 2); 255 unassigned. */
  label: Uint8Array[];
  /** Kp of each sample that some selection assigned (NaN elsewhere). */
  kp: Float64Array;
  /** Local time (hours) of each sample near an event (NaN where no event was near). */
  localTime: Float64Array;
  candidates: number;
}

const CHUNK = 60;

/**
 * Assign every sample of a day to at most one event per selection, and label it. Events are prefiltered by time
 * (binary search) and, per 60-sample chunk, by latitude and by a great-circle bound, so the cost grows with
 * the samples near events, not samples x events.
 */
export function selectDay(
  day: SwarmColumns, ev: EventTable, selections: Selection[], kp: KpLookup, p: DatasetParams,
): DaySelection {
  const n = day.Timestamp.length;
  const S = selections.length;
  const assign = selections.map(() => new Int32Array(n).fill(-1));
  const label = selections.map(() => new Uint8Array(n).fill(255));
  const kpArr = new Float64Array(n).fill(NaN);
  // local time: computed for the samples near some event (the only ones a run can hold); NaN elsewhere
  const lt = new Float64Array(n).fill(NaN);
  const touched = new Uint8Array(n);
  if (n === 0) return { assign, label, kp: kpArr, localTime: lt, candidates: 0 };
  const before = p.temporalWindow.beforeDays * DAY_MS;
  const after = p.temporalWindow.afterDays * DAY_MS;
  let tMin = Infinity, tMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = day.Timestamp[i];
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
  }
  // events whose temporal window [te - before, te + after] meets [tMin, tMax]
  const cand: number[] = [];
  const maxR: number[] = [];
  for (let e = lowerBound(ev.time, tMin - after); e < ev.time.length && ev.time[e] <= tMax + before; e++) {
    let r = -1;
    for (let s = 0; s < S; s++) if (selections[s].member[e] && selections[s].radiusKm[e] > r) r = selections[s].radiusKm[e];
    if (r >= 0) {
      cand.push(e);
      maxR.push(r);
    }
  }
  if (cand.length === 0) return { assign, label, kp: kpArr, localTime: lt, candidates: 0 };
  // sort candidates by latitude
  const byLat = cand.map((_, k) => k).sort((a, b) => ev.latitude[cand[a]] - ev.latitude[cand[b]]);
  const cLat = Float64Array.from(byLat, (k) => ev.latitude[cand[k]]);
  const cIdx = Int32Array.from(byLat, (k) => cand[k]);
  const cR = Float64Array.from(byLat, (k) => maxR[k]);
  let rAll = 0;
  for (const r of maxR) if (r > rAll) rAll = r;
  const local: number[] = [];
  const localR: number[] = [];
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    const mid = (c0 + c1) >> 1;
    const mLat = day.Latitude[mid], mLon = day.Longitude[mid];
    let chunkR = 0;
    const contiguous = day.Timestamp[c1 - 1] - day.Timestamp[c0] <= (c1 - c0) * 1000;
    if (contiguous) {
      chunkR = Math.max(greatCircleKm(mLat, mLon, day.Latitude[c0], day.Longitude[c0]),
        greatCircleKm(mLat, mLon, day.Latitude[c1 - 1], day.Longitude[c1 - 1]));
    } else {
      for (let i = c0; i < c1; i++) chunkR = Math.max(chunkR, greatCircleKm(mLat, mLon, day.Latitude[i], day.Longitude[i]));
    }
    chunkR += 1; // numerical margin
    const dLat = (rAll + chunkR) / KM_PER_DEG;
    local.length = 0;
    localR.length = 0;
    for (let k = lowerBound(cLat, mLat - dLat); k < cLat.length && cLat[k] <= mLat + dLat; k++) {
      const reach = cR[k] + chunkR;
      if (Math.abs(cLat[k] - mLat) * KM_PER_DEG > reach) continue; // great-circle distance >= latitude difference
      const e = cIdx[k];
      if (greatCircleKm(mLat, mLon, ev.latitude[e], ev.longitude[e]) <= reach) local.push(e);
    }
    if (local.length === 0) continue;
    for (let i = c0; i < c1; i++) {
      const t = day.Timestamp[i], lat = day.Latitude[i], lon = day.Longitude[i];
      lt[i] = localTimeHours(t, lon);
      for (const e of local) {
        const te = ev.time[e];
        if (t < te - before || t > te + after) continue;
        const d = greatCircleKm(lat, lon, ev.latitude[e], ev.longitude[e]);
        for (let s = 0; s < S; s++) {
          const sel = selections[s];
          if (!sel.member[e] || !inBand(lt[i], sel.band, p.localTime)) continue;
          if (!withinSpatial(sel, e, d, lat, lon, ev, p)) continue;
          if (better(e, assign[s][i], t, ev)) {
            assign[s][i] = e;
            touched[i] = 1;
          }
        }
      }
    }
  }
  // labels
  for (let i = 0; i < n; i++) {
    if (!touched[i]) continue;
    const k = kp.at(day.Timestamp[i]);
    kpArr[i] = k;
    for (let s = 0; s < S; s++) {
      const e = assign[s][i];
      if (e >= 0) label[s][i] = k > p.kp.threshold ? 2 : ev.seismic[e] ? 1 : 0;
    }
  }
  return { assign, label, kp: kpArr, localTime: lt, candidates: cand.length };
}
