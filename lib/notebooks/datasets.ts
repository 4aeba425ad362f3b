// The steps of notebook 03-datasets (paper sections 2.3 and 3.1, Figure 3, Table 1), each one call: choose the
// Swarm A store (real when it holds the profile's days, else simulated, simulated here when missing), build the
// 17 datasets through the cache with one progress line, and turn results into readable rows. The notebook stays
// thin (narrative, one call per step, display); this file holds the loops and choices, tested in
// test/notebook-steps.test.ts.
import { activeProfile, Profile, SEEDS } from '../core/config';
import { paths } from '../core/paths';
import { showMarkdown } from '../core/notebook';
import { progress, quietProgress } from '../core/progress';
import { readComcat } from '../catalog/comcat';
import { CatalogLike, filterCatalog } from '../catalog/filters';
import { readKp3Hourly } from '../indices/kp';
import { defaultStore, SwarmStore } from '../swarm/store';
import { DATASET_PARAMS, DatasetParams, withParams } from '../datasets/params';
import { buildDatasets, loadDataset, prepareEvents, PreparedEvents, DatasetSummary } from '../datasets/build';
import { ensureDatasets, EnsuredDataset } from '../datasets/cache';
import { generateNonSeismic } from '../datasets/nonseismic';
import { assertNoEventInTwoSplits, SPLIT_NAMES } from '../datasets/splits';
import { configsById, DatasetConfig } from '../datasets/table1';
import { figure3Panels, Figure3Panel } from '../datasets/figures';
import { simulateProfile } from '../simulation/parallel';

export type Row = Record<string, string | number>;
type Source = 'real' | 'simulated';

/** "DataSet 03", as the paper names its datasets (Table 1). */
export function datasetName(id: number): string {
  return `DataSet ${String(id).padStart(2, '0')}`;
}

export interface StoreChoice {
  source: Source;
  simulated: boolean;
  /** Days of the profile the chosen store holds. */
  days: string[];
  /** What was done to get them (e.g. "simulated 22 days now" or "already in the store"). */
  how: string;
}

/**
 * The Swarm A input of a profile: the real store when it holds any day of the period (after `make data`), else
 * the simulated store, which is simulated now (with progress; cached, days already current are skipped) when it
 * lacks days of the period. A fresh clone therefore runs without `make reproduce` first.
 */
export async function ensureSwarmStore(profile: Profile = activeProfile(), opts: { store?: SwarmStore; log?: (l: string) => void } = {}): Promise<StoreChoice> {
  const store = opts.store ?? defaultStore;
  const inPeriod = (s: Source) => store.listDays(s, 'A').filter((d) => d >= profile.from && d <= profile.to);
  const real = inPeriod('real');
  if (real.length > 0) return { source: 'real', simulated: false, days: real, how: `${real.length} real days in the store (make data)` };
  const before = inPeriod('simulated').length;
  const lines: string[] = [];
  const run = await simulateProfile(profile, { log: opts.log ?? ((l) => lines.push(l)) });
  const days = inPeriod('simulated');
  const how = run.simulated > 0
    ? `simulated ${run.simulated} days now (${before} were already stored), seed simulator = ${SEEDS.simulator}`
    : `${days.length} simulated days already in the store (seed simulator = ${SEEDS.simulator})`;
  return { source: 'simulated', simulated: true, days, how };
}

export interface DatasetsContext {
  profile: Profile;
  store: StoreChoice;
  m50: CatalogLike;
  m45: CatalogLike;
  kp: ReturnType<typeof readKp3Hourly>;
  events: PreparedEvents;
  params: DatasetParams;
}

/** Everything notebook 03 reads, once: the store (built when missing), catalogs, Kp and the profile's events. */
export async function prepareDatasetsNotebook(profile: Profile = activeProfile()): Promise<DatasetsContext> {
  const store = await ensureSwarmStore(profile);
  const m50 = readComcat(paths.catalogM50);
  const m45 = readComcat(paths.catalogM45);
  const kp = readKp3Hourly(paths.kp3hourly);
  const events = prepareEvents(m50, { from: profile.from, to: profile.to }, DATASET_PARAMS, profile.maxEvents);
  showMarkdown(`Profile **${profile.name}** (${profile.from}..${profile.to}); Swarm A store: **${store.source}**, ${store.how}` +
    (store.simulated ? '. The tracks are simulated: every figure below says so.' : '.') +
    ` Seed of the artificial non-seismic events: \`nonSeismicEvents\` = ${SEEDS.nonSeismicEvents}.`);
  return { profile, store, m50, m45, kp, events, params: DATASET_PARAMS };
}

