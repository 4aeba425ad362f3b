// The baselines' experiments (paper sections 3.3 and 4.6: GBM, RF, DNN, CNN and LSTM tuned with TPE and scored on
// DataSet 03; Table 2's last rows): each baseline run exactly as SafeNet's experiment (lib/experiments/run.ts),
// its peer in every step: the same dataset from lib/datasets' cache, the same TPE search (lib/tuning) with the
// same budget and seeds, the same objective (-F1 of the validation part, or of the test part under the paper's
// protocol), the chosen trial's test part scored once with bootstrap intervals by event, and the same result
// files (trials.jsonl, model/, config.json, predictions.csv, metrics.json, result.json) under
// build/results/<source>/<protocol>-<selection>/<baseline>/dsNN/, reused while their inputs are unchanged.
// Table 2 rows of the baselines carry the paper's values beside ours.
import * as fs from 'fs';
import * as path from 'path';
import { writeJsonAtomic } from '../core/atomic';
import { paths } from '../core/paths';
import type { ObjectiveContext, ObjectiveResult } from '../tuning/trials';
import { saveModel } from '../training/fit';
import { ExperimentParams } from '../experiments/params';
import { partScores, saveProbabilities, trialDataset, trialDir } from '../experiments/objective';
import { ExperimentOptions, ExperimentResult, ExperimentSpec, ResultConfig, runTunedExperiment } from '../experiments/run';
import { table2Rows, Table2Row, TABLE2_METRICS } from '../experiments/table2';
import { paperRow, PaperRow, readPaperTable2 } from '../experiments/paper';
import { BaselineName, BASELINE_NAMES, baselineSpace, EXTRA_FEATURES_DEFAULT, ExtraFeatures } from './baselines';
import { trainBaseline } from './baseline-run';
import { defaultTreeThreads } from './tree-pool';
import * as tf from '@tensorflow/tfjs';

/** Sources whose content decides a baseline result (besides the dataset's own hash). */
export const BASELINE_CODE_FILES = [
  'lib/models/baseline-experiment.ts', 'lib/models/baseline-run.ts', 'lib/models/baselines.ts', 'lib/models/gbm.ts',
  'lib/models/rf.ts', 'lib/models/binning.ts', 'lib/models/safenet.ts', 'lib/models/fused_lstm.ts', 'lib/training/fit.ts',
  'lib/experiments/tensors.ts', 'lib/experiments/train.ts', 'lib/tuning/search.ts', 'lib/tuning/tpe.ts',
  'lib/tuning/space.ts', 'lib/tuning/random.ts', 'lib/evaluation/metrics.ts', 'lib/evaluation/bootstrap.ts',
  'lib/evaluation/predictions.ts', 'lib/backend/kernels/index.ts', 'lib/experiments/run.ts', 'lib/experiments/objective.ts',
];

export interface BaselineObjectiveArgs {
  baseline: BaselineName;
  datasetDir: string;
  trialsDir: string;
  maxTrainWindows: number | null;
  params: ExperimentParams;
  seedLabel: string;
  extraFeatures: ExtraFeatures;
  /** Threads of each GBM or RF fit: the tree threads shared by the trials that run at once (tree-pool.ts). */
  treeThreads: number;
}

