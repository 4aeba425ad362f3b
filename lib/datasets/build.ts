// One code path from catalog + Kp + Swarm days to the 17 datasets of Table 1 (paper sections 2.3, 3.1, 4): events,
// one streaming pass that selects, labels and tiles windows for every dataset at once, per-event chronological
// splits and a train-only scaler. Files per dataset: X.f32 (windows x T x features, raw) and metadata columns.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../core/atomic';
import { progress } from '../core/progress';
import { CatalogLike, filterCatalog, toMs } from '../catalog/filters';
import { decluster, ruleByName } from '../catalog/decluster';
import { SwarmColumns } from '../swarm/types';
import { generateNonSeismic } from './nonseismic';
import { DATASET_PARAMS, DatasetParams } from './params';
import { buildSelections, EventTable, KpLookup, selectDay } from './selection';
import {
  assertNoEventInTwoSplits, balanceByWindows, chronologicalSplit, controlledSplit, DROPPED, Scaler, ScalerFit, SPLIT_NAMES, SplitResult,
  stormIntervals,
} from './splits';
import { rngFor } from '../core/random';
import { DatasetConfig } from './table1';
import { DropCounts, tileDay, WindowMeta, WindowSink } from './windows';

const DAY_MS = 86_400_000;

export interface PreparedEvents {
  table: EventTable;
  /** Real events: catalog rows filtered, declustered, inside the event range (before maxEvents). */
  counts: {
    catalogRows: number;
    filtered: number;
    declustered: number;
    inRange: number;
    used: number;
    nonSeismicPlaced: number;
    nonSeismicFailed: number;
    nonSeismicTries: number;
  };
  declusterRule: string;
  /** Event times considered: windows [te - before, te + after] that meet the data period. */
  eventRange: { from: number; to: number };
}

/**
 * Events for a data period [from, to] (inclusive UTC days): the catalog filtered by magnitude, type and the
 * paper's period (params.catalog) and declustered over that whole period, then the real events whose temporal
 * window meets the data period (the first maxEvents of them by time when capped), then ratio-5 artificial events.
 */
