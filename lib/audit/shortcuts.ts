// The shortcut audit of issue 10 (serves the reading of paper section 4's scores): for each dataset, protocol
// (paper, controlled) and simulated run (signal, null), k-nearest-neighbour and logistic-regression classifiers
// that see only nuisance features are trained on the train split and scored on the test split (class 0 vs 1), MCC
// with a bootstrap interval over test events; beside them the precursor ceiling from the ground truth, the
// band-energy detector's AUC and the class-1 windows kept by the controls. Written to build/results/shortcuts.json.
import * as path from 'path';
import { writeJsonAtomic } from '../core/atomic';
import { Profile } from '../core/config';
import { paths } from '../core/paths';
import { Rng } from '../core/random';
import { loadDataset, LoadedDataset } from '../datasets/build';
import { ensureDatasets, SimRun, storeOfRun } from '../datasets/cache';
import { DatasetParams, Protocol, protocolParams } from '../datasets/params';
import { TEST, TRAIN } from '../datasets/splits';
import { SwarmStore } from '../swarm/store';
import { Interval, percentile } from '../evaluation/bootstrap';
import { mccFromConfusion } from '../evaluation/metrics';
import { bandAuc, BandAuc, bandEnergy } from './band';
import { fitLogistic, knnProba, logisticProba } from './classifiers';
import { nuisanceFeatures, standardise, windowMagneticLatitudes } from './features';
import { Ceiling, packetFlags, precursorCeiling, readGroundTruthSpans, Spans } from './groundtruth';
import { AUDIT_PARAMS, AuditParams, FeatureGroup, ShortcutClassifier } from './params';

/**
 * Percentile bootstrap of a binary MCC over events from per-event confusion counts (O(events) a replicate, so the
 * hundreds of audit fits stay cheap); same resampling and percentile as lib/evaluation/bootstrap.ts.
 */
export function mccIntervalByEvent(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, eventIds: ArrayLike<number>, n: number, level: number, seed: string): Interval & { events: number } {
  const per = new Map<number, number[]>();
  for (let i = 0; i < yTrue.length; i++) {
    let c = per.get(eventIds[i]);
    if (!c) per.set(eventIds[i], (c = [0, 0, 0, 0]));
    c[yTrue[i] * 2 + yPred[i]]++;
  }
  const groups = [...per.values()];
  const mccOf = (c: number[]) => mccFromConfusion([[c[0], c[1]], [c[2], c[3]]]);
  const all = [0, 0, 0, 0];
  for (const g of groups) for (let k = 0; k < 4; k++) all[k] += g[k];
  const rng = new Rng(seed, 'mcc-bootstrap-by-event');
  const samples = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const c = [0, 0, 0, 0];
    for (let g = 0; g < groups.length; g++) {
      const h = groups[rng.int(groups.length)];
      c[0] += h[0]; c[1] += h[1]; c[2] += h[2]; c[3] += h[3];
    }
    samples[r] = mccOf(c);
  }
  const a = (1 - level) / 2;
  return { estimate: mccOf(all), lo: groups.length ? percentile(samples, a) : 0, hi: groups.length ? percentile(samples, 1 - a) : 0, replicates: n, events: groups.length };
}

export interface ShortcutRow {
  dataset: number;
  protocol: Protocol;
  run: SimRun;
  features: FeatureGroup;
  classifier: ShortcutClassifier;
  mcc: number;
  lo: number;
  hi: number;
  /** The interval contains 0 (no evidence of a shortcut). */
  containsZero: boolean;
  trainWindows: number;
  testWindows: number;
  testEvents: number;
}

