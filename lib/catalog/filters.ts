// Catalog filters (magnitude, period, event type) and the great-circle geometry shared by declustering and
// dataset selection. Serves paper section 2.3 (18,621 USGS events M>=4.8, 2014-04-01..2020-04-30).
import type { Catalog } from './comcat';

/** The columns every catalog consumer needs: the reader's Catalog (a type-only import: the pure filters and
 * declustering do not load the reader). */
export type CatalogLike = Catalog;

export interface CatalogFilter {
  /** Inclusive lower magnitude bound. */
  minMag?: number;
  /** Upper magnitude bound; exclusive unless maxMagInclusive. */
  maxMag?: number;
  maxMagInclusive?: boolean;
  /** Period, inclusive start, exclusive end (Unix ms or 'YYYY-MM-DD' meaning 00:00 UTC). */
  from?: number | string;
  to?: number | string;
  /** Accepted ComCat `type` values, e.g. ['earthquake']; undefined accepts all. */
  types?: string[];
}

/** 'YYYY-MM-DD' (00:00 UTC) or an ISO time or Unix ms -> Unix ms, with a clear error. */
export function toMs(t: number | string, field = 'time'): number {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) throw new Error(`${field}: not a finite time: ${t}`);
    return t;
  }
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? t + 'T00:00:00Z' : t);
  if (!Number.isFinite(ms)) throw new Error(`${field}: cannot parse time '${t}'`);
  return ms;
}

/** Indices of the events that pass the filter, in catalog order. */
export function filterIndices(cat: CatalogLike, f: CatalogFilter): number[] {
  const from = f.from === undefined ? -Infinity : toMs(f.from, 'filter.from');
  const to = f.to === undefined ? Infinity : toMs(f.to, 'filter.to');
  const lo = f.minMag ?? -Infinity;
  const hi = f.maxMag ?? Infinity;
  const types = f.types ? new Set(f.types) : null;
  const out: number[] = [];
  for (let i = 0; i < cat.time.length; i++) {
    const m = cat.mag[i];
    if (!(m >= lo)) continue;
    if (f.maxMagInclusive ? m > hi : m >= hi) continue;
    const t = cat.time[i];
    if (t < from || t >= to) continue;
    if (types && !types.has(cat.type[i])) continue;
    out.push(i);
  }
  return out;
}

/** A new catalog holding the given rows (in the given order). */
export function subsetCatalog(cat: CatalogLike, idx: ArrayLike<number>): CatalogLike {
  const n = idx.length;
  const f64 = (a: Float64Array) => {
    const o = new Float64Array(n);
    for (let k = 0; k < n; k++) o[k] = a[idx[k]];
    return o;
  };
  const str = (a: string[]) => Array.from({ length: n }, (_, k) => a[idx[k]]);
  return {
    id: str(cat.id),
    time: f64(cat.time),
    latitude: f64(cat.latitude),
    longitude: f64(cat.longitude),
    depth: f64(cat.depth),
    mag: f64(cat.mag),
    magType: str(cat.magType),
    type: str(cat.type),
    place: str(cat.place),
  };
}

/** Filter then subset; the result is sorted by time (ties by id) so downstream code can rely on it. */
export function filterCatalog(cat: CatalogLike, f: CatalogFilter): CatalogLike {
  const idx = filterIndices(cat, f);
  idx.sort((a, b) => cat.time[a] - cat.time[b] || (cat.id[a] < cat.id[b] ? -1 : cat.id[a] > cat.id[b] ? 1 : 0));
  return subsetCatalog(cat, idx);
}

/** Build a catalog from plain rows (tests, notebooks). */
export function catalogFromRows(
  rows: { id: string; time: number | string; latitude: number; longitude: number; mag: number; depth?: number; type?: string }[],
): CatalogLike {
  return {
    id: rows.map((r) => r.id),
    time: Float64Array.from(rows, (r, i) => toMs(r.time, `rows[${i}].time`)),
    latitude: Float64Array.from(rows, (r) => r.latitude),
    longitude: Float64Array.from(rows, (r) => r.longitude),
    depth: Float64Array.from(rows, (r) => r.depth ?? 10),
    mag: Float64Array.from(rows, (r) => r.mag),
    magType: rows.map(() => 'mww'),
    type: rows.map((r) => r.type ?? 'earthquake'),
    place: rows.map(() => ''),
  };
}

export { EARTH_RADIUS_KM, KM_PER_DEG, greatCircleKm } from '../core/geo';

/** |lon1 - lon2| folded into [0, 180] degrees. */
export function lonDiffDeg(lon1: number, lon2: number): number {
  let d = Math.abs(lon1 - lon2) % 360;
  if (d > 180) d = 360 - d;
  return d;
}

/** Magnitude bin counts for half-open bins [edges[k], edges[k+1]) (the last bin closed when lastClosed). */
export function magnitudeBinCounts(mag: ArrayLike<number>, bins: [number, number][], lastClosed = true): number[] {
  const c = bins.map(() => 0);
  for (let i = 0; i < mag.length; i++) {
    const m = mag[i];
    for (let k = 0; k < bins.length; k++) {
      const [lo, hi] = bins[k];
      if (m >= lo && (m < hi || (lastClosed && k === bins.length - 1 && m === hi))) {
        c[k]++;
        break;
      }
    }
  }
  return c;
}
