// Figures of the simulator notebook (02): ground tracks, local-time coverage over months, Ne profiles by day and
// night, and an injected perturbation beside the same track without it. Data preparation and Vega-Lite specs
// (data inlined); notebooks call saveFigure(..., { simulated: true }). Serves the embedded default (paper 2.3).
import { feature } from 'topojson-client';
import type { VegaLiteSpec } from '../figures/render';
import { ascendingCrossings, localSolarTime, Orbit, positionsAt } from './orbit';
import { ecefToNec, MainFieldModel, mainFieldEcef } from './mainfield';
import { highPass } from './signal';
import type { SimulatedDay } from './simulate';
import type { TruthEntry } from './inject';

const DAY_MS = 86_400_000;

/** Land polygons (Natural Earth 110m via the npm package world-atlas) as inline GeoJSON features. */
export function landFeatures(): unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const topo = require('world-atlas/land-110m.json');
  const fc = feature(topo, topo.objects.land) as unknown as { features: unknown[] };
  return fc.features;
}

export interface TrackPoint { longitude: number; latitude: number; localTime: number; minute: number }

/** Track points every `stepS` seconds from `fromMs` for `hours` hours. */
export function trackPoints(orbit: Orbit, fromMs: number, hours: number, stepS = 20): TrackPoint[] {
  const n = Math.floor((hours * 3600) / stepS);
  const times = Array.from({ length: n }, (_, i) => fromMs + i * stepS * 1000);
  const tr = positionsAt(orbit, times);
  return times.map((t, i) => ({
    longitude: +tr.Longitude[i].toFixed(3),
    latitude: +tr.Latitude[i].toFixed(3),
    localTime: +localSolarTime(t, tr.Longitude[i]).toFixed(2),
    minute: +((t - fromMs) / 60000).toFixed(2),
  }));
}

/**
 * Central meridian (multiple of 5 deg) that keeps the track's low-latitude points farthest from the map's edge
 * (a pass near the antimeridian would otherwise run along the border of the map).
 */
export function trackCentralMeridian(points: TrackPoint[], maxAbsLat = 60): number {
  const lons = points.filter((p) => Math.abs(p.latitude) <= maxAbsLat).map((p) => p.longitude);
  if (lons.length === 0) return 0;
  let best = 0;
  let bestScore = -Infinity;
  for (let c = -180; c < 180; c += 5) {
    let worst = Infinity;
    for (const lo of lons) worst = Math.min(worst, 180 - Math.abs(((((lo - c) % 360) + 540) % 360) - 180));
    if (worst > bestScore + 1e-9 || (Math.abs(worst - bestScore) < 1e-9 && Math.abs(c) < Math.abs(best))) {
      bestScore = worst;
      best = c;
    }
  }
  return best;
}

/** Ground track on a world map centred to keep the passes off its edge, points coloured by local time. */
export function groundTrackSpec(points: TrackPoint[], title: string): VegaLiteSpec {
  const c = trackCentralMeridian(points);
  const where = c === 0 ? 'map centred on 0 deg' : `map centred on ${Math.abs(c)} deg ${c > 0 ? 'E' : 'W'} to keep the passes off its edge`;
  return {
    title: { text: title, subtitle: `Circular orbit, i = 87.35 deg; points every 20 s coloured by local solar time; ${where}` },
    width: 640,
    height: 330,
    projection: { type: 'equalEarth', rotate: [-c, 0, 0] },
    layer: [
      { data: { values: [{ type: 'Sphere' }] }, mark: { type: 'geoshape', fill: '#eef4fa', stroke: '#99a' } },
      { data: { values: landFeatures() }, mark: { type: 'geoshape', fill: '#d9d9d9', stroke: '#bbb', strokeWidth: 0.4 } },
      {
        data: { values: points },
        mark: { type: 'circle', size: 6, opacity: 0.9 },
        encoding: {
          longitude: { field: 'longitude', type: 'quantitative' },
          latitude: { field: 'latitude', type: 'quantitative' },
          color: { field: 'localTime', type: 'quantitative', title: 'Local time (h)', scale: { scheme: 'sinebow', domain: [0, 24] } },
        },
      },
    ],
  };
}

