// The model audit of issue 15 (serves the reading of paper section 4, Table 2): can the package's models tell an
// injected precursor from an artefact of the dataset construction? The simulator knows the truth, so:
//  1. null audit: SafeNet and the baselines trained and scored on the null run (nothing injected) of DataSet 03
//     under the paper protocol and the controlled one (the experiments' own machinery, results under
//     build/results/audit/null-run/, cached like the others); class 1 vs 0 separable or not, and by what;
//  2. injection recovery: SafeNet of DataSet 03's tuned configuration trained at several injected amplitudes
//     (lib/audit/recovery.ts), recall/AUC/MCC against amplitude beside the precursor ceiling;
//  3. protocol optimism: model choice on the test set vs on the validation part, read from one search's trials
//     (lib/audit/optimism.ts);
//  4. per-earthquake view and the intervals of every Table 2 number (lib/audit/per-event.ts).
// Written to build/results/audit/model-audit.json (lib/audit/model-audit-types.ts), with plain-word summary
// sections for the report. No clock in the file: the same code, data and seeds give the same bytes.
import { ChildProcess, fork } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic';
import { Profile, SEEDS } from '../core/config';
import { paths, rel } from '../core/paths';
import { readComcat } from '../catalog/comcat';
import { currentBackend, selectBackend } from '../backend/backend';
import { loadDataset, LoadedDataset } from '../datasets/build';
import { ensureDatasets, EnsuredDataset, storeOfRun } from '../datasets/cache';
import { DatasetParams, Protocol } from '../datasets/params';
import { VALIDATION } from '../datasets/splits';
import { loadProbabilities, saveProbabilities, trialDir } from '../experiments/objective';
import { EXPERIMENT_PARAMS, ExperimentParams } from '../experiments/params';
import { eventIdsOf, ExperimentResult, ExperimentSpec, NotRunnableError, resultDir, runExperiment } from '../experiments/run';
import { Probabilities, trainSafeNet, TrainHyper } from '../experiments/train';
import { runBaselineExperiment } from '../models/baseline-experiment';
import { BASELINE_NAMES, BaselineName } from '../models/baselines';
import { packetFlags, precursorCeiling, readGroundTruthSpans, Spans } from './groundtruth';
import { AUDIT_PARAMS } from './params';
import { auditDatasetParams } from './report';
import { recoveryDataset } from './recovery';
import type { ObjectiveContext } from '../tuning/trials';
import type { TrialReply } from '../tuning/worker';
import { optimismOfSearch } from './optimism';
import { EventTable, perEventBins, perEventRows, table2Intervals } from './per-event';
import { aucInterval, binaryView, BinaryView, olsResiduals, separation } from './model-scores';
import type {
  IntervalValue, ModelAuditFile, NullAuditEntry, OptimismEntry, PerEventResult, RecoveryPoint, RecoveryResult, StratumAuc, SummarySection,
} from './model-audit-types';

export type { ModelAuditFile } from './model-audit-types';

/** Where the audit writes: build/results/audit/model-audit.json. */
export function modelAuditFile(): string {
  return path.join(paths.results, 'audit', 'model-audit.json');
}

/** Results root of the null-run experiments (the experiments' layout below it). */
export function nullRunResultsRoot(): string {
  return path.join(paths.results, 'audit', 'null-run');
}

interface BootOpts {
  replicates: number;
  level: number;
}

// ---------------------------------------------------------------------------------------------------------------
// strata of the nuisance features (where a model separates the classes)

const LAT_EDGES = [0, 20, 40, 60];
const LT_EDGES = [0, 6, 12, 18];
const KP_EDGES = [0, 1, 2, 3];
const SEASONS = ['Dec-Feb', 'Mar-May', 'Jun-Aug', 'Sep-Nov'];

function edgeBin(edges: number[], v: number): number {
  let k = 0;
  while (k + 1 < edges.length && v >= edges[k + 1]) k++;
  return k;
}

function edgeLabel(edges: number[], k: number, top: number, unit: string): string {
  return `${edges[k]}-${k + 1 < edges.length ? edges[k + 1] : top}${unit}`;
}

/** Stratum (index and label) of each window for one nuisance feature. */
export function strataOf(feature: StratumAuc['feature'], meta: LoadedDataset['meta'], rows: number[]): { index: Int32Array; labels: string[] } {
  if (feature === 'latitude band') {
    return { index: Int32Array.from(rows, (w) => edgeBin(LAT_EDGES, Math.abs(meta.latitude[w]))), labels: LAT_EDGES.map((_, k) => edgeLabel(LAT_EDGES, k, 90, ' deg |lat|')) };
  }
  if (feature === 'local time') {
    return { index: Int32Array.from(rows, (w) => edgeBin(LT_EDGES, meta.localTime[w])), labels: LT_EDGES.map((_, k) => edgeLabel(LT_EDGES, k, 24, ' h LT')) };
  }
  if (feature === 'season') {
    return { index: Int32Array.from(rows, (w) => Math.floor(((new Date(meta.startTime[w]).getUTCMonth() + 1) % 12) / 3)), labels: SEASONS };
  }
  return { index: Int32Array.from(rows, (w) => edgeBin(KP_EDGES, meta.kp[w])), labels: KP_EDGES.map((_, k) => (k + 1 < KP_EDGES.length ? `Kp ${KP_EDGES[k]}-${KP_EDGES[k + 1]}` : `Kp >= ${KP_EDGES[k]}`)) };
}

export const STRATUM_FEATURES: StratumAuc['feature'][] = ['latitude band', 'local time', 'season', 'Kp'];