/** Shortcut classifiers of one built dataset (class 0 vs 1, train -> test). */
export function shortcutRows(ds: LoadedDataset, id: number, protocol: Protocol, run: SimRun, ap: AuditParams = AUDIT_PARAMS): ShortcutRow[] {
  const { meta, split, X } = ds;
  const [, T, F] = ds.manifest.shape as number[];
  const tr: number[] = [], te: number[] = [];
  for (let w = 0; w < split.length; w++) {
    if (meta.label[w] > 1) continue;
    if (split[w] === TRAIN) tr.push(w);
    else if (split[w] === TEST) te.push(w);
  }
  const out: ShortcutRow[] = [];
  const yTr = tr.map((w) => meta.label[w]);
  const yTe = te.map((w) => meta.label[w]);
  const evTe = te.map((w) => meta.eventIndex[w]);
  const usable = tr.length >= ap.knnK && new Set(yTr).size === 2 && te.length > 0;
  const magLat = windowMagneticLatitudes(meta);
  for (const g of ap.groups) {
    let a: ReturnType<typeof nuisanceFeatures> | null = null, b: ReturnType<typeof nuisanceFeatures> | null = null;
    if (usable) {
      a = nuisanceFeatures(g, meta, X, T, ds.manifest.features, tr, magLat);
      b = nuisanceFeatures(g, meta, X, T, ds.manifest.features, te, magLat);
      standardise(a, b);
    }
    for (const clf of ['knn', 'logistic'] as ShortcutClassifier[]) {
      let pred: number[];
      if (!usable) pred = te.map(() => 0);
      else if (clf === 'knn') pred = Array.from(knnProba(a!.values, yTr, b!.values, a!.d, ap.knnK), (p) => (p > 0.5 ? 1 : 0));
      else pred = Array.from(logisticProba(fitLogistic(a!.values, yTr, a!.d, ap.logisticC, ap.logisticMaxIter), b!.values, b!.d), (p) => (p > 0.5 ? 1 : 0));
      const iv = mccIntervalByEvent(yTe, pred, evTe, ap.bootstrapReplicates, ap.bootstrapLevel, `shortcuts ${id} ${protocol} ${run} ${g} ${clf}`);
      out.push({
        dataset: id, protocol, run, features: g, classifier: clf, mcc: iv.estimate, lo: iv.lo, hi: iv.hi,
        containsZero: iv.lo <= 0 && iv.hi >= 0, trainWindows: tr.length, testWindows: te.length, testEvents: iv.events,
      });
    }
  }
  return out;
}

export interface DatasetAudit {
  dataset: number;
  protocol: Protocol;
  /** Windows per class of the signal run, and of the test split. */
  windows: number[];
  testWindows: number[];
  ceiling: Ceiling | null;
  /** Band-energy detector on the signal run: packet windows vs class 0, all windows and equatorward of lowLatitudeDeg. */
  band: { all: BandAuc; lowLatitude: BandAuc } | null;
  controls: unknown;
}

export interface AuditOptions {
  profile: Profile;
  ids?: number[];
  protocols?: Protocol[];
  runs?: SimRun[];
  params?: AuditParams;
  /** Dataset parameters of a protocol (default protocolParams). */
  datasetParams?: (p: Protocol) => DatasetParams;
  stores?: Partial<Record<SimRun, SwarmStore>>;
  /** Ground truth of the signal run (default <signal store>/ground-truth.json). */
  groundTruthFile?: string;
  datasetsRoot?: string;
  /** Output JSON (default build/results/shortcuts.json); null: do not write. */
  out?: string | null;
  log?: (line: string) => void;
}

export interface AuditResult {
  profile: string;
  period: { from: string; to: string };
  createdAt: string;
  params: AuditParams;
  paperMcc03: number;
  shortcuts: ShortcutRow[];
  datasets: DatasetAudit[];
  /** Class-1 windows of the controlled protocol over those of the paper protocol (signal run), per dataset. */
  class1Kept: { dataset: number; paper: number; controlled: number; share: number | null }[];
  seconds: number;
}

