// Vega-Lite specs (data inlined) for the dataset notebook: Figure 3 of the paper (non-overlapping windows and
// their labels along a track), class balance per dataset and split, and kept events per declustering rule
// beside the paper's 9,017. Serves paper section 3.1, Figure 3 and Table 1; saveFigure renders them.
import { SwarmColumns } from '../swarm/types';
import { DatasetParams, DATASET_PARAMS } from './params';
import { buildSelections, EventTable, KpLookup, selectDay } from './selection';
import { SPLIT_NAMES } from './splits';
import { DatasetConfig } from './table1';
import { tileDay, WindowSink } from './windows';

export type VegaLiteSpec = Record<string, any>;

export const CLASS_NAMES = ['0 non-seismic', '1 seismic', '2 Kp > 3'];
const CLASS_COLORS = ['#4c78a8', '#e45756', '#f2a93b'];

export interface TrackFigureInput {
  /** Sample times (Unix ms), values of one feature, latitude, and per-sample class (255 outside every event). */
  time: ArrayLike<number>;
  value: ArrayLike<number>;
  latitude: ArrayLike<number>;
  label: ArrayLike<number>;
  windows: { start: number; end: number; label: number; event: string }[];
  feature: string;
  title: string;
}

/** Figure 3: a stretch of track, samples coloured by class (grey outside events), kept windows as bands. */
export function figure3Spec(o: TrackFigureInput): VegaLiteSpec {
  const samples = [];
  for (let i = 0; i < o.time.length; i++) {
    if (!Number.isFinite(o.value[i])) continue;
    samples.push({
      time: new Date(o.time[i]).toISOString(),
      value: o.value[i],
      latitude: Math.round(o.latitude[i] * 100) / 100,
      class: o.label[i] === 255 ? 'outside' : CLASS_NAMES[o.label[i]],
    });
  }
  const windows = o.windows.map((w, k) => ({
    start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), class: CLASS_NAMES[w.label], window: `w${k + 1}`, event: w.event,
  }));
  const colorScale = { domain: [...CLASS_NAMES, 'outside'], range: [...CLASS_COLORS, '#bbbbbb'] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: 720,
    height: 260,
    layer: [
      {
        data: { values: windows },
        mark: { type: 'rect', opacity: 0.18 },
        encoding: {
          x: { field: 'start', type: 'temporal', title: 'UTC', axis: { format: '%H:%M:%S', labelAngle: 0 } },
          x2: { field: 'end' },
          color: { field: 'class', type: 'nominal', scale: colorScale, title: 'class' },
          tooltip: [{ field: 'window' }, { field: 'event' }, { field: 'class' }, { field: 'start' }],
        },
      },
      {
        data: { values: windows },
        mark: { type: 'rule', strokeDash: [3, 3], color: '#444' },
        encoding: { x: { field: 'start', type: 'temporal' } },
      },
      {
        data: { values: samples },
        mark: { type: 'point', filled: true, size: 8 },
        encoding: {
          x: { field: 'time', type: 'temporal' },
          y: { field: 'value', type: 'quantitative', title: o.feature, scale: { zero: false } },
          color: { field: 'class', type: 'nominal', scale: colorScale },
          tooltip: [{ field: 'time' }, { field: 'latitude' }, { field: 'value' }, { field: 'class' }],
        },
      },
    ],
  };
}

/**
 * Run selection and windowing on one day for one config and pick the stretch of track (padMinutes either side)
 * around the run with the most windows: the data behind Figure 3.
 */