/**
 * Where a model's class-1 score separates class 1 from 0: its AUC inside each stratum of each nuisance feature, and
 * its AUC once each stratum's mean score is subtracted (per feature, then all four together by least squares);
 * explainedBy names the feature whose removal takes away the most (at least half) of the AUC's excess over 0.5.
 */
export function explainSeparation(v: BinaryView, meta: LoadedDataset['meta'], datasetRows: number[], overallAuc: number | null, o: BootOpts & { seed: string }) {
  const strata: StratumAuc[] = [];
  const residualAuc: { feature: string; auc: IntervalValue | null }[] = [];
  const onehots: { index: Int32Array; k: number }[] = [];
  for (const f of STRATUM_FEATURES) {
    const s = strataOf(f, meta, datasetRows);
    onehots.push({ index: s.index, k: s.labels.length });
    s.labels.forEach((label, k) => {
      const sel: number[] = [];
      for (let i = 0; i < s.index.length; i++) if (s.index[i] === k) sel.push(i);
      const y = Uint8Array.from(sel, (i) => v.y[i]);
      strata.push({
        feature: f, stratum: label, windows: sel.length,
        auc: aucInterval(y, sel.map((i) => v.score[i]), sel.map((i) => v.events[i]), { ...o, seed: `${o.seed} ${f} ${k}` }),
      });
    });
    // score minus its stratum mean
    const sum = new Float64Array(s.labels.length), n = new Float64Array(s.labels.length);
    for (let i = 0; i < s.index.length; i++) {
      sum[s.index[i]] += v.score[i];
      n[s.index[i]]++;
    }
    const res = Float64Array.from(v.score, (x, i) => x - sum[s.index[i]] / n[s.index[i]]);
    residualAuc.push({ feature: f, auc: aucInterval(v.y, res, v.events, { ...o, seed: `${o.seed} residual ${f}` }) });
  }
  // all four together: least squares on the strata indicators (one level of each dropped; intercept added)
  const d = onehots.reduce((a, h) => a + h.k - 1, 0);
  const X = new Float64Array(v.y.length * d);
  for (let i = 0; i < v.y.length; i++) {
    let c = 0;
    for (const h of onehots) {
      if (h.index[i] > 0) X[i * d + c + h.index[i] - 1] = 1;
      c += h.k - 1;
    }
  }
  residualAuc.push({ feature: 'all four', auc: aucInterval(v.y, olsResiduals(X, d, Float64Array.from(v.score)), v.events, { ...o, seed: `${o.seed} residual all` }) });
  let largestShare: { feature: string; share: number } | null = null;
  if (overallAuc !== null && Math.abs(overallAuc - 0.5) > 1e-9) {
    for (const r of residualAuc.slice(0, STRATUM_FEATURES.length)) {
      if (!r.auc) continue;
      const share = 1 - (r.auc.estimate - 0.5) / (overallAuc - 0.5);
      if (!largestShare || share > largestShare.share) largestShare = { feature: r.feature, share };
    }
  }
  const explainedBy = largestShare && largestShare.share >= 0.5 ? largestShare.feature : null;
  return { strata, residualAuc, explainedBy, largestShare };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. null audit

/** A result's chosen trial: its test probabilities (rows of the dataset) and the event id of each row. */
export function chosenTest(r: ExperimentResult, ds: LoadedDataset, datasetDir: string): { p: Probabilities; events: string[] } {
  const p = loadProbabilities(trialDir(path.join(r.dir, 'trials'), r.config.chosen.tid), 'test', ds.meta.label);
  return { p, events: eventIdsOf(datasetDir, ds.meta.eventIndex, p.rows) };
}

/** The class 1 vs 0 verdict of one model on one dataset, and by what it separates the classes when it does. */
export function nullEntry(model: string, protocol: Protocol, r: ExperimentResult, ds: LoadedDataset, datasetDir: string, o: BootOpts): NullAuditEntry {
  const { p, events } = chosenTest(r, ds, datasetDir);
  const v = binaryView(p.labels, p.probs, events);
  const seed = `${SEEDS.bootstrap}/model-audit/null/${protocol}/${model}`;
  const sep = separation(v, { ...o, seed });
  const { recall: _recall, ...separationScores } = sep;
  const rows = v.rows.map((i) => p.rows[i]);
  const ex = sep.separable ? explainSeparation(v, ds.meta, rows, sep.auc?.estimate ?? null, { ...o, seed }) : { strata: [], residualAuc: [], explainedBy: null, largestShare: null };
  return {
    model, protocol, resultDir: path.relative(paths.results, r.dir), testMcc3: r.metrics.test.mcc, separation: separationScores, strata: ex.strata,
    explainedBy: ex.explainedBy, largestShare: ex.largestShare, residualAuc: ex.residualAuc, selection: r.spec.selection,
  };
}

/** The profile with the audit's TPE budget for the null-run searches. */
export function nullAuditProfile(profile: Profile): Profile {
  return { ...profile, training: { ...profile.training, tpeEvaluations: profile.audit.nullEvaluations } };
}

function validationWindows(d: EnsuredDataset): number {
  return d.summary.counts.bySplitClass[VALIDATION].reduce((a: number, b: number) => a + b, 0);
}

/** Run (or reuse) one model's experiment on a built dataset (SafeNet or a baseline). */
async function runModel(model: string, spec: ExperimentSpec, profile: Profile, d: EnsuredDataset, root: string, log: (l: string) => void): Promise<ExperimentResult> {
  const o = { profile, dataset: { dir: d.dir, hash: d.hash, summary: d.summary }, root, log };
  if (model === 'SafeNet') return runExperiment(spec, o);
  if (!(BASELINE_NAMES as readonly string[]).includes(model)) throw new Error(`model audit: unknown model '${model}' in the profile's audit.nullModels; known: SafeNet, ${BASELINE_NAMES.join(', ')}`);
  return runBaselineExperiment(model as BaselineName, spec, o);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. injection recovery

/** Sources whose content decides a recovery training (besides the dataset and the configuration). */
const RECOVERY_TRAIN_CODE = ['lib/experiments/train.ts', 'lib/experiments/tensors.ts', 'lib/models/safenet.ts', 'lib/models/fused_lstm.ts', 'lib/training/fit.ts', 'lib/backend/kernels/index.ts'];

function sha16(text: string | Buffer): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** SafeNet of a fixed configuration trained on a dataset, test probabilities cached under dir (key: dataset, configuration, seed, code). */
export async function trainFixed(ds: LoadedDataset, datasetHash: string, hyper: TrainHyper, o: { params: ExperimentParams; maxTrainWindows: number | null; seedLabel: string; dir: string; log: (l: string) => void }): Promise<{ p: Probabilities; reused: boolean }> {
  const backend = (currentBackend() ?? (await selectBackend({ log: () => undefined }))).name;
  const key = JSON.stringify({
    dataset: datasetHash, hyper, params: o.params, maxTrainWindows: o.maxTrainWindows, seedLabel: o.seedLabel, backend,
    code: Object.fromEntries(RECOVERY_TRAIN_CODE.map((f) => [f, fs.existsSync(path.join(paths.root, f)) ? sha16(fs.readFileSync(path.join(paths.root, f))) : 'absent'])),
  });
  const keyFile = path.join(o.dir, 'key.json');
  if (fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key && fs.existsSync(path.join(o.dir, 'test.rows.u32'))) {
    return { p: loadProbabilities(o.dir, 'test', ds.meta.label), reused: true };
  }
  const run = await trainSafeNet(ds, hyper, { params: o.params, budget: { maxTrainWindows: o.maxTrainWindows }, seedLabel: o.seedLabel, progressLabel: null });
  try {
    fs.rmSync(o.dir, { recursive: true, force: true });
    fs.mkdirSync(o.dir, { recursive: true });
    saveProbabilities(o.dir, 'test', run.test);
    writeFileAtomic(keyFile, key);
    return { p: run.test, reused: false };
  } finally {
    run.model.dispose();
  }
}

/** Work of the recovery run in worker processes (lib/tuning/worker.ts's protocol): build a re-injected dataset, or
 * train SafeNet of a fixed configuration on one (its test probabilities cached on disk for the parent to read). */
export type RecoveryTask =
  | { kind: 'dataset'; profile: Profile; amplitude: number; params: DatasetParams }
  | { kind: 'train'; datasetDir: string; datasetHash: string; hyper: TrainHyper; params: ExperimentParams; maxTrainWindows: number | null; seedLabel: string; dir: string };

export async function recoveryTask(task: RecoveryTask, _ctx: ObjectiveContext): Promise<{ loss: number; status: 'ok'; dataset?: { dir: string; hash: string; summary: unknown; days: number; packets: number }; reused?: boolean }> {
  if (task.kind === 'dataset') {
    const rd = await recoveryDataset(task.profile, task.amplitude, 3, task.params, { catalog: readComcat(paths.catalogM50) });
    return { loss: 0, status: 'ok', dataset: { dir: rd.dataset.dir, hash: rd.dataset.hash, summary: rd.dataset.summary, days: rd.days, packets: rd.packets } };
  }
  await selectBackend({ log: () => undefined });
  const ds = loadDataset(task.datasetDir);
  const r = await trainFixed(ds, task.datasetHash, task.hyper, { params: task.params, maxTrainWindows: task.maxTrainWindows, seedLabel: task.seedLabel, dir: task.dir, log: () => undefined });
  return { loss: 0, status: 'ok', reused: r.reused };
}

/** Run tasks through `exportName` of `module` in up to `workers` worker processes (results in task order). */
export async function runInWorkers<R>(module: string, exportName: string, tasks: unknown[], workers: number): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  let next = 0;
  const one = () => new Promise<void>((resolve, reject) => {
    // a worker has no notebook to display in (tslab's display exists only in the kernel's own process)
    const w: ChildProcess = fork(path.join(paths.root, 'lib', 'tuning', 'worker.ts'), [], {
      execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, SAFENET_IN_NOTEBOOK: '0' },
    });
    let failed = false;
    const send = () => {
      if (next >= tasks.length) {
        w.send({ type: 'exit' });
        return;
      }
      const k = next++;
      w.send({ type: 'trial', tid: k, params: tasks[k], ctx: { trial: k, seed: 0, args: null } });
    };
    w.on('message', (m: TrialReply) => {
      if (m.type === 'ready') send();
      else if (m.type === 'result') {
        results[m.tid] = m.result as unknown as R;
        send();
      } else {
        failed = true;
        w.kill();
        reject(new Error(`model audit worker (${exportName}): ${m.message}`));
      }
    });
    w.on('exit', (code) => (failed ? undefined : code === 0 ? resolve() : reject(new Error(`model audit worker (${exportName}) exited with code ${code}`))));
    w.send({ type: 'init', module, exportName });
  });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, tasks.length)) }, one));
  return results;
}

