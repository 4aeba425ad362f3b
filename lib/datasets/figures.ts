// Vega-Lite specs (data inlined) for the dataset notebook: Figure 3 of the paper (non-overlapping windows and
// their labels along a track), class balance per dataset and split, and kept events per declustering rule
// beside the paper's 9,017. Serves paper section 3.1, Figure 3 and Table 1; saveFigure renders them.
import { SwarmColumns } from '../swarm/types';
import { PAPER_CATALOG } from '../core/paper';
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
export function declusterSpec(rows: { rule: string; catalog: string; kept: number }[], paperKept: number = PAPER_CATALOG.after, title = 'Events kept by each declustering rule'): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    // the paper's label sits above the plot: the title keeps its distance
    title: { text: title, offset: 22 },
    width: 520,
    height: 300,
    layer: [
      {
        data: { values: rows },
        mark: 'bar',
        encoding: {
          y: { field: 'rule', type: 'nominal', sort: null, title: 'rule' },
          x: { field: 'kept', type: 'quantitative', title: 'events kept' },
          color: { field: 'catalog', type: 'nominal', title: 'catalog', legend: { labelLimit: 0, orient: 'bottom', direction: 'vertical' } },
          yOffset: { field: 'catalog' },
          tooltip: [{ field: 'rule' }, { field: 'catalog' }, { field: 'kept' }],
        },
      },
      {
        data: { values: [{ kept: paperKept, label: `paper: ${paperKept.toLocaleString('en-US')} (M>=4.8)` }] },
        layer: [
          { mark: { type: 'rule', color: 'black', strokeDash: [4, 3] }, encoding: { x: { field: 'kept', type: 'quantitative' } } },
          // above the plot, at the line: clear of the bars whatever their lengths
          { mark: { type: 'text', align: 'center', baseline: 'bottom', dy: -4 }, encoding: { x: { field: 'kept', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}

export interface Figure3Window {
  start: number;
  end: number;
  label: number;
  event: string;
}

export interface Figure3Panel {
  /** The class this panel shows a run of consecutive windows for. */
  cls: number;
  title: string;
  /** Samples of the stretch: time (ms), value, and the class of the window holding it (255: in none). */
  time: number[];
  value: number[];
  windowClass: number[];
  windows: Figure3Window[];
}

/** What Figure 3 needs from a built dataset: window starts, labels, events (lib/datasets/build loadDataset meta). */
export interface WindowIndex {
  startTime: ArrayLike<number>;
  label: ArrayLike<number>;
  eventIndex: ArrayLike<number>;
}

/**
 * Figure 3 of the paper from a built dataset: for each class (0 non-seismic, 1 seismic, 2 Kp > 3) the longest run
 * of consecutive non-overlapping windows (each starts where the previous ends) of one event, at most `maxWindows`
 * of them, with `padWindows` window lengths of track either side; the samples come from `readDay`. A class with no
 * window in the dataset gets no panel.
 */
export function figure3Panels(
  meta: WindowIndex, eventIds: ArrayLike<string>, T: number, readDay: (day: string) => SwarmColumns | null,
  opts: { feature?: 'B_N' | 'B_E' | 'B_C' | 'Ne'; samplingMs?: number; maxWindows?: number; padWindows?: number } = {},
): Figure3Panel[] {
  const feature = opts.feature ?? 'Ne';
  const dt = opts.samplingMs ?? 1000;
  const len = T * dt;
  const maxW = opts.maxWindows ?? 4;
  const pad = (opts.padWindows ?? 1.5) * len;
  const n = meta.startTime.length;
  const order = Array.from({ length: n }, (_, w) => w).sort((a, b) => meta.startTime[a] - meta.startTime[b]);
  const panels: Figure3Panel[] = [];
  for (const cls of [0, 1, 2]) {
    // longest run of consecutive windows of this class and one event, in time order
    let best: number[] = [];
    let cur: number[] = [];
    for (const w of order) {
      const prev = cur[cur.length - 1];
      const continues = prev !== undefined && meta.label[w] === cls && meta.eventIndex[w] === meta.eventIndex[prev] && meta.startTime[w] - meta.startTime[prev] === len;
      if (continues) cur.push(w);
      else cur = meta.label[w] === cls ? [w] : [];
      if (cur.length > best.length) best = [...cur];
    }
    if (best.length === 0) continue;
    const run = best.slice(0, maxW);
    const from = meta.startTime[run[0]] - pad;
    const to = meta.startTime[run[run.length - 1]] + len + pad;
    const dayName = new Date(meta.startTime[run[0]]).toISOString().slice(0, 10);
    const day = readDay(dayName);
    if (!day) continue;
    // windows wholly inside the stretch (a window half shown would look like a shorter one)
    const windows: Figure3Window[] = [];
    for (const w of order) {
      const s = meta.startTime[w];
      if (s >= from && s + len <= to) windows.push({ start: s, end: s + len, label: meta.label[w], event: String(eventIds[meta.eventIndex[w]]) });
    }
    const time: number[] = [];
    const value: number[] = [];
    const windowClass: number[] = [];
    for (let i = 0; i < day.Timestamp.length; i++) {
      const t = day.Timestamp[i];
      if (t < from || t > to || !Number.isFinite(day[feature][i])) continue;
      const inW = windows.find((x) => t >= x.start && t < x.end);
      time.push(t);
      value.push(day[feature][i]);
      windowClass.push(inW ? inW.label : 255);
    }
    const startUt = new Date(meta.startTime[run[0]]).toISOString().slice(0, 16).replace('T', ' ');
    panels.push({
      cls, time, value, windowClass, windows,
      title: `${CLASS_NAMES[cls]}: consecutive windows of event ${eventIds[meta.eventIndex[run[0]]]} from ${startUt} UT (a run of ${best.length})`,
    });
  }
  return panels;
}

/** Figure 3 as the paper draws it: per class, a stretch of track cut into consecutive windows of T samples. */
export function figure3PanelsSpec(panels: Figure3Panel[], o: { T: number; feature: string; title: string }): VegaLiteSpec {
  if (panels.length === 0) throw new Error('Figure 3: no window of any class to draw');
  const colorScale = { domain: [...CLASS_NAMES, 'in no window'], range: [...CLASS_COLORS, '#9a9a9a'] };
  const unit = o.feature === 'Ne' ? 'Ne (cm⁻³)' : `${o.feature} (nT)`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: o.title,
      subtitle: `Consecutive 1 s samples cut into non-overlapping windows of T = ${o.T} samples; each window carries one label: ` +
        '0 non-seismic, 1 seismic, 2 Kp > 3 (whatever the event)',
      anchor: 'start',
    },
    vconcat: panels.map((p) => {
      const samples = p.time.map((t, i) => ({ time: new Date(t).toISOString(), value: p.value[i], class: p.windowClass[i] === 255 ? 'in no window' : CLASS_NAMES[p.windowClass[i]] }));
      const wins = p.windows.map((w, k) => ({
        start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), mid: new Date((w.start + w.end) / 2).toISOString(),
        class: CLASS_NAMES[w.label], text: `${w.label}`, window: `window ${k + 1}`, event: w.event,
      }));
      const first = p.windows.find((w) => w.label === p.cls) ?? p.windows[0];
      const tMark = [{ start: new Date(first.start).toISOString(), end: new Date(first.end).toISOString(), text: `T = ${o.T} samples` }];
      const x = { field: 'time', type: 'temporal', title: null, axis: { format: '%H:%M:%S', labelAngle: 0, tickCount: 6 } };
      return {
        title: { text: p.title, anchor: 'start', fontSize: 11 },
        width: 700,
        height: 120,
        layer: [
          { data: { values: wins }, mark: { type: 'rect', opacity: 0.22 }, encoding: { x: { field: 'start', type: 'temporal' }, x2: { field: 'end' }, color: { field: 'class', type: 'nominal', scale: colorScale, title: 'label' } } },
          { data: { values: wins }, mark: { type: 'rule', strokeDash: [3, 3], color: '#555' }, encoding: { x: { field: 'start', type: 'temporal' } } },
          { data: { values: wins }, mark: { type: 'text', baseline: 'top', dy: 3, fontSize: 11, fontWeight: 'bold' }, encoding: { x: { field: 'mid', type: 'temporal' }, y: { value: 0 }, text: { field: 'text' } } },
          { data: { values: tMark }, mark: { type: 'rule', color: '#222', strokeWidth: 1.5 }, encoding: { x: { field: 'start', type: 'temporal' }, x2: { field: 'end' }, y: { value: 114 } } },
          { data: { values: tMark }, mark: { type: 'text', baseline: 'bottom', dy: -2, fontSize: 10, align: 'left', dx: 2 }, encoding: { x: { field: 'start', type: 'temporal' }, y: { value: 114 }, text: { field: 'text' } } },
          { data: { values: samples }, mark: { type: 'point', filled: true, size: 10 }, encoding: { x, y: { field: 'value', type: 'quantitative', title: unit, scale: { zero: false } }, color: { field: 'class', type: 'nominal', scale: colorScale, title: 'label' } } },
        ],
      };
    }),
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
