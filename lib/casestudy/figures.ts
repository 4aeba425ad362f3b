// Vega-Lite specs of the case-study figures: the paper's Figures 1-2 (panels A-C FFT of the X, Y, Z MASS
// residuals, D-F residuals against latitude, G log10 Ne with its degree-10 fit and flagged samples, H map with
// the epicentre and its Dobrovolsky circle; paper section 2.2) and our day-by-day sequence figure (Text S1/S2).
import * as topojson from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import { TrackAnalysis } from './analysis';
import { COMPONENTS, Component, COMPONENT_COLUMN } from './mass';
import { CaseEvent } from './params';
import { circlePoints, formatHours } from './tracks';
import type { SequenceResult } from './sequence';

type Spec = Record<string, any>;

const PANEL_W = 230, PANEL_H = 130;
const STAR = 'M0,-1L0.2245,-0.309L0.951,-0.309L0.3633,0.118L0.5878,0.809L0,0.382L-0.5878,0.809L-0.3633,0.118L-0.951,-0.309L-0.2245,-0.309Z';
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const COMPONENT_LABEL: Record<Component, string> = { X: 'X (North)', Y: 'Y (East)', Z: 'Z (Centre)' };

/** Split text into lines of at most `width` characters at spaces (Vega titles do not wrap). */
export function wrapLines(lines: string[], width = 130): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let cur = '';
    for (const word of line.split(/\s+/)) {
      if (cur && cur.length + 1 + word.length > width) {
        out.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    if (cur) out.push(cur);
  }
  return out;
}

/** Title lines as in the paper's Figures 1-2: satellite, date, track, centre LT and UT, Dst, ap; flagged/total. */
export function caseTitle(a: TrackAnalysis): string[] {
  const m = a.mass, ne = a.nelog;
  const fmt = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : 'n/a');
  const line1 = `Swarm ${a.satellite}  ${a.day}  track ${a.track.number}  ${formatHours(a.track.centreLT)} LT  ${formatHours(a.track.centreUT)} UT  Dst = ${fmt(a.dst)} nT  ap = ${fmt(a.ap)} nT`;
  const line2 = `flagged/total samples: X ${m.nFlagged.X}/${m.n}, Y ${m.nFlagged.Y}/${m.n}, Z ${m.nFlagged.Z}/${m.n}, Ne ${ne ? `${ne.nFlagged}/${ne.n}` : 'n/a'}`;
  return [line1, line2];
}

function fftPanel(a: TrackAnalysis, c: Component, letter: string): Spec {
  const sp = a.mass.spectrum[c];
  const values: { f: number; amp: number }[] = [];
  for (let k = 1; k < sp.freq.length; k++) values.push({ f: round(sp.freq[k], 5), amp: +sp.amplitude[k].toPrecision(4) });
  return {
    title: { text: `${letter}  FFT of ${COMPONENT_LABEL[c]} residual`, anchor: 'start', fontSize: 11 },
    width: PANEL_W, height: PANEL_H,
    data: { values },
    mark: { type: 'line', strokeWidth: 0.8, color: '#1f4e9c' },
    encoding: {
      x: { field: 'f', type: 'quantitative', title: 'frequency (Hz)', scale: { domain: [0, 0.5] } },
      y: { field: 'amp', type: 'quantitative', title: 'amplitude (nT/s)' },
    },
  };
}

