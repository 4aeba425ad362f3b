// Per-earthquake view of the model audit (issue 15; serves the reading of paper section 4 and Table 2): a model's
// test windows grouped by the event they belong to, each event's detection rate (the share of its windows
// predicted class 1) beside its magnitude, the windows' distance from the epicentre and Kp; mean detection rates of
// earthquakes in bins of each, with percentile bootstrap intervals over events; and every Table 2 number with its
// interval (from table2.json, computed from the predictions where the file has none).
import * as fs from 'fs';
import { rel } from '../core/paths';
import { bootstrapByEvent } from '../evaluation/bootstrap';
import { argmaxRows } from '../evaluation/metrics';
import { readPredictionsCsv } from '../evaluation/predictions';
import { WindowMeta } from '../datasets/windows';
import type { IntervalValue, PerEventResult, PerEventRow } from './model-audit-types';
import { eventBootstrap } from './model-scores';

const D2R = Math.PI / 180;

/** Great-circle distance (km, sphere of 6371 km). */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a = Math.sin(((lat2 - lat1) * D2R) / 2) ** 2 + Math.cos(lat1 * D2R) * Math.cos(lat2 * D2R) * Math.sin(((lon2 - lon1) * D2R) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface EventTable {
  index: number[];
  id: string[];
  latitude: number[];
  longitude: number[];
  mag: number[];
  seismic: boolean[] | number[];
}

/** Per-event rows of a model's test predictions: rows index the dataset's windows; probs are rows x K. */
export function perEventRows(meta: WindowMeta, events: EventTable, rows: ArrayLike<number>, probs: ArrayLike<number>, K = 3): PerEventRow[] {
  const pred = argmaxRows(probs, K);
  const byIndex = new Map<number, number>(events.index.map((e, k) => [e, k]));
  const acc = new Map<number, { n: number; hit: number; dist: number; kp: number; label: number }>();
  for (let i = 0; i < rows.length; i++) {
    const w = rows[i];
    const e = meta.eventIndex[w];
    const k = byIndex.get(e);
    if (k === undefined) throw new Error(`per-event view: window ${w} belongs to event index ${e}, not in events.json`);
    let a = acc.get(e);
    if (!a) acc.set(e, (a = { n: 0, hit: 0, dist: 0, kp: 0, label: meta.label[w] }));
    a.n++;
    a.hit += pred[i] === 1 ? 1 : 0;
    a.dist += greatCircleKm(meta.latitude[w], meta.longitude[w], events.latitude[k], events.longitude[k]);
    a.kp += meta.kp[w];
  }
  const out: PerEventRow[] = [];
  for (const [e, a] of acc) {
    const k = byIndex.get(e)!;
    const seismic = Boolean(events.seismic[k]);
    out.push({
      eventId: events.id[k], seismic, label: a.label, magnitude: seismic ? events.mag[k] : null,
      distanceKm: a.dist / a.n, kp: a.kp / a.n, windows: a.n, detectionRate: a.hit / a.n,
    });
  }
  return out.sort((x, y) => (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0));
}

/** Bin edges of the per-event view (lower edges; the last bin is open). Distances: DataSet 03's windows lie inside the
 * Dobrovolsky radius 10^(0.43 M) km (141 km at M 5, 380 km at M 6). */
export const PER_EVENT_BINS = {
  magnitude: [4.8, 5.2, 5.6, 6.0],
  distance: [0, 100, 200, 400],
  Kp: [0, 1, 2, 3],
} as const;

function binLabel(edges: readonly number[], k: number, unit: string): string {
  return k + 1 < edges.length ? `${edges[k]}-${edges[k + 1]}${unit}` : `>= ${edges[k]}${unit}`;
}

/** Mean detection rate of the earthquakes (label-1 events) in each bin, with a bootstrap interval over the bin's events. */
export function perEventBins(rows: PerEventRow[], o: { replicates: number; level: number; seed: string }): PerEventResult['bins'] {
  const quakes = rows.filter((r) => r.label === 1);
  const out: PerEventResult['bins'] = [];
  const specs: { by: 'magnitude' | 'distance' | 'Kp'; edges: readonly number[]; value: (r: PerEventRow) => number | null; unit: string }[] = [
    { by: 'magnitude', edges: PER_EVENT_BINS.magnitude, value: (r) => r.magnitude, unit: '' },
    { by: 'distance', edges: PER_EVENT_BINS.distance, value: (r) => r.distanceKm, unit: ' km' },
    { by: 'Kp', edges: PER_EVENT_BINS.Kp, value: (r) => r.kp, unit: '' },
  ];
  for (const s of specs) {
    for (let k = 0; k < s.edges.length; k++) {
      const lo = s.edges[k], hi = k + 1 < s.edges.length ? s.edges[k + 1] : Infinity;
      const inBin = quakes.filter((r) => {
        const v = s.value(r);
        return v !== null && v >= lo && v < hi;
      });
      let rate: IntervalValue | null = null;
      if (inBin.length) {
        const rates = inBin.map((r) => r.detectionRate);
        rate = eventBootstrap(inBin.map((r) => r.eventId), (w) => {
          let sw = 0, s2 = 0;
          for (let i = 0; i < rates.length; i++) {
            sw += w[i];
            s2 += w[i] * rates[i];
          }
          return { rate: sw > 0 ? s2 / sw : null };
        }, { ...o, seed: `${o.seed} ${s.by} ${k}` }).rate;
      }
      out.push({ by: s.by, bin: binLabel(s.edges, k, s.unit), events: inBin.length, rate });
    }
  }
  return out;
}

interface Table2JsonRow {
  method: string;
  protocol: string;
  selection: string;
  dataset: number;
  resultDir: string;
  cells: Record<string, { ours: number | null; lo: number | null; hi: number | null }>;
}

const TABLE2_INTERVAL: Record<string, string> = { mcc: 'mcc', f1: 'f1_micro', accuracy: 'accuracy', auc0: 'roc_auc_0', auc1: 'roc_auc_1', auc2: 'roc_auc_2' };

/**
 * Every number of our Table 2 rows with its interval: from table2.json where it has one, else computed from the
 * row's predictions.csv (bootstrap over events, the experiments' settings).
 */
export function table2Intervals(table2File: string, predictionsOf: (row: Table2JsonRow) => string, o: { replicates: number; level: number; seed: string }): PerEventResult['table2Intervals'] {
  if (!fs.existsSync(table2File)) return [];
  const j = JSON.parse(fs.readFileSync(table2File, 'utf8')) as { rows?: Table2JsonRow[] };
  if (!Array.isArray(j.rows)) throw new Error(`${rel(table2File)}: field 'rows' is not an array`);
  const out: PerEventResult['table2Intervals'] = [];
  for (const r of j.rows) {
    let computed: ReturnType<typeof bootstrapByEvent> | null = null;
    for (const [m, c] of Object.entries(r.cells)) {
      const protocol = `${r.protocol}/${r.selection}`;
      if (c.ours === null || (c.lo !== null && c.hi !== null)) {
        out.push({ method: r.method, protocol, dataset: r.dataset, metric: m, estimate: c.ours, lo: c.lo, hi: c.hi, source: 'table2.json' });
        continue;
      }
      if (!computed) {
        const p = readPredictionsCsv(predictionsOf(r));
        if (!p.eventIds) throw new Error(`${predictionsOf(r)}: no event_id column`);
        computed = bootstrapByEvent(p.yTrue, p.proba, p.eventIds, { n: o.replicates, level: o.level, seed: `${o.seed} ${r.method} ${protocol} ${r.dataset}` });
      }
      const iv = computed.intervals[TABLE2_INTERVAL[m]];
      out.push({ method: r.method, protocol, dataset: r.dataset, metric: m, estimate: c.ours, lo: iv?.lo ?? null, hi: iv?.hi ?? null, source: 'computed' });
    }
  }
  return out;
}
