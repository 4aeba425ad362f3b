// Protocol optimism of the model audit (issue 15; serves the reading of paper sections 3.2 and 4): the paper's code
// chose hyperparameters and the kept model by F1 on the test set; ours chooses on the validation part. Every trial
// of a search records (and saves the probabilities of) both parts (lib/experiments/objective.ts), so both choices
// are read from ONE search's trials - exactly "the same search" - and their test scores compared: the gap in F1
// (Table 2's micro F1), in MCC and in the search's objective (macro F1: never negative, as the test-chosen trial
// maximises it), test-chosen minus validation-chosen, with a paired bootstrap over test events.
import * as fs from 'fs';
import * as path from 'path';
import { rel } from '../core/paths';
import { argmaxRows, metricsFromConfusion } from '../evaluation/metrics';
import { loadProbabilities, trialDir } from '../experiments/objective';
import { readTrials, TrialRecord } from '../tuning/trials';
import type { OptimismEntry } from './model-audit-types';
import { eventBootstrap } from './model-scores';

type PartScoresLike = Record<string, number>;

/** A trial's score of a part under the search's objective (e.g. f1_macro); null when absent. */
function partScore(t: TrialRecord, part: 'validation' | 'test', objective: string): number | null {
  const p = t.result?.[part] as PartScoresLike | null | undefined;
  const v = p?.[objective];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The trial with the largest score on a part (ties: the earliest trial, as the search's best); null if none. */
export function chooseTrial(trials: TrialRecord[], part: 'validation' | 'test', objective: string): TrialRecord | null {
  let best: TrialRecord | null = null, bestScore = -Infinity;
  for (const t of trials) {
    if (t.status !== 'ok') continue;
    const s = partScore(t, part, objective);
    if (s !== null && s > bestScore) {
      best = t;
      bestScore = s;
    }
  }
  return best;
}

/** Weighted K-class confusion matrix (rows true, columns predicted). */
function confusion(y: ArrayLike<number>, pred: ArrayLike<number>, w: ArrayLike<number>, K: number): number[][] {
  const cm = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < y.length; i++) if (w[i] > 0) cm[y[i]][pred[i]] += w[i];
  return cm;
}

/**
 * The gap between two models' test predictions on the same windows (b minus a) in micro F1, MCC and macro F1, with a paired
 * percentile bootstrap over events (each replicate scores both models on the same resampled windows).
 */
export function pairedGap(
  y: ArrayLike<number>, predA: ArrayLike<number>, predB: ArrayLike<number>, events: ArrayLike<string | number>, K: number,
  o: { replicates: number; level: number; seed: string },
) {
  const iv = eventBootstrap(events, (w) => {
    const a = metricsFromConfusion(confusion(y, predA, w, K)), b = metricsFromConfusion(confusion(y, predB, w, K));
    return {
      f1: b.f1_micro - a.f1_micro, mcc: b.mcc - a.mcc, f1Macro: b.f1_macro - a.f1_macro,
      f1A: a.f1_micro, f1B: b.f1_micro, mccA: a.mcc, mccB: b.mcc,
    };
  }, o);
  return iv;
}

/**
 * Optimism of one search (a result folder of lib/experiments: trials.jsonl and trials/tNNNN/{validation,test}.*):
 * the trial chosen by the objective on the validation part and the one chosen on the test part, their test scores
 * and the paired gap. Labels of the dataset windows and each test window's event id are given by the caller.
 */
export function optimismOfSearch(
  resultDir: string, labels: Uint8Array, eventOfRow: (row: number) => string, model: string, protocol: 'paper' | 'controlled',
  o: { objective: string; replicates: number; level: number; seed: string; run: 'signal' | 'null'; K?: number },
): OptimismEntry {
  const K = o.K ?? 3;
  const file = path.join(resultDir, 'trials.jsonl');
  if (!fs.existsSync(file)) throw new Error(`optimism: ${rel(file)} is missing (run the experiment first)`);
  const trials = readTrials(file).trials;
  const v = chooseTrial(trials, 'validation', o.objective), t = chooseTrial(trials, 'test', o.objective);
  if (!v) throw new Error(`optimism: no trial of ${rel(file)} has a validation score for '${o.objective}' (the dataset has no validation part?)`);
  if (!t) throw new Error(`optimism: no trial of ${rel(file)} has a test score for '${o.objective}'`);
  const pv = loadProbabilities(trialDir(path.join(resultDir, 'trials'), v.tid), 'test', labels);
  const pt = loadProbabilities(trialDir(path.join(resultDir, 'trials'), t.tid), 'test', labels);
  if (pv.rows.length !== pt.rows.length || pv.rows.some((r, i) => r !== pt.rows[i])) {
    throw new Error(`optimism: trials ${v.tid} and ${t.tid} of ${rel(resultDir)} scored different test windows`);
  }
  const predV = argmaxRows(pv.probs, K), predT = argmaxRows(pt.probs, K);
  const events = Array.from(pv.rows, eventOfRow);
  const g = pairedGap(pv.labels, predV, predT, events, K, o);
  if (!g.f1 || !g.mcc || !g.f1Macro || !g.f1A || !g.f1B || !g.mccA || !g.mccB) throw new Error(`optimism: ${rel(resultDir)} has no test windows to score`);
  return {
    model, protocol, run: o.run, source: 'one-search', trials: trials.filter((x) => x.status === 'ok').length,
    chosenOnValidation: { tid: v.tid, testF1: g.f1A.estimate, testMcc: g.mccA.estimate },
    chosenOnTest: { tid: t.tid, testF1: g.f1B.estimate, testMcc: g.mccB.estimate },
    gapF1: g.f1, gapMcc: g.mcc, gapObjective: g.f1Macro,
  };
}