function residualPanel(a: TrackAnalysis, c: Component, letter: string): Spec {
  const m = a.mass;
  const values: { lat: number; r: number }[] = [];
  for (let i = 0; i < m.n; i++) values.push({ lat: round(m.latitude[i], 3), r: +m.residual[c][i].toPrecision(4) });
  const windows = m.windows.filter((w) => w.anomalous[c]).map((w) => ({ a: round(w.startLat, 3), b: round(w.endLat, 3) }));
  const flagged: { lat: number; r: number }[] = [];
  for (let i = 0; i < m.n; i++) if (m.flagged[c][i]) flagged.push(values[i]);
  return {
    title: { text: `${letter}  ${c} residual (${COMPONENT_COLUMN[c]}), rms ${m.trackRms[c].toPrecision(2)} nT/s`, anchor: 'start', fontSize: 11 },
    width: PANEL_W, height: PANEL_H,
    layer: [
      { data: { values: windows }, mark: { type: 'rect', color: '#f4a6a6', opacity: 0.45 }, encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' } } },
      {
        data: { values }, mark: { type: 'line', strokeWidth: 0.7, color: '#333333' },
        encoding: { x: { field: 'lat', type: 'quantitative', title: 'latitude (deg)' }, y: { field: 'r', type: 'quantitative', title: 'dB/dt residual (nT/s)' } },
      },
      { data: { values: flagged }, mark: { type: 'point', color: '#d62728', size: 6, filled: true }, encoding: { x: { field: 'lat', type: 'quantitative' }, y: { field: 'r', type: 'quantitative' } } },
    ],
  };
}

function nePanel(a: TrackAnalysis): Spec {
  const ne = a.nelog;
  if (!ne) {
    return {
      title: { text: 'G  log10 Ne: not available', anchor: 'start', fontSize: 11 }, width: PANEL_W, height: PANEL_H,
      data: { values: [{ t: a.nelogError ?? 'no Ne' }] }, mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 't' } },
    };
  }
  const values: { lat: number; logNe: number; fit: number }[] = [];
  const flagged: { lat: number; logNe: number }[] = [];
  for (let i = 0; i < ne.n; i++) {
    const row = { lat: round(ne.latitude[i], 3), logNe: round(ne.logNe[i], 5), fit: round(ne.fit[i], 5) };
    values.push(row);
    if (ne.flagged[i]) flagged.push({ lat: row.lat, logNe: row.logNe });
  }
  const y = { type: 'quantitative', title: 'log10 Ne (cm⁻³)', scale: { zero: false } };
  return {
    title: { text: `G  log10 Ne, degree-${ne.params.degree} fit, flagged: |r| > ${ne.threshold.toPrecision(2)}`, anchor: 'start', fontSize: 11 },
    width: PANEL_W, height: PANEL_H,
    layer: [
      { data: { values }, mark: { type: 'point', size: 3, color: '#555555', filled: true, opacity: 0.6 }, encoding: { x: { field: 'lat', type: 'quantitative', title: 'latitude (deg)' }, y: { field: 'logNe', ...y } } },
      { data: { values }, mark: { type: 'line', color: '#d62728', strokeWidth: 1.5 }, encoding: { x: { field: 'lat', type: 'quantitative' }, y: { field: 'fit', ...y } } },
      { data: { values: flagged }, mark: { type: 'point', shape: STAR, size: 60, color: '#1f4fd6', filled: true }, encoding: { x: { field: 'lat', type: 'quantitative' }, y: { field: 'logNe', ...y } } },
    ],
  };
}

/** Country outlines (world-atlas countries-110m, via topojson-client) that meet a lon/lat box, coordinates rounded. */
export function basemapFeatures(lonMin: number, lonMax: number, latMin: number, latMax: number): any[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const world = require('world-atlas/countries-110m.json') as Topology<{ countries: GeometryCollection }>;
  const fc = topojson.feature(world, world.objects.countries) as any;
  const inBox = (lon: number, lat: number) => {
    const dl = ((((lon - (lonMin + lonMax) / 2) % 360) + 540) % 360) - 180;
    return Math.abs(dl) <= (lonMax - lonMin) / 2 + 5 && lat >= latMin - 5 && lat <= latMax + 5;
  };
  const roundCoords = (c: any): any => (typeof c[0] === 'number' ? [round(c[0], 2), round(c[1], 2)] : c.map(roundCoords));
  const anyIn = (c: any): boolean => (typeof c[0] === 'number' ? inBox(c[0], c[1]) : c.some(anyIn));
  return fc.features
    .filter((f: any) => f.geometry && anyIn(f.geometry.coordinates))
    .map((f: any) => ({ type: 'Feature', properties: { name: f.properties?.name ?? '' }, geometry: { type: f.geometry.type, coordinates: roundCoords(f.geometry.coordinates) } }));
}