/** Run the audit over datasets x protocols x runs (datasets built or reused through the cache). */
export async function runShortcutAudit(o: AuditOptions): Promise<AuditResult> {
  const t0 = Date.now();
  const ap = o.params ?? AUDIT_PARAMS;
  const log = o.log ?? ((s: string) => console.log(s));
  const protocols = o.protocols ?? ['paper', 'controlled'];
  const runs = o.runs ?? ['signal', 'null'];
  const ids = o.ids ?? o.profile.datasets.filter((id) => ap.datasets.includes(id));
  if (ids.length === 0) throw new Error(`shortcut audit: none of datasets ${ap.datasets.join(', ')} is built by profile ${o.profile.name}; pass ids`);
  const signalStore = o.stores?.signal ?? storeOfRun('signal');
  const gtFile = o.groundTruthFile ?? path.join(signalStore.rootFor('simulated'), 'ground-truth.json');
  let spans: Spans | null = null;
  if (runs.includes('signal')) spans = readGroundTruthSpans(gtFile);
  const shortcuts: ShortcutRow[] = [];
  const datasets: DatasetAudit[] = [];
  const class1: Record<number, Partial<Record<Protocol, number>>> = {};
  for (const protocol of protocols) {
    for (const run of runs) {
      const built = await ensureDatasets({
        source: 'simulated', profile: o.profile, ids, run, protocol, params: (o.datasetParams ?? protocolParams)(protocol),
        store: o.stores?.[run] ?? storeOfRun(run), root: o.datasetsRoot, log,
      });
      for (const d of built.datasets) {
        const ds = loadDataset(d.dir);
        const rows = shortcutRows(ds, d.id, protocol, run, ap);
        shortcuts.push(...rows);
        const best = rows.reduce((m, r) => (r.mcc > m.mcc ? r : m), rows[0]);
        log(`shortcuts: DataSet ${String(d.id).padStart(2, '0')} ${protocol} ${run}: largest MCC ${best?.mcc.toFixed(3)} [${best?.lo.toFixed(3)}, ${best?.hi.toFixed(3)}] (${best?.features}, ${best?.classifier})`);
        if (run !== 'signal' || !spans) continue;
        const { meta, split, X } = ds;
        const [, T, F] = ds.manifest.shape as number[];
        const packet = packetFlags(meta.startTime, T, spans, ap.packetMinOverlapS);
        const ceiling = precursorCeiling(meta, split, packet);
        const ch = ds.manifest.features.indexOf(ap.bandChannel);
        const score = bandEnergy(X, T, F, ch, ap.bandHz);
        const neg = Uint8Array.from(meta.label, (c, w) => (c === 0 && !packet[w] ? 1 : 0));
        const low = Uint8Array.from(meta.latitude, (lat) => (Math.abs(lat) < ap.lowLatitudeDeg ? 1 : 0));
        const seed = `band ${d.id} ${protocol}`;
        const band = {
          all: bandAuc(score, packet, neg, meta.eventIndex, ap.bootstrapReplicates, ap.bootstrapLevel, seed),
          lowLatitude: bandAuc(score, packet.map((p, w) => p & low[w]), neg.map((p, w) => p & low[w]), meta.eventIndex, ap.bootstrapReplicates, ap.bootstrapLevel, seed),
        };
        const windows = [0, 1, 2].map((c) => meta.label.reduce((a, l) => a + (l === c ? 1 : 0), 0));
        const testWindows = [0, 1, 2].map((c) => meta.label.reduce((a, l, w) => a + (l === c && split[w] === TEST ? 1 : 0), 0));
        datasets.push({ dataset: d.id, protocol, windows, testWindows, ceiling, band, controls: (d.summary as { controls?: unknown }).controls ?? null });
        (class1[d.id] ??= {})[protocol] = windows[1];
      }
    }
  }
  const class1Kept = Object.entries(class1).map(([id, c]) => ({
    dataset: Number(id), paper: c.paper ?? 0, controlled: c.controlled ?? 0,
    share: c.paper && c.controlled !== undefined ? c.controlled / c.paper : null,
  }));
  const result: AuditResult = {
    profile: o.profile.name, period: { from: o.profile.from, to: o.profile.to }, createdAt: new Date().toISOString(), params: ap,
    paperMcc03: ap.paperMcc03, shortcuts, datasets, class1Kept, seconds: (Date.now() - t0) / 1000,
  };
  const out = o.out === undefined ? path.join(paths.results, 'shortcuts.json') : o.out;
  if (out) {
    writeJsonAtomic(out, result);
    log(`shortcut audit: ${shortcuts.length} classifier scores, ${datasets.length} ceilings -> ${out}`);
  }
  return result;
}