export function prepareEvents(
  cat: CatalogLike, period: { from: string; to: string }, params: DatasetParams = DATASET_PARAMS, maxEvents: number | null = null,
): PreparedEvents {
  const pc = params.catalog;
  const filtered = filterCatalog(cat, { minMag: pc.minMag, from: pc.from, to: pc.to, types: pc.types });
  const rule = ruleByName(pc.declusterRule);
  const dc = decluster(filtered, rule);
  const before = params.temporalWindow.beforeDays * DAY_MS;
  const after = params.temporalWindow.afterDays * DAY_MS;
  const dataFrom = toMs(period.from, 'period.from');
  const dataTo = toMs(period.to, 'period.to') + DAY_MS;
  const range = { from: dataFrom - after, to: dataTo + before };
  let real: number[] = [];
  for (let i = 0; i < filtered.time.length; i++) {
    if (dc.kept[i] && filtered.time[i] >= range.from && filtered.time[i] < range.to) real.push(i);
  }
  const inRange = real.length;
  if (maxEvents !== null && real.length > maxEvents) real = real.slice(0, maxEvents);
  let latRange: [number, number];
  if (params.nonSeismic.latitudeRange === 'catalog') {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < filtered.latitude.length; i++) {
      lo = Math.min(lo, filtered.latitude[i]);
      hi = Math.max(hi, filtered.latitude[i]);
    }
    latRange = Number.isFinite(lo) ? [lo, hi] : [-90, 90];
  } else latRange = params.nonSeismic.latitudeRange;
  const exclusion = params.nonSeismic.exclusionCatalog === 'allFiltered'
    ? filtered
    : { time: Float64Array.from(real, (i) => filtered.time[i]), latitude: Float64Array.from(real, (i) => filtered.latitude[i]), longitude: Float64Array.from(real, (i) => filtered.longitude[i]) };
  const ns = generateNonSeismic(real.map((i) => filtered.id[i]), exclusion, {
    ratio: params.nonSeismic.maxRatio, from: range.from, to: range.to, latRange,
    exclusionDeg: params.nonSeismic.exclusionDeg, exclusionDays: params.nonSeismic.exclusionDays,
    orReading: params.nonSeismic.orReading, maxTries: params.nonSeismic.maxTriesPerEvent,
    placement: params.nonSeismic.placement,
    donors: { time: Float64Array.from(real, (i) => filtered.time[i]), latitude: Float64Array.from(real, (i) => filtered.latitude[i]), longitude: Float64Array.from(real, (i) => filtered.longitude[i]) },
  });
  // one table sorted by time
  const nR = real.length, nN = ns.time.length, n = nR + nN;
  const raw = {
    id: [] as string[], time: new Float64Array(n), lat: new Float64Array(n), lon: new Float64Array(n), mag: new Float64Array(n),
    seismic: new Uint8Array(n), paired: new Int32Array(n), rep: new Uint8Array(n),
  };
  real.forEach((i, k) => {
    raw.id.push(filtered.id[i]);
    raw.time[k] = filtered.time[i]; raw.lat[k] = filtered.latitude[i]; raw.lon[k] = filtered.longitude[i];
    raw.mag[k] = filtered.mag[i]; raw.seismic[k] = 1; raw.paired[k] = k; raw.rep[k] = 0;
  });
  for (let j = 0; j < nN; j++) {
    const k = nR + j;
    const pr = ns.pairedReal[j];
    raw.id.push(`ns-${raw.id[pr]}-${ns.replicate[j]}`);
    raw.time[k] = ns.time[j]; raw.lat[k] = ns.latitude[j]; raw.lon[k] = ns.longitude[j];
    raw.mag[k] = raw.mag[pr]; raw.seismic[k] = 0; raw.paired[k] = pr; raw.rep[k] = ns.replicate[j];
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => raw.time[a] - raw.time[b] || a - b);
  const pos = new Int32Array(n);
  order.forEach((o, k) => (pos[o] = k));
  const table: EventTable = {
    id: order.map((o) => raw.id[o]),
    time: Float64Array.from(order, (o) => raw.time[o]),
    latitude: Float64Array.from(order, (o) => raw.lat[o]),
    longitude: Float64Array.from(order, (o) => raw.lon[o]),
    mag: Float64Array.from(order, (o) => raw.mag[o]),
    seismic: Uint8Array.from(order, (o) => raw.seismic[o]),
    pairedReal: Int32Array.from(order, (o) => pos[raw.paired[o]]),
    replicate: Uint8Array.from(order, (o) => raw.rep[o]),
  };
  return {
    table,
    counts: {
      catalogRows: cat.time.length, filtered: filtered.time.length, declustered: dc.nKept, inRange, used: nR,
      nonSeismicPlaced: nN, nonSeismicFailed: ns.failed, nonSeismicTries: ns.tries,
    },
    declusterRule: rule.name,
    eventRange: range,
  };
}

export interface DatasetCounts {
  windows: number;
  /** [split][class] window counts (splits train, validation, test; classes 0, 1, 2). */
  bySplitClass: number[][];
  /** Distinct events with windows, per split and in all. */
  eventsBySplit: number[];
  realEventsWithWindows: number;
  artificialEventsWithWindows: number;
}

export interface BuiltDataset {
  config: DatasetConfig;
  T: number;
  features: string[];
  meta: WindowMeta;
  split: SplitResult;
  scaler: Scaler;
  drops: DropCounts;
  counts: DatasetCounts;
  /** Values in memory (outDir null) or null when written to dir/X.f32. */
  X: Float32Array | null;
  dir: string | null;
  /** The parameters it was built with. */
  params: DatasetParams;
  /** What the shortcut controls removed (all zero under the paper protocol). */
  controls: ControlCounts;
}

export interface ControlCounts {
  gapWindows: number;
  gapEvents: number;
  boundariesMovedOutOfStorms: number;
  balanceWindows: number;
  balanceEvents: number;
}