function mapPanel(a: TrackAnalysis, event: CaseEvent, radiusKm: number): Spec {
  // the panel's size is that of the others (a grid of equal cells); the latitude span follows from the aspect
  const lonSpan = 130;
  const w = PANEL_W, h = PANEL_H;
  const latSpan = (lonSpan * h) / w;
  const latMid = Math.max(-90 + latSpan / 2, Math.min(90 - latSpan / 2, event.latitude));
  const latMin = latMid - latSpan / 2, latMax = latMid + latSpan / 2;
  const scale = w / ((lonSpan * Math.PI) / 180);
  const circle = circlePoints(event.latitude, event.longitude, radiusKm, 90).map(([lo, la]) => [round(lo, 3), round(la, 3)]);
  const circleFeature = { type: 'Feature', properties: { name: 'Dobrovolsky area' }, geometry: { type: 'Polygon', coordinates: [circle] } };
  // track path split where it crosses the antimeridian; analysed part marked
  const pts: { lon: number; lat: number; seg: number; i: number; part: string }[] = [];
  let seg = 0;
  const { lat, lon } = a.path;
  const a0 = a.analysedStart - a.track.start, a1 = a.analysedEnd - a.track.start;
  const step = Math.max(1, Math.floor(lat.length / 400));
  for (let i = 0; i < lat.length; i += step) {
    if (pts.length && Math.abs(lon[i] - pts[pts.length - 1].lon) > 180) seg++;
    const part = i >= a0 && i < a1 ? 'analysed (|MLat| <= 50)' : 'rest of half orbit';
    if (pts.length && pts[pts.length - 1].part !== part) seg++;
    pts.push({ lon: round(lon[i], 3), lat: round(lat[i], 3), seg, i, part });
  }
  const projection = { type: 'equirectangular', center: [event.longitude, (latMin + latMax) / 2], scale, translate: [w / 2, h / 2], clipExtent: [[0, 0], [w, h]] };
  // graticule every 30 deg, labelled inside the left (latitude) and bottom (longitude) edges
  const lon0 = event.longitude - lonSpan / 2;
  const gratLat: { lon: number; lat: number; t: string }[] = [];
  for (let la = Math.ceil((latMin + 4) / 30) * 30; la <= latMax - 4; la += 30) gratLat.push({ lon: round(lon0 + 1, 3), lat: la, t: la === 0 ? '0' : `${Math.abs(la)}°${la > 0 ? 'N' : 'S'}` });
  const gratLon: { lon: number; lat: number; t: string }[] = [];
  for (let lo = Math.ceil((lon0 + 12) / 30) * 30; lo <= lon0 + lonSpan - 12; lo += 30) {
    const l = ((((lo + 180) % 360) + 360) % 360) - 180;
    gratLon.push({ lon: lo, lat: round(latMin + 1, 3), t: l === 0 || Math.abs(l) === 180 ? `${Math.abs(l)}°` : `${Math.abs(l)}°${l > 0 ? 'E' : 'W'}` });
  }
  const gratLines: any[] = [];
  for (let la = -60; la <= 60; la += 30) gratLines.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: 27 }, (_, k) => [round(lon0 + (k * lonSpan) / 26, 3), la]) } });
  for (let lo = Math.ceil(lon0 / 30) * 30; lo <= lon0 + lonSpan; lo += 30) gratLines.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: 19 }, (_, k) => [lo, -90 + k * 10]) } });
  const gratText = (values: typeof gratLat, align: string, baseline: string) => ({
    data: { values }, mark: { type: 'text', fontSize: 8, color: '#666666', align, baseline },
    encoding: { longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' }, text: { field: 't' } },
  });
  return {
    title: { text: `H  epicentre, Dobrovolsky R = ${Math.round(radiusKm)} km, track`, anchor: 'start', fontSize: 11 },
    width: w, height: h, projection,
    layer: [
      { data: { values: basemapFeatures(event.longitude - lonSpan / 2, event.longitude + lonSpan / 2, latMin, latMax) }, mark: { type: 'geoshape', fill: '#e6e6e6', stroke: '#9a9a9a', strokeWidth: 0.4 } },
      { data: { values: gratLines }, mark: { type: 'geoshape', filled: false, stroke: '#bbbbbb', strokeWidth: 0.4, strokeDash: [2, 2] } },
      gratText(gratLat, 'left', 'middle'),
      gratText(gratLon, 'center', 'bottom'),
      { data: { values: [circleFeature] }, mark: { type: 'geoshape', fill: '#ffe94d', fillOpacity: 0.45, stroke: '#c9a800', strokeWidth: 1 } },
      {
        data: { values: pts }, mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' }, detail: { field: 'seg' }, order: { field: 'i' },
          color: { field: 'part', type: 'nominal', scale: { domain: ['analysed (|MLat| <= 50)', 'rest of half orbit'], range: ['#1f4e9c', '#9fb7de'] }, legend: { orient: 'bottom', title: null, labelFontSize: 9, labelLimit: 200, direction: 'vertical' } },
        },
      },
      {
        data: { values: [{ lon: event.longitude, lat: event.latitude }] }, mark: { type: 'point', shape: STAR, size: 220, color: '#1a9e1a', filled: true, stroke: '#0b4d0b', strokeWidth: 0.6 },
        encoding: { longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' } },
      },
    ],
  };
}

