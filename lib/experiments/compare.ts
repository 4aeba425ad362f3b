// Random search beside TPE (paper section 3.2 says TPE "can be expected to perform better with fewer iterations
// than the random or grid searches"): the same space, budget, objective and dataset as a result's TPE search,
// with hyperopt's rand.suggest, written to <result>/random-search/trials.jsonl (resumed, so reused when done).
// Its trials feed the TPE trace figure; the result's model is not affected.
import * as fs from 'fs';
import * as path from 'path';
import { Profile, SEEDS } from '../core/config';
import { paths } from '../core/paths';
import { runSearch } from '../tuning/search';
import { readTrials, TrialRecord } from '../tuning/trials';
import { SafeNetObjectiveArgs } from './objective';
import { ExperimentResult } from './run';
import { safenetSpace } from './space';

export function randomSearchDir(r: ExperimentResult): string {
  return path.join(r.dir, 'random-search');
}

/** Run (or resume) the random search beside a result's TPE search; returns both trial lists. */
export async function randomBesideTpe(
  r: ExperimentResult, profile: Profile, o: { workers?: number; inProcess?: boolean; log?: (l: string) => void } = {},
): Promise<{ tpe: TrialRecord[]; random: TrialRecord[] }> {
  const T = r.config.dataset.shape[1];
  const space = safenetSpace(T, r.config.space.size, r.config.budget.epochs);
  const dir = randomSearchDir(r);
  const args: SafeNetObjectiveArgs = {
    datasetDir: path.resolve(paths.root, r.config.dataset.dir),
    trialsDir: path.join(dir, 'trials'), maxTrainWindows: r.config.budget.maxTrainWindows, params: r.config.params,
    seedLabel: `${r.config.seeds.seedLabel.split('/seed-')[0]}/random`,
  };
  const search = await runSearch({
    space, objective: { module: 'lib/experiments/objective.ts', exportName: 'safenetObjective', args },
    maxEvals: r.config.budget.tpeEvaluations, algo: 'random', seed: SEEDS.tpe, trialsPath: path.join(dir, 'trials.jsonl'),
    workers: o.workers ?? profile.workers, inProcess: o.inProcess, log: o.log,
  });
  const tpeFile = path.join(r.dir, 'trials.jsonl');
  const tpe = fs.existsSync(tpeFile) ? readTrials(tpeFile).trials : [];
  return { tpe, random: search.trials };
}