export interface CrossingRow { date: string; localTime: number; node: 'ascending' | 'descending' }

/**
 * Local time of the first ascending and descending equator crossings of each sampled day (every `everyDays`
 * days between from and to): the ~133-day cycle of the orbit plane in local time.
 */
export function localTimeCoverageRows(orbit: Orbit, from: string, to: string, everyDays = 2): CrossingRow[] {
  const rows: CrossingRow[] = [];
  const t0 = Date.parse(from + 'T00:00:00Z'), t1 = Date.parse(to + 'T00:00:00Z');
  for (let t = t0; t <= t1; t += everyDays * DAY_MS) {
    const times = Array.from({ length: 6000 }, (_, i) => t + i * 1000);
    const tr = positionsAt(orbit, times);
    const asc = ascendingCrossings(tr);
    const date = new Date(t).toISOString().slice(0, 10);
    if (asc.time.length) rows.push({ date, localTime: +localSolarTime(asc.time[0], asc.longitude[0]).toFixed(3), node: 'ascending' });
    for (let k = 1; k < tr.Latitude.length; k++) {
      if (tr.Latitude[k - 1] >= 0 && tr.Latitude[k] < 0) {
        rows.push({ date, localTime: +localSolarTime(tr.Timestamp[k], tr.Longitude[k]).toFixed(3), node: 'descending' });
        break;
      }
    }
  }
  return rows;
}

export function localTimeCoverageSpec(rows: CrossingRow[], title: string): VegaLiteSpec {
  return {
    title: { text: title, subtitle: 'Equator-crossing local time; both nodes together cover 24 h in ~133 days' },
    width: 620,
    height: 280,
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 14 },
    encoding: {
      x: { field: 'date', type: 'temporal', title: 'Date' },
      y: { field: 'localTime', type: 'quantitative', title: 'Local time at the equator (h)', scale: { domain: [0, 24] }, axis: { values: [0, 3, 6, 9, 12, 15, 18, 21, 24] } },
      color: { field: 'node', type: 'nominal', title: 'Node' },
    },
  };
}

export interface NeRow { magLat: number; Ne: number; track: string }

/**
 * Ne along one half-orbit (equator crossing +- 40 deg magnetic latitude) on the day side and on the night side
 * of a simulated day: the half-orbits whose equator local time is nearest 14 h and 02 h.
 */
export function neProfileRows(sim: SimulatedDay, stepS = 5): NeRow[] {
  const { magLat, localTime } = sim;
  const Ne = sim.day.Ne;
  const crossings: number[] = [];
  for (let k = 1; k < magLat.length; k++) if ((magLat[k - 1] < 0) !== (magLat[k] < 0)) crossings.push(k);
  const pick = (target: number) => {
    let best = crossings[0], bd = 99;
    for (const k of crossings) {
      const d = Math.abs(((localTime[k] - target + 36) % 24) - 12);
      if (d < bd) { bd = d; best = k; }
    }
    return best;
  };
  const rows: NeRow[] = [];
  for (const [target, name] of [[14, 'day side'], [2, 'night side']] as const) {
    const c = pick(target);
    const label = `${name} (equator at ${localTime[c].toFixed(1)} LT)`;
    for (let k = c; k >= 0 && Math.abs(magLat[k]) <= 40; k -= stepS) if (Number.isFinite(Ne[k])) rows.push({ magLat: +magLat[k].toFixed(2), Ne: +Ne[k].toPrecision(4), track: label });
    for (let k = c + stepS; k < magLat.length && Math.abs(magLat[k]) <= 40; k += stepS) if (Number.isFinite(Ne[k])) rows.push({ magLat: +magLat[k].toFixed(2), Ne: +Ne[k].toPrecision(4), track: label });
  }
  return rows;
}

