// Trials of a hyperparameter search as Slurm jobs (paper section 3.2: TPE with 100 evaluations per model, run
// on a cluster): each trial is one sbatch job running `scripts/slurm/job.ts trial <request>` on the shared
// folder; the driver (lib/tuning/search.ts) keeps up to K trials in flight and reads every job's state in one
// scontrol call per poll. A job that fails, times out or is cancelled before writing its result is resubmitted
// up to `retries` times, then the trial is recorded failed with the reasons. A driver killed and restarted adopts
// what its jobs did meanwhile: a result file already written is taken (never rerun), a job still queued or
// running is waited for (never submitted twice). Results are written by the job atomically (write + rename), so
// a half-written result is never read.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ExecutorSettings } from '../core/config';
import { writeJsonAtomic } from '../core/atomic';
import { paths } from '../core/paths';
import type { ObjectiveContext, ObjectiveResult } from '../tuning/trials';
import { readJson, TrialJobRequest, TrialJobResult } from './job';
import { cancel, faultReason, FINAL_STATES, JobInfo, queryJobs, submit } from './slurm';

export interface TrialTask {
  module: string;
  exportName: string;
  tid: number;
  params: unknown;
  ctx: ObjectiveContext;
}

/** How a trial ended, as a local worker reports it, plus which jobs ran it. */
export interface TrialOutcome {
  result?: ObjectiveResult;
  error?: string;
  seconds: number;
  job: { ids: string[]; attempts: number; faults: string[]; adopted: boolean; host: string; backend: string | null };
}

interface JobState {
  tid: number;
  /** Empty while submitting: the job, if sbatch got that far, is found by its unique name. */
  jobId: string;
  attempt: number;
  faults: string[];
  submittedAt: string;
}

/** The command a trial job runs: this Node, with tsx, on the job CLI. */
export function jobCommand(...args: string[]): string[] {
  return [process.execPath, '--require', require.resolve('tsx/cjs'), path.join(paths.root, 'scripts', 'slurm', 'job.ts'), ...args];
}

/** The shared folder of a search's jobs: beside its trials file, or under settings.sharedDir. */
export function searchJobsDir(s: ExecutorSettings, trialsPath: string): string {
  const abs = path.resolve(trialsPath);
  if (!s.sharedDir) return `${abs}.slurm`;
  return path.join(s.sharedDir, `${path.basename(abs)}-${crypto.createHash('sha256').update(abs).digest('hex').slice(0, 12)}`);
}

/** The Slurm job name of a trial: unique to the search's job folder and the trial. */
export function trialJobName(dir: string, tid: number): string {
  return `sn-${crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 10)}-t${tid}`;
}

/** Polls the jobs of one driver: a result file, or a final state without one. */
class JobWatcher {
  private waiting = new Map<string, { resultFile: string; resolve: (v: { info?: JobInfo; result: boolean }) => void }>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  constructor(private pollMs: number) {}

  wait(jobId: string, resultFile: string): Promise<{ info?: JobInfo; result: boolean }> {
    return new Promise((resolve) => {
      this.waiting.set(jobId, { resultFile, resolve });
      if (!this.timer) this.timer = setInterval(() => this.tick(), this.pollMs);
    });
  }

  private tick(): void {
    if (this.busy) return;
    this.busy = true;
    try {
      let jobs: Map<string, JobInfo> | null = null;
      for (const [id, w] of [...this.waiting]) {
        if (fs.existsSync(w.resultFile)) {
          this.settle(id, { result: true });
          continue;
        }
        jobs = jobs ?? queryJobs();
        const info = jobs.get(id);
        if (!info || FINAL_STATES.has(info.state)) {
          // the job may have renamed its result into place between the two looks
          this.settle(id, { info, result: fs.existsSync(w.resultFile) });
        }
      }
    } catch (e) {
      // scontrol unreachable for a moment (controller restarting): look again at the next poll
      process.stderr.write(`slurm: ${(e as Error).message}; retrying\n`);
    } finally {
      this.busy = false;
    }
  }

