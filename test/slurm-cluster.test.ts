// Tests of the slurm executor against a real one-node Slurm cluster (scripts/slurm/cluster.sh; `make test-slurm`
// starts it, sets SLURM_CONF and SAFENET_SLURM_TESTS=1, and stops it afterwards; without them this file runs no
// test): trials through sbatch give bit-identical results to the local executor (a tiny real training trial and
// a cheap objective), one trial in flight gives the local trace, two in flight complete 8+ trials with the local
// lag-2 sequence, a job cancelled with scancel mid-trial is resubmitted, a job that dies is resubmitted and then
// recorded failed with its final state and exit code, a killed driver restarted reruns no finished trial, a job
// whose id the dead driver never recorded is found by name and adopted, and a job array resubmits its failed task.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { runSearch, SearchOptions } from '../lib/tuning/search';
import { readTrials, lossTrace, TrialRecord } from '../lib/tuning/trials';
import { cancel, queryJobs, submit } from '../lib/executor/slurm';
import { jobCommand, SlurmTrialExecutor, trialJobName } from '../lib/executor/trials';
import { trialSeed } from '../lib/tuning/search';
import { runArray } from '../lib/executor/array';
import { EXECUTOR_DEFAULTS, ExecutorSettings } from '../lib/core/config';
import { BOWL_SPACE } from './fixtures/tuning/objectives';
import { TINY_SPACE } from './fixtures/slurm/training';
import { tempDirs } from './helpers';

const ON = process.env.SAFENET_SLURM_TESTS === '1';
if (!ON) console.log('slurm-cluster: skipped (run `make test-slurm`: it starts a one-node Slurm cluster)');

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);
const OBJ = 'test/fixtures/slurm/objectives.ts';
const SLURM: Partial<ExecutorSettings> = { executor: 'slurm', pollMs: 200, retries: 2, time: '00:10:00', sharedDir: '' };
const LOCAL: Partial<ExecutorSettings> = { executor: 'local' };
const quiet = () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What must be identical whichever executor ran a trial. */
function same(t: TrialRecord) {
  return { tid: t.tid, vals: t.vals, params: t.params, seed: t.seed, status: t.status, loss: t.loss, result: t.result };
}

function search(dir: string, name: string, o: Partial<SearchOptions> & { executor: Partial<ExecutorSettings> }) {
  return runSearch({
    space: BOWL_SPACE, objective: { module: OBJ, exportName: 'slowBowl', args: { log: path.join(dir, `${name}.log`), sleepMs: 0 } },
    maxEvals: 4, algo: 'tpe', seed: 11, trialsPath: path.join(dir, `${name}.jsonl`), workers: 1, log: quiet, ...o,
  } as SearchOptions);
}

async function waitFor<T>(what: string, fn: () => T | null | undefined | false, ms = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await sleep(100);
  }
}