/** The TPE objective of a baseline (as safenetObjective): train, save the trial, return -F1 of the choosing part. */
export async function baselineObjective(point: Record<string, unknown>, ctx: ObjectiveContext<BaselineObjectiveArgs>): Promise<ObjectiveResult> {
  const a = ctx.args;
  const ds = await trialDataset(a.datasetDir);
  const seedLabel = `${a.seedLabel}/${a.baseline}/seed-${ctx.seed}`;
  const run = await trainBaseline(a.baseline, ds, point, {
    params: a.params, budget: { maxTrainWindows: a.maxTrainWindows }, seedLabel, progressLabel: null, extraFeatures: a.extraFeatures,
    threads: a.treeThreads,
  });
  try {
    const validation = partScores(run.validation);
    const test = partScores(run.test);
    const dir = trialDir(a.trialsDir, ctx.trial);
    fs.rmSync(dir, { recursive: true, force: true });
    if (run.model instanceof tf.LayersModel) await saveModel(run.model, path.join(dir, 'model'));
    else writeJsonAtomic(path.join(dir, 'model', 'model.json'), run.model.toJSON());
    saveProbabilities(dir, 'validation', run.validation);
    saveProbabilities(dir, 'test', run.test);
    // JSON has no NaN: the GBM's history has no training loss
    const history = run.history.map((h) => ({ ...h, trainLoss: Number.isFinite(h.trainLoss) ? h.trainLoss : null }));
    writeJsonAtomic(path.join(dir, 'run.json'), {
      baseline: a.baseline, hyper: point, extraFeatures: a.extraFeatures, standardiser: run.standardiser, classWeights: run.classWeights,
      history, bestEpoch: run.bestEpoch, stoppedEarly: run.stoppedEarly, trainWindows: run.trainWindows,
      trainClassCounts: run.trainClassCounts, seconds: run.seconds, seedLabel,
    });
    const chooser = a.params.selection === 'paper-test-set' ? test : validation;
    if (!chooser) throw new Error(`baselineObjective(${a.baseline}): the ${a.params.selection === 'paper-test-set' ? 'test' : 'validation'} part of ${a.datasetDir} is empty`);
    return {
      loss: -chooser[a.params.objective], status: 'ok', validation, test, history, bestEpoch: run.bestEpoch,
      stoppedEarly: run.stoppedEarly, trainWindows: run.trainWindows, seconds: run.seconds,
    };
  } finally {
    if (run.model instanceof tf.LayersModel) run.model.dispose();
  }
}

/** Threads of each tree fit of a search: the search's trial processes (its workers) share the tree threads. */
export function baselineTreeThreads(o: Pick<ExperimentOptions, 'inProcess' | 'workers' | 'profile'>): number {
  return defaultTreeThreads(o.inProcess ? 1 : Math.max(1, Math.floor(o.workers ?? o.profile.workers)), o.profile);
}

/** Folder of one baseline result (beside SafeNet's .../safenet/dsNN). */
export function baselineResultDir(name: BaselineName, spec: ExperimentSpec, root = paths.results): string {
  return path.join(root, spec.source, `${spec.protocol}-${spec.selection}`, name.toLowerCase(), `ds${String(spec.datasetId).padStart(2, '0')}`);
}

export interface BaselineResult extends ExperimentResult {
  name: BaselineName;
  config: ResultConfig & { method: BaselineName; extraFeatures: ExtraFeatures };
}

/** Run (or reuse) one baseline's experiment, as runExperiment does SafeNet's (lib/experiments/run.ts). */
export async function runBaselineExperiment(
  name: BaselineName, spec: ExperimentSpec, o: ExperimentOptions & { extraFeatures?: ExtraFeatures },
): Promise<BaselineResult> {
  if (!BASELINE_NAMES.includes(name)) throw new Error(`runBaselineExperiment: unknown baseline '${name}'; known: ${BASELINE_NAMES.join(', ')}`);
  const extraFeatures = o.extraFeatures ?? EXTRA_FEATURES_DEFAULT;
  const r = await runTunedExperiment(spec, o, {
    caller: 'runBaselineExperiment', dir: baselineResultDir(name, spec, o.root), labelPart: name, codeFiles: BASELINE_CODE_FILES,
    space: (_T, size, epochCap) => baselineSpace(name, size, epochCap),
    hashConfig: { baseline: name, extraFeatures },
    objective: (common) => {
      const args: BaselineObjectiveArgs = { baseline: name, ...common, extraFeatures, treeThreads: baselineTreeThreads(o) };
      return { module: 'lib/models/baseline-experiment.ts', exportName: 'baselineObjective', args };
    },
    bootstrapSeedSuffix: `/${name}`,
    resultConfig: { method: name, extraFeatures },
  });
  return { name, ...r, config: r.config as BaselineResult['config'] };
}

/** Table 2 rows of baseline results: method = the baseline, the paper's row of that method beside ours. */
export function baselineTable2Rows(results: BaselineResult[], paper: PaperRow[] = readPaperTable2()): Table2Row[] {
  return results.map((r) => {
    const [row] = table2Rows([r], paper);
    const pr = paperRow(paper, r.name, r.spec.datasetId);
    const pv = (m: (typeof TABLE2_METRICS)[number]): number | null =>
      !pr ? null : m === 'mcc' ? pr.mcc : m === 'f1' ? pr.f1 : m === 'accuracy' ? pr.accuracy : pr.auc[Number(m.slice(3))];
    for (const m of TABLE2_METRICS) {
      const c = row.cells[m];
      c.paper = pv(m);
      c.diff = c.ours !== null && c.paper !== null ? c.ours - c.paper : null;
    }
    return { ...row, method: r.name };
  });
}