const COUNT_LABELS: [keyof PreparedEvents['counts'], string][] = [
  ['catalogRows', 'catalog rows (shipped ComCat M>=5.0)'],
  ['filtered', "after magnitude, type and the paper's period"],
  ['declustered', 'kept by declustering'],
  ['inRange', "real events whose -15..+5 day window meets the profile's period"],
  ['used', 'real events used (the profile caps their number)'],
  ['nonSeismicPlaced', 'artificial non-seismic events placed (5 per real event)'],
  ['nonSeismicFailed', 'artificial events that could not be placed'],
];

/** The event counts through the pipeline, one readable row per step. */
export function eventCountRows(events: PreparedEvents): Row[] {
  return [
    ...COUNT_LABELS.map(([k, label]) => ({ step: label, events: events.counts[k] })),
    { step: 'declustering rule', events: events.declusterRule },
  ];
}

/** Artificial events placed under the two readings of the paper's "10 deg of latitude or longitude". */
export function orReadingRows(ctx: DatasetsContext, maxTries = 2000): Row[] {
  const pc = ctx.params.catalog;
  const filtered = filterCatalog(ctx.m50, { minMag: pc.minMag, from: pc.from, to: pc.to, types: pc.types });
  const ev = ctx.events.table;
  const realIds = ev.id.filter((_, e) => ev.seismic[e] === 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of filtered.latitude) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return (['box', 'bands'] as const).map((orReading) => {
    const g = generateNonSeismic(realIds, filtered, {
      ratio: 5, from: ctx.events.eventRange.from, to: ctx.events.eventRange.to, latRange: [lo, hi],
      exclusionDeg: 10, exclusionDays: 15, orReading, maxTries,
    });
    return {
      reading: orReading === 'box' ? "'box': away in latitude OR longitude (default)" : "'bands': away in latitude AND longitude",
      wanted: realIds.length * 5,
      placed: g.time.length,
      'could not be placed': g.failed,
      'tries per placed event': Math.round((10 * g.tries) / Math.max(1, g.time.length)) / 10,
    };
  });
}

export interface NotebookDatasets {
  datasets: EnsuredDataset[];
  summaries: { id: number; summary: DatasetSummary }[];
  seconds: number;
}

/**
 * The profile's datasets through the content-hash cache (lib/datasets/cache): one progress line while building,
 * then one line per dataset saying whether it was built (and why) or reused.
 */
export async function ensureNotebookDatasets(ctx: DatasetsContext): Promise<NotebookDatasets> {
  const lines: string[] = [];
  const r = await ensureDatasets({ source: ctx.store.source, profile: ctx.profile, log: (l) => lines.push(l) });
  const built = r.datasets.filter((d) => d.rebuilt);
  const reasons = [...new Set(built.flatMap((d) => d.reasons))];
  const md = [
    built.length === 0
      ? `All ${r.datasets.length} datasets reused from the cache (${r.seconds.toFixed(1)} s).`
      : `${built.length} of ${r.datasets.length} datasets built in one pass over the store (${r.seconds.toFixed(1)} s), because: ${reasons.join('; ')}.`,
    '',
    ...r.datasets.map((d) => `- ${datasetName(d.id)}: ${d.rebuilt ? 'built' : 'reused'}, ${d.summary.counts.windows.toLocaleString('en-US')} windows, hash \`${d.hash}\``),
  ];
  showMarkdown(md.join('\n'));
  return { datasets: r.datasets, summaries: r.datasets.map((d) => ({ id: d.id, summary: d.summary })), seconds: r.seconds };
}

