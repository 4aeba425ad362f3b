// The shape of build/results/audit/model-audit.json, written by the model audit of issue 15 (lib/audit/model-audit.ts)
// and read by the report (build/report.html) and notebook 08-audit. It serves the reading of paper section 4's
// scores: can the models tell an injected precursor from an artefact of the dataset construction?
// The report needs only `summary` (titles, plain sentences with intervals, table rows); the other fields hold the
// raw numbers behind it. Nothing in the file depends on the clock: the same code, data and seeds give the same bytes.

/** A point estimate with its percentile bootstrap interval over events (lib/evaluation/bootstrap.ts). */
export interface IntervalValue {
  estimate: number;
  lo: number;
  hi: number;
}

/** One section of the report's audit part: a title, plain-word sentences (each number with its interval), a table. */
export interface SummarySection {
  title: string;
  sentences: string[];
  rows: Record<string, string | number | null>[];
}

/** Section titles the report can count on (others may follow). */
export const SUMMARY_TITLES = [
  'Null audit (paper protocol)',
  'Null audit (controlled protocol)',
  'Injection recovery',
  'Protocol optimism',
  'Per-earthquake view',
] as const;

/** Class 1 vs class 0 of one model's test predictions: windows of class 2 left out; score = p1 / (p0 + p1). */
export interface SeparationScores {
  windows: number;
  events: number;
  auc: IntervalValue | null;
  mcc: IntervalValue | null;
  /** The interval of the AUC excludes 0.5 (or that of the MCC excludes 0): the classes are told apart. */
  separable: boolean;
}

/** Where a model separates class 1 from 0: the AUC of its class-1 score inside strata of a nuisance feature. */
export interface StratumAuc {
  feature: 'latitude band' | 'local time' | 'season' | 'Kp';
  stratum: string;
  windows: number;
  auc: IntervalValue | null;
}

export interface NullAuditEntry {
  model: string;
  protocol: 'paper' | 'controlled';
  /** Result folder of the model's experiment on the null run (relative to build/results). */
  resultDir: string;
  testMcc3: number;
  separation: SeparationScores;
  /** Per-stratum AUCs (only computed when separable). */
  strata: StratumAuc[];
  /** The nuisance feature whose removal takes the AUC furthest back towards 0.5 (null when not separable, or when
   * none takes away at least half of the AUC's excess over 0.5). */
  explainedBy: string | null;
  /** The feature whose removal takes the AUC furthest back towards 0.5, and the share of the AUC's excess over 0.5
   * its removal takes away (null when not separable). */
  largestShare: { feature: string; share: number } | null;
  /** AUC of the model's class-1 score once each stratum's mean score is subtracted (per feature, and all four
   * together by least squares on the strata indicators): what is left when that feature cannot help. */
  residualAuc: { feature: string; auc: IntervalValue | null }[];
  /** How the model was chosen: 'validation', or 'paper-test-set' where the dataset has no validation part. */
  selection: string;
}

export interface RecoveryPoint {
  /** Injected amplitude relative to the simulator's (0 = the null run, 1 = the signal run). */
  amplitude: number;
  /** Class-1 recall, AUC and MCC (class 1 vs 0) of SafeNet's test predictions. */
  recall: IntervalValue | null;
  auc: IntervalValue | null;
  mcc: IntervalValue | null;
  /** The same, for class-1 windows holding a packet vs class 0, and class-1 windows without a packet vs class 0. */
  withPacket: { windows: number; recall: IntervalValue | null; auc: IntervalValue | null };
  withoutPacket: { windows: number; recall: IntervalValue | null; auc: IntervalValue | null };
  /** Precursor ceiling: a perfect packet detector on the same test windows (class 1 vs 0). */
  ceiling: { mcc: number | null; recall: number | null; packetShareClass1: number | null };
  testWindows: number;
}

export interface RecoveryResult {
  protocol: 'controlled';
  dataset: number;
  /** The hyperparameters used at every amplitude (DataSet 03's tuned configuration; no new search). */
  configFrom: string;
  hyper: unknown;
  /** What was simulated: the null run's days re-injected at each amplitude (see simulated.note). */
  simulated: { days: number; firstDay: string | null; lastDay: string | null; packets: number[]; note: string };
  points: RecoveryPoint[];
}

export interface OptimismEntry {
  model: string;
  protocol: 'paper' | 'controlled';
  /** Which simulated run the search's dataset comes from: the signal run (Table 2's searches) or the null run. */
  run: 'signal' | 'null';
  /** How the two choices were made: 'one-search' (both read from one search's trials) or 'two-searches'. */
  source: 'one-search' | 'two-searches';
  trials: number;
  chosenOnValidation: { tid: number; testF1: number; testMcc: number };
  chosenOnTest: { tid: number; testF1: number; testMcc: number };
  /** Test score of the test-chosen model minus that of the validation-chosen one, paired bootstrap over events. */
  gapF1: IntervalValue;
  gapMcc: IntervalValue;
  /** The same gap in the search's objective (macro F1), by which both trials were chosen: never negative. */
  gapObjective: IntervalValue;
}

export interface PerEventRow {
  eventId: string;
  seismic: boolean;
  label: number;
  magnitude: number | null;
  /** Mean great-circle distance (km) of the event's windows from its epicentre. */
  distanceKm: number | null;
  /** Mean Kp over the event's windows. */
  kp: number | null;
  windows: number;
  /** Share of the event's windows predicted class 1. */
  detectionRate: number;
}

export interface PerEventResult {
  protocol: 'paper' | 'controlled';
  dataset: number;
  model: string;
  events: PerEventRow[];
  /** Detection rate of earthquakes by bin of magnitude, distance and Kp, with bootstrap intervals over events. */
  bins: { by: 'magnitude' | 'distance' | 'Kp'; bin: string; events: number; rate: IntervalValue | null }[];
  /** Every Table 2 number of our rows with its interval (filled where table2.json has none). */
  table2Intervals: { method: string; protocol: string; dataset: number; metric: string; estimate: number | null; lo: number | null; hi: number | null; source: 'table2.json' | 'computed' }[];
}

export interface ModelAuditFile {
  kind: 'safenet-model-audit';
  version: 1;
  profile: string;
  seeds: Record<string, number | string>;
  budget: Record<string, unknown>;
  bootstrap: { replicates: number; level: number };
  nullAudit: NullAuditEntry[];
  recovery: RecoveryResult | null;
  optimism: OptimismEntry[];
  perEvent: PerEventResult | null;
  /** Parts that could not run (e.g. a dataset part missing on the smoke profile), with the reason. */
  skipped: { part: string; reason: string }[];
  summary: SummarySection[];
}