/** Scores of one amplitude: class 1 vs 0 overall, class-1 windows with and without a packet vs class 0, the ceiling. */
export function recoveryPoint(amplitude: number, ds: LoadedDataset, p: Probabilities, events: string[], packet: Uint8Array, o: BootOpts): RecoveryPoint {
  const seed = `${SEEDS.bootstrap}/model-audit/recovery/${amplitude}`;
  const v = binaryView(p.labels, p.probs, events);
  const all = separation(v, { ...o, seed });
  const hasPacket = Uint8Array.from(v.rows, (i) => packet[p.rows[i]]);
  const part = (want: 0 | 1) => {
    const sel: number[] = [];
    for (let i = 0; i < v.y.length; i++) if (v.y[i] === 0 || hasPacket[i] === want) sel.push(i);
    const sub: BinaryView = { y: Uint8Array.from(sel, (i) => v.y[i]), score: Float64Array.from(sel, (i) => v.score[i]), events: sel.map((i) => v.events[i]), rows: sel.map((i) => v.rows[i]) };
    const s = separation(sub, { ...o, seed: `${seed} packet ${want}` });
    return { windows: sub.y.reduce((a, y) => a + y, 0), recall: s.recall, auc: s.auc };
  };
  // the ceiling on the same test windows: a perfect packet detector, class 1 vs 0
  const testSplit = new Uint8Array(ds.split.length);
  for (const r of p.rows) testSplit[r] = 2;
  const c = precursorCeiling(ds.meta, testSplit, packet);
  let pos1 = 0, n1 = 0;
  for (let i = 0; i < v.y.length; i++) if (v.y[i] === 1) {
    n1++;
    pos1 += hasPacket[i];
  }
  return {
    amplitude, recall: all.recall, auc: all.auc, mcc: all.mcc, withPacket: part(1), withoutPacket: part(0),
    ceiling: { mcc: c.testMcc, recall: n1 ? pos1 / n1 : null, packetShareClass1: c.packetShare[1] },
    testWindows: v.y.length,
  };
}