export function neProfileSpec(rows: NeRow[], title: string): VegaLiteSpec {
  return {
    title: { text: title, subtitle: 'EIA crests near +-15 deg magnetic latitude by day' },
    width: 560,
    height: 300,
    data: { values: rows },
    mark: { type: 'line', point: false, strokeWidth: 1.2 },
    encoding: {
      x: { field: 'magLat', type: 'quantitative', title: 'Magnetic latitude (deg, centred dipole)', scale: { domain: [-40, 40] } },
      y: { field: 'Ne', type: 'quantitative', title: 'Ne (cm^-3)', scale: { type: 'log' } },
      color: { field: 'track', type: 'nominal', title: 'Pass', legend: { labelLimit: 320, orient: 'bottom' } },
      order: { field: 'magLat', type: 'quantitative' },
    },
  };
}

export interface InjectionRow { second: number; latitude: number; value: number; series: string; panel: string }

/**
 * B_East residual (minus exact IGRF-13) around one ground-truth entry, in the run with the injection and in the
 * null run of the same seed (identical outside the span), raw and high-passed (0.1-0.5 Hz).
 */
export function injectionRows(signal: SimulatedDay, quiet: SimulatedDay, e: TruthEntry, model: MainFieldModel, orbit: Orbit, padS = 150): { rows: InjectionRow[]; span: { from: number; to: number } } {
  const t = signal.day.Timestamp;
  const a = Math.round((e.tStartMs - t[0]) / 1000), b = Math.round((e.tEndMs - t[0]) / 1000);
  const lo = Math.max(0, a - padS), hi = Math.min(t.length - 1, b + padS);
  const times = Array.from(t.subarray(lo, hi + 1));
  const tr = positionsAt(orbit, times);
  const N = new Float64Array(times.length), E = new Float64Array(times.length), C = new Float64Array(times.length);
  ecefToNec(tr, mainFieldEcef(model, tr), N, E, C);
  const resS = times.map((_, i) => signal.day.B_E[lo + i] - E[i]);
  const resQ = times.map((_, i) => quiet.day.B_E[lo + i] - E[i]);
  const hpS = highPass(resS), hpQ = highPass(resQ);
  const rows: InjectionRow[] = [];
  for (let i = 0; i < times.length; i++) {
    const second = lo + i - a;
    const lat = +tr.Latitude[i].toFixed(3);
    const push = (value: number, series: string, panel: string) => {
      if (Number.isFinite(value)) rows.push({ second, latitude: lat, value: +value.toFixed(3), series, panel });
    };
    push(resS[i], 'with injection', 'B_E - IGRF (nT)');
    push(resQ[i], 'null run (same seed)', 'B_E - IGRF (nT)');
    push(hpS[i], 'with injection', 'B_E high-passed > 0.1 Hz (nT)');
    push(hpQ[i], 'null run (same seed)', 'B_E high-passed > 0.1 Hz (nT)');
  }
  return { rows, span: { from: 0, to: b - a } };
}

export function injectionSpec(rows: InjectionRow[], span: { from: number; to: number }, title: string, subtitle: string): VegaLiteSpec {
  const panel = (name: string) => ({
    width: 620,
    height: 170,
    title: name,
    layer: [
      {
        data: { values: [span] },
        mark: { type: 'rect', color: '#f4d03f', opacity: 0.35 },
        encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
      },
      {
        data: { values: rows.filter((r) => r.panel === name) },
        mark: { type: 'line', strokeWidth: 1 },
        encoding: {
          x: { field: 'second', type: 'quantitative', title: 'Seconds from the start of the injected span' },
          y: { field: 'value', type: 'quantitative', title: 'nT', scale: { zero: false } },
          color: { field: 'series', type: 'nominal', title: 'Run', legend: { labelLimit: 320 }, scale: { domain: ['null run (same seed)', 'with injection'], range: ['#888', '#c0392b'] } },
        },
      },
    ],
  });
  return {
    title: { text: title, subtitle },
    vconcat: [panel('B_E - IGRF (nT)'), panel('B_E high-passed > 0.1 Hz (nT)')],
  };
}