export function figure3Example(
  day: SwarmColumns, ev: EventTable, kp: { time: Float64Array; Kp: Float64Array }, config: DatasetConfig,
  opts: { feature?: 'B_N' | 'B_E' | 'B_C' | 'Ne'; padMinutes?: number; params?: DatasetParams; title?: string } = {},
): TrackFigureInput | null {
  const p = opts.params ?? DATASET_PARAMS;
  const feature = opts.feature ?? 'Ne';
  const { selections } = buildSelections([config], ev, p);
  const sel = selectDay(day, ev, selections, new KpLookup(kp), p);
  const sink = new WindowSink(config.T, p.windows.features);
  tileDay(day, sel.assign[0], sel.label[0], sel.kp, sel.localTime, sink, p.windows);
  const { meta } = sink.close();
  if (meta.startTime.length === 0) return null;
  // the event whose windows show the most classes (a real earthquake first), then the most windows;
  // then the contiguous stretch of its windows
  const perEvent = new Map<number, { n: number; classes: Set<number> }>();
  meta.eventIndex.forEach((e, w) => {
    const r = perEvent.get(e) ?? { n: 0, classes: new Set<number>() };
    r.n++;
    r.classes.add(meta.label[w]);
    perEvent.set(e, r);
  });
  const score = (e: number) => perEvent.get(e)!.classes.size * 2 + ev.seismic[e];
  const best = [...perEvent.keys()].sort((a, b) => score(b) - score(a) || perEvent.get(b)!.n - perEvent.get(a)!.n || a - b)[0];
  let first = meta.eventIndex.indexOf(best);
  let last = first;
  while (last + 1 < meta.eventIndex.length && meta.eventIndex[last + 1] === best && meta.startTime[last + 1] - meta.startTime[last] < 30 * 60_000) last++;
  const pad = (opts.padMinutes ?? 3) * 60_000;
  const from = meta.startTime[first] - pad;
  const to = meta.startTime[last] + config.T * p.windows.samplingMs + pad;
  const idx: number[] = [];
  for (let i = 0; i < day.Timestamp.length; i++) if (day.Timestamp[i] >= from && day.Timestamp[i] <= to) idx.push(i);
  const windows = [];
  for (let w = 0; w < meta.startTime.length; w++) {
    const s = meta.startTime[w];
    if (s >= from && s <= to) {
      windows.push({ start: s, end: s + config.T * p.windows.samplingMs, label: meta.label[w], event: ev.id[meta.eventIndex[w]] });
    }
  }
  return {
    time: idx.map((i) => day.Timestamp[i]),
    value: idx.map((i) => day[feature][i]),
    latitude: idx.map((i) => day.Latitude[i]),
    label: idx.map((i) => sel.label[0][i]),
    windows,
    feature: `${feature}${feature === 'Ne' ? ' (cm^-3)' : ' (nT)'}`,
    title: opts.title ?? `Figure 3: ${config.T}-sample windows and labels along a track (${config.name}, event ${ev.id[best]})`,
  };
}

export interface BalanceRow {
  dataset: string;
  split: string;
  class: string;
  windows: number;
}

/** Rows from dataset summaries: windows per dataset, split and class. */
export function balanceRows(items: { name: string; bySplitClass: number[][] }[]): BalanceRow[] {
  const rows: BalanceRow[] = [];
  for (const it of items) {
    SPLIT_NAMES.forEach((s, k) => CLASS_NAMES.forEach((c, j) => rows.push({ dataset: it.name, split: s, class: c, windows: it.bySplitClass[k][j] })));
  }
  return rows;
}

/** Class balance: stacked bars per dataset, one panel per split, share of windows by class. */
export function classBalanceSpec(rows: BalanceRow[], title = 'Class balance per dataset and split'): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: rows },
    facet: { column: { field: 'split', type: 'nominal', sort: [...SPLIT_NAMES], title: null } },
    spec: {
      width: 220,
      // at least 90 px: with one dataset (smoke profile) a 20 px bar would leave the canvas mostly empty
      height: Math.max(90, 20 * new Set(rows.map((r) => r.dataset)).size),
      mark: 'bar',
      encoding: {
        y: { field: 'dataset', type: 'nominal', title: null },
        x: { aggregate: 'sum', field: 'windows', type: 'quantitative', stack: 'normalize', title: 'share of windows' },
        color: { field: 'class', type: 'nominal', scale: { domain: CLASS_NAMES, range: CLASS_COLORS } },
        tooltip: [{ field: 'dataset' }, { field: 'class' }, { aggregate: 'sum', field: 'windows', title: 'windows' }],
      },
    },
  };
}

/** Kept events per declustering rule (bars) with the paper's 9,017 as a rule line. */
export function declusterSpec(rows: { rule: string; catalog: string; kept: number }[], paperKept = 9017, title = 'Events kept by each declustering rule'): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520,
    height: 300,
    layer: [
      {
        data: { values: rows },
        mark: 'bar',
        encoding: {
          y: { field: 'rule', type: 'nominal', sort: null, title: 'rule' },
          x: { field: 'kept', type: 'quantitative', title: 'events kept' },
          color: { field: 'catalog', type: 'nominal', title: 'catalog', legend: { labelLimit: 320, orient: 'bottom' } },
          yOffset: { field: 'catalog' },
          tooltip: [{ field: 'rule' }, { field: 'catalog' }, { field: 'kept' }],
        },
      },
      {
        data: { values: [{ kept: paperKept, label: `paper: ${paperKept.toLocaleString('en-US')} (M>=4.8)` }] },
        layer: [
          { mark: { type: 'rule', color: 'black', strokeDash: [4, 3] }, encoding: { x: { field: 'kept', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', dx: 4, dy: -140 }, encoding: { x: { field: 'kept', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}