export interface CaseFigureOptions {
  event: CaseEvent;
  radiusKm: number;
  /** Extra lines under the title (data source, choice of track). */
  notes?: string[];
}

/**
 * The paper's Figure 1/2 panels on an aligned grid of equal cells, two rows of four: A-C (FFT of the X, Y, Z
 * residuals) and G (log10 Ne), then D-F (the residuals) and H (the map); no empty cell.
 */
export function caseFigureSpec(a: TrackAnalysis, opts: CaseFigureOptions): Spec {
  const letters = { fft: ['A', 'B', 'C'], res: ['D', 'E', 'F'] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: caseTitle(a), subtitle: wrapLines(opts.notes ?? [], 150), anchor: 'start', fontSize: 13, subtitleFontSize: 10 },
    columns: 4,
    align: 'all',
    concat: [
      ...COMPONENTS.map((c, i) => fftPanel(a, c, letters.fft[i])),
      nePanel(a),
      ...COMPONENTS.map((c, i) => residualPanel(a, c, letters.res[i])),
      mapPanel(a, opts.event, opts.radiusKm),
    ],
    resolve: { scale: { color: 'independent' } },
    config: { view: { stroke: '#888888' }, axis: { labelFontSize: 9, titleFontSize: 10 }, concat: { spacing: 18 } },
  };
}

