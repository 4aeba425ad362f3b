// What the experiment stage runs for a profile (paper section 4, Table 2): SafeNet on each of the profile's
// Table 1 datasets under the paper's dataset protocol, and on DataSet 03 under the controlled protocol (the
// shortcut audit's leak controls on), models chosen on the validation part; then Table 2. The only place that
// knows the whole plan; scripts/experiments.ts, `make reproduce` and notebook 06 call runExperiments.
import { Profile } from '../core/config';
import { ensureDatasets, EnsureOptions } from '../datasets/cache';
import * as datasetParams from '../datasets/params';
import { paths, rel } from '../core/paths';
import { SwarmSource } from '../swarm/types';
import type { TrialRecord } from '../tuning/trials';
import { randomBesideTpe } from './compare';
import { Selection } from './params';
import { NotRunnableError, ExperimentOptions, ExperimentResult, ExperimentSpec, runExperiment } from './run';
import { table2Rows, Table2Row, writeTable2 } from './table2';

export interface PlanOptions {
  source?: SwarmSource;
  /** Include the controlled-protocol DataSet 03 row (default true when the profile has DataSet 03). */
  controlled?: boolean;
  /** Also choose DataSet 03's model the paper's way (by test F1), for the audit of that protocol. */
  paperSelection?: boolean;
  /** Only these datasets (default: the profile's). */
  ids?: number[];
  /** Run a random search beside DataSet 03's TPE search, same budget (default true): the TPE trace figure. */
  randomComparison?: boolean;
}

export function experimentPlan(profile: Profile, o: PlanOptions = {}): ExperimentSpec[] {
  const source = o.source ?? 'simulated';
  const ids = o.ids ?? profile.datasets;
  const sel: Selection = 'validation';
  const specs: ExperimentSpec[] = ids.map((id) => ({ source, protocol: 'paper', selection: sel, datasetId: id }));
  if ((o.controlled ?? true) && ids.includes(3)) specs.push({ source, protocol: 'controlled', selection: sel, datasetId: 3 });
  if (o.paperSelection && ids.includes(3)) specs.push({ source, protocol: 'paper', selection: 'paper-test-set', datasetId: 3 });
  return specs;
}

export interface ExperimentsSummary {
  profile: string;
  results: ExperimentResult[];
  /** Experiments that could not run because their dataset lacks a part (e.g. the smoke period is too short). */
  skipped: { spec: ExperimentSpec; reason: string }[];
  table2: Table2Row[];
  files: { json: string; csv: string };
  /** DataSet 03's TPE trials and the random search beside them (null when not run). */
  searches: { dataset: number; tpe: TrialRecord[]; random: TrialRecord[] } | null;
  seconds: number;
  rebuilt: number;
}

/** Run (or reuse) every experiment of the plan, then write Table 2. */
export async function runExperiments(profile: Profile, o: PlanOptions & Omit<ExperimentOptions, 'profile'> = {}): Promise<ExperimentsSummary> {
  const t0 = Date.now();
  const log = o.log ?? ((l: string) => console.log(l));
  const specs = experimentPlan(profile, o);
  log(`experiments (${profile.name}): ${specs.length} SafeNet results, budget ${JSON.stringify(profile.training)}`);
  const results: ExperimentResult[] = [];
  const skipped: { spec: ExperimentSpec; reason: string }[] = [];
  // bring the datasets of each protocol up to date in one streaming pass over the store (the per-experiment
  // calls then find them current)
  for (const protocol of [...new Set(specs.map((s) => s.protocol))]) {
    const ids = [...new Set(specs.filter((s) => s.protocol === protocol).map((s) => s.datasetId))];
    const known = (datasetParams as unknown as { PROTOCOLS?: string[] }).PROTOCOLS ?? ['paper'];
    if (!known.includes(protocol)) continue;
    await ensureDatasets({
      source: specs[0].source, profile, ids, root: o.datasetsRoot, log: (l: string) => log(`  ${l}`),
      ...(protocol === 'paper' ? {} : { protocol }),
    } as EnsureOptions);
  }
  for (const spec of specs) {
    try {
      results.push(await runExperiment(spec, { ...o, profile }));
    } catch (e) {
      if (!(e instanceof NotRunnableError)) throw e;
      log(`skipped: ${e.message}`);
      skipped.push({ spec, reason: e.message });
    }
  }
  let searches: ExperimentsSummary['searches'] = null;
  const d3 = results.find((r) => r.spec.datasetId === 3 && r.spec.protocol === 'paper' && r.spec.selection === 'validation');
  if (d3 && (o.randomComparison ?? true)) {
    log('DataSet 03: random search beside TPE (same space and budget)');
    searches = { dataset: 3, ...(await randomBesideTpe(d3, profile, { workers: o.workers, inProcess: o.inProcess, log: (l) => log(`  ${l}`) })) };
  }
  const rows = table2Rows(results);
  const files = writeTable2(rows, profile.name, o.root ?? paths.results, skipped);
  const seconds = (Date.now() - t0) / 1000;
  const rebuilt = results.filter((r) => !r.reused).length;
  log(`experiments (${profile.name}): ${rebuilt} built, ${results.length - rebuilt} reused in ${seconds.toFixed(0)} s; Table 2 in ${rel(files.json)} and ${rel(files.csv)}`);
  return { profile: profile.name, results, skipped, table2: rows, files, searches, seconds, rebuilt };
}
