// The experiment stage (paper section 4, Table 2) on a Slurm cluster: the profile's datasets are brought up to
// date first (section 3.1, Table 1: one job array task per dataset and protocol, each running
// scripts/build-datasets.ts on its own cache folder; or locally, one streaming pass), then each experiment of the
// plan (model x dataset x protocol) is one task of a job array running `scripts/slurm/job.ts experiment`, which
// calls lib/experiments' runExperiment exactly as the local stage does, its trials in worker processes inside
// the job; the results land in the same build/results folders. Finally the local runExperiments finds them up
// to date (reused, not rerun), runs DataSet 03's random search beside TPE and writes Table 2, so a notebook
// cannot tell which executor made them.
import * as fs from 'fs';
import * as path from 'path';
import { activeProfile, ExecutorSettings, PROFILES, Profile, ProfileName } from '../core/config';
import { writeJsonAtomic } from '../core/atomic';
import { ensureDatasets, EnsureOptions } from '../datasets/cache';
import * as datasetParams from '../datasets/params';
import { experimentPlan, ExperimentsSummary, PlanOptions, runExperiments } from '../experiments/plan';
import { ExperimentSpec, NotRunnableError, runExperiment } from '../experiments/run';
import { readJson } from './job';
import { runArray } from './array';
import { defaultSharedDir, describeSettings } from './slurm';

interface ExperimentJobFile {
  type: 'experiment-job';
  profile: ProfileName;
  spec: ExperimentSpec;
  workers?: number;
}

/** Job side: one experiment of the plan (a dataset without the parts it needs is reported, not an error). */
export async function runExperimentJob(file: string): Promise<void> {
  const j = readJson<ExperimentJobFile>(file, 'experiment job');
  if (j.type !== 'experiment-job' || !PROFILES[j.profile]) throw new Error(`${file}: fields type 'experiment-job' and profile (${Object.keys(PROFILES).join('|')}) are needed`);
  try {
    await runExperiment(j.spec, { profile: PROFILES[j.profile], workers: j.workers });
  } catch (e) {
    if (!(e instanceof NotRunnableError)) throw e;
    console.log(`skipped: ${e.message}`);
  }
}

/** The datasets (by protocol) that the experiments of a plan need. */
function datasetsOf(specs: ExperimentSpec[]): { protocol: string; ids: number[] }[] {
  const known = (datasetParams as unknown as { PROTOCOLS?: string[] }).PROTOCOLS ?? ['paper'];
  return [...new Set(specs.map((s) => s.protocol))].filter((p) => known.includes(p))
    .map((protocol) => ({ protocol, ids: [...new Set(specs.filter((s) => s.protocol === protocol).map((s) => s.datasetId))] }));
}

/** Build (or reuse) datasets as a job array: one task per dataset and protocol (each its own cache folder). */
export async function buildDatasetsOnSlurm(
  settings: ExecutorSettings, profile: Profile, want: { protocol: string; ids: number[] }[], source: string, log: (l: string) => void,
): Promise<void> {
  const tasks = want.flatMap((w) => w.ids.map((id) => ({
    name: `${w.protocol}/ds${id}`,
    argv: ['scripts/build-datasets.ts', '--profile', profile.name, '--source', source, '--ids', String(id), '--protocol', w.protocol],
    env: { SAFENET_EXECUTOR: 'local' },
  })));
  if (tasks.length === 0) return;
  const arr = await runArray(tasks, { settings, dir: path.join(defaultSharedDir(settings), `datasets-${profile.name}`), name: `datasets-${profile.name}`, log });
  if (arr.failed.length) throw new Error(`slurm: ${arr.failed.length} dataset build job(s) failed for good:\n` + arr.failed.map((f) => `  ${f.name}: ${f.reasons.join(' | ')}`).join('\n'));
  log(`slurm: ${tasks.length} dataset builds done in ${arr.seconds.toFixed(0)} s (job arrays ${arr.jobIds.join(', ')})`);
}

/** Run the profile's experiments as a Slurm job array (datasets first, as another array unless localDatasets), then gather Table 2 locally. */
export async function runExperimentsOnSlurm(
  settings: ExecutorSettings, profile: Profile = activeProfile(),
  o: PlanOptions & { workers?: number; localDatasets?: boolean; log?: (l: string) => void } = {},
): Promise<ExperimentsSummary & { slurmSeconds: number }> {
  const log = o.log ?? ((l: string) => console.log(l));
  log(describeSettings(settings));
  const specs = experimentPlan(profile, o);
  const t0 = Date.now();
  if (o.localDatasets) {
    for (const w of datasetsOf(specs)) {
      await ensureDatasets({ source: specs[0].source, profile, ids: w.ids, log: (l: string) => log(`  ${l}`), ...(w.protocol === 'paper' ? {} : { protocol: w.protocol }) } as EnsureOptions);
    }
  } else await buildDatasetsOnSlurm(settings, profile, datasetsOf(specs), specs[0]?.source ?? 'simulated', log);
  const dir = path.join(defaultSharedDir(settings), `experiments-${profile.name}`);
  fs.mkdirSync(dir, { recursive: true });
  const tasks = specs.map((spec, i) => {
    const f = path.join(dir, `experiment-${i}.json`);
    writeJsonAtomic(f, { type: 'experiment-job', profile: profile.name, spec, workers: o.workers } satisfies ExperimentJobFile);
    // inside the job the trials run in worker processes (a job does not submit jobs)
    return { name: `${spec.source}/${spec.protocol}-${spec.selection}/ds${spec.datasetId}`, argv: ['scripts/slurm/job.ts', 'experiment', f], env: { SAFENET_EXECUTOR: 'local' } };
  });
  const arr = await runArray(tasks, { settings, dir, name: `experiments-${profile.name}`, log });
  if (arr.failed.length) {
    throw new Error(`slurm: ${arr.failed.length} experiment job(s) failed for good:\n` + arr.failed.map((f) => `  ${f.name}: ${f.reasons.join(' | ')}`).join('\n'));
  }
  log(`slurm: ${tasks.length} experiments done in ${arr.seconds.toFixed(0)} s (job arrays ${arr.jobIds.join(', ')}); gathering Table 2`);
  const summary = await runExperiments(profile, { ...o, log });
  return { ...summary, slurmSeconds: (Date.now() - t0) / 1000 - summary.seconds };
}
