// CLI that a Slurm job runs (lib/executor): `trial <request.json>` runs one trial of a search and writes its
// result file; `experiment <spec.json>` runs (or reuses) one experiment of the plan (paper section 4);
// `task <tasks.json>` runs the task SLURM_ARRAY_TASK_ID (or --index N) of a job array's list.
// each command loads only its own modules (a trial job should not pay for the experiment stage's imports)

function usage(msg: string): never {
  console.error(`slurm job: ${msg}\nusage: job.ts trial <request.json> | experiment <spec.json> | task <tasks.json> [--index N]`);
  process.exit(2);
}

async function main() {
  const [cmd, file, ...rest] = process.argv.slice(2);
  if (!file) usage('a command and its file are needed');
  if (cmd === 'trial') {
    const { runTrialJob } = require('../../lib/executor/job') as typeof import('../../lib/executor/job');
    const r = await runTrialJob(file);
    console.log(`trial ${r.tid}: ${'result' in r.outcome ? `loss ${r.outcome.result.loss}` : 'objective failed'} in ${r.seconds.toFixed(1)} s`);
  } else if (cmd === 'experiment') {
    const { runExperimentJob } = require('../../lib/executor/experiments') as typeof import('../../lib/executor/experiments');
    await runExperimentJob(file);
  } else if (cmd === 'task') {
    let index = Number(process.env.SLURM_ARRAY_TASK_ID);
    if (rest[0] === '--index') index = Number(rest[1]);
    if (!Number.isInteger(index) || index < 0) usage('no task index: SLURM_ARRAY_TASK_ID unset and no --index N');
    const { runArrayTask } = require('../../lib/executor/array') as typeof import('../../lib/executor/array');
    process.exitCode = runArrayTask(file, index);
  } else usage(`unknown command '${cmd}'`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
