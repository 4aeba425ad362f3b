// The one configuration file: the three run profiles (smoke, default, paper) and the named seeds.
// Stage-specific assumptions the paper leaves open live beside each stage as named parameters
// (lib/<stage>/params.ts), each with its reason; a profile may override them here.
// Serves the whole pipeline (paper sections 2.3, 3, 4).

export type ProfileName = 'smoke' | 'default' | 'paper';

/** Named seeds: every random draw in the package comes from one of these (lib/core/random.ts). */
export const SEEDS = {
  /** Simulated Swarm A background, gaps and injected precursors (lib/simulation). */
  simulator: 20140401,
  /** Artificial non-seismic events (paper section 2.3). */
  nonSeismicEvents: 9017,
  /** Null simulation (no injected signal) for the leakage audit: the signal run's seed, so that the null and signal
   * runs differ only inside the ground-truth spans (the injected packets; test/simulation.test.ts checks the bytes). */
  nullSimulation: 20140401,
  /** Weight initialisation and batch shuffling in training. */
  training: 5033,
  /** Tree-structured Parzen estimator hyperparameter search. */
  tpe: 100,
  /** Bootstrap confidence intervals of the metrics (lib/evaluation/bootstrap.ts). */
  bootstrap: 2021,
  /** Benchmarks (random windows). */
  bench: 42,
  /** Tests that need randomness. */
  test: 7,
} as const;
export type SeedName = keyof typeof SEEDS;

export interface Profile {
  name: ProfileName;
  description: string;
  /** Period of Swarm A data used (UTC dates, inclusive). */
  from: string;
  to: string;
  /** Extra single days always simulated/loaded (the case-study days, paper section 2.2). */
  extraDays: string[];
  /** Cap on the number of catalog events that get windows (null: all); keeps smoke cheap. */
  maxEvents: number | null;
  /** Which Table 1 datasets are built (1..17). */
  datasets: number[];
  /**
   * Training budget of the experiments (lib/experiments): the epoch cap of each trial (early stopping on the
   * validation loss may stop sooner), a seeded subsample of at most maxTrainWindows training windows per trial
   * (null: all), and the TPE evaluations per dataset (the paper: 100). smoke and default are sized for 2 CPU cores
   * at ~1,000 windows/s: smoke's training stage (two TPE trials and two random-search trials, each pair in
   * parallel) under 3 minutes; default's 18 results inside `make reproduce`'s 45 minutes (2,000 windows x 5 epochs
   * x 4 trials per dataset, two trials at a time: measured 150-200 s a dataset at 3,000 x 6 on a lightly shared
   * 2-core machine, so about 1.5 min a dataset here, 25-30 min for the stage).
   */
  training: { epochs: number; maxTrainWindows: number | null; tpeEvaluations: number };
  /** Worker processes for day-parallel work (simulation, dataset building). */
  workers: number;
  /**
   * Budget of the model audit (issue 15, lib/audit/model-audit.ts, a step of `make reproduce`): the models trained on
   * the null run of DataSet 03 under both protocols (each a TPE search of nullEvaluations trials, the profile's epochs
   * and training windows), the injected amplitudes of the recovery curve (0 = null run, 1 = signal run; SafeNet of
   * DataSet 03's tuned configuration, one training each) and the bootstrap replicates of the audit's intervals.
   * Sized from times measured on 2 cores shared with another `make reproduce` (load 4-11, audit at nice 19): default,
   * wasm backend, from scratch 18 min (12 searches of 2 trials 12 min, SafeNet's pair 2 min, LSTM's 2.2 min; the null
   * DataSet 03 of each protocol 45-70 s, which notebook 03 would build anyway; three re-injected DataSet 03 about
   * 50-70 s each, one pass over the year); with the native cpu kernels the 12 searches took 3 min. Two trials per
   * search run as one parallel pair, so fewer would not be faster. smoke (21 days, 3 epochs): SafeNet and the two
   * tree models, three amplitudes: 44-114 s from scratch at load 7-11.
   */
  audit: { nullModels: string[]; nullEvaluations: number; amplitudes: number[]; bootstrapReplicates: number };
}

const CASE_DAYS = ['2016-02-15', '2016-04-07'];
const ALL_DATASETS = Array.from({ length: 17 }, (_, i) => i + 1);

export const PROFILES: Record<ProfileName, Profile> = {
  smoke: {
    name: 'smoke',
    description: 'CI profile: three weeks around the Sumatra case day, a few hundred events, tiny training',
    from: '2016-02-01',
    to: '2016-02-21',
    extraDays: CASE_DAYS,
    maxEvents: 400,
    datasets: [3],
    training: { epochs: 3, maxTrainWindows: 2000, tpeEvaluations: 2 },
    workers: 2,
    audit: { nullModels: ['SafeNet', 'GBM', 'RF'], nullEvaluations: 2, amplitudes: [0, 1, 4], bootstrapReplicates: 1000 },
  },
  default: {
    name: 'default',
    description: 'Embedded default: about one year (2015-06-01..2016-05-31, both case studies inside), all 17 datasets',
    from: '2015-06-01',
    to: '2016-05-31',
    extraDays: CASE_DAYS,
    maxEvents: null,
    datasets: ALL_DATASETS,
    training: { epochs: 5, maxTrainWindows: 2000, tpeEvaluations: 4 },
    workers: 2,
    audit: { nullModels: ['SafeNet', 'GBM', 'RF', 'DNN', 'CNN', 'LSTM'], nullEvaluations: 2, amplitudes: [0, 0.5, 1, 2, 4], bootstrapReplicates: 1000 },
  },
  paper: {
    name: 'paper',
    description: "The paper's period 2014-04-01..2020-04-30, all 17 datasets, 100 TPE evaluations",
    from: '2014-04-01',
    to: '2020-04-30',
    extraDays: CASE_DAYS,
    maxEvents: null,
    datasets: ALL_DATASETS,
    training: { epochs: 100, maxTrainWindows: null, tpeEvaluations: 100 },
    workers: 2,
    audit: { nullModels: ['SafeNet', 'GBM', 'RF', 'DNN', 'CNN', 'LSTM'], nullEvaluations: 100, amplitudes: [0, 0.25, 0.5, 1, 2, 4], bootstrapReplicates: 1000 },
  },
};

