// Figure specs (Vega-Lite 5, data inlined) for the inputs notebook (01-data): Kp and Dst over the paper's
// years with Kp>3 shaded, the earthquake catalog on a world map and as a magnitude histogram, and the real
// Swarm A sample along its track. Paper sections 2.1-2.3 (inputs), 2.2 (case events).
import * as topojson from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Catalog } from '../catalog/comcat';
import type { DstSeries } from '../indices/dst';
import type { KpSeries } from '../indices/kp';
import { PAPER_KP_THRESHOLD } from '../core/paper';
import type { MagRecords } from '../swarm/swarm-csv';

export type VegaLiteSpec = Record<string, any>;

const DAY_MS = 86400e3;
const iso = (t: number) => new Date(t).toISOString();
const isoDay = (t: number) => iso(t).slice(0, 10);

/** The paper's Kp threshold: windows with Kp > 3 are class 2 (sections 2.3, 3.1; defined in lib/core/paper.ts). */
export const KP_THRESHOLD = PAPER_KP_THRESHOLD;

export interface IndicesFigure {
  spec: VegaLiteSpec;
  counts: {
    days: number;
    /** 3-hour slots in the period, and those with Kp > 3. */
    kpSlots: number;
    kpSlotsAbove: number;
    /** UTC days with at least one slot Kp > 3, and the runs of such days drawn as shaded bands. */
    daysAbove: number;
    shadedIntervals: number;
    dstHours: number;
  };
}

/**
 * Kp (daily maximum of the 3-hourly values) and Dst (daily minimum of the hourly values) from `from` to `to`
 * (YYYY-MM-DD, inclusive), with every UTC day that has a 3-hour Kp > 3 shaded in both panels.
 */
