// Named parameters of dataset construction, each with its reason: what the paper (sections 2.3, 3.1, 4, Table 1,
// Figure 3) leaves open and how this package reads it. Change them here (or pass overrides to buildDatasets);
// every value enters the dataset cache hash, so a change triggers a rebuild that says so.

import { DOBROVOLSKY_EXPONENT, PAPER_CATALOG, PAPER_EVENT_WINDOW, PAPER_KP_THRESHOLD, PAPER_NONSEISMIC_EXCLUSION, PAPER_TEST_FRACTION } from '../core/paper';

export type OrReading = 'box' | 'bands';
export type WindowPreprocessing = 'none' | 'demean';
export type InvalidSampleHandling = 'dropWindow' | 'restartAfter';
export type NonSeismicPlacement = 'uniform' | 'matched';
export type RatioUnit = 'events' | 'windows';
export type InputChannels = 'raw' | 'igrf-residual' | 'detrended';
export type NeScale = 'linear' | 'log10';
/** 'paper': the paper's reading of every control; 'controlled': the shortcut controls of issue 10 on. */
export type Protocol = 'paper' | 'controlled';
export const PROTOCOLS: Protocol[] = ['paper', 'controlled'];

export interface DatasetParams {
  catalog: {
    minMag: number;
    from: string;
    to: string;
    types: string[];
    declusterRule: string;
  };
  temporalWindow: { beforeDays: number; afterDays: number };
  localTime: { nightFromHour: number; nightToHour: number };
  kp: { threshold: number };
  spatial: { degreeShape: 'circle' | 'box'; dobrovolskyExponent: number };
  overlap: { priority: 'seismicThenMagnitudeThenTime' };
  nonSeismic: {
    maxRatio: number;
    exclusionDeg: number;
    exclusionDays: number;
    orReading: OrReading;
    exclusionCatalog: 'allFiltered' | 'declustered';
    latitudeRange: 'catalog' | [number, number];
    maxTriesPerEvent: number;
    placement: NonSeismicPlacement;
    ratioIn: RatioUnit;
  };
  windows: {
    features: ('B_N' | 'B_E' | 'B_C' | 'Ne')[];
    samplingMs: number;
    gapToleranceMs: number;
    invalidSamples: InvalidSampleHandling;
    membership: 'centre' | 'inside';
    preprocessing: WindowPreprocessing;
    channels: InputChannels;
    neScale: NeScale;
  };
  splits: {
    splitBy: 'eventTime' | 'windowTime'; testFraction: number; validationFraction: number;
    gapDays: number; stormsInOneSplit: boolean; stormMergeHours: number;
  };
}

/** Values and reasons. REASONS has one entry per leaf of DATASET_PARAMS (checked by a test). */
export const DATASET_PARAMS: DatasetParams = {
  catalog: {
    minMag: PAPER_CATALOG.minMag,
    from: PAPER_CATALOG.from,
    to: PAPER_CATALOG.to,
    types: ['earthquake'],
    declusterRule: 'gk-table',
  },
  temporalWindow: { beforeDays: PAPER_EVENT_WINDOW.beforeDays, afterDays: PAPER_EVENT_WINDOW.afterDays },
  localTime: { nightFromHour: 18, nightToHour: 6 },
  kp: { threshold: PAPER_KP_THRESHOLD },
  spatial: { degreeShape: 'circle', dobrovolskyExponent: DOBROVOLSKY_EXPONENT },
  overlap: { priority: 'seismicThenMagnitudeThenTime' },
  nonSeismic: {
    maxRatio: 5,
    exclusionDeg: PAPER_NONSEISMIC_EXCLUSION.deg,
    exclusionDays: PAPER_NONSEISMIC_EXCLUSION.days,
    orReading: 'box',
    exclusionCatalog: 'allFiltered',
    latitudeRange: 'catalog',
    maxTriesPerEvent: 10_000,
    placement: 'uniform',
    ratioIn: 'events',
  },
  windows: {
    features: ['B_N', 'B_E', 'B_C', 'Ne'],
    samplingMs: 1000,
    gapToleranceMs: 100,
    invalidSamples: 'dropWindow',
    membership: 'centre',
    preprocessing: 'none',
    channels: 'raw',
    neScale: 'linear',
  },
  splits: { splitBy: 'eventTime', testFraction: PAPER_TEST_FRACTION, validationFraction: 0.1, gapDays: 0, stormsInOneSplit: false, stormMergeHours: 24 },
};

