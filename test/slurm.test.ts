// Tests of the slurm executor that need no cluster (lib/executor, lib/core/config executorSettings): settings from
// the environment with errors naming the variable, sbatch arguments, scontrol's one-line job records (array
// ranges included), the batch script, the job side of a trial (same result as the objective called directly; an
// objective's error is a result, not a job failure; a bad request names its field) and the job's shared-folder
// layout. The cluster tests are test/slurm-cluster.test.ts (`make test-slurm`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { EXECUTOR_DEFAULTS, executorSettings } from '../lib/core/config';
import { batchScript, describeSettings, parseScontrolJobs, parseSqueueJobs, sbatchArgs } from '../lib/executor/slurm';
import { runTrialJob, TrialJobRequest } from '../lib/executor/job';
import { searchJobsDir } from '../lib/executor/trials';
import { runArrayTask } from '../lib/executor/array';
import { bowl } from './fixtures/tuning/objectives';
import { expectError, tempDirs } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

test('executor settings: local by default; every cluster setting from the environment', () => {
  assert.equal(executorSettings({}), EXECUTOR_DEFAULTS);
  const s = executorSettings({
    SAFENET_EXECUTOR: 'slurm', SAFENET_SLURM_PARTITION: 'gpu', SAFENET_SLURM_ACCOUNT: 'geo42', SAFENET_SLURM_TIME: '2-00:00:00',
    SAFENET_SLURM_MEM: '16G', SAFENET_SLURM_CPUS: '8', SAFENET_SLURM_GPUS: '1', SAFENET_SLURM_SBATCH_ARGS: ' --qos=long  --constraint=a100 ',
    SAFENET_SLURM_IN_FLIGHT: '16', SAFENET_SLURM_RETRIES: '3', SAFENET_SLURM_POLL_MS: '5000', SAFENET_SLURM_DIR: '/scratch/safenet',
  });
  assert.equal(s, {
    executor: 'slurm', partition: 'gpu', account: 'geo42', time: '2-00:00:00', mem: '16G', cpusPerTask: 8, gpus: 1,
    extraArgs: ['--qos=long', '--constraint=a100'], inFlight: 16, retries: 3, pollMs: 5000, sharedDir: '/scratch/safenet',
  });
  assert.equal(sbatchArgs(s), ['--partition=gpu', '--account=geo42', '--time=2-00:00:00', '--mem=16G', '--cpus-per-task=8', '--gpus=1', '--qos=long', '--constraint=a100']);
  assert.equal(sbatchArgs(EXECUTOR_DEFAULTS), ['--time=04:00:00', '--cpus-per-task=1']);
  assert.match(describeSettings(s), /^executor: slurm \(sbatch --partition=gpu .*16 trials in flight, 3 resubmissions/);
  assert.is(describeSettings(EXECUTOR_DEFAULTS), 'executor: local (worker processes on this machine)');
  expectError(() => executorSettings({ SAFENET_EXECUTOR: 'pbs' }), /SAFENET_EXECUTOR=pbs: choose local or slurm/);
  expectError(() => executorSettings({ SAFENET_SLURM_CPUS: '0' }), /SAFENET_SLURM_CPUS=0: an integer >= 1/);
  expectError(() => executorSettings({ SAFENET_SLURM_RETRIES: '1.5' }), /SAFENET_SLURM_RETRIES=1.5/);
});

test("scontrol show job -o records: state, reason, exit code, array task ids", () => {
  // lines as Slurm 22.05 prints them (shortened: fields the parser does not read removed)
  const text = [
    'JobId=12 JobName=trial-3 UserId=root(0) JobState=CANCELLED Reason=None Dependency=(null) Requeue=0 ExitCode=0:15 RunTime=00:00:02',
    'JobId=40 ArrayJobId=38 ArrayTaskId=2 JobName=arr JobState=FAILED Reason=NonZeroExitCode ExitCode=5:0',
    'JobId=38 ArrayJobId=38 ArrayTaskId=3-4,7 JobName=arr JobState=PENDING Reason=Resources ExitCode=0:0',
    'JobId=50 JobName=x JobState=COMPLETING+ Reason=None ExitCode=0:0 Comment=a=b',
    'No jobs in the system',
  ].join('\n');
  const jobs = parseScontrolJobs(text);
  assert.equal(jobs.map((j) => [j.jobId, j.state, j.reason, j.exitCode, j.arrayJobId ?? '', j.arrayTaskId ?? '', j.name]), [
    ['12', 'CANCELLED', 'None', '0:15', '', '', 'trial-3'],
    ['40', 'FAILED', 'NonZeroExitCode', '5:0', '38', '2', 'arr'],
    ['38', 'PENDING', 'Resources', '0:0', '38', '3-4,7', 'arr'],
    ['50', 'COMPLETING', 'None', '0:0', '', '', 'x'],
  ]);
});

test("squeue --me -O records: raw wait status as scontrol's exit:signal, array tasks and pending ranges", () => {
  // lines as Slurm 22.05's squeue -h -t all -O '<SQUEUE_FORMAT>' printed them on the test cluster
  const text = [
    '191|190|0|COMPLETED|None|0|wrap',
    '190|190|1-3|PENDING|Resources|0|wrap',
    '189|189|N/A|CANCELLED|None|36608|wrap',
    '192|190|3|FAILED|NonZeroExitCode|768|wrap',
    '193|193|N/A|CANCELLED|None|15|sn-0123456789-t4',
    'slurm_load_jobs error: Socket timed out',
  ].join('\n');
  assert.equal(parseSqueueJobs(text).map((j) => [j.jobId, j.arrayJobId ?? '', j.arrayTaskId ?? '', j.state, j.reason, j.exitCode, j.name]), [
    ['191', '190', '0', 'COMPLETED', 'None', '0:0', 'wrap'],
    ['190', '190', '1-3', 'PENDING', 'Resources', '0:0', 'wrap'],
    ['189', '', '', 'CANCELLED', 'None', '143:0', 'wrap'],
    ['192', '190', '3', 'FAILED', 'NonZeroExitCode', '3:0', 'wrap'],
    ['193', '', '', 'CANCELLED', 'None', '0:15', 'sn-0123456789-t4'],
  ]);
});

test('the batch script runs the command from the repository root and writes its exit file atomically', () => {
  const s = batchScript({ settings: EXECUTOR_DEFAULTS, dir: '/x', name: 'arr', argv: ['/usr/bin/node', 'a b.ts', "it's"], exitFile: '/x/arr.task-%a.exit.json', array: '0-2', env: { SAFENET_EXECUTOR: 'local' } });
  const lines = s.split('\n');
  assert.is(lines[0], '#!/bin/bash');
  assert.match(s, /\ncd \/.+\nexport SAFENET_EXECUTOR=local\n\/usr\/bin\/node 'a b.ts' 'it'\\''s'\nrc=\$\?\n/);
  assert.match(s, /ef="\/x\/arr.task-\$\{SLURM_ARRAY_TASK_ID\}.exit.json"/);
  assert.match(s, /> "\$ef.tmp.\$\$" && mv "\$ef.tmp.\$\$" "\$ef"/);
  assert.is(lines[lines.length - 2], 'exit $rc');
});

test('a trial job writes the objective result the local worker would return; an objective error is a result', async () => {
  const dir = tempDir('slurm-job-');
  const params = { x: [0.5, 2], kind: { name: 'c', offset: 1 }, lr: 0.01, n: 4 };
  const req: TrialJobRequest = {
    type: 'trial-request', module: 'test/fixtures/tuning/objectives.ts', exportName: 'bowl', tid: 7, params,
    ctx: { trial: 7, seed: 123456, args: null }, resultFile: path.join(dir, 'r7.json'),
  };
  fs.writeFileSync(path.join(dir, 'q7.json'), JSON.stringify(req));
  const r = await runTrialJob(path.join(dir, 'q7.json'));
  const want = bowl(params);
  assert.equal(r.outcome, { result: want });
  assert.is(want.loss, 0.25 + 1 + 1 + 1 + 0.1);
  const back = JSON.parse(fs.readFileSync(req.resultFile, 'utf8'));
  assert.equal(back.outcome, { result: want });
  assert.equal([back.tid, back.seed, back.params], [7, 123456, params]);
  assert.equal(fs.readdirSync(dir).sort(), ['q7.json', 'r7.json'], 'no temporary file left');
  // an objective that throws: a failed trial (recorded by the driver), not a failed job
  fs.writeFileSync(path.join(dir, 'q1.json'), JSON.stringify({ ...req, exportName: 'flaky', tid: 1, ctx: { ...req.ctx, trial: 1 }, resultFile: path.join(dir, 'r1.json') }));
  const f = await runTrialJob(path.join(dir, 'q1.json'));
  assert.ok('error' in f.outcome && /odd trial 1/.test(f.outcome.error));
  // bad requests name the file and field
  fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...req, module: 3 }));
  await runTrialJob(path.join(dir, 'bad.json')).then(() => assert.unreachable('no error'), (e) => assert.match(e.message, /bad\.json: field module: a string is needed/));
  fs.writeFileSync(path.join(dir, 'torn.json'), '{"type": "trial-req');
  await runTrialJob(path.join(dir, 'torn.json')).then(() => assert.unreachable('no error'), (e) => assert.match(e.message, /torn\.json: the trial request is not JSON/));
});

