// Slurm from the package's side (the paper's experiments, section 3.2 and 4, run where such work runs: an HPC
// cluster): sbatch arguments from the executor settings (lib/core/config.ts), submitting a job or a job array
// that runs one CLI of the package, reading the state of this user's jobs in one `squeue --me` call per poll, and
// the fault reason of a job (its final state, exit code and reason from scontrol, or sacct where the cluster keeps
// accounting, plus the job's own exit file). No scheduler of its own: Slurm queues, places and accounts.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ExecutorSettings } from '../core/config';
import { writeFileAtomic } from '../core/atomic';
import { paths } from '../core/paths';

/** Job states after which a job never runs again (Slurm's base states). */
export const FINAL_STATES = new Set([
  'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE',
]);

export interface JobInfo {
  /** The job's own id (for an array task: its task's job id). */
  jobId: string;
  /** For array tasks: the array's id and the task index (a pending range stays one record, e.g. "1-3"). */
  arrayJobId?: string;
  arrayTaskId?: string;
  state: string;
  reason: string;
  exitCode: string;
  name: string;
}

/** The sbatch arguments of the settings (partition, account, time, memory, CPUs, GPUs, extra arguments). */
export function sbatchArgs(s: ExecutorSettings): string[] {
  const a: string[] = [];
  if (s.partition) a.push(`--partition=${s.partition}`);
  if (s.account) a.push(`--account=${s.account}`);
  if (s.time) a.push(`--time=${s.time}`);
  if (s.mem) a.push(`--mem=${s.mem}`);
  a.push(`--cpus-per-task=${s.cpusPerTask}`);
  if (s.gpus > 0) a.push(`--gpus=${s.gpus}`);
  a.push(...s.extraArgs);
  return a;
}

/** One line for the start of a run: where the work goes and with which cluster settings. */
export function describeSettings(s: ExecutorSettings): string {
  if (s.executor === 'local') return 'executor: local (worker processes on this machine)';
  return `executor: slurm (sbatch ${sbatchArgs(s).join(' ')}; ${s.inFlight > 0 ? `${s.inFlight} trials in flight` : 'trials in flight: the workers asked for'}, ` +
    `${s.retries} resubmissions, poll ${s.pollMs} ms${s.sharedDir ? `, shared folder ${s.sharedDir}` : ''}` +
    `${process.env.SLURM_CONF ? `, SLURM_CONF=${process.env.SLURM_CONF}` : ''})`;
}

/** Parse `scontrol show job -o` output (one job a line, key=value fields). */
export function parseScontrolJobs(text: string): JobInfo[] {
  const out: JobInfo[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('JobId=')) continue;
    const f = new Map<string, string>();
    for (const m of line.matchAll(/(?:^|\s)([A-Za-z:/]+)=(\S*)/g)) if (!f.has(m[1])) f.set(m[1], m[2]);
    out.push({
      jobId: f.get('JobId')!, arrayJobId: f.get('ArrayJobId'), arrayTaskId: f.get('ArrayTaskId'),
      state: (f.get('JobState') ?? 'UNKNOWN').split('+')[0], reason: f.get('Reason') ?? '', exitCode: f.get('ExitCode') ?? '', name: f.get('JobName') ?? '',
    });
  }
  return out;
}

function run(cmd: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) {
    const e = r.error as NodeJS.ErrnoException;
    throw new Error(e.code === 'ENOENT' ? `slurm: '${cmd}' not found: the slurm executor needs Slurm's client commands on PATH (scripts/slurm/cluster.sh starts a one-node cluster)` : `slurm: ${cmd}: ${e.message}`);
  }
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** squeue's format for parseSqueueJobs. */
export const SQUEUE_FORMAT = 'JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,Reason:|,exit_code:|,Name:';

/**
 * Parse `squeue -h -O SQUEUE_FORMAT` output. squeue's exit_code is the raw wait status: it becomes scontrol's
 * "exit:signal" form.
 */
export function parseSqueueJobs(text: string): JobInfo[] {
  const out: JobInfo[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('|');
    if (f.length < 7 || !/^\d+(_\d+)?$/.test(f[0].trim())) continue;
    const raw = Number(f[5]);
    const exitCode = Number.isInteger(raw) ? `${(raw >> 8) & 0xff}:${raw & 0x7f}` : f[5];
    const isArray = f[2].trim() !== 'N/A' && f[2].trim() !== '';
    out.push({
      jobId: f[0].trim(), ...(isArray ? { arrayJobId: f[1].trim(), arrayTaskId: f[2].trim() } : {}),
      state: f[3].trim().split('+')[0], reason: f[4].trim(), exitCode, name: f.slice(6).join('|').trim(),
    });
  }
  return out;
}

/**
 * This user's jobs that the controller still knows (finished ones stay for MinJobAge), keyed by job id and by
 * "array_task": one `squeue --me` call (a busy cluster's other jobs are not listed).
 */