/**
 * The shortcut controls (issue 10), each the non-paper value of a parameter above; `protocolParams('paper')` is
 * DATASET_PARAMS (the paper's reading of every one). Under the paper protocol, a classifier that sees only the
 * window's position, local time, season or raw level separates the classes of the embedded default without any
 * precursor (lib/audit, build/results/shortcuts.json); the controlled protocol removes those cues.
 */
export const CONTROLLED_OVERRIDES = {
  nonSeismic: { placement: 'matched', ratioIn: 'windows' },
  windows: { channels: 'detrended', neScale: 'log10' },
  splits: { splitBy: 'windowTime', gapDays: 20, stormsInOneSplit: true },
} as const satisfies DeepPartial<DatasetParams>;

/** Dataset parameters of a protocol, with further overrides on top. */
export function protocolParams(protocol: Protocol, over: DeepPartial<DatasetParams> = {}): DatasetParams {
  if (!PROTOCOLS.includes(protocol)) throw new Error(`dataset protocol must be one of ${PROTOCOLS.join(', ')}, got '${protocol}'`);
  const base = protocol === 'controlled' ? withParams(CONTROLLED_OVERRIDES as DeepPartial<DatasetParams>) : withParams();
  const merge = (a: any, b: any): any => {
    if (b === undefined) return a;
    if (a === null || typeof a !== 'object' || Array.isArray(a) || b === null || typeof b !== 'object' || Array.isArray(b)) return structuredClone(b);
    for (const k of Object.keys(b)) {
      if (!(k in a)) throw new Error(`dataset params: unknown key '${k}'`);
      a[k] = merge(a[k], b[k]);
    }
    return a;
  };
  return merge(base, over);
}

/** Which protocol a parameter set is ('paper' or 'controlled' when it equals one exactly, else 'custom'). */
export function protocolOf(p: DatasetParams): Protocol | 'custom' {
  const same = (a: DatasetParams, b: DatasetParams) => JSON.stringify(a) === JSON.stringify(b);
  return same(p, protocolParams('paper')) ? 'paper' : same(p, protocolParams('controlled')) ? 'controlled' : 'custom';
}

