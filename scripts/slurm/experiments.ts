// CLI: the experiment stage (paper section 4, Table 2) with each experiment of the plan as one task of a Slurm
// job array (lib/executor/experiments.ts); results land in the same build/results folders as
// `npm run experiments`, then Table 2 is gathered here. Cluster settings: SAFENET_SLURM_* (lib/core/config.ts).
// Usage: npx tsx scripts/slurm/experiments.ts [--profile smoke|default|paper] [--source simulated|real] [--ids 3,7]
//          [--no-controlled] [--workers N] [--local-datasets]
//   --local-datasets  build the datasets here (one streaming pass) instead of one job per dataset
import { commonArgs, parseCommonArg } from '../../lib/core/cli';
import { executorSettings } from '../../lib/core/config';
import { selectBackend } from '../../lib/backend/backend';
import { runExperimentsOnSlurm } from '../../lib/executor/experiments';

function usage(msg: string): never {
  console.error(`slurm experiments: ${msg}\nusage: scripts/slurm/experiments.ts [--profile smoke|default|paper] [--source simulated|real] [--ids 3,7] [--no-controlled] [--workers N] [--local-datasets]`);
  process.exit(2);
}

async function main() {
  const argv = process.argv.slice(2);
  const common = commonArgs();
  let controlled = true;
  let workers: number | undefined;
  let localDatasets = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? usage(`${a} needs a value`);
    if (parseCommonArg(a, val, common, usage)) continue;
    if (a === '--no-controlled') controlled = false;
    else if (a === '--local-datasets') localDatasets = true;
    else if (a === '--workers') {
      workers = Number(val());
      if (!Number.isInteger(workers) || workers < 1) usage('--workers must be a positive integer');
    } else usage(`unknown argument '${a}'`);
  }
  const { profile, source, ids } = common;
  const settings = { ...executorSettings(), executor: 'slurm' as const };
  await selectBackend();
  const s = await runExperimentsOnSlurm(settings, profile, { source, ids, controlled, workers, localDatasets });
  console.log(`slurm experiments (${profile.name}): ${s.results.length} results (${s.rebuilt} built by this gather), ${s.skipped.length} skipped; ` +
    `datasets and experiments as jobs ${s.slurmSeconds.toFixed(0)} s, then the local gather ${s.seconds.toFixed(0)} s; Table 2 in ${s.files.json}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