export function indicesSpec(kp: KpSeries, dst: DstSeries, from = '2014-01-01', to = '2020-12-31'): IndicesFigure {
  const t0 = Date.parse(`${from}T00:00:00Z`);
  const t1 = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  if (!(t1 > t0)) throw new RangeError(`indicesSpec: empty period ${from}..${to}`);
  const days = Math.round((t1 - t0) / DAY_MS);
  const kpMax = new Float64Array(days).fill(NaN);
  const dstMin = new Float64Array(days).fill(NaN);
  let kpSlots = 0;
  let kpSlotsAbove = 0;
  for (let i = 0; i < kp.time.length; i++) {
    const t = kp.time[i];
    if (t < t0 || t >= t1) continue;
    const d = Math.floor((t - t0) / DAY_MS);
    const v = kp.Kp[i];
    if (Number.isNaN(v)) continue;
    kpSlots++;
    if (v > KP_THRESHOLD) kpSlotsAbove++;
    if (!(v <= kpMax[d])) kpMax[d] = Number.isNaN(kpMax[d]) ? v : Math.max(v, kpMax[d]);
  }
  let dstHours = 0;
  for (let i = 0; i < dst.time.length; i++) {
    const t = dst.time[i];
    if (t < t0 || t >= t1 || Number.isNaN(dst.Dst[i])) continue;
    dstHours++;
    const d = Math.floor((t - t0) / DAY_MS);
    if (!(dst.Dst[i] >= dstMin[d])) dstMin[d] = Number.isNaN(dstMin[d]) ? dst.Dst[i] : Math.min(dst.Dst[i], dstMin[d]);
  }
  const missingKpDays = kpMax.filter((v) => Number.isNaN(v)).length;
  const missingDstDays = dstMin.filter((v) => Number.isNaN(v)).length;
  if (missingKpDays > 0 || missingDstDays > 0) {
    throw new RangeError(`indicesSpec: ${missingKpDays} days without Kp and ${missingDstDays} without Dst in ${from}..${to}`);
  }
  const bands: { start: string; end: string }[] = [];
  let daysAbove = 0;
  for (let d = 0; d < days; d++) {
    if (!(kpMax[d] > KP_THRESHOLD)) continue;
    daysAbove++;
    const s = t0 + d * DAY_MS;
    const last = bands[bands.length - 1];
    if (last && Date.parse(last.end) === s) last.end = iso(s + DAY_MS);
    else bands.push({ start: iso(s), end: iso(s + DAY_MS) });
  }
  const values = Array.from({ length: days }, (_, d) => ({ date: isoDay(t0 + d * DAY_MS), kpMax: kpMax[d], dstMin: dstMin[d] }));
  const x = { field: 'date', type: 'temporal', title: null, axis: { format: '%Y', tickCount: { interval: 'year', step: 1 } } };
  const shade = {
    data: { values: bands },
    mark: { type: 'rect', color: '#f4a582', opacity: 0.45 },
    encoding: { x: { field: 'start', type: 'temporal' }, x2: { field: 'end' } },
  };
  const panel = (field: string, title: string, color: string, extra: VegaLiteSpec[] = []) => ({
    width: 900,
    height: 170,
    layer: [
      shade,
      { data: { values }, mark: { type: 'line', color, strokeWidth: 0.7 }, encoding: { x, y: { field, type: 'quantitative', title } } },
      ...extra,
    ],
  });
  const threshold = { data: { values: [{ y: KP_THRESHOLD }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#b2182b' }, encoding: { y: { field: 'y', type: 'quantitative' } } };
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Geomagnetic activity ${from.slice(0, 4)}-${to.slice(0, 4)}: daily max Kp (GFZ) and daily min Dst (WDC Kyoto)`,
      subtitle: `shaded: ${daysAbove} UTC days with a 3-hour Kp > ${KP_THRESHOLD} (${kpSlotsAbove} of ${kpSlots} slots, ${((100 * kpSlotsAbove) / kpSlots).toFixed(1)}%)`,
    },
    vconcat: [panel('kpMax', 'Kp (daily max)', '#2166ac', [threshold]), panel('dstMin', 'Dst (nT, daily min)', '#1b7837')],
    resolve: { scale: { x: 'shared' } },
  };
  return { spec, counts: { days, kpSlots, kpSlotsAbove, daysAbove, shadedIntervals: bands.length, dstHours } };
}

/** Event indices of a catalog selection: period [from, to] (days, inclusive), minimum magnitude, type. */
export function selectEvents(cat: Catalog, sel: { from: string; to: string; minMag: number; type?: string }): number[] {
  const t0 = Date.parse(`${sel.from}T00:00:00Z`);
  const t1 = Date.parse(`${sel.to}T00:00:00Z`) + DAY_MS;
  const out: number[] = [];
  for (let i = 0; i < cat.time.length; i++) {
    if (cat.time[i] >= t0 && cat.time[i] < t1 && cat.mag[i] >= sel.minMag && (sel.type === undefined || cat.type[i] === sel.type)) out.push(i);
  }
  return out;
}

let landCache: unknown = null;
/** Natural Earth 110m land (world-atlas) as a GeoJSON FeatureCollection. */
export function worldLand(): unknown {
  if (!landCache) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const topo = require('world-atlas/land-110m.json') as Topology<{ land: GeometryCollection }>;
    landCache = topojson.feature(topo, topo.objects.land);
  }
  return landCache;
}

export interface CatalogFigure {
  spec: VegaLiteSpec;
  counts: { events: number; highlighted: number };
}

/**
 * The selected events on a world map (Equal Earth projection, Natural Earth 110m land), size and colour by
 * magnitude; `highlight` ids (the case-study events) are ringed and labelled.
 */
export function catalogMapSpec(cat: Catalog, index: number[], opts: { title: string; highlight?: Record<string, string> }): CatalogFigure {
  const values = index.map((i) => ({ id: cat.id[i], lon: cat.longitude[i], lat: cat.latitude[i], mag: cat.mag[i], depth: cat.depth[i], time: iso(cat.time[i]) }));
  const hl = Object.entries(opts.highlight ?? {})
    .map(([id, label]) => {
      const i = cat.id.indexOf(id);
      return i < 0 ? null : { id, label, lon: cat.longitude[i], lat: cat.latitude[i], mag: cat.mag[i] };
    })
    .filter((v): v is NonNullable<typeof v> => v !== null);
  const projection = { type: 'equalEarth' };
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: opts.title, subtitle: `${values.length.toLocaleString('en-US')} events` },
    width: 900,
    height: 460,
    projection,
    layer: [
      { data: { sphere: true }, mark: { type: 'geoshape', fill: '#eef4fa', stroke: '#999', strokeWidth: 0.5 } },
      { data: { graticule: { step: [30, 30] } }, mark: { type: 'geoshape', stroke: '#ccc', strokeWidth: 0.4, filled: false } },
      { data: { values: worldLand(), format: { type: 'json', property: 'features' } }, mark: { type: 'geoshape', fill: '#d9d9d9', stroke: '#aaa', strokeWidth: 0.4 } },
      {
        data: { values },
        mark: { type: 'circle', opacity: 0.55, stroke: null },
        encoding: {
          longitude: { field: 'lon', type: 'quantitative' },
          latitude: { field: 'lat', type: 'quantitative' },
          size: { field: 'mag', type: 'quantitative', scale: { type: 'pow', exponent: 3, domain: [4.5, 9], range: [2, 300] }, title: 'magnitude' },
          color: { field: 'mag', type: 'quantitative', scale: { scheme: 'orangered', domain: [4.5, 8] }, title: 'magnitude' },
          tooltip: [{ field: 'id' }, { field: 'time' }, { field: 'mag' }, { field: 'depth', title: 'depth (km)' }],
        },
      },
      ...(hl.length > 0
        ? [
            {
              data: { values: hl },
              mark: { type: 'point', shape: 'circle', size: 220, strokeWidth: 2, color: '#000', filled: false },
              encoding: { longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' } },
            },
            {
              data: { values: hl },
              mark: { type: 'text', dx: 12, dy: -12, align: 'left', fontSize: 11, fontWeight: 'bold' },
              encoding: { longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' }, text: { field: 'label' } },
            },
          ]
        : []),
    ],
  };
  return { spec, counts: { events: values.length, highlighted: hl.length } };
}

export interface HistogramFigure {
  spec: VegaLiteSpec;
  /** bins[k] = { from, to, count }: magnitude bins of width `width` (0.1), counts computed here. */
  bins: { from: number; to: number; count: number }[];
}

/** Magnitude histogram of the selected events, binned here (so counts are exact) at `width` magnitude units. */
export function magnitudeHistogramSpec(cat: Catalog, index: number[], opts: { title: string; width?: number }): HistogramFigure {
  const w = opts.width ?? 0.1;
  // magnitudes are given to 1-2 decimals: bin on integer multiples of w with a tolerance against 5.0 -> 4.9999
  const key = (m: number) => Math.floor(m / w + 1e-6);
  const counts = new Map<number, number>();
  for (const i of index) counts.set(key(cat.mag[i]), (counts.get(key(cat.mag[i])) ?? 0) + 1);
  const ks = [...counts.keys()].sort((a, b) => a - b);
  const bins: HistogramFigure['bins'] = [];
  if (ks.length > 0) {
    for (let k = ks[0]; k <= ks[ks.length - 1]; k++) bins.push({ from: +(k * w).toFixed(6), to: +((k + 1) * w).toFixed(6), count: counts.get(k) ?? 0 });
  }
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: opts.title, subtitle: `${index.length.toLocaleString('en-US')} events, bins of ${w} magnitude units` },
    width: 600,
    height: 260,
    data: { values: bins.filter((b) => b.count > 0) },
    mark: { type: 'bar', color: '#4393c3' },
    encoding: {
      x: { field: 'from', type: 'quantitative', bin: { binned: true, step: w }, title: 'magnitude' },
      x2: { field: 'to' },
      // symlog: log-like for large counts, but bars can start at 0 (a log scale has no 0)
      y: { field: 'count', type: 'quantitative', scale: { type: 'symlog' }, axis: { values: [0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000] }, title: 'events (symlog scale)' },
      tooltip: [{ field: 'from', title: 'from' }, { field: 'to', title: 'to' }, { field: 'count' }],
    },
  };
  return { spec, bins };
}

export interface TrackFigure {
  spec: VegaLiteSpec;
  counts: { records: number };
}

/** A Swarm MAG sample along its track: the ground track on a map, and B_N, B_E, B_C against latitude. */
export function swarmTrackSpec(mag: MagRecords, opts: { title: string }): TrackFigure {
  const values = Array.from(mag.Timestamp, (t, i) => ({
    time: iso(t),
    lat: mag.Latitude[i],
    lon: mag.Longitude[i],
    altitude_km: (mag.Radius[i] - 6371200) / 1000,
    B_N: mag.B_N[i],
    B_E: mag.B_E[i],
    B_C: mag.B_C[i],
  }));
  const comp = (field: string, color: string) => ({
    width: 420,
    height: 110,
    data: { values },
    mark: { type: 'line', color, point: { size: 8, color } },
    encoding: {
      // joined in time order (a track crossing the pole passes each latitude twice)
      order: { field: 'time', type: 'temporal' },
      x: { field: 'lat', type: 'quantitative', title: 'geocentric latitude (deg)' },
      y: { field, type: 'quantitative', scale: { zero: false }, title: `${field} (nT)` },
    },
  });
  const first = values[0];
  const last = values[values.length - 1];
  // view centre: the track's mean position (unit-vector mean, so a pole crossing is handled)
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (const v of values) {
    const la = (v.lat * Math.PI) / 180;
    const lo = (v.lon * Math.PI) / 180;
    cx += Math.cos(la) * Math.cos(lo);
    cy += Math.cos(la) * Math.sin(lo);
    cz += Math.sin(la);
  }
  const centreLon = (Math.atan2(cy, cx) * 180) / Math.PI;
  const centreLat = (Math.atan2(cz, Math.hypot(cx, cy)) * 180) / Math.PI;
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: opts.title, subtitle: `${values.length} records, ${first?.time ?? ''} .. ${last?.time ?? ''}` },
    hconcat: [
      {
        width: 380,
        height: 380,
        projection: { type: 'orthographic', rotate: [-centreLon, -centreLat, 0] },
        layer: [
          { data: { sphere: true }, mark: { type: 'geoshape', fill: '#eef4fa', stroke: '#999' } },
          { data: { graticule: { step: [15, 15] } }, mark: { type: 'geoshape', stroke: '#ccc', strokeWidth: 0.4, filled: false } },
          { data: { values: worldLand(), format: { type: 'json', property: 'features' } }, mark: { type: 'geoshape', fill: '#d9d9d9', stroke: '#aaa', strokeWidth: 0.4 } },
          {
            data: { values },
            mark: { type: 'circle', size: 14 },
            encoding: {
              longitude: { field: 'lon', type: 'quantitative' },
              latitude: { field: 'lat', type: 'quantitative' },
              color: { field: 'B_C', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'B_C (nT)' },
              tooltip: [{ field: 'time' }, { field: 'lat' }, { field: 'lon' }, { field: 'altitude_km', title: 'altitude (km)' }],
            },
          },
        ],
      },
      { vconcat: [comp('B_N', '#2166ac'), comp('B_E', '#b2182b'), comp('B_C', '#1b7837')] },
    ],
    resolve: { scale: { color: 'independent' } },
  };
  return { spec, counts: { records: values.length } };
}
