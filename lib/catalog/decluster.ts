// Aftershock removal by a window rule (paper section 2.3: 18,621 events M>=4.8 -> 9,017 "independent" events,
// "technique of Yan et al. 2017", whose windows are not published). Gardner-Knopoff (1974) windows, original
// table or the van Stiphout et al. (2012) fit, plus shorter windows, each a named rule; spatial-time bucketing.
import { CatalogLike, greatCircleKm, KM_PER_DEG, magnitudeBinCounts } from './filters';
import { GARDNER_KNOPOFF_FIT as FIT, GARDNER_KNOPOFF_TABLE, PAPER_CATALOG as CATALOG, PAPER_MAGNITUDE_BINS } from '../core/paper';
import { lowerBound } from '../core/search';

/** A window rule: distance (km) and time (days) windows as functions of the mainshock magnitude. */
export interface WindowRule {
  name: string;
  description: string;
  distanceKm(m: number): number;
  timeDays(m: number): number;
  /** 'after': only later events are aftershocks (the usual procedure); 'both': foreshocks inside the window too. */
  direction: 'after' | 'both';
}

/** Gardner & Knopoff (1974) table: M 2.5, 3.0, ..., 8.0 -> L (km), T (days). */
export const GK_TABLE: { mag: readonly number[]; distanceKm: readonly number[]; timeDays: readonly number[] } = GARDNER_KNOPOFF_TABLE;

/** Linear interpolation in magnitude between table points, clamped at both ends. */
function interpTable(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  const n = xs.length;
  if (x >= xs[n - 1]) return ys[n - 1];
  let k = 0;
  while (x > xs[k + 1]) k++;
  const f = (x - xs[k]) / (xs[k + 1] - xs[k]);
  return ys[k] + f * (ys[k + 1] - ys[k]);
}

export const gkTableDistanceKm = (m: number) => interpTable(GK_TABLE.mag, GK_TABLE.distanceKm, m);
export const gkTableTimeDays = (m: number) => interpTable(GK_TABLE.mag, GK_TABLE.timeDays, m);
/** van Stiphout, Zhuang, Marsan (2012, CORSSA) fit of the Gardner-Knopoff windows. */
export const gkFitDistanceKm = (m: number) => Math.pow(10, FIT.distance.a * m + FIT.distance.b);
export const gkFitTimeDays = (m: number) =>
  m >= FIT.timeLarge.fromMag ? Math.pow(10, FIT.timeLarge.a * m + FIT.timeLarge.b) : Math.pow(10, FIT.timeSmall.a * m + FIT.timeSmall.b);

export function gardnerKnopoffTable(direction: 'after' | 'both' = 'after'): WindowRule {
  return {
    name: direction === 'after' ? 'gk-table' : 'gk-table-both',
    description: 'Gardner-Knopoff 1974 table (linear interpolation in M)' + (direction === 'both' ? ', foreshocks too' : ''),
    distanceKm: gkTableDistanceKm,
    timeDays: gkTableTimeDays,
    direction,
  };
}

export function gardnerKnopoffFit(direction: 'after' | 'both' = 'after'): WindowRule {
  return {
    name: direction === 'after' ? 'gk-fit' : 'gk-fit-both',
    description: 'Gardner-Knopoff, van Stiphout et al. 2012 fit' + (direction === 'both' ? ', foreshocks too' : ''),
    distanceKm: gkFitDistanceKm,
    timeDays: gkFitTimeDays,
    direction,
  };
}

/** Gardner-Knopoff (table) windows scaled: distance x fd, time x ft (shorter windows when < 1). */
export function scaledGardnerKnopoff(fd: number, ft: number): WindowRule {
  if (!(fd > 0 && ft > 0)) throw new Error(`scaledGardnerKnopoff: factors must be > 0, got ${fd}, ${ft}`);
  return {
    name: `gk-table-x${fd}d-x${ft}t`,
    description: `Gardner-Knopoff table, distance x ${fd}, time x ${ft}`,
    distanceKm: (m) => fd * gkTableDistanceKm(m),
    timeDays: (m) => ft * gkTableTimeDays(m),
    direction: 'after',
  };
}

/** Fixed windows independent of magnitude. */
export function fixedWindow(km: number, days: number): WindowRule {
  if (!(km >= 0 && days >= 0)) throw new Error(`fixedWindow: km and days must be >= 0, got ${km}, ${days}`);
  return {
    name: `fixed-${km}km-${days}d`,
    description: `fixed window ${km} km, ${days} days`,
    distanceKm: () => km,
    timeDays: () => days,
    direction: 'after',
  };
}

/** No declustering (every event kept). */
export const NO_DECLUSTERING: WindowRule = {
  name: 'none',
  description: 'no declustering',
  distanceKm: () => 0,
  timeDays: () => 0,
  direction: 'after',
};

/** The rules the notebook compares; the first is the default (see lib/datasets/params.ts). */
export function declusterRules(): WindowRule[] {
  return [
    gardnerKnopoffTable(),
    gardnerKnopoffFit(),
    gardnerKnopoffTable('both'),
    scaledGardnerKnopoff(1, 0.5),
    scaledGardnerKnopoff(1, 0.25),
    scaledGardnerKnopoff(1, 0.1),
    scaledGardnerKnopoff(0.5, 0.1),
    fixedWindow(100, 30),
    fixedWindow(100, 10),
    fixedWindow(50, 5),
    NO_DECLUSTERING,
  ];
}