/** DropCounts fields (lib/datasets/windows.ts) as a reader names them: windows dropped, and samples. */
export const DROP_LABELS: Record<string, string> = {
  selectedSamples: 'samples selected',
  runs: 'runs (one event, one class)',
  gapWindows: 'windows dropped: time step not 1 s',
  flaggedWindows: 'windows dropped: flagged sample',
  missingWindows: 'windows dropped: NaN sample',
  overlapWindows: 'windows dropped: would overlap the previous one',
  edgeWindows: "windows dropped: past the day's samples",
  flaggedSamples: 'samples removed: flagged',
  missingSamples: 'samples removed: NaN',
  remainderSamples: 'samples left at run ends (fewer than T)',
};

/** Windows kept, then samples selected and what was lost, per dataset, with readable column names. */
export function dropReasonRows(b: NotebookDatasets): Row[] {
  return b.summaries.map(({ id, summary }) => {
    const drops = summary.drops as unknown as Record<string, number>;
    const row: Row = { dataset: datasetName(id), 'windows kept': summary.counts.windows };
    for (const k of Object.keys(DROP_LABELS)) if (k in drops) row[DROP_LABELS[k]] = drops[k];
    for (const [k, v] of Object.entries(drops)) if (!(k in DROP_LABELS)) row[k] = v;
    return row;
  });
}

/** Splits per dataset: events, shares of windows, boundaries, and the check that no event is in two splits. */
export function splitRows(b: NotebookDatasets): Row[] {
  return b.datasets.map((d) => {
    const ds = loadDataset(d.dir);
    const nEvents = assertNoEventInTwoSplits(ds.meta.eventIndex, ds.split);
    const n = Math.max(1, ds.split.length);
    const share = SPLIT_NAMES.map((_, k) => {
      let c = 0;
      for (const s of ds.split) if (s === k) c++;
      return Math.round((1000 * c) / n) / 10;
    });
    const bnd = d.summary.splitBoundaries;
    return {
      dataset: datasetName(d.id), events: nEvents, 'event in two splits': 'none (checked)',
      'train %': share[0], 'validation %': share[1], 'test %': share[2],
      'validation from': bnd.validationFrom ? bnd.validationFrom.slice(0, 10) : '-',
      'test from': bnd.testFrom ? bnd.testFrom.slice(0, 10) : '-',
      'overlap across a boundary (days)': Math.round(bnd.overlapDays * 10) / 10,
      'scaler fitted on (train windows)': d.summary.scaler.fittedOnWindows,
    };
  });
}

/** Class shares per dataset (all splits together) and the class 0 : class 1 ratio of windows. */
export function classShareRows(b: NotebookDatasets): Row[] {
  return b.summaries.map(({ id, summary }) => {
    const c = summary.counts.bySplitClass;
    const cls = [0, 1, 2].map((j) => c.reduce((a, r) => a + r[j], 0));
    const n = Math.max(1, cls[0] + cls[1] + cls[2]);
    return {
      dataset: datasetName(id), windows: summary.counts.windows,
      'class 0 %': Math.round((1000 * cls[0]) / n) / 10, 'class 1 %': Math.round((1000 * cls[1]) / n) / 10, 'class 2 %': Math.round((1000 * cls[2]) / n) / 10,
      'class 0 : class 1': cls[1] ? Math.round((100 * cls[0]) / cls[1]) / 100 : '-',
    };
  });
}

/** The items of balanceRows for every dataset (names as the paper's). */
export function balanceItems(b: NotebookDatasets): { name: string; bySplitClass: number[][] }[] {
  return b.summaries.map(({ id, summary }) => ({ name: datasetName(id), bySplitClass: summary.counts.bySplitClass }));
}

/**
 * Figure 3 from DataSet 03 (or the first dataset): per class, the longest run of consecutive windows of one event
 * along its track (lib/datasets/figures figure3Panels), read from the store the dataset was built from.
 */
