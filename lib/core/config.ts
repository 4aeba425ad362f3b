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
   * parallel) under 3 minutes; default's 18 results well inside `make reproduce`'s 45 minutes (3,000 windows x
   * 6 epochs x 4 trials per dataset, two trials at a time).
   */
  training: { epochs: number; maxTrainWindows: number | null; tpeEvaluations: number };
  /** Worker processes for day-parallel work (simulation, dataset building). */
  workers: number;
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
  },
  default: {
    name: 'default',
    description: 'Embedded default: about one year (2015-06-01..2016-05-31, both case studies inside), all 17 datasets',
    from: '2015-06-01',
    to: '2016-05-31',
    extraDays: CASE_DAYS,
    maxEvents: null,
    datasets: ALL_DATASETS,
    training: { epochs: 6, maxTrainWindows: 3000, tpeEvaluations: 4 },
    workers: 2,
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