export function queryJobs(): Map<string, JobInfo> {
  const r = run('squeue', ['--me', '-h', '-t', 'all', '-O', SQUEUE_FORMAT]);
  if (r.code !== 0) throw new Error(`slurm: squeue failed (exit ${r.code}): ${r.err.trim()}`);
  const m = new Map<string, JobInfo>();
  for (const j of parseSqueueJobs(r.out)) {
    m.set(j.jobId, j);
    if (j.arrayJobId && j.arrayTaskId) {
      // a pending range "1-3,5" stands for each task in it
      for (const part of j.arrayTaskId.split(',')) {
        const mm = part.match(/^(\d+)(?:-(\d+))?(?:%\d+)?$/);
        if (!mm) continue;
        for (let t = Number(mm[1]); t <= Number(mm[2] ?? mm[1]); t++) m.set(`${j.arrayJobId}_${t}`, j);
      }
    }
  }
  return m;
}

/** scontrol's record of one job (its final state, reason and exit code), or null when the controller no longer has it. */
export function showJob(jobId: string): JobInfo | null {
  const r = run('scontrol', ['show', 'job', '-o', jobId]);
  if (r.code !== 0) return null;
  return parseScontrolJobs(r.out)[0] ?? null;
}

/** What sacct says of a job (only where the cluster keeps accounting; null otherwise). */
export function sacctState(jobId: string): string | null {
  try {
    const out = execFileSync('sacct', ['-n', '-P', '-X', '-j', jobId, '-o', 'State,ExitCode,Reason'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out ? out.split('\n')[0].replace(/\|/g, ' ') : null;
  } catch {
    return null;
  }
}

export interface SubmitOptions {
  settings: ExecutorSettings;
  /** Folder of the job's script and output (on the shared filesystem). */
  dir: string;
  /** File stem (and the job name unless jobName is given). */
  name: string;
  /** Slurm job name (default: name); a unique one lets a restarted driver find a job it submitted but never recorded. */
  jobName?: string;
  /** The command the job runs (argv; the first element is run as is). */
  argv: string[];
  /** File the job writes its exit status to (JSON), whatever the command did. */
  exitFile: string;
  /** Job array indices ("0-9" or "1,3"): the command gets SLURM_ARRAY_TASK_ID; %a in exitFile is the index. */
  array?: string;
  env?: Record<string, string>;
}

function shq(s: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The batch script of a job: run the command from the repository root, then write the exit file atomically. */
export function batchScript(o: SubmitOptions): string {
  const exitFile = o.array ? o.exitFile.replace('%a', '${SLURM_ARRAY_TASK_ID}') : o.exitFile;
  return [
    '#!/bin/bash',
    `# ${o.name}: written by lib/executor/slurm.ts`,
    `cd ${shq(paths.root)}`,
    ...Object.entries(o.env ?? {}).map(([k, v]) => `export ${k}=${shq(v)}`),
    `${o.argv.map(shq).join(' ')}`,
    'rc=$?',
    `ef="${exitFile.replace(/"/g, '\\"')}"`,
    'printf \'{"exitCode":%d,"jobId":"%s","arrayTaskId":"%s","host":"%s","endedAt":"%s"}\\n\' "$rc" "${SLURM_JOB_ID:-}" "${SLURM_ARRAY_TASK_ID:-}" "$(hostname)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$ef.tmp.$$" && mv "$ef.tmp.$$" "$ef"',
    'exit $rc',
    '',
  ].join('\n');
}

/** Submit a job (or an array); returns its job id. */
export function submit(o: SubmitOptions): string {
  fs.mkdirSync(o.dir, { recursive: true });
  const script = path.join(o.dir, `${o.name}.sh`);
  writeFileAtomic(script, batchScript(o));
  fs.chmodSync(script, 0o755);
  const out = path.join(o.dir, o.array ? `${o.name}.%A_%a.out` : `${o.name}.%j.out`);
  const args = ['--parsable', `--job-name=${o.jobName ?? o.name}`, `--output=${out}`, '--no-requeue', ...sbatchArgs(o.settings), ...(o.array ? [`--array=${o.array}`] : []), script];
  const r = run('sbatch', args);
  const id = r.out.trim().split(';')[0];
  if (r.code !== 0 || !/^\d+$/.test(id)) throw new Error(`slurm: sbatch ${args.join(' ')} failed (exit ${r.code}): ${(r.err || r.out).trim()}`);
  return id;
}

/** Cancel jobs (ids or array_task ids); errors for jobs already gone are ignored. */
export function cancel(ids: string[]): void {
  if (ids.length) run('scancel', ids);
}

/** Why a job ended without a result: its state, reason and exit code, and its exit file when it wrote one. */
export function faultReason(jobId: string, info: JobInfo | undefined, exitFile: string): string {
  const parts: string[] = [];
  const acct = sacctState(jobId);
  if (acct) parts.push(`sacct: ${acct}`);
  info = showJob(jobId) ?? info;
  if (info) parts.push(`JobState=${info.state} Reason=${info.reason} ExitCode=${info.exitCode}`);
  else if (!acct) parts.push('no longer known to Slurm (purged, or the controller restarted)');
  if (fs.existsSync(exitFile)) {
    try {
      parts.push(`exit file: exit code ${JSON.parse(fs.readFileSync(exitFile, 'utf8')).exitCode}`);
    } catch {
      parts.push('exit file unreadable');
    }
  } else parts.push('no exit file (the job was stopped before its command ended)');
  return `job ${jobId}: ${parts.join('; ')}`;
}

/** The default shared folder for work other than a search's trials. */
export function defaultSharedDir(s: ExecutorSettings): string {
  return s.sharedDir || path.join(paths.build, 'slurm');
}