export const REASONS: Record<string, string> = {
  'catalog.minMag': 'Paper 2.3: earthquakes with magnitude >= 4.8.',
  'catalog.from': 'Paper 2.3: data from 1 April 2014.',
  'catalog.to': 'Paper 2.3: to 30 April 2020 (exclusive end 2020-05-01).',
  'catalog.types': "ComCat rows of type 'earthquake' only (quarry blasts, explosions are not earthquakes).",
  'catalog.declusterRule':
    'Paper 2.3 uses "the technique of Yan et al. 2017" whose windows are unpublished; Gardner-Knopoff (1974, original ' +
    'table) is the standard window method. It removes more than the paper does, so shorter rules are offered and ' +
    'compared in notebook 03 (lib/catalog/decluster.ts declusterRules()).',
  'temporalWindow.beforeDays': 'Paper 4: "data from 15 days before ... every earthquake".',
  'temporalWindow.afterDays': 'Paper 4: "... to 5 days after every earthquake".',
  'localTime.nightFromHour':
    'Paper: "nighttime"/"daytime" without bounds. Local mean solar time LT = UT + longitude/15 h; night is ' +
    'LT >= 18 or LT < 6, day the complement, so Dataset 06 (day) and 03 (night) split the orbit evenly. The ' +
    'stricter 22-06 LT of the MASS papers is one edit away.',
  'localTime.nightToHour': 'See localTime.nightFromHour.',
  'kp.threshold':
    'Paper 3.1: class 2 when Kp > 3.0, whatever the event (strictly greater; Kp of the 3-h slot holding the sample). ' +
    'Section 2.3 says instead that Kp > 3 data "were not analyzed"; Table 2 reports class-2 AUCs, so 3.1 is followed.',
  'spatial.degreeShape':
    'Datasets 07-10 ("a deviation of 3/5/7/10 deg"): Figure 8 calls them "spatial window radii", so a great-circle ' +
    "circle of that angular radius around the epicentre; 'box' (|dlat| and |dlon| within the value) is the other reading.",
  'spatial.dobrovolskyExponent': 'Dobrovolsky et al. 1979: R = 10^(0.43 M) km, great-circle distance to the sub-satellite point.',
  'overlap.priority':
    'A sample inside the windows of several events belongs to one: a real earthquake before an artificial event, ' +
    'then the larger magnitude, then the event closest in time (paper silent; keeps every window single-labelled).',
  'nonSeismic.maxRatio': 'Table 1: positive to negative ratios 1:1 to 1:5; five artificial events are drawn per real event.',
  'nonSeismic.exclusionDeg': 'Paper 2.3: not within 10 deg of the latitude or longitude of a real earthquake.',
  'nonSeismic.exclusionDays': 'Paper 2.3: not within 15 days of a real earthquake.',
  'nonSeismic.orReading':
    'The spatial and time constraints are read per earthquake (an artificial event conflicts with a real one only ' +
    'when close in space AND in time; "not within 15 days of every earthquake" is impossible with ~4 events a day). ' +
    "'box': close in space = |dlat| <= 10 AND |dlon| <= 10 (a point 10 deg away in latitude OR longitude is fine); " +
    "'bands': close = |dlat| <= 10 OR |dlon| <= 10 (must be 10 deg away in both; often infeasible, then reported).",
  'nonSeismic.exclusionCatalog':
    'Real earthquakes for the exclusion: every event of the filtered catalog, aftershocks included (they are real earthquakes).',
  'nonSeismic.latitudeRange':
    'Paper: "within the selected spatio-temporal range": latitude uniform within the latitude range of the real ' +
    'events, longitude uniform in [-180, 180), time uniform over the data period.',
  'nonSeismic.maxTriesPerEvent': 'Rejection sampling bound; an event that cannot be placed is counted and reported, never silently dropped.',
  'nonSeismic.placement':
    "'uniform' (the paper's \"randomized\"): latitude, longitude and time uniform. On the embedded default 29 % of " +
    'such events lie poleward of 60 deg against 2.7 % of real ones, so auroral noise, position, local time and season ' +
    "tell the classes apart with no precursor (issue 10). 'matched' (controlled protocol): each artificial event takes " +
    'the epicentre of a random real event and the time of another random real event (rejected while inside any real ' +
    "event's exclusion zone), so position, local time and season follow the real events'.",
  'nonSeismic.ratioIn':
    "'events' (the paper: Table 1's 1:k counts events): artificial events yield more windows than real ones " +
    "(17.8 vs 10.6 on the default profile), so windows run 2:1 to 8:1 and differ between splits. 'windows' " +
    '(controlled): after the event ratio, whole artificial events are dropped (seeded) in each split until class-0 ' +
    'windows are at most k times the class-1 windows, so every split has the same class mix.',
  'windows.features': 'Paper 2.3: B_NEC (X, Y, Z = N, E, C) at 1 Hz and the Langmuir-probe Ne.',
  'windows.samplingMs': 'MAG LR is 1 Hz.',
  'windows.gapToleranceMs':
    'Paper 3.1 drops windows with "unreasonable time differences": every step inside a window must be 1 s within ' +
    '100 ms (so last - first = (T - 1) s).',
  'windows.invalidSamples':
    "Flagged (Flags_B or Flags_Ne != 0) or missing (NaN) samples are excluded: 'dropWindow' drops a tiled window that " +
    "holds one (counted by reason); 'restartAfter' removes the sample and restarts tiling after it (membership 'inside' only).",
  'windows.membership':
    "When a window belongs to an event: 'centre' (default) when its middle sample is inside the event's spatial, " +
    "temporal and local-time window (windows laid centred on each pass, at least one per pass); 'inside' when all " +
    'T samples are. A Dobrovolsky circle of M < 5.6 (R < 266 km) is shorter along the track than 70 s x 7.6 km/s, so ' +
    "'inside' gives no 70-sample window for the 4.8-5.2 events of Dataset 11, which the paper has: 'centre' is the " +
    'reading under which Table 1 is possible.',
  'windows.preprocessing':
    "Per-window preprocessing: 'none' (the paper describes none beyond scaling); 'demean' subtracts each window's " +
    'per-feature mean (removes the main field, which otherwise encodes position).',
  'windows.channels':
    "'raw' (the paper): B_N, B_E, B_C as measured; the main field changes by ~300 nT within a window and tells where " +
    "the window is. 'igrf-residual': B_NEC minus IGRF-13 (lib/simulation/mainfield.ts, the simulator's own model; real " +
    "data too) at each sample's position and time. 'detrended' (controlled): the IGRF residual, then every channel " +
    'minus its least-squares quadratic over the window (removes what varies on scales longer than the window, keeps ' +
    'the 0.1-0.5 Hz band of the precursor packets).',
  'windows.neScale':
    "'linear' (the paper): Ne in cm^-3. 'log10' (controlled): Ne spans decades between day and night and latitudes; " +
    'its logarithm turns a relative change (the precursor signature) into an additive one. A window with Ne <= 0 is ' +
    'dropped as missing.',
  'splits.splitBy':
    'Paper 3.1: first 80 % (chronological) train, last 20 % test. Windows are assigned per event, ordered by ' +
    'event time, so no event gives windows to two splits; the boundary is the first event that reaches 80 % of windows. ' +
    "An event's windows span -15..+5 days, so windows of two splits overlap in time by up to 19 days. 'windowTime' " +
    '(controlled): boundaries at the 70 % and 90 % quantiles of window time, each event wholly in the split holding ' +
    'most of its windows, its windows across a boundary dropped; with gapDays and stormsInOneSplit.',
  'splits.testFraction': 'Paper 3.1: last 20 %.',
  'splits.validationFraction':
    'Not in the paper (it tuned on the test set): the last 10 % of all windows inside the training period are held ' +
    'out for tuning, so train 70 %, validation 10 %, test 20 %.',
  'splits.gapDays':
    "0 (the paper). Controlled: 20, one event window (-15..+5 days), a gap of no windows centred on each boundary " +
    "(splitBy 'windowTime'), so no ionospheric condition, storm or event feeds two splits. The smoke profile (21 " +
    'days) cannot hold two 20-day gaps; its tests override this value and say so.',
  'splits.stormsInOneSplit':
    "false (paper). true (controlled, splitBy 'windowTime'): a boundary that falls inside a magnetic storm (3-h Kp " +
    'slots above kp.threshold, merged across quiet spells shorter than stormMergeHours) moves to the nearer end of the storm.',
  'splits.stormMergeHours': 'Quiet spells shorter than this join two disturbed spells into one storm (recovery phases).',
};

/** Every leaf path of a params object ('a.b'). */
export function paramLeaves(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [prefix];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => paramLeaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Deep-merge overrides into the defaults (arrays replaced), returning a new object. */
export function withParams(over: DeepPartial<DatasetParams> = {}): DatasetParams {
  const merge = (a: any, b: any): any => {
    if (b === undefined) return structuredClone(a);
    if (a === null || typeof a !== 'object' || Array.isArray(a) || b === null || typeof b !== 'object' || Array.isArray(b)) return structuredClone(b);
    const out: any = {};
    for (const k of Object.keys(a)) out[k] = merge(a[k], b[k]);
    for (const k of Object.keys(b)) if (!(k in a)) throw new Error(`dataset params: unknown key '${k}'`);
    return out;
  };
  return merge(DATASET_PARAMS, over);
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Rows (name, value, reason) for notebooks. */
export function paramTable(p: DatasetParams = DATASET_PARAMS): { name: string; value: string; reason: string }[] {
  return paramLeaves(p).map((name) => {
    const v = name.split('.').reduce((o: any, k) => o[k], p);
    return { name, value: JSON.stringify(v), reason: REASONS[name] ?? '' };
  });
}