let t0 = Date.now();
test.before.each(() => {
  t0 = Date.now();
});
test.after.each((ctx) => {
  console.log(`  ${ctx.__test__}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

const logLines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : []);

if (ON) {
  test('the cluster answers: one idle node, and SLURM_CONF names it', () => {
    assert.ok(process.env.SLURM_CONF && fs.existsSync(process.env.SLURM_CONF), `SLURM_CONF=${process.env.SLURM_CONF}`);
    assert.instance(queryJobs(), Map);
  });

  test('a tiny real training trial through sbatch gives bit-identical metrics to the local executor', async () => {
    const dir = tempDir('slurm-tiny-');
    const base = { space: TINY_SPACE, objective: { module: 'test/fixtures/slurm/training.ts', exportName: 'tinyTraining' }, maxEvals: 2, algo: 'random' as const, seed: 5, workers: 1, log: quiet };
    const loc = await runSearch({ ...base, trialsPath: path.join(dir, 'local.jsonl'), executor: LOCAL });
    const slu = await runSearch({ ...base, trialsPath: path.join(dir, 'slurm.jsonl'), executor: SLURM });
    assert.is(slu.trials.length, 2);
    for (const t of slu.trials) {
      assert.is(t.status, 'ok', t.error);
      assert.ok(t.slurm && t.slurm.ids.length === 1 && /^\d+$/.test(t.slurm.ids[0]), 'ran as one Slurm job');
      assert.is((t.result.losses as number[]).length, 3);
    }
    assert.equal(slu.trials.map(same), loc.trials.map(same));
  });

  test('one trial in flight on Slurm: the same TPE trials, results and trace as one local worker', async () => {
    const dir = tempDir('slurm-one-');
    const loc = await search(dir, 'local', { executor: LOCAL });
    const slu = await search(dir, 'slurm', { executor: SLURM });
    assert.is(slu.header.lag, 1);
    assert.equal(slu.trials.map(same), loc.trials.map(same));
    assert.equal(lossTrace(slu.trials).map((r) => [r.loss, r.best]), lossTrace(loc.trials).map((r) => [r.loss, r.best]));
    // the job wrote its result atomically and its exit file beside it
    const jobs = `${path.join(dir, 'slurm.jsonl')}.slurm`;
    assert.ok(fs.existsSync(path.join(jobs, 'trial-3.result.json')));
    // (the job script writes its exit file after the result, so it may come a moment later)
    const exit = await waitFor('the exit file', () => fs.existsSync(path.join(jobs, 'trial-3.exit.json')) && JSON.parse(fs.readFileSync(path.join(jobs, 'trial-3.exit.json'), 'utf8')), 30_000);
    assert.is(exit.exitCode, 0);
    assert.is(fs.readdirSync(jobs).filter((f) => f.endsWith('.tmp')).length, 0);
  });

  test('two trials in flight complete 8 trials, the lag-2 sequence of two local workers', async () => {
    const dir = tempDir('slurm-two-');
    const loc = await search(dir, 'local', { executor: LOCAL, workers: 2, maxEvals: 8 });
    const slu = await search(dir, 'slurm', { executor: { ...SLURM, inFlight: 2 }, workers: 1, maxEvals: 8 });
    assert.is(slu.header.lag, 2);
    assert.is(slu.trials.filter((t) => t.status === 'ok').length, 8);
    assert.equal(slu.trials.map(same), loc.trials.map(same));
    assert.is(new Set(slu.trials.map((t) => t.slurm!.ids[0])).size, 8);
  });

  test('a job cancelled with scancel mid-trial is resubmitted and the search completes', async () => {
    const dir = tempDir('slurm-cancel-');
    const log = path.join(dir, 'slurm.log');
    const jobs = `${path.join(dir, 'slurm.jsonl')}.slurm`;
    const run = search(dir, 'slurm', { executor: SLURM, objective: { module: OBJ, exportName: 'slowBowl', args: { log, sleepMs: 3000 } } });
    const first = await waitFor('trial 1 to start', () => logLines(log).find((l) => l.startsWith('start 1 '))?.split(' ')[2]);
    cancel([first]);
    const r = await run;
    assert.is(r.trials.length, 4);
    const t1 = r.trials[1];
    assert.is(t1.status, 'ok');
    assert.is(t1.slurm!.attempts, 2);
    assert.is(t1.slurm!.ids[0], first);
    assert.match(t1.slurm!.faults[0], new RegExp(`job ${first}: JobState=CANCELLED`));
    assert.match(t1.slurm!.faults[0], /no exit file/);
    assert.is(logLines(log).filter((l) => l.startsWith('end 1 ')).length, 1, 'the cancelled job never finished');
    assert.ok(fs.existsSync(path.join(jobs, 'trial-1.job.json')));
    // same trials as without the fault
    const loc = await search(dir, 'local', { executor: LOCAL });
    assert.equal(r.trials.map(same), loc.trials.map(same));
  });

  test('a job that dies is resubmitted, then the trial is recorded failed with state and exit code, and the search goes on', async () => {
    const dir = tempDir('slurm-dies-');
    const r = await search(dir, 'slurm', { executor: { ...SLURM, retries: 1 }, objective: { module: OBJ, exportName: 'dies', args: { die: [1] } }, maxEvals: 3 });
    assert.equal(r.trials.map((t) => t.status), ['ok', 'fail', 'ok']);
    const t1 = r.trials[1];
    assert.is(t1.slurm!.attempts, 2);
    assert.is(t1.slurm!.faults.length, 2);
    assert.match(t1.error!, /2 jobs ended without a result \(1 resubmissions allowed\)/);
    for (const f of t1.slurm!.faults) {
      assert.match(f, /JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0/);
      assert.match(f, /exit file: exit code 3/);
    }
    // failed trial counts as an infinite loss for TPE; the file reads back
    assert.is(readTrials(r.trialsPath).trials.length, 3);
  });

  test('a driver killed mid-search and restarted completes without rerunning a finished trial', async () => {
    const dir = tempDir('slurm-kill-');
    const log = path.join(dir, 'slurm.log');
    const trialsPath = path.join(dir, 'slurm.jsonl');
    const opts = {
      space: BOWL_SPACE, objective: { module: OBJ, exportName: 'slowBowl', args: { log, sleepMs: 2500 } },
      maxEvals: 6, algo: 'tpe', seed: 11, trialsPath, workers: 1, executor: { ...SLURM, inFlight: 2 },
    };
    fs.writeFileSync(path.join(dir, 'opts.json'), JSON.stringify(opts));
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'test/fixtures/tuning/run-search.ts', path.join(dir, 'opts.json')], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    // kill it once two trials are recorded and later ones are in flight
    await waitFor('two finished trials', () => fs.existsSync(trialsPath) && readTrials(trialsPath).trials.length >= 2 && logLines(log).some((l) => /^start [2-5] /.test(l)));
    child.kill('SIGKILL');
    await exited;
    const before = readTrials(trialsPath).trials.length;
    const r = await runSearch({ ...(opts as unknown as SearchOptions), log: quiet });
    assert.is(r.trials.length, 6);
    assert.ok(r.reused >= 2 && r.reused === before, `reused ${r.reused}, ${before} in the file`);
    const lines = logLines(log);
    for (let t = 0; t < 6; t++) {
      assert.is(lines.filter((l) => l.startsWith(`start ${t} `)).length, 1, `trial ${t} started once`);
      assert.is(lines.filter((l) => l.startsWith(`end ${t} `)).length, 1, `trial ${t} ended once`);
    }
    // jobs of the killed driver were adopted (waited for or their results taken), not submitted again
    assert.ok(r.trials.some((t) => t.slurm && (t.slurm.adopted || t.slurm.ids.length === 1)));
    assert.ok(r.trials.every((t) => !t.slurm || t.slurm.attempts === 1));
    const loc = await search(dir, 'local', { executor: LOCAL, workers: 2, maxEvals: 6 });
    assert.equal(r.trials.map(same), loc.trials.map(same));
  });

  test('a job submitted by a driver that died before recording its id is found by name and adopted, not resubmitted', async () => {
    const dir = tempDir('slurm-orphan-');
    const jobs = path.join(dir, 'jobs');
    const log = path.join(dir, 'log');
    const settings = { ...EXECUTOR_DEFAULTS, ...SLURM } as ExecutorSettings;
    const params = { x: [1, 1], kind: { name: 'b', offset: 0 }, lr: 1e-3, n: 3 };
    const task = { module: path.resolve(OBJ), exportName: 'slowBowl', tid: 0, params, ctx: { trial: 0, seed: trialSeed(1, 0), args: { log, sleepMs: 1500 } } };
    // what the dead driver left: the request, a state file without a job id, and the job it had submitted
    fs.mkdirSync(jobs, { recursive: true });
    const resultFile = path.join(jobs, 'trial-0.result.json');
    fs.writeFileSync(path.join(jobs, 'trial-0.request.json'), JSON.stringify({ type: 'trial-request', ...task, resultFile }));
    fs.writeFileSync(path.join(jobs, 'trial-0.job.json'), JSON.stringify({ tid: 0, jobId: '', attempt: 1, faults: [], submittedAt: '' }));
    const orphan = submit({ settings, dir: jobs, name: 'trial-0', jobName: trialJobName(jobs, 0), argv: jobCommand('trial', path.join(jobs, 'trial-0.request.json')), exitFile: path.join(jobs, 'trial-0.exit.json') });
    const ex = new SlurmTrialExecutor(settings, jobs);
    const out = await ex.runTrial(task);
    ex.close();
    assert.equal(out.job.ids, [orphan]);
    assert.is(out.job.attempts, 1);
    assert.equal(out.result, { loss: 0, status: 'ok' });
    assert.is(logLines(log).filter((l) => l.startsWith('start 0 ')).length, 1, 'ran once');
  });

  // Slurm's smallest time limit is a minute and it checks limits about every 30 s: this one takes 1-2 minutes, so
  // it runs only with SAFENET_SLURM_SLOW=1 (not in `make test-slurm`)
  if (process.env.SAFENET_SLURM_SLOW === '1') {
    test('a job that runs past its time limit is recorded failed with state TIMEOUT (no resubmission allowed)', async () => {
      const dir = tempDir('slurm-timeout-');
      const log = path.join(dir, 'slurm.log');
      const r = await search(dir, 'slurm', { executor: { ...SLURM, retries: 0, time: '00:01:00' }, maxEvals: 1, objective: { module: OBJ, exportName: 'slowBowl', args: { log, sleepMs: 600_000 } } });
      const t0 = r.trials[0];
      assert.is(t0.status, 'fail');
      assert.is(t0.slurm!.attempts, 1);
      assert.match(t0.error!, /1 job ended without a result \(0 resubmissions allowed\)/);
      assert.match(t0.slurm!.faults[0], /JobState=TIMEOUT Reason=TimeLimit/);
    });
  }

  test('a job array runs a list of package CLIs and resubmits the task that failed', async () => {
    const dir = tempDir('slurm-array-');
    const marker = path.join(dir, 'failed-once');
    const script = path.join(dir, 'task.ts');
    fs.writeFileSync(script, [
      "import * as fs from 'fs';",
      'const [out, marker] = process.argv.slice(2);',
      "if (out.endsWith('-1.txt') && !fs.existsSync(marker)) { fs.writeFileSync(marker, 'x'); process.exit(5); }",
      "fs.writeFileSync(out, String(process.env.SLURM_ARRAY_TASK_ID));",
    ].join('\n'));
    const tasks = [0, 1, 2].map((i) => ({ name: `t${i}`, argv: [script, path.join(dir, `out-${i}.txt`), marker] }));
    const r = await runArray(tasks, { settings: { ...EXECUTOR_DEFAULTS, ...SLURM } as ExecutorSettings, dir: path.join(dir, 'jobs'), name: 'arr', log: quiet });
    assert.equal(r.ok, [0, 1, 2]);
    assert.equal(r.failed, []);
    assert.is(r.jobIds.length, 2, 'the failed task was resubmitted as a second array');
    assert.is(fs.readFileSync(path.join(dir, 'out-1.txt'), 'utf8'), '1');
    assert.is(fs.readFileSync(path.join(dir, 'out-2.txt'), 'utf8'), '2');
  });
}

test.run();