function sameWindows(a: LoadedDataset, b: LoadedDataset): boolean {
  if (a.meta.startTime.length !== b.meta.startTime.length) return false;
  for (let i = 0; i < a.meta.startTime.length; i++) {
    if (a.meta.startTime[i] !== b.meta.startTime[i] || a.meta.label[i] !== b.meta.label[i] || a.split[i] !== b.split[i]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// summary in plain words

export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

export function fmtIv(iv: IntervalValue | null | undefined, digits = 2): string {
  return iv ? `${fmt(iv.estimate, digits)} [${fmt(iv.lo, digits)}, ${fmt(iv.hi, digits)}]` : '-';
}

function nullSection(protocol: Protocol, entries: NullAuditEntry[], skipped: { part: string; reason: string }[]): SummarySection {
  const es = entries.filter((e) => e.protocol === protocol);
  const title = `Null audit (${protocol} protocol)`;
  const sentences: string[] = [];
  if (!es.length) {
    sentences.push(`No model could be trained and scored on the null run under the ${protocol} protocol: ${skipped.filter((s) => s.part.includes(protocol)).map((s) => s.reason).join('; ') || 'not run'}.`);
    return { title, sentences, rows: [] };
  }
  const sep = es.filter((e) => e.separation.separable);
  sentences.push(`On the null run of DataSet 03 (simulated, nothing injected), under the ${protocol} protocol, ${sep.length} of ${es.length} models ` +
    `tell class 1 (earthquake) from class 0 (non-seismic) apart: their 95 % event-bootstrap interval of AUC (class 1 vs 0) excludes 0.5 or that of MCC excludes 0. ` +
    'With nothing injected there is no precursor to find, so any such separation comes from how the dataset was built.');
  for (const e of es) {
    const verdict = e.separation.separable ? 'separates them' : 'does not separate them';
    const big = e.largestShare;
    const left = (f: string) => fmtIv(e.residualAuc.find((r) => r.feature === f)?.auc);
    const withinRange = (f: string) => {
      const a = e.strata.filter((x) => x.feature === f && x.auc).map((x) => x.auc!.estimate);
      return a.length ? `${fmt(Math.min(...a))}-${fmt(Math.max(...a))}` : '-';
    };
    const by = !e.separation.separable ? ''
      : e.explainedBy ? `, mostly by ${e.explainedBy} (AUC ${left(e.explainedBy)} once each ${e.explainedBy} stratum's mean score is removed: ${Math.round(100 * big!.share)} % of its excess over 0.5 gone)`
      : big && big.share >= 0.2 ? `, partly by ${big.feature} (AUC ${left(big.feature)} once each ${big.feature} stratum's mean score is removed: ${Math.round(100 * big.share)} % of its excess over 0.5 gone); ` +
        `inside each ${big.feature} stratum the AUC is still ${withinRange(big.feature)}, and no other of latitude band, local time, season or Kp takes away as much`
      : ', by no single one of latitude band, local time, season or Kp';
    sentences.push(`${e.model} ${verdict}: AUC ${fmtIv(e.separation.auc)}, MCC ${fmtIv(e.separation.mcc)}${by}.`);
  }
  const safenet = es.find((e) => e.model === 'SafeNet');
  if (protocol === 'controlled' && safenet?.separation.auc) {
    const a = safenet.separation.auc;
    const contains = a.lo <= 0.5 && a.hi >= 0.5;
    sentences.push(contains
      ? `With the controls on, SafeNet's class 1 vs 0 AUC on the null run, ${fmtIv(a)}, contains 0.5: no leak is left that SafeNet finds.`
      : `With the controls on, SafeNet's class 1 vs 0 AUC on the null run, ${fmtIv(a)}, does not contain 0.5: a leak remains` +
        (safenet.explainedBy ? `, carried mostly by ${safenet.explainedBy}.`
          : safenet.largestShare && safenet.largestShare.share >= 0.2 ? `, carried partly by ${safenet.largestShare.feature} (${Math.round(100 * safenet.largestShare.share)} % of the AUC's excess over 0.5); the rest by none of latitude band, local time, season or Kp alone (the window statistics of the shortcut audit are the next suspects).`
          : '; no single one of latitude band, local time, season or Kp carries it (the window statistics of the shortcut audit are the next suspects).'));
  }
  const rows = es.map((e) => ({
    model: e.model, 'chosen on': e.selection, 'test windows (class 0/1)': e.separation.windows, 'test events': e.separation.events,
    'AUC (1 vs 0)': fmtIv(e.separation.auc), 'MCC (1 vs 0)': fmtIv(e.separation.mcc),
    verdict: e.separation.separable ? 'separable' : 'not separable',
    'separated by': !e.separation.separable ? '-' : e.explainedBy ?? (e.largestShare && e.largestShare.share >= 0.2 ? `partly ${e.largestShare.feature} (${Math.round(100 * e.largestShare.share)} %)` : 'no single feature'),
  }));
  return { title, sentences, rows };
}

function recoverySection(r: RecoveryResult | null, skipped: { part: string; reason: string }[]): SummarySection {
  const title = 'Injection recovery';
  if (!r) return { title, sentences: [`Not run: ${skipped.filter((s) => s.part === 'recovery').map((s) => s.reason).join('; ') || 'no reason recorded'}.`], rows: [] };
  const sentences = [
    `SafeNet with DataSet 03's tuned configuration (${r.configFrom}; no new search) trained under the controlled protocol on the same simulated days ` +
      `with the injected precursors scaled by ${r.points.map((p) => p.amplitude).join(', ')} (0 = the null run, 1 = the signal run). ${r.simulated.note}`,
  ];
  for (const p of r.points) {
    sentences.push(`Amplitude ${p.amplitude}: class-1 recall ${fmtIv(p.recall)}, AUC (1 vs 0) ${fmtIv(p.auc)}, MCC ${fmtIv(p.mcc)}; ` +
      `class-1 windows holding a packet: recall ${fmtIv(p.withPacket.recall)}, AUC ${fmtIv(p.withPacket.auc)}; without a packet: recall ${fmtIv(p.withoutPacket.recall)}, AUC ${fmtIv(p.withoutPacket.auc)}; ` +
      `precursor ceiling MCC ${fmt(p.ceiling.mcc)}.`);
  }
  const rows = r.points.map((p) => ({
    amplitude: p.amplitude, 'class-1 recall': fmtIv(p.recall), 'AUC (1 vs 0)': fmtIv(p.auc), MCC: fmtIv(p.mcc),
    'AUC, packet windows': fmtIv(p.withPacket.auc), 'AUC, class 1 without packet': fmtIv(p.withoutPacket.auc),
    'ceiling MCC': p.ceiling.mcc === null ? null : Number(p.ceiling.mcc.toFixed(3)), 'test windows': p.testWindows,
  }));
  return { title, sentences, rows };
}

function optimismSection(es: OptimismEntry[], skipped: { part: string; reason: string }[]): SummarySection {
  const title = 'Protocol optimism';
  if (!es.length) return { title, sentences: [`Not run: ${skipped.filter((s) => s.part === 'optimism').map((s) => s.reason).join('; ') || 'no search found'}.`], rows: [] };
  const sentences = [
    'Each search scores every trial on the validation part and on the test part, so both ways of choosing the model are read from the same search: ' +
      "on the validation part (ours) and on the test part (the paper's code). The gap is the test score of the test-chosen model minus that of the " +
      'validation-chosen one, with a paired bootstrap over test events; a positive gap is optimism the paper\'s way of choosing adds. ' +
      'Both choices maximise the search\'s objective (macro F1), so its gap is never negative; the gap in Table 2\'s F1 (micro) and in MCC can be.',
  ];
  const main = es.filter((e) => e.run === 'signal' && e.protocol === 'paper');
  if (main.length) {
    const med = (xs: number[]) => { const v = [...xs].sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
    const differ = main.filter((e) => e.chosenOnTest.tid !== e.chosenOnValidation.tid).length;
    sentences.push(`Over the ${main.length} SafeNet searches of Table 2 (paper protocol), the two ways chose different trials in ${differ}; ` +
      `median gap: objective (macro F1) ${fmt(med(main.map((e) => e.gapObjective.estimate)), 3)}, F1 ${fmt(med(main.map((e) => e.gapF1.estimate)), 3)}, ` +
      `MCC ${fmt(med(main.map((e) => e.gapMcc.estimate)), 3)}; largest F1 gap ${fmt(Math.max(...main.map((e) => e.gapF1.estimate)), 3)}.`);
  }
  for (const e of es) {
    sentences.push(`${e.model}: objective (macro F1) gap ${fmtIv(e.gapObjective, 3)}, F1 gap ${fmtIv(e.gapF1, 3)}, MCC gap ${fmtIv(e.gapMcc, 3)} (${e.trials} trials; trial ${e.chosenOnTest.tid} chosen on test, ${e.chosenOnValidation.tid} on validation).`);
  }
  const rows = es.map((e) => ({
    search: e.model, trials: e.trials, 'chosen on validation (trial)': e.chosenOnValidation.tid, 'chosen on test (trial)': e.chosenOnTest.tid,
    'test F1, validation-chosen': Number(e.chosenOnValidation.testF1.toFixed(3)), 'test F1, test-chosen': Number(e.chosenOnTest.testF1.toFixed(3)),
    'objective gap': fmtIv(e.gapObjective, 3), 'F1 gap': fmtIv(e.gapF1, 3), 'MCC gap': fmtIv(e.gapMcc, 3),
  }));
  return { title, sentences, rows };
}

function perEventSection(r: PerEventResult | null, skipped: { part: string; reason: string }[]): SummarySection {
  const title = 'Per-earthquake view';
  if (!r) return { title, sentences: [`Not run: ${skipped.filter((s) => s.part === 'per-event').map((s) => s.reason).join('; ') || 'no result'}.`], rows: [] };
  const quakes = r.events.filter((e) => e.label === 1);
  const others = r.events.filter((e) => e.label === 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const sentences = [
    `${r.model} on DataSet 03 (${r.protocol} protocol, test part): ${quakes.length} earthquakes and ${others.length} non-seismic events; ` +
      `mean detection rate (share of an event's windows predicted class 1) ${fmt(mean(quakes.map((e) => e.detectionRate)))} for earthquakes and ` +
      `${fmt(mean(others.map((e) => e.detectionRate)))} for non-seismic events.`,
  ];
  for (const by of ['magnitude', 'distance', 'Kp'] as const) {
    const bs = r.bins.filter((b) => b.by === by && b.events > 0);
    sentences.push(`By ${by}: ${bs.map((b) => `${b.bin}: ${fmtIv(b.rate)} (${b.events} ${b.events === 1 ? 'event' : 'events'})`).join('; ')}.`);
  }
  const computed = r.table2Intervals.filter((t) => t.source === 'computed').length;
  sentences.push(`Every number of our Table 2 rows has its 95 % event-bootstrap interval: ${r.table2Intervals.length - computed} from table2.json, ${computed} computed here.`);
  const rows = r.bins.map((b) => ({ by: b.by, bin: b.bin, earthquakes: b.events, 'mean detection rate': fmtIv(b.rate) }));
  return { title, sentences, rows };
}

// ---------------------------------------------------------------------------------------------------------------
// the whole audit

export interface ModelAuditOptions {
  profile: Profile;
  log?: (line: string) => void;
  /** Output file (default build/results/audit/model-audit.json); null: do not write. */
  out?: string | null;
}

/** Run (or reuse the cached parts of) the whole model audit and write model-audit.json. */
export async function runModelAudit(o: ModelAuditOptions): Promise<ModelAuditFile> {
  const profile = o.profile;
  const log = o.log ?? ((l: string) => console.log(l));
  const budget = profile.audit;
  const bo: BootOpts = { replicates: budget.bootstrapReplicates, level: 0.95 };
  const dp = auditDatasetParams(profile);
  const skipped: { part: string; reason: string }[] = [];
  await selectBackend({ log: () => undefined });
  const t0 = Date.now();

  // 1. null audit
  const nullAudit: NullAuditEntry[] = [];
  const nullDs: Partial<Record<Protocol, EnsuredDataset>> = {};
  const nullResults: { model: string; protocol: Protocol; r: ExperimentResult }[] = [];
  for (const protocol of ['paper', 'controlled'] as Protocol[]) {
    const d = (await ensureDatasets({ source: 'simulated', profile, ids: [3], run: 'null', protocol, params: dp(protocol), log: (l) => log(`  ${l}`) })).datasets[0];
    nullDs[protocol] = d;
    const ds = loadDataset(d.dir);
    const spec: ExperimentSpec = { source: 'simulated', protocol, selection: validationWindows(d) > 0 ? 'validation' : 'paper-test-set', datasetId: 3 };
    for (const model of budget.nullModels) {
      try {
        const r = await runModel(model, spec, nullAuditProfile(profile), d, nullRunResultsRoot(), (l) => log(`  null run: ${l}`));
        nullResults.push({ model, protocol, r });
        const e = nullEntry(model, protocol, r, ds, d.dir, bo);
        nullAudit.push(e);
        log(`null audit, ${protocol} protocol, ${model}: AUC (1 vs 0) ${fmtIv(e.separation.auc)}, MCC ${fmtIv(e.separation.mcc)}: ${e.separation.separable ? `separable${e.explainedBy ? ` (by ${e.explainedBy})` : ''}` : 'not separable'}`);
      } catch (e) {
        if (!(e instanceof NotRunnableError)) throw e;
        skipped.push({ part: `null audit ${protocol} ${model}`, reason: e.message });
        log(`null audit, ${protocol} protocol, ${model}: skipped (${e.message})`);
      }
    }
  }
  const tNull = Date.now();

  // 2. injection recovery (controlled protocol, DataSet 03's tuned configuration)
  let recovery: RecoveryResult | null = null;
  const tunedSpecs: ExperimentSpec[] = [
    { source: 'simulated', protocol: 'controlled', selection: 'validation', datasetId: 3 },
    { source: 'simulated', protocol: 'paper', selection: 'validation', datasetId: 3 },
  ];
  const tuned = tunedSpecs.map((s) => ({ s, dir: resultDir(s) })).find((x) => fs.existsSync(path.join(x.dir, 'config.json')));
  const signalRoot = storeOfRun('signal').rootFor('simulated');
  const gtFile = path.join(signalRoot, 'ground-truth.json');
  if (!tuned) skipped.push({ part: 'recovery', reason: `no tuned SafeNet result of DataSet 03 (${tunedSpecs.map((s) => rel(resultDir(s))).join(', ')}); run the experiments first` });
  else if (!fs.existsSync(gtFile)) skipped.push({ part: 'recovery', reason: `${rel(gtFile)} is missing (simulate the signal run first)` });
  else {
    const cfg = JSON.parse(fs.readFileSync(path.join(tuned.dir, 'config.json'), 'utf8')) as { hyper: TrainHyper; seeds: { seedLabel: string }; params: ExperimentParams; budget: Profile['training'] };
    const spans: Spans = readGroundTruthSpans(gtFile);
    const base = nullDs.controlled!;
    const baseDs = loadDataset(base.dir);
    const points: RecoveryPoint[] = [];
    const packetsPerAmp: number[] = [];
    let reinjectedDays = 0;
    // the re-injected datasets (one pass of the dataset builder each), then one training per amplitude, both in
    // worker processes (the profile's workers)
    const amps = budget.amplitudes;
    const workers = profile.workers;
    const reinjected = amps.filter((a) => a !== 0 && a !== 1);
    const built = await runInWorkers<{ dataset: { dir: string; hash: string; summary: EnsuredDataset['summary']; days: number; packets: number } }>(
      'lib/audit/model-audit.ts', 'recoveryTask', reinjected.map((a): RecoveryTask => ({ kind: 'dataset', profile, amplitude: a, params: dp('controlled') })), workers,
    );
    const byAmp = new Map<number, EnsuredDataset>();
    reinjected.forEach((a, k) => {
      const b = built[k].dataset;
      reinjectedDays = Math.max(reinjectedDays, b.days);
      byAmp.set(a, { id: 3, dir: b.dir, hash: b.hash, rebuilt: b.days > 0, reasons: [], summary: b.summary });
      log(`  amplitude ${a}: DataSet 03 ${b.days ? `built from ${b.days} re-injected null days (${b.packets} packets)` : 'reused'}`);
    });
    byAmp.set(0, base);
    if (amps.includes(1)) byAmp.set(1, (await ensureDatasets({ source: 'simulated', profile, ids: [3], protocol: 'controlled', params: dp('controlled'), log: (l) => log(`  ${l}`) })).datasets[0]);
    const loaded = new Map<number, LoadedDataset>();
    for (const a of amps) {
      const d = byAmp.get(a)!;
      const ds = a === 0 ? baseDs : loadDataset(d.dir);
      if (!sameWindows(ds, baseDs)) throw new Error(`injection recovery: DataSet 03 at amplitude ${a} (${rel(d.dir)}) does not have the null run's windows (${rel(base.dir)}); the windows must not depend on the amplitude`);
      loaded.set(a, ds);
    }
    const dirOf = (a: number) => path.join(paths.results, 'audit', 'recovery', `amplitude-${a}`);
    const trained = await runInWorkers<{ reused: boolean }>('lib/audit/model-audit.ts', 'recoveryTask', amps.map((a): RecoveryTask => ({
      kind: 'train', datasetDir: byAmp.get(a)!.dir, datasetHash: byAmp.get(a)!.hash, hyper: cfg.hyper, params: cfg.params ?? EXPERIMENT_PARAMS,
      maxTrainWindows: cfg.budget.maxTrainWindows, seedLabel: cfg.seeds.seedLabel, dir: dirOf(a),
    })), workers);
    amps.forEach((a, k) => {
      const d = byAmp.get(a)!;
      const ds = loaded.get(a)!;
      const T = (ds.manifest.shape as number[])[1];
      const packet = a === 0 ? new Uint8Array(ds.split.length) : packetFlags(ds.meta.startTime, T, spans, AUDIT_PARAMS.packetMinOverlapS);
      packetsPerAmp.push(packet.reduce((s, x) => s + x, 0));
      const p = loadProbabilities(dirOf(a), 'test', ds.meta.label);
      const events = eventIdsOf(d.dir, ds.meta.eventIndex, p.rows);
      const pt = recoveryPoint(a, ds, p, events, packet, bo);
      points.push(pt);
      log(`recovery, amplitude ${a}${trained[k].reused ? ' (reused)' : ''}: recall ${fmtIv(pt.recall)}, AUC ${fmtIv(pt.auc)}, MCC ${fmtIv(pt.mcc)}, ceiling MCC ${fmt(pt.ceiling.mcc)}`);
    });
    const days = storeOfRun('null').listDays('simulated', 'A').filter((x) => x >= profile.from && x <= profile.to);
    recovery = {
      protocol: 'controlled', dataset: 3, configFrom: `${tuned.s.protocol}-protocol result, chosen on ${tuned.s.selection}`, hyper: cfg.hyper,
      simulated: {
        days: days.length, firstDay: days[0] ?? null, lastDay: days[days.length - 1] ?? null, packets: packetsPerAmp,
        note: `Nothing was simulated anew: the null run's ${days.length} days (${days[0]}..${days[days.length - 1]}) hold the background, ` +
          'and only the injection step was re-run on them with the amplitudes scaled (the packets come from their own random streams, ' +
          'so the result equals a full simulation at that amplitude byte for byte), as the dataset builder read each day; amplitudes 0 and 1 are ' +
          'the stored null and signal runs. The windows are the same at every amplitude (checked).',
      },
      points,
    };
  }
  const tRec = Date.now();

  // 3. protocol optimism, from the searches' own trials
  const optimism: OptimismEntry[] = [];
  const searches: { label: string; protocol: Protocol; run: 'signal' | 'null'; dir: string; datasetDir: string | null }[] = [];
  for (const id of profile.datasets) {
    const s: ExperimentSpec = { source: 'simulated', protocol: 'paper', selection: 'validation', datasetId: id };
    searches.push({ label: `SafeNet, DataSet ${String(id).padStart(2, '0')} (paper protocol)`, protocol: 'paper', run: 'signal', dir: resultDir(s), datasetDir: null });
  }
  searches.push({ label: 'SafeNet, DataSet 03 (controlled protocol)', protocol: 'controlled', run: 'signal', dir: resultDir(tunedSpecs[0]), datasetDir: null });
  for (const n of nullResults) {
    if (n.r.spec.selection === 'validation') searches.push({ label: `${n.model}, DataSet 03, null run (${n.protocol} protocol)`, protocol: n.protocol, run: 'null', dir: n.r.dir, datasetDir: nullDs[n.protocol]!.dir });
  }
  for (const s of searches) {
    const cfgFile = path.join(s.dir, 'config.json');
    if (!fs.existsSync(cfgFile)) continue;
    const dsDir = s.datasetDir ?? path.join(paths.root, (JSON.parse(fs.readFileSync(cfgFile, 'utf8')) as { dataset: { dir: string } }).dataset.dir);
    if (!fs.existsSync(path.join(dsDir, 'manifest.json'))) {
      skipped.push({ part: 'optimism', reason: `${s.label}: its dataset ${rel(dsDir)} is no longer in the cache` });
      continue;
    }
    const ds = loadDataset(dsDir);
    const ev = JSON.parse(fs.readFileSync(path.join(dsDir, 'events.json'), 'utf8')) as { index: number[]; id: string[] };
    const idOf = new Map<number, string>(ev.index.map((e, k) => [e, ev.id[k]]));
    try {
      optimism.push(optimismOfSearch(s.dir, ds.meta.label, (row) => idOf.get(ds.meta.eventIndex[row]) ?? String(ds.meta.eventIndex[row]), s.label, s.protocol, {
        objective: EXPERIMENT_PARAMS.objective, ...bo, seed: `${SEEDS.bootstrap}/model-audit/optimism/${s.label}`, run: s.run,
      }));
    } catch (e) {
      skipped.push({ part: 'optimism', reason: `${s.label}: ${(e as Error).message}` });
    }
  }
  if (!optimism.length && !skipped.some((s) => s.part === 'optimism')) skipped.push({ part: 'optimism', reason: 'no SafeNet search with a validation part was found' });
  const tOpt = Date.now();

  // 4. per-earthquake view (SafeNet, DataSet 03, paper protocol) and Table 2's intervals
  let perEvent: PerEventResult | null = null;
  const pe = tunedSpecs[1];
  const peDir = resultDir(pe);
  if (!fs.existsSync(path.join(peDir, 'config.json'))) skipped.push({ part: 'per-event', reason: `${rel(peDir)} is missing (run the experiments first)` });
  else {
    const cfg = JSON.parse(fs.readFileSync(path.join(peDir, 'config.json'), 'utf8')) as { dataset: { dir: string }; chosen: { tid: number } };
    const dsDir = path.join(paths.root, cfg.dataset.dir);
    if (!fs.existsSync(path.join(dsDir, 'manifest.json'))) skipped.push({ part: 'per-event', reason: `the dataset of ${rel(peDir)} (${cfg.dataset.dir}) is no longer in the cache; run the experiments again` });
  }
  if (fs.existsSync(path.join(peDir, 'config.json')) && !skipped.some((s) => s.part === 'per-event')) {
    const cfg = JSON.parse(fs.readFileSync(path.join(peDir, 'config.json'), 'utf8')) as { dataset: { dir: string }; chosen: { tid: number } };
    const dsDir = path.join(paths.root, cfg.dataset.dir);
    const ds = loadDataset(dsDir);
    const p = loadProbabilities(trialDir(path.join(peDir, 'trials'), cfg.chosen.tid), 'test', ds.meta.label);
    const events = JSON.parse(fs.readFileSync(path.join(dsDir, 'events.json'), 'utf8')) as EventTable;
    const rows = perEventRows(ds.meta, events, p.rows, p.probs);
    perEvent = {
      protocol: 'paper', dataset: 3, model: 'SafeNet', events: rows,
      bins: perEventBins(rows, { ...bo, seed: `${SEEDS.bootstrap}/model-audit/per-event` }),
      table2Intervals: table2Intervals(path.join(paths.results, 'table2.json'), (r) => path.join(paths.root, r.resultDir, 'predictions.csv'), { ...bo, seed: `${SEEDS.bootstrap}/model-audit/table2` }),
    };
  }
  const tEnd = Date.now();
  log(`model audit: null audit ${((tNull - t0) / 1000).toFixed(0)} s, recovery ${((tRec - tNull) / 1000).toFixed(0)} s, optimism ${((tOpt - tRec) / 1000).toFixed(0)} s, per-event ${((tEnd - tOpt) / 1000).toFixed(0)} s`);

  const file: ModelAuditFile = {
    kind: 'safenet-model-audit', version: 1, profile: profile.name,
    seeds: { bootstrap: SEEDS.bootstrap, training: SEEDS.training, tpe: SEEDS.tpe, simulator: SEEDS.simulator },
    budget: { ...budget, training: profile.training }, bootstrap: { replicates: bo.replicates, level: bo.level },
    nullAudit, recovery, optimism, perEvent, skipped,
    summary: [
      nullSection('paper', nullAudit, skipped), nullSection('controlled', nullAudit, skipped),
      recoverySection(recovery, skipped), optimismSection(optimism, skipped), perEventSection(perEvent, skipped),
    ],
  };
  const out = o.out === undefined ? modelAuditFile() : o.out;
  if (out) {
    writeJsonAtomic(out, file);
    log(`model audit: ${nullAudit.length} null-run models, ${recovery?.points.length ?? 0} amplitudes, ${optimism.length} searches -> ${rel(out)}`);
  }
  return file;
}

/** Read model-audit.json (written by runModelAudit), with a clear error when it is missing or not the audit's. */
export function readModelAudit(file = modelAuditFile()): ModelAuditFile {
  if (!fs.existsSync(file)) throw new Error(`${rel(file)} is missing: run the model audit first (make reproduce, or runModelAudit)`);
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelAuditFile;
  if (j.kind !== 'safenet-model-audit' || !Array.isArray(j.summary)) throw new Error(`${rel(file)}: not a model audit file (field 'kind' is ${JSON.stringify(j.kind)})`);
  return j;
}