export function figure3Data(ctx: DatasetsContext, b: NotebookDatasets, opts: { id?: number; feature?: 'Ne' | 'B_N' | 'B_E' | 'B_C' } = {}): { panels: Figure3Panel[]; T: number; feature: string; title: string } {
  const d = b.datasets.find((x) => x.id === (opts.id ?? 3)) ?? b.datasets[0];
  const cfg: DatasetConfig = configsById([d.id])[0];
  const meta = loadDataset(d.dir).meta;
  const feature = opts.feature ?? 'Ne';
  const panels = figure3Panels(meta, ctx.events.table.id, cfg.T, (day) => defaultStore.readDay(ctx.store.source, 'A', day), { feature: feature });
  if (panels.length === 0) throw new Error(`Figure 3: ${cfg.name} has no window in profile ${ctx.profile.name} (${ctx.store.source} store)`);
  const missing = [0, 1, 2].filter((c) => !panels.some((p) => p.cls === c));
  return {
    panels, T: cfg.T, feature: feature,
    title: `Figure 3: windows and labels along Swarm A tracks (${cfg.name}, profile ${ctx.profile.name}` +
      (missing.length ? `; no window of class ${missing.join(', ')} in this profile)` : ')'),
  };
}

export interface Variant {
  name: string;
  params: DatasetParams;
}

/** The open choices whose effect on the counts notebook 03 shows (defaults first). */
export function sensitivityVariants(): Variant[] {
  return [
    { name: 'defaults', params: DATASET_PARAMS },
    { name: "windows.membership = 'inside' (all T samples in the spatial window)", params: withParams({ windows: { membership: 'inside' } }) },
    { name: 'night = 22-06 LT instead of 18-06 (localTime)', params: withParams({ localTime: { nightFromHour: 22, nightToHour: 6 } }) },
    { name: "spatial.degreeShape = 'box' (DataSet 07 only)", params: withParams({ spatial: { degreeShape: 'box' } }) },
    { name: 'temporal window -10..+5 days', params: withParams({ temporalWindow: { beforeDays: 10, afterDays: 5 } }) },
    { name: 'Kp threshold 4', params: withParams({ kp: { threshold: 4 } }) },
  ];
}

/** Hours of local time (0-24) in [from, to) with wrap-around at midnight. */
function inLocalTimeBand(lt: number, from: number, to: number): boolean {
  return from <= to ? lt >= from && lt < to : lt >= from || lt < to;
}

/**
 * How the window counts of the given datasets move with each variant, on the first `nDays` days of the profile,
 * with one progress line over the variants. Each row also says how many default windows start between 18 and
 * 22 LT, the only windows the night = 22-06 variant can remove (none: the variant changes nothing, and says why).
 */
export async function sensitivityRows(ctx: DatasetsContext, opts: { ids?: number[]; nDays?: number; variants?: Variant[] } = {}): Promise<{ rows: Row[]; days: string[] }> {
  const days = ctx.store.days.slice(0, opts.nDays ?? 14);
  const cfgs = configsById(opts.ids ?? [3, 7]);
  const variants = opts.variants ?? sensitivityVariants();
  const bar = progress('variants', variants.length);
  const rows: Row[] = [];
  const evening = new Map<string, number>();
  for (const v of variants) {
    const src = ctx.store.source;
    async function* stream() {
      for (const d of days) {
        const day = defaultStore.readDay(src, 'A', d);
        if (day) yield day;
      }
    }
    const built = await quietProgress(() => buildDatasets({ days: stream(), events: ctx.events.table, kp: ctx.kp, configs: cfgs, params: v.params, log: () => undefined }));
    const row: Row = { variant: v.name, note: '' };
    for (const b of built) {
      const c = b.counts.bySplitClass;
      row[`${b.config.name}: windows (class 0/1/2)`] = `${b.counts.windows} (${[0, 1, 2].map((j) => c.reduce((a, r) => a + r[j], 0)).join('/')})`;
      row[`${b.config.name}: real events with windows`] = b.counts.realEventsWithWindows;
      if (v === variants[0] && b.config.band === 'night') {
        let n = 0;
        for (const lt of b.meta.localTime) if (inLocalTimeBand(lt, 18, 22)) n++;
        evening.set(b.config.name, n);
      }
    }
    rows.push(row);
    bar.tick(1, v.name);
  }
  bar.done();
  const night = rows.find((r) => /22-06/.test(String(r.variant)));
  if (night) {
    night.note = [...evening].map(([name, n]) => (n === 0
      ? `${name}: every default window already lies at 22-06 LT on these days, so nothing changes`
      : `${name}: ${n} default windows lie at 18-22 LT`)).join('; ');
  }
  return { rows, days };
}