/** The active profile: SAFENET_PROFILE (set by `make reproduce PROFILE=...`), else 'default'. */
export function activeProfile(env: NodeJS.ProcessEnv = process.env): Profile {
  const name = (env.SAFENET_PROFILE ?? 'default') as ProfileName;
  const p = PROFILES[name];
  if (!p) {
    throw new Error(`SAFENET_PROFILE=${name} is not a profile; choose one of ${Object.keys(PROFILES).join(', ')}`);
  }
  return p;
}

/** All UTC days (YYYY-MM-DD) of a profile: its period plus its extra days, sorted, unique. */
export function profileDays(p: Profile): string[] {
  const days = new Set<string>();
  const start = Date.parse(p.from + 'T00:00:00Z');
  const end = Date.parse(p.to + 'T00:00:00Z');
  for (let t = start; t <= end; t += 86_400_000) days.add(new Date(t).toISOString().slice(0, 10));
  for (const d of p.extraDays) days.add(d);
  return [...days].sort();
}

/**
 * Where independent work runs (README, "Running on a Slurm cluster"): `local` (worker processes on this machine,
 * the default) or `slurm` (each trial, experiment or task a Slurm job running one CLI of the package on a shared
 * folder; lib/executor). One place for the cluster settings; each can be set in the environment (names beside).
 */
export interface ExecutorSettings {
  /** SAFENET_EXECUTOR: local | slurm. */
  executor: 'local' | 'slurm';
  /** SAFENET_SLURM_PARTITION, SAFENET_SLURM_ACCOUNT: sbatch --partition / --account (empty: the cluster's default). */
  partition: string;
  account: string;
  /** SAFENET_SLURM_TIME: sbatch --time per job (paper-profile SafeNet trials: hours on CPU). */
  time: string;
  /** SAFENET_SLURM_MEM: sbatch --mem per job (empty: the partition's default). */
  mem: string;
  /** SAFENET_SLURM_CPUS: sbatch --cpus-per-task. */
  cpusPerTask: number;
  /** SAFENET_SLURM_GPUS: sbatch --gpus per job (0: none; >0 for @tensorflow/tfjs-node-gpu on GPU nodes). */
  gpus: number;
  /** SAFENET_SLURM_SBATCH_ARGS: extra sbatch arguments, split on spaces (e.g. "--qos=long --constraint=avx2"). */
  extraArgs: string[];
  /** SAFENET_SLURM_IN_FLIGHT: trials of one search running at once (also the search's TPE lag; 0: the workers asked for). */
  inFlight: number;
  /** SAFENET_SLURM_RETRIES: resubmissions of a job that failed, timed out or was cancelled before it is recorded failed. */
  retries: number;
  /** SAFENET_SLURM_POLL_MS: how often the driver looks at its jobs. */
  pollMs: number;
  /** SAFENET_SLURM_DIR: shared folder for job scripts, requests, logs and results (empty: beside each search's trials file; build/slurm for other work). */
  sharedDir: string;
}

export const EXECUTOR_DEFAULTS: ExecutorSettings = {
  executor: 'local', partition: '', account: '', time: '04:00:00', mem: '', cpusPerTask: 1, gpus: 0, extraArgs: [],
  inFlight: 0, retries: 2, pollMs: 1000, sharedDir: '',
};

/** The executor settings: the defaults above, overridden by the SAFENET_EXECUTOR / SAFENET_SLURM_* environment. */
export function executorSettings(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const s: ExecutorSettings = { ...EXECUTOR_DEFAULTS, extraArgs: [...EXECUTOR_DEFAULTS.extraArgs] };
  const int = (name: string, min: number): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${v}: an integer >= ${min} is needed`);
    return n;
  };
  const ex = env.SAFENET_EXECUTOR;
  if (ex !== undefined && ex !== '') {
    if (ex !== 'local' && ex !== 'slurm') throw new Error(`SAFENET_EXECUTOR=${ex}: choose local or slurm`);
    s.executor = ex;
  }
  s.partition = env.SAFENET_SLURM_PARTITION ?? s.partition;
  s.account = env.SAFENET_SLURM_ACCOUNT ?? s.account;
  s.time = env.SAFENET_SLURM_TIME || s.time;
  s.mem = env.SAFENET_SLURM_MEM ?? s.mem;
  s.cpusPerTask = int('SAFENET_SLURM_CPUS', 1) ?? s.cpusPerTask;
  s.gpus = int('SAFENET_SLURM_GPUS', 0) ?? s.gpus;
  if (env.SAFENET_SLURM_SBATCH_ARGS) s.extraArgs = env.SAFENET_SLURM_SBATCH_ARGS.split(/\s+/).filter((a) => a !== '');
  s.inFlight = int('SAFENET_SLURM_IN_FLIGHT', 0) ?? s.inFlight;
  s.retries = int('SAFENET_SLURM_RETRIES', 0) ?? s.retries;
  s.pollMs = int('SAFENET_SLURM_POLL_MS', 50) ?? s.pollMs;
  s.sharedDir = env.SAFENET_SLURM_DIR ?? s.sharedDir;
  return s;
}