/** Keep the windows with keep[w] = 1: metadata columns, split and the values (in memory or rewritten on disk). */
function compactWindows(meta: WindowMeta, split: Uint8Array, X: Float32Array | null, file: string | null, perWindow: number, keep: Uint8Array): { meta: WindowMeta; split: Uint8Array; X: Float32Array | null } {
  const N = keep.length;
  let n = 0;
  for (let w = 0; w < N; w++) n += keep[w];
  if (n === N) return { meta, split, X };
  const pick = <T extends Float64Array | Float32Array | Int32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as any)(n) as T;
    let k = 0;
    for (let w = 0; w < N; w++) if (keep[w]) out[k++] = a[w];
    return out;
  };
  const m: WindowMeta = {
    eventIndex: pick(meta.eventIndex), label: pick(meta.label), startTime: pick(meta.startTime), latitude: pick(meta.latitude),
    longitude: pick(meta.longitude), localTime: pick(meta.localTime), kp: pick(meta.kp),
  };
  if (X) {
    const out = new Float32Array(n * perWindow);
    let k = 0;
    for (let w = 0; w < N; w++) if (keep[w]) out.set(X.subarray(w * perWindow, (w + 1) * perWindow), (k++) * perWindow);
    return { meta: m, split: pick(split), X: out };
  }
  const tmp = file! + '.compact';
  const fd = fs.openSync(tmp, 'w');
  try {
    forEachChunk(null, file, perWindow, N, (chunk, w0, nW) => {
      for (let w = 0; w < nW; w++) if (keep[w0 + w]) fs.writeSync(fd, chunk.subarray(w * perWindow, (w + 1) * perWindow));
    });
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file!);
  return { meta: m, split: pick(split), X: null };
}

export interface BuildOptions {
  days: AsyncIterable<SwarmColumns> | Iterable<SwarmColumns>;
  /** For progress only. */
  nDays?: number;
  events: EventTable;
  kp: { time: Float64Array; Kp: Float64Array };
  configs: DatasetConfig[];
  params?: DatasetParams;
  /** Folder per config (same order), or null to keep everything in memory. */
  outDirs?: (string | null)[] | null;
  log?: (line: string) => void;
}

const META_FILES: [keyof WindowMeta, string][] = [
  ['eventIndex', 'eventIndex.i32'], ['label', 'label.u8'], ['startTime', 'startTime.f64'], ['latitude', 'latitude.f32'],
  ['longitude', 'longitude.f32'], ['localTime', 'localTime.f32'], ['kp', 'kp.f32'],
];

function countsOf(meta: WindowMeta, split: Uint8Array, ev: EventTable): DatasetCounts {
  const bySplitClass = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const evSplit = [new Set<number>(), new Set<number>(), new Set<number>()];
  for (let w = 0; w < meta.label.length; w++) {
    bySplitClass[split[w]][meta.label[w]]++;
    evSplit[split[w]].add(meta.eventIndex[w]);
  }
  const all = new Set<number>(meta.eventIndex);
  let real = 0;
  for (const e of all) real += ev.seismic[e];
  return {
    windows: meta.label.length, bySplitClass, eventsBySplit: evSplit.map((s) => s.size),
    realEventsWithWindows: real, artificialEventsWithWindows: all.size - real,
  };
}