/** Our sequence figure: anomalous night tracks per day in the Dobrovolsky area beside daily Kp and Dst. */
export function sequenceFigureSpec(seq: SequenceResult): Spec {
  const rows = seq.days.map((d) => ({
    day: d.day,
    status: d.status,
    anomalousQuiet: d.anomalousQuiet,
    anomalousDisturbed: d.anomalousDisturbed,
    tracksInArea: d.nightTracksInArea,
    cumulative: d.cumulative,
    kpMax: Number.isFinite(d.kpMax) ? round(d.kpMax, 3) : null,
    dstMin: Number.isFinite(d.dstMin) ? d.dstMin : null,
  }));
  const counts = rows.flatMap((r) => r.status === 'ok'
    ? [{ day: r.day, kind: 'anomalous, quiet', n: r.anomalousQuiet }, { day: r.day, kind: 'anomalous, disturbed', n: r.anomalousDisturbed }, { day: r.day, kind: 'not anomalous', n: r.tracksInArea - r.anomalousQuiet - r.anomalousDisturbed }]
    : []);
  const missing = rows.filter((r) => r.status !== 'ok').map((r) => ({ day: r.day, status: r.status === 'missing' ? 'no data' : 'not analysable' }));
  const x = { field: 'day', type: 'ordinal', title: null, sort: null, scale: { domain: rows.map((r) => r.day) }, axis: { labelAngle: -60, labelFontSize: 8 } };
  // wide enough that the plots, not the title, set the canvas (the figure check wants the plots to fill it)
  const width = Math.max(640, rows.length * 24);
  const xHidden = { ...x, axis: { labels: false, ticks: false, title: null } };
  const eventDay = seq.event.time.slice(0, 10);
  // whole-number axes: ticks at integers only (Vega would put some at 0.5)
  const ints = (max: number) => Array.from({ length: Math.max(1, Math.ceil(max)) + 1 }, (_, k) => k).filter((k, _, a) => a.length <= 6 || k % Math.ceil(a.length / 5) === 0);
  const maxTracks = Math.max(1, ...rows.map((r) => r.tracksInArea));
  const maxCum = Math.max(1, ...rows.map((r) => r.cumulative));
  const rule = (xe: Spec) => ({ data: { values: [{ day: eventDay }] }, mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x: xe } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: wrapLines([`Swarm ${seq.satellite} night tracks (${seq.params.nightStartLT}-${seq.params.nightEndLT} LT) crossing the Dobrovolsky area of the ${seq.event.name} M${seq.event.magnitude} earthquake, ${seq.from} to ${seq.to}`], 95),
      subtitle: wrapLines([
        `MASS anomalous track: a 7-deg window with rms > ${seq.massKt} x track rms inside the area; quiet: |Dst| <= ${seq.params.maxAbsDst} nT and ap <= ${seq.params.maxAp} nT at the track centre. Dashed: earthquake day.`,
        seq.missing.length ? `${seq.missing.length} of ${rows.length} days without data (marked "no data").` : 'Every day had data.',
      ], 120),
      anchor: 'start', fontSize: 12, subtitleFontSize: 10,
    },
    vconcat: [
      {
        width, height: 120,
        layer: [
          { data: { values: counts }, mark: 'bar', encoding: { x: xHidden, y: { field: 'n', type: 'quantitative', title: 'night tracks in area', aggregate: 'sum', scale: { domain: [0, maxTracks] }, axis: { values: ints(maxTracks), format: 'd' } }, color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['anomalous, quiet', 'anomalous, disturbed', 'not anomalous'], range: ['#d62728', '#f2a541', '#c7c7c7'] }, legend: { orient: 'top', labelLimit: 200 } } } },
          { data: { values: missing }, mark: { type: 'text', angle: 270, fontSize: 8, color: '#888888', baseline: 'middle', align: 'left' }, encoding: { x: xHidden, y: { datum: 0, type: 'quantitative' }, text: { field: 'status' } } },
          rule(xHidden),
        ],
      },
      {
        width, height: 70,
        layer: [
          { data: { values: rows.filter((r) => r.status === 'ok') }, mark: { type: 'line', point: { color: '#d62728' }, color: '#d62728', interpolate: 'step-after' }, encoding: { x: xHidden, y: { field: 'cumulative', type: 'quantitative', title: 'cumulative (quiet)', scale: { domain: [0, maxCum] }, axis: { values: ints(maxCum), format: 'd' } } } },
          rule(xHidden),
        ],
      },
      {
        width, height: 70,
        layer: [
          { data: { values: rows.filter((r) => r.kpMax !== null) }, mark: { type: 'bar', color: '#7f7f7f' }, encoding: { x: xHidden, y: { field: 'kpMax', type: 'quantitative', title: 'daily max Kp', scale: { domain: [0, 9] } } } },
          { data: { values: [{ k: 3 }] }, mark: { type: 'rule', color: '#f2a541' }, encoding: { y: { field: 'k', type: 'quantitative' } } },
          rule(xHidden),
        ],
      },
      {
        width, height: 70,
        layer: [
          { data: { values: rows.filter((r) => r.dstMin !== null) }, mark: { type: 'line', point: { color: '#1f4e9c' }, color: '#1f4e9c' }, encoding: { x, y: { field: 'dstMin', type: 'quantitative', title: 'daily min Dst (nT)' } } },
          { data: { values: [{ d: -seq.params.maxAbsDst }] }, mark: { type: 'rule', color: '#f2a541' }, encoding: { y: { field: 'd', type: 'quantitative' } } },
          rule(x),
        ],
      },
    ],
    config: { axis: { labelFontSize: 9, titleFontSize: 10 } },
  };
}
