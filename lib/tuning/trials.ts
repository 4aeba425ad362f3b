// Trials of a hyperparameter search as JSON lines (paper section 3.2: TPE, 100 evaluations per model): a header
// line that fixes the search (algorithm, seed, space hash, worker lag, TPE settings), then one line per finished
// trial, appended with one write and fsync, so a killed search loses at most the trials that were running and
// never a finished one. A torn last line (killed mid-write) is dropped on reading; any other bad line is an error
// naming the line. Also the public types of a search (objective, context, result).
import * as fs from 'fs';
import * as path from 'path';
import type { Space, Vals } from './space';

/**
 * What an objective returns: hyperopt's result dict (loss and status, plus anything to keep). It crosses a
 * process boundary and is stored as JSON, so it must be JSON-serialisable (no typed arrays, no NaN).
 */
export interface ObjectiveResult {
  loss: number;
  status: 'ok' | 'fail';
  [key: string]: unknown;
}

/** What an objective is told besides the parameters. */
export interface ObjectiveContext<A = unknown> {
  /** Trial index (0-based, in suggestion order). */
  trial: number;
  /** 32-bit seed for everything random in this trial, derived from the search seed and the trial index. */
  seed: number;
  /** The `args` given in the objective spec (JSON-serialisable: it is sent to worker processes). */
  args: A;
}

/** An objective function: minimise loss. It runs in a worker process, so it is named by module and export. */
export type Objective<P = any, A = unknown> = (params: P, ctx: ObjectiveContext<A>) => Promise<ObjectiveResult> | ObjectiveResult;

/** Where the objective lives: `require(module)[exportName]` in each worker (module absolute or relative to the repo root). */
export interface ObjectiveSpec {
  module: string;
  exportName: string;
  args?: unknown;
}

export type Algo = 'tpe' | 'random';

/** hyperopt's tpe.suggest settings (defaults in lib/tuning/tpe.ts: TPE_DEFAULTS). */
export interface TpeOptions {
  nStartupJobs: number;
  nEICandidates: number;
  gamma: number;
  priorWeight: number;
  /** Linear forgetting: observations older than the last LF get ramped-down weights. */
  linearForgetting: number;
}

export interface SearchHeader {
  type: 'search';
  version: 1;
  algo: Algo;
  seed: number;
  spaceHash: string;
  /**
   * Suggestion lag: trial t is suggested from the finished trials before t - lag, the trials t-lag..t-1 counting
   * as running (hyperopt gives running trials infinite loss). Equal to the number of workers, fixed for the file so
   * that the trial sequence does not depend on timing.
   */
  lag: number;
  tpe: TpeOptions;
  objective: { module: string; exportName: string };
  createdAt: string;
}

export interface TrialRecord {
  type: 'trial';
  tid: number;
  /** Drawn values by label (choice: option index). */
  vals: Vals;
  /** The parameters the objective received. */
  params: unknown;
  /** The seed the objective received. */
  seed: number;
  status: 'ok' | 'fail';
  /** null when the trial failed (TPE treats it as +Infinity). */
  loss: number | null;
  /** Everything else the objective returned. */
  result: Record<string, unknown>;
  error?: string;
  startedAt: string;
  seconds: number;
  /** Local: the worker process's index; slurm: the job id that ran it. */
  worker: number;
  /** Slurm executor only: the jobs that ran the trial (resubmissions included) and why earlier ones ended without a result. */
  slurm?: { ids: string[]; attempts: number; faults: string[]; adopted: boolean; host: string; backend: string | null };
}

export interface TrialsFile {
  header: SearchHeader | null;
  trials: TrialRecord[];
  /** A torn last line that was dropped (the search was killed while writing it). */
  droppedTornLine: boolean;
}

/** Read a trials file (missing file: no header, no trials). */
export function readTrials(file: string): TrialsFile {
  if (!fs.existsSync(file)) return { header: null, trials: [], droppedTornLine: false };
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n');
  let header: SearchHeader | null = null;
  const trials: TrialRecord[] = [];
  let dropped = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (i === lines.length - 1 && !endsClean) {
      // no newline after it: the writer was killed mid-line; appendRecord cuts it off before writing again
      dropped = true;
      continue;
    }
    let obj: any;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}: line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (obj.type === 'search') {
      if (header) throw new Error(`${file}: line ${i + 1}: a second search header`);
      header = obj;
    } else if (obj.type === 'trial') {
      if (!header) throw new Error(`${file}: line ${i + 1}: a trial before the search header`);
      if (!Number.isInteger(obj.tid) || obj.tid < 0) throw new Error(`${file}: line ${i + 1}: bad tid ${obj.tid}`);
      if (trials.some((t) => t.tid === obj.tid)) throw new Error(`${file}: line ${i + 1}: trial ${obj.tid} appears twice`);
      trials.push(obj);
    } else throw new Error(`${file}: line ${i + 1}: unknown record type '${obj.type}'`);
  }
  trials.sort((a, b) => a.tid - b.tid);
  return { header, trials, droppedTornLine: dropped };
}

/** Append one record as one line with a single write, then fsync (creates the folder and file). */
export function appendRecord(file: string, record: SearchHeader | TrialRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // a torn line left by a kill is cut off first, so the new record starts on a line of its own
  if (fs.existsSync(file)) {
    const size = fs.statSync(file).size;
    if (size > 0) {
      const fd0 = fs.openSync(file, 'r');
      const b = Buffer.alloc(1);
      fs.readSync(fd0, b, 0, 1, size - 1);
      fs.closeSync(fd0);
      if (b[0] !== 0x0a) {
        const text = fs.readFileSync(file, 'utf8');
        fs.truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
      }
    }
  }
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, JSON.stringify(record) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The best finished trial (lowest loss among status ok; ties: the earliest). */
export function bestTrial(trials: TrialRecord[]): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) if (t.status === 'ok' && t.loss !== null && (best === null || t.loss < best.loss!)) best = t;
  return best;
}

/** Loss per trial and best loss so far (the TPE trace figure). */
export function lossTrace(trials: TrialRecord[]): { tid: number; loss: number | null; best: number | null }[] {
  let best: number | null = null;
  return [...trials].sort((a, b) => a.tid - b.tid).map((t) => {
    if (t.status === 'ok' && t.loss !== null && (best === null || t.loss < best)) best = t.loss;
    return { tid: t.tid, loss: t.status === 'ok' ? t.loss : null, best };
  });
}

/**
 * Take the lock of a trials file (`<file>.lock` holding the owner's pid) so that two searches never append to the
 * same file; a lock left by a process that no longer runs is taken over. Returns the release function.
 */
export function lockTrials(file: string): () => void {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.rmSync(lock, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(lock, 'utf8'));
      let alive = owner === process.pid;
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid) {
        try {
          process.kill(owner, 0);
          alive = true;
        } catch (err) {
          alive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive) throw new Error(`${file}: another search (process ${owner}) is using this trials file (lock ${lock})`);
      fs.rmSync(lock, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`${file}: could not take the lock ${lock}`);
}

export type { Space, Vals };