/** Iterate a Float32 file of windows in chunks (for the scaler pass), or the in-memory array. */
function forEachChunk(X: Float32Array | null, file: string | null, perWindow: number, count: number, fn: (chunk: Float32Array, w0: number, n: number) => void) {
  if (X) {
    fn(X, 0, count);
    return;
  }
  const fd = fs.openSync(file!, 'r');
  try {
    const maxW = Math.max(1, Math.floor((8 << 20) / (perWindow * 4)));
    const buf = new Float32Array(maxW * perWindow);
    for (let w0 = 0; w0 < count; w0 += maxW) {
      const n = Math.min(maxW, count - w0);
      const bytes = n * perWindow * 4;
      const got = fs.readSync(fd, new Uint8Array(buf.buffer, 0, bytes), 0, bytes, w0 * perWindow * 4);
      if (got !== bytes) throw new Error(`${file}: short read at window ${w0}`);
      fn(buf.subarray(0, n * perWindow), w0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Stream the days once and build every config. */
export async function buildDatasets(o: BuildOptions): Promise<BuiltDataset[]> {
  const p = o.params ?? DATASET_PARAMS;
  const log = o.log ?? ((s: string) => console.log(s));
  const ev = o.events;
  const kp = new KpLookup(o.kp);
  const { selections, ofConfig } = buildSelections(o.configs, ev, p);
  const feats = p.windows.features;
  const sinks = o.configs.map((c, k) => {
    const dir = o.outDirs?.[k] ?? null;
    if (dir) fs.mkdirSync(dir, { recursive: true });
    return new WindowSink(c.T, feats, dir ? path.join(dir, '.X.f32.partial') : null);
  });
  const prog = progress(`datasets (${o.configs.length} configs, ${selections.length} selections)`, o.nDays ?? 0, { log });
  let lastDay = -Infinity;
  for await (const day of o.days as AsyncIterable<SwarmColumns>) {
    const n = day.Timestamp.length;
    if (n > 0) {
      if (day.Timestamp[0] < lastDay) throw new Error('buildDatasets: days must come in time order');
      lastDay = day.Timestamp[n - 1];
    }
    const sel = selectDay(day, ev, selections, kp, p);
    o.configs.forEach((c, k) => {
      const s = ofConfig[k];
      tileDay(day, sel.assign[s], sel.label[s], sel.kp, sel.localTime, sinks[k], p.windows);
    });
    prog.tick(1, (day as { day?: string }).day);
  }
  prog.done();
  const out: BuiltDataset[] = [];
  o.configs.forEach((c, k) => {
    const sink = sinks[k];
    const closed = sink.close();
    let meta = closed.meta, X = closed.X;
    const dir = o.outDirs?.[k] ?? null;
    const xFile = dir ? path.join(dir, '.X.f32.partial') : null;
    const controls: ControlCounts = { gapWindows: 0, gapEvents: 0, boundariesMovedOutOfStorms: 0, balanceWindows: 0, balanceEvents: 0 };
    const windowMs = c.T * p.windows.samplingMs;
    let split: SplitResult;
    if (p.splits.splitBy === 'windowTime') {
      const storms = p.splits.stormsInOneSplit ? stormIntervals(o.kp, p.kp.threshold, p.splits.stormMergeHours) : null;
      const cs = controlledSplit(meta.eventIndex, meta.startTime, p.splits, storms, windowMs);
      Object.assign(controls, cs.dropped);
      split = cs;
    } else {
      if (p.splits.gapDays !== 0 || p.splits.stormsInOneSplit) throw new Error("dataset params: splits.gapDays and splits.stormsInOneSplit need splits.splitBy 'windowTime'");
      split = chronologicalSplit(meta.eventIndex, ev.time, meta.startTime, p.splits);
    }
    if (p.nonSeismic.ratioIn === 'windows') {
      const bal = balanceByWindows(meta.eventIndex, meta.label, split.split, (e) => ev.seismic[e] === 0, c.ratio,
        (s, n) => rngFor('nonSeismicEvents', 'balance', c.id, s).permutation(n));
      for (let w = 0; w < bal.drop.length; w++) if (bal.drop[w]) split.split[w] = DROPPED;
      controls.balanceWindows = bal.droppedWindows;
      controls.balanceEvents = bal.droppedEvents;
    }
    const keep = split.split.map((s) => (s === DROPPED ? 0 : 1));
    const cw = compactWindows(meta, split.split, X, xFile, c.T * feats.length, keep);
    meta = cw.meta;
    X = cw.X;
    split = { ...split, split: cw.split };
    assertNoEventInTwoSplits(meta.eventIndex, split.split, (e) => ev.id[e]);
    const fit = new ScalerFit(feats);
    forEachChunk(X, xFile, c.T * feats.length, meta.label.length, (chunk, w0, nW) => fit.add(chunk, c.T, split.split, w0, nW));
    const scaler = fit.result();
    const counts = countsOf(meta, split.split, ev);
    if (dir) {
      for (const [key, file] of META_FILES) writeFileAtomic(path.join(dir, file), meta[key] as NodeJS.ArrayBufferView);
      writeFileAtomic(path.join(dir, 'split.u8'), split.split);
      fs.renameSync(xFile!, path.join(dir, 'X.f32'));
    }
    out.push({ config: c, T: c.T, features: [...feats], meta, split, scaler, drops: { ...sink.drops }, counts, X, dir, controls, params: p });
  });
  return out;
}

/** The dataset summary written as manifest.json (without bulk data). */
export function datasetSummary(b: BuiltDataset) {
  return {
    config: b.config,
    shape: [b.counts.windows, b.T, b.features.length],
    features: b.features,
    layout: 'X.f32: float32 little-endian, windows x T x features, the input channels named in `channels` (unscaled); apply `scaler` (fitted on train only)',
    files: ['X.f32', 'split.u8', ...META_FILES.map(([, f]) => f)],
    counts: b.counts,
    splitNames: SPLIT_NAMES,
    splitBoundaries: {
      validationFrom: Number.isNaN(b.split.validationFrom) ? null : new Date(b.split.validationFrom).toISOString(),
      testFrom: Number.isNaN(b.split.testFrom) ? null : new Date(b.split.testFrom).toISOString(),
      overlapDays: b.split.overlapDays,
    },
    scaler: b.scaler,
    drops: b.drops,
    controls: b.controls,
    channels: { channels: b.params.windows.channels, neScale: b.params.windows.neScale, preprocessing: b.params.windows.preprocessing },
  };
}

export type DatasetSummary = ReturnType<typeof datasetSummary>;

export interface LoadedDataset {
  manifest: DatasetSummary & Record<string, unknown>;
  X: Float32Array;
  split: Uint8Array;
  meta: WindowMeta;
}

function readTyped<T>(file: string, C: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const b = fs.readFileSync(file);
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  if (ab.byteLength % C.BYTES_PER_ELEMENT !== 0) throw new Error(`${file}: size ${ab.byteLength} is not a multiple of ${C.BYTES_PER_ELEMENT}`);
  return new C(ab);
}

/** Read a built dataset folder; scaled: standardise X with the training-set scaler. */
export function loadDataset(dir: string, opts: { scaled?: boolean } = {}): LoadedDataset {
  const mf = path.join(dir, 'manifest.json');
  if (!fs.existsSync(mf)) throw new Error(`${dir}: no manifest.json (dataset not built?)`);
  const manifest = JSON.parse(fs.readFileSync(mf, 'utf8'));
  const X = readTyped(path.join(dir, 'X.f32'), Float32Array);
  const [N, T, F] = manifest.shape as number[];
  if (X.length !== N * T * F) throw new Error(`${dir}/X.f32: ${X.length} values, manifest shape ${N}x${T}x${F}`);
  const meta = {
    eventIndex: readTyped(path.join(dir, 'eventIndex.i32'), Int32Array),
    label: readTyped(path.join(dir, 'label.u8'), Uint8Array),
    startTime: readTyped(path.join(dir, 'startTime.f64'), Float64Array),
    latitude: readTyped(path.join(dir, 'latitude.f32'), Float32Array),
    longitude: readTyped(path.join(dir, 'longitude.f32'), Float32Array),
    localTime: readTyped(path.join(dir, 'localTime.f32'), Float32Array),
    kp: readTyped(path.join(dir, 'kp.f32'), Float32Array),
  };
  const split = readTyped(path.join(dir, 'split.u8'), Uint8Array);
  if (opts.scaled) {
    const s = manifest.scaler as Scaler;
    for (let i = 0; i < X.length; i++) {
      const f = i % F;
      X[i] = (X[i] - s.mean[f]) / s.std[f];
    }
  }
  return { manifest, X, split, meta };
}