/** Look a rule up by name (CLI, params): the names of declusterRules() and 'gk-table-x<fd>d-x<ft>t', 'fixed-<km>km-<d>d'. */
export function ruleByName(name: string): WindowRule {
  const known = declusterRules().find((r) => r.name === name);
  if (known) return known;
  let m = /^gk-table-x([\d.]+)d-x([\d.]+)t$/.exec(name);
  if (m) return scaledGardnerKnopoff(Number(m[1]), Number(m[2]));
  m = /^fixed-([\d.]+)km-([\d.]+)d$/.exec(name);
  if (m) return fixedWindow(Number(m[1]), Number(m[2]));
  throw new Error(`unknown declustering rule '${name}'; known: ${declusterRules().map((r) => r.name).join(', ')}, ` +
    `gk-table-x<fd>d-x<ft>t, fixed-<km>km-<days>d`);
}

export interface DeclusterResult {
  rule: string;
  /** 1 when the event is kept (a mainshock or an isolated event). */
  kept: Uint8Array;
  /** For a removed event, the catalog index of the mainshock that claimed it; -1 for kept events. */
  mainshock: Int32Array;
  nKept: number;
}

const DAY_MS = 86_400_000;

/**
 * Window declustering. Events are visited by magnitude, largest first (ties: earlier first); an event not yet
 * claimed is a mainshock and claims every unclaimed event of smaller or equal magnitude inside its distance
 * window and its time window (after it, or both sides for direction 'both'). Claimed events are removed and
 * claim nothing themselves. Spatial index: latitude bands with events sorted by time, so each query touches only
 * the bands the distance window reaches and the time range by binary search.
 */
export function decluster(cat: CatalogLike, rule: WindowRule): DeclusterResult {
  const n = cat.time.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(cat.time[i]) || !Number.isFinite(cat.mag[i]) || !Number.isFinite(cat.latitude[i]) ||
      !Number.isFinite(cat.longitude[i])) {
      throw new Error(`decluster: event ${i} (${cat.id[i]}) has a non-finite time, magnitude or position`);
    }
  }
  const kept = new Uint8Array(n).fill(1);
  const mainshock = new Int32Array(n).fill(-1);
  // latitude bands
  const BAND = 2; // degrees
  const nb = Math.ceil(180 / BAND) + 1;
  const bandOf = (lat: number) => Math.min(nb - 1, Math.max(0, Math.floor((lat + 90) / BAND)));
  const bands: number[][] = Array.from({ length: nb }, () => []);
  for (let i = 0; i < n; i++) bands[bandOf(cat.latitude[i])].push(i);
  const bandTimes: Float64Array[] = bands.map((b) => {
    b.sort((x, y) => cat.time[x] - cat.time[y]);
    return Float64Array.from(b, (i) => cat.time[i]);
  });
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => cat.mag[b] - cat.mag[a] || cat.time[a] - cat.time[b] || a - b);
  for (const i of order) {
    if (!kept[i]) continue;
    const m = cat.mag[i];
    const L = rule.distanceKm(m);
    const T = rule.timeDays(m) * DAY_MS;
    if (!(L > 0) || !(T > 0)) continue;
    const t0 = rule.direction === 'both' ? cat.time[i] - T : cat.time[i];
    const t1 = cat.time[i] + T;
    const dLat = L / KM_PER_DEG;
    const b0 = bandOf(cat.latitude[i] - dLat);
    const b1 = bandOf(cat.latitude[i] + dLat);
    for (let b = b0; b <= b1; b++) {
      const times = bandTimes[b];
      const members = bands[b];
      for (let k = lowerBound(times, t0); k < times.length && times[k] <= t1; k++) {
        const j = members[k];
        if (j === i || !kept[j] || cat.mag[j] > m) continue;
        if (rule.direction === 'after' && cat.time[j] < cat.time[i]) continue;
        if (greatCircleKm(cat.latitude[i], cat.longitude[i], cat.latitude[j], cat.longitude[j]) > L) continue;
        kept[j] = 0;
        mainshock[j] = i;
      }
    }
  }
  let nKept = 0;
  for (let i = 0; i < n; i++) nKept += kept[i];
  return { rule: rule.name, kept, mainshock, nKept };
}

/** The paper's magnitude bins (section 4.4) and their counts after its declustering. */
export const PAPER_MAG_BINS: { label: string; bin: [number, number]; paperCount: number }[] = PAPER_MAGNITUDE_BINS.map(
  (b) => ({ label: b.label, bin: [b.min, b.max], paperCount: b.paperEvents }),
);
export const PAPER_CATALOG = CATALOG;

export interface DeclusterRow {
  catalog: string;
  rule: string;
  description: string;
  events: number;
  kept: number;
  keptPercent: number;
  bins: number[];
  ms: number;
}

/** Kept counts and magnitude-bin counts of one catalog under each rule (the notebook's table). */
export function declusterTable(name: string, cat: CatalogLike, rules: WindowRule[] = declusterRules()): DeclusterRow[] {
  return rules.map((rule) => {
    const t = process.hrtime.bigint();
    const r = decluster(cat, rule);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const mags: number[] = [];
    for (let i = 0; i < r.kept.length; i++) if (r.kept[i]) mags.push(cat.mag[i]);
    return {
      catalog: name,
      rule: rule.name,
      description: rule.description,
      events: cat.time.length,
      kept: r.nKept,
      keptPercent: cat.time.length ? (100 * r.nKept) / cat.time.length : 0,
      bins: magnitudeBinCounts(mags, PAPER_MAG_BINS.map((b) => b.bin)),
      ms,
    };
  });
}