test("a job array task runs the list's CLI at its index and returns its exit code", () => {
  const dir = tempDir('slurm-task-');
  const script = path.join(dir, 't.ts');
  fs.writeFileSync(script, "import * as fs from 'fs';\nfs.writeFileSync(process.argv[2], 'ran');\nprocess.exit(Number(process.argv[3]));\n");
  fs.writeFileSync(path.join(dir, 'tasks.json'), JSON.stringify({ type: 'task-list', tasks: [
    { name: 'a', argv: [script, path.join(dir, 'a.txt'), '0'] }, { name: 'b', argv: [script, path.join(dir, 'b.txt'), '4'] },
  ] }));
  assert.is(runArrayTask(path.join(dir, 'tasks.json'), 0), 0);
  assert.is(runArrayTask(path.join(dir, 'tasks.json'), 1), 4);
  assert.is(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'ran');
  expectError(() => runArrayTask(path.join(dir, 'tasks.json'), 2), /tasks\.json: no task 2 \(the list has 2\)/);
});

test("a search's job folder: beside its trials file, or one per trials file under the shared folder", () => {
  assert.is(searchJobsDir(EXECUTOR_DEFAULTS, '/r/ds03/trials.jsonl'), '/r/ds03/trials.jsonl.slurm');
  const a = searchJobsDir({ ...EXECUTOR_DEFAULTS, sharedDir: '/scratch' }, '/r/ds03/trials.jsonl');
  const b = searchJobsDir({ ...EXECUTOR_DEFAULTS, sharedDir: '/scratch' }, '/r/ds04/trials.jsonl');
  assert.match(a, /^\/scratch\/trials\.jsonl-[0-9a-f]{12}$/);
  assert.is.not(a, b);
});

test.run();