  private settle(id: string, v: { info?: JobInfo; result: boolean }): void {
    const w = this.waiting.get(id)!;
    this.waiting.delete(id);
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    w.resolve(v);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export class SlurmTrialExecutor {
  readonly kind = 'slurm';
  private watcher: JobWatcher;
  constructor(readonly settings: ExecutorSettings, readonly dir: string, private log: (l: string) => void = () => {}) {
    this.watcher = new JobWatcher(settings.pollMs);
  }

  private jobName(tid: number): string {
    return trialJobName(this.dir, tid);
  }

  private files(tid: number) {
    const base = path.join(this.dir, `trial-${tid}`);
    return { request: `${base}.request.json`, result: `${base}.result.json`, state: `${base}.job.json`, exit: `${base}.exit.json` };
  }

  /** A result file of this very trial (same params and seed), or null (a stale one of another search is removed). */
  private readResult(task: TrialTask, file: string): TrialJobResult | null {
    if (!fs.existsSync(file)) return null;
    const r = readJson<TrialJobResult>(file, 'trial result');
    if (r.type === 'trial-result' && r.tid === task.tid && r.seed === task.ctx.seed && JSON.stringify(r.params) === JSON.stringify(task.params)) return r;
    this.log(`slurm: ${file}: a result of another search (params or seed differ); removed`);
    fs.rmSync(file, { force: true });
    return null;
  }

  private outcome(r: TrialJobResult, ids: string[], attempts: number, faults: string[], adopted: boolean): TrialOutcome {
    const job = { ids, attempts, faults, adopted, host: r.host, backend: r.backend ?? null };
    return 'result' in r.outcome ? { result: r.outcome.result, seconds: r.seconds, job } : { error: r.outcome.error, seconds: r.seconds, job };
  }

  /** Run one trial as a Slurm job (adopting what an earlier driver left); resolves when it has a result or has failed for good. */
  async runTrial(task: TrialTask): Promise<TrialOutcome> {
    fs.mkdirSync(this.dir, { recursive: true });
    const f = this.files(task.tid);
    const done = this.readResult(task, f.result);
    const old = fs.existsSync(f.state) ? readJson<JobState>(f.state, 'job state') : null;
    if (done) {
      this.log(`slurm: trial ${task.tid}: result of job ${old?.jobId ?? '?'} found (finished while no driver ran): taken, not rerun`);
      return this.outcome(done, old ? [old.jobId] : [], old?.attempt ?? 1, old?.faults ?? [], true);
    }
    const ids: string[] = [];
    let faults: string[] = [];
    let attempt = 0;
    let adoptId: string | null = null;
    if (old && old.tid === task.tid) {
      faults = [...old.faults];
      attempt = old.attempt;
      const jobs = queryJobs();
      let oldId = old.jobId;
      if (!oldId) {
        // the earlier driver died between sbatch and recording the job id: find the job by its name
        const found = [...jobs.values()].filter((j) => j.name === this.jobName(task.tid) && !j.arrayJobId).sort((a, b) => Number(b.jobId) - Number(a.jobId))[0];
        if (found && !faults.some((x) => x.startsWith(`job ${found.jobId}:`))) oldId = found.jobId;
      }
      if (oldId) {
        ids.push(oldId);
        const info = jobs.get(oldId);
        if (info && !FINAL_STATES.has(info.state)) adoptId = oldId;
        else faults.push(faultReason(oldId, info, f.exit));
      } else attempt = Math.max(0, attempt - 1); // never submitted: not an attempt
    }
    for (;;) {
      let jobId: string;
      if (adoptId) {
        jobId = adoptId;
        adoptId = null;
        this.log(`slurm: trial ${task.tid}: job ${jobId} of an earlier driver is still ${'queued or running'}: waiting for it`);
      } else {
        if (faults.length > this.settings.retries) {
          return {
            error: `slurm: trial ${task.tid}: ${faults.length} job${faults.length > 1 ? 's' : ''} ended without a result (${this.settings.retries} resubmissions allowed):\n${faults.join('\n')}`,
            seconds: 0, job: { ids, attempts: attempt, faults, adopted: false, host: '', backend: null },
          };
        }
        const req: TrialJobRequest = { type: 'trial-request', module: task.module, exportName: task.exportName, tid: task.tid, params: task.params, ctx: task.ctx, resultFile: f.result };
        writeJsonAtomic(f.request, req);
        fs.rmSync(f.exit, { force: true });
        attempt++;
        writeJsonAtomic(f.state, { tid: task.tid, jobId: '', attempt, faults, submittedAt: new Date().toISOString() } satisfies JobState);
        jobId = submit({ settings: this.settings, dir: this.dir, name: `trial-${task.tid}`, jobName: this.jobName(task.tid), argv: jobCommand('trial', f.request), exitFile: f.exit });
        ids.push(jobId);
        writeJsonAtomic(f.state, { tid: task.tid, jobId, attempt, faults, submittedAt: new Date().toISOString() } satisfies JobState);
        if (attempt > 1) this.log(`slurm: trial ${task.tid}: resubmitted as job ${jobId} (attempt ${attempt}) after: ${faults[faults.length - 1]}`);
      }
      const w = await this.watcher.wait(jobId, f.result);
      if (w.result) {
        const r = this.readResult(task, f.result);
        if (r) return this.outcome(r, ids, attempt, faults, false);
      }
      faults.push(faultReason(jobId, w.info, f.exit));
      writeJsonAtomic(f.state, { tid: task.tid, jobId, attempt, faults, submittedAt: new Date().toISOString() } satisfies JobState);
    }
  }

  /** Stop polling. Jobs still in flight are left running: a restarted driver adopts them. */
  close(): void {
    this.watcher.close();
  }

  /** Cancel the jobs of trials still in flight (for a driver that gives up). */
  cancelInFlight(tids: number[]): void {
    const ids: string[] = [];
    for (const t of tids) {
      const f = this.files(t);
      if (fs.existsSync(f.state)) ids.push(readJson<JobState>(f.state, 'job state').jobId);
    }
    cancel(ids);
  }
}
