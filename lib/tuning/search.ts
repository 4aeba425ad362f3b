// Hyperparameter search runner (paper section 3.2: TPE over the model's hyperparameters, 100 evaluations,
// objective -F1): suggests trials with TPE (lib/tuning/tpe.ts) or random search, runs them in worker processes
// (one per core; TypeScript through tsx), appends each finished trial to a JSON-lines trials file and resumes
// from it after a kill without losing or rerunning a finished trial. Reusable for any objective.
//
// Determinism: trial t's suggestion uses its own stream Rng(seed, algo, 'suggest', t) and sees the finished
// trials before t - lag plus trials t-lag..t-1 as running (infinite loss, as hyperopt treats running jobs);
// lag = the number of workers when the file was created. A trial is dispatched only when every trial before
// t - lag has finished, so the whole sequence depends on (space, seed, algo, lag) and never on timing; a resumed
// or in-process run gives the same trials. The objective gets ctx.seed = Rng(seed, 'trial', t).uint32().
//
// Executors (lib/core/config.ts executorSettings): 'local' runs the trials in worker processes; 'slurm' submits
// each trial as a Slurm job (lib/executor/trials.ts) with up to K in flight (K = settings.inFlight, else workers),
// the same lag rule deciding what each suggestion sees: a running trial is an infinite loss, as hyperopt does with
// its parallel workers, so K = 1 on Slurm gives the same trials as one local worker.
import { fork, ChildProcess } from 'child_process';
import * as path from 'path';
import { Rng } from '../core/random';
import { rel } from '../core/paths';
import { Space, Vals, spaceHash, validateSpace } from './space';
import { suggestRandom } from './random';
import { Observation, suggestTpe, TPE_DEFAULTS } from './tpe';
import { loadObjective, resolveObjectiveModule } from './objective';
import {
  Algo, appendRecord, bestTrial, lockTrials, ObjectiveContext, ObjectiveResult, ObjectiveSpec, readTrials, SearchHeader, TpeOptions, TrialRecord,
} from './trials';
import type { TrialReply, TrialRequest } from './worker';
import { ExecutorSettings, executorSettings } from '../core/config';
import { describeSettings } from '../executor/slurm';
import { searchJobsDir, SlurmTrialExecutor, TrialOutcome } from '../executor/trials';

export interface SearchOptions {
  space: Space;
  objective: ObjectiveSpec;
  /** Total trials wanted (those already in the trials file count). */
  maxEvals: number;
  algo: Algo;
  seed: number;
  /** JSON-lines file of the trials; an existing file is resumed (its header must match). */
  trialsPath: string;
  /** Worker processes (default 1); also the suggestion lag of a new trials file. */
  workers?: number;
  /** Run the objective in this process instead of worker processes (same trials; for debugging and notebooks). */
  inProcess?: boolean;
  tpe?: Partial<TpeOptions>;
  log?: (line: string) => void;
  /** Executor settings over those of the environment (lib/core/config.ts executorSettings): 'slurm' submits each trial as a job. */
  executor?: Partial<ExecutorSettings>;
}

export interface SearchResult {
  trialsPath: string;
  header: SearchHeader;
  /** The finished trials 0..maxEvals-1, by tid. */
  trials: TrialRecord[];
  best: TrialRecord | null;
  /** Trials run now, and found finished in the file (of the first maxEvals). */
  ran: number;
  reused: number;
  seconds: number;
}

/** The objective's seed for trial t. */
export function trialSeed(seed: number, tid: number): number {
  return new Rng(seed, 'trial', tid).uint32();
}

/** The parameters of trial t, given what the search knows of every earlier trial. */
export function suggestTrial(
  header: SearchHeader, space: Space, tid: number,
  known: Map<number, { vals: Vals; loss: number | null; finished: boolean }>,
): { vals: Vals; params: unknown } {
  const rng = new Rng(header.seed, header.algo, 'suggest', tid);
  if (header.algo === 'random') return suggestRandom(space, rng);
  const history: Observation[] = [];
  for (let s = 0; s < tid; s++) {
    const k = known.get(s);
    if (!k) throw new Error(`search: trial ${s} unknown when suggesting trial ${tid}`);
    const running = s >= tid - header.lag;
    if (!running && !k.finished) throw new Error(`search: trial ${s} must have finished before trial ${tid} is suggested`);
    history.push({ tid: s, vals: k.vals, loss: running || k.loss === null ? Infinity : k.loss });
  }
  return suggestTpe(space, history, rng, header.tpe);
}

function checkHeader(file: string, h: SearchHeader, want: SearchHeader): void {
  const diffs: string[] = [];
  for (const k of ['algo', 'seed', 'spaceHash', 'lag'] as const) if (h[k] !== want[k]) diffs.push(`${k} ${JSON.stringify(h[k])} (wanted ${JSON.stringify(want[k])})`);
  if (JSON.stringify(h.tpe) !== JSON.stringify(want.tpe)) diffs.push(`tpe ${JSON.stringify(h.tpe)} (wanted ${JSON.stringify(want.tpe)})`);
  if (h.objective.module !== want.objective.module || h.objective.exportName !== want.objective.exportName) diffs.push(`objective ${h.objective.module}#${h.objective.exportName}`);
  if (diffs.length > 0) throw new Error(`${file}: made by another search: ${diffs.join('; ')}. Use another trials file or delete this one.`);
}

function toRecord(tid: number, vals: Vals, params: unknown, seed: number, out: { result?: ObjectiveResult; error?: string }, startedAt: string, seconds: number, worker: number): TrialRecord {
  let status: 'ok' | 'fail' = 'fail';
  let loss: number | null = null;
  let error = out.error;
  const result: Record<string, unknown> = {};
  if (out.result !== undefined) {
    const r = out.result;
    if (typeof r !== 'object' || r === null) error = `objective returned ${JSON.stringify(r)}, not {loss, status}`;
    else {
      for (const [k, v] of Object.entries(r)) if (k !== 'loss' && k !== 'status') result[k] = v;
      if (r.status === 'ok') {
        if (typeof r.loss === 'number' && Number.isFinite(r.loss)) {
          status = 'ok';
          loss = r.loss;
        } else error = `objective returned status ok with loss ${String(r.loss)} (a finite number is needed)`;
      } else if (r.status !== 'fail') error = `objective returned status '${String(r.status)}' (ok or fail)`;
    }
  }
  return { type: 'trial', tid, vals, params, seed, status, loss, result, ...(error ? { error } : {}), startedAt, seconds, worker };
}

/** Run (or resume) a search; resolves when maxEvals trials are finished. */
export async function runSearch(o: SearchOptions): Promise<SearchResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const t0 = Date.now();
  validateSpace(o.space);
  if (!(Number.isInteger(o.maxEvals) && o.maxEvals >= 0)) throw new Error(`search: maxEvals must be a non-negative integer, got ${o.maxEvals}`);
  if (o.algo !== 'tpe' && o.algo !== 'random') throw new Error(`search: algo must be 'tpe' or 'random', got '${String(o.algo)}'`);
  const exec = { ...executorSettings(), ...(o.executor ?? {}) };
  const onSlurm = exec.executor === 'slurm' && !o.inProcess;
  const workers = Math.max(1, Math.floor(onSlurm && exec.inFlight > 0 ? exec.inFlight : (o.workers ?? 1)));
  resolveObjectiveModule(o.objective.module); // fails early when missing
  const want: SearchHeader = {
    type: 'search', version: 1, algo: o.algo, seed: o.seed, spaceHash: spaceHash(o.space), lag: workers,
    tpe: { ...TPE_DEFAULTS, ...(o.tpe ?? {}) }, objective: { module: o.objective.module, exportName: o.objective.exportName },
    createdAt: new Date().toISOString(),
  };
  const release = lockTrials(o.trialsPath);
  try {
    return await searchLocked(o, want, workers, log, t0, onSlurm ? exec : null);
  } finally {
    release();
  }
}

async function searchLocked(o: SearchOptions, want: SearchHeader, workers: number, log: (l: string) => void, t0: number, slurm: ExecutorSettings | null): Promise<SearchResult> {
  const file = readTrials(o.trialsPath);
  let header: SearchHeader;
  if (file.header) {
    checkHeader(o.trialsPath, file.header, { ...want, lag: file.header.lag });
    header = file.header;
  } else {
    header = want;
    appendRecord(o.trialsPath, header);
  }
  if (file.droppedTornLine) log(`search: ${show(o.trialsPath)}: dropped a torn last line (killed while writing)`);
  const done = new Map<number, TrialRecord>(file.trials.map((t) => [t.tid, t]));
  const reused = [...done.keys()].filter((t) => t < o.maxEvals).length;
  const todo: number[] = [];
  for (let t = 0; t < o.maxEvals; t++) if (!done.has(t)) todo.push(t);
  log(`search: ${o.algo}, seed ${o.seed}, ${o.maxEvals} trials into ${show(o.trialsPath)}: ${reused} finished already, ${todo.length} to run` +
    (todo.length > 0 ? (o.inProcess ? ' in this process' : slurm ? ` as Slurm jobs, ${Math.min(workers, todo.length)} in flight` : ` on ${Math.min(workers, todo.length)} worker process${Math.min(workers, todo.length) > 1 ? 'es' : ''}`) : '') +
    ` (lag ${header.lag})`);

  // what the search knows of each trial: finished (record) or suggested (vals only)
  const known = new Map<number, { vals: Vals; loss: number | null; finished: boolean }>();
  for (const [t, r] of done) known.set(t, { vals: r.vals, loss: r.loss, finished: true });
  const suggest = (t: number) => {
    // every earlier trial must be known: finished ones from the file, the others suggested before (in order)
    for (let s = 0; s < t; s++) if (!known.has(s)) throw new Error(`search: trial ${s} not suggested before trial ${t}`);
    const sg = suggestTrial(header, o.space, t, known);
    known.set(t, { vals: sg.vals, loss: null, finished: false });
    return sg;
  };
  const canDispatch = (t: number) => {
    for (let s = 0; s < t - header.lag; s++) if (!known.get(s)?.finished) return false;
    return true;
  };
  let best = bestTrial([...done.values()]);
  const finish = (rec: TrialRecord) => {
    appendRecord(o.trialsPath, rec);
    done.set(rec.tid, rec);
    known.set(rec.tid, { vals: rec.vals, loss: rec.loss, finished: true });
    if (rec.status === 'ok' && (best === null || rec.loss! < best.loss!)) best = rec;
    const n = [...done.keys()].filter((t) => t < o.maxEvals).length;
    log(`search: trial ${rec.tid} (${n}/${o.maxEvals}) ${rec.status === 'ok' ? `loss ${fmt(rec.loss!)}` : `failed: ${(rec.error ?? '').split('\n')[0]}`}` +
      ` in ${rec.seconds.toFixed(1)} s; best ${best ? `${fmt(best.loss!)} (trial ${best.tid})` : 'none yet'}`);
  };

  if (todo.length > 0 && o.inProcess) {
    const fn = loadObjective(o.objective.module, o.objective.exportName);
    for (const t of todo) {
      const sg = suggest(t);
      const ctx: ObjectiveContext = { trial: t, seed: trialSeed(header.seed, t), args: o.objective.args };
      const startedAt = new Date().toISOString();
      const s0 = Date.now();
      let out: { result?: ObjectiveResult; error?: string };
      try {
        out = { result: (await fn(sg.params, ctx)) as ObjectiveResult };
      } catch (e) {
        out = { error: (e as Error).stack ?? String(e) };
      }
      finish(toRecord(t, sg.vals, sg.params, ctx.seed, out, startedAt, (Date.now() - s0) / 1000, 0));
    }
  } else if (todo.length > 0 && slurm) {
    log(`search: ${describeSettings(slurm)}`);
    const ex = new SlurmTrialExecutor(slurm, searchJobsDir(slurm, o.trialsPath), log);
    try {
      await runWithExecutor(o, header, todo, Math.min(workers, todo.length), suggest, canDispatch, finish, ex);
    } finally {
      ex.close();
    }
  } else if (todo.length > 0) {
    await runInWorkers(o, header, todo, Math.min(workers, todo.length), suggest, canDispatch, finish);
  }
  // the first maxEvals trials (a file may hold more, from an earlier and longer search)
  const trials = [...done.values()].filter((t) => t.tid < o.maxEvals).sort((a, b) => a.tid - b.tid);
  best = bestTrial(trials);
  const seconds = (Date.now() - t0) / 1000;
  log(`search: ${todo.length} trials run, ${reused} reused in ${seconds.toFixed(1)} s; best ${best ? `loss ${fmt((best as TrialRecord).loss!)} (trial ${(best as TrialRecord).tid})` : 'none'}`);
  return { trialsPath: o.trialsPath, header, trials, best, ran: todo.length, reused, seconds };
}

/** A path for messages: relative to the repository root when inside it. */
function show(p: string): string {
  const r = rel(path.resolve(p));
  return r.startsWith('..') ? path.resolve(p) : r;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toFixed(4) : x.toExponential(3);
}

/**
 * Trials through an executor that runs one trial per call (Slurm jobs): up to `slots` in flight, dispatched in
 * tid order under the same lag rule as the worker processes; an executor error (sbatch refused, ...) lets the
 * trials in flight finish and be recorded, then rejects.
 */
async function runWithExecutor(
  o: SearchOptions, header: SearchHeader, todo: number[], slots: number,
  suggest: (t: number) => { vals: Vals; params: unknown },
  canDispatch: (t: number) => boolean,
  finish: (rec: TrialRecord) => void,
  ex: SlurmTrialExecutor,
): Promise<void> {
  const queue = [...todo];
  const module = resolveObjectiveModule(o.objective.module);
  const running = new Map<number, Promise<{ t: number; out?: TrialOutcome; err?: Error }>>();
  const info = new Map<number, { vals: Vals; params: unknown; startedAt: string }>();
  let failing: Error | null = null;
  for (;;) {
    while (!failing && running.size < slots && queue.length > 0 && canDispatch(queue[0])) {
      const t = queue.shift()!;
      const sg = suggest(t);
      const ctx: ObjectiveContext = { trial: t, seed: trialSeed(header.seed, t), args: o.objective.args };
      info.set(t, { vals: sg.vals, params: sg.params, startedAt: new Date().toISOString() });
      running.set(t, ex.runTrial({ module, exportName: o.objective.exportName, tid: t, params: sg.params, ctx }).then(
        (out) => ({ t, out }), (err: Error) => ({ t, err })));
    }
    if (running.size === 0) break;
    const d = await Promise.race(running.values());
    running.delete(d.t);
    if (d.err || !d.out) {
      failing = failing ?? d.err ?? new Error(`search: trial ${d.t}: no outcome`);
      continue;
    }
    const r = info.get(d.t)!;
    const rec = toRecord(d.t, r.vals, r.params, trialSeed(header.seed, d.t), d.out, r.startedAt, d.out.seconds, Number(d.out.job.ids[d.out.job.ids.length - 1] ?? 0));
    rec.slurm = d.out.job;
    finish(rec);
  }
  if (failing) throw new Error(`search: ${failing.message}; finished trials are kept in ${show(o.trialsPath)}: run the search again to resume`);
}

function startWorker(): ChildProcess {
  return fork(path.join(__dirname, 'worker.ts'), [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function runInWorkers(
  o: SearchOptions, header: SearchHeader, todo: number[], nWorkers: number,
  suggest: (t: number) => { vals: Vals; params: unknown },
  canDispatch: (t: number) => boolean,
  finish: (rec: TrialRecord) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const queue = [...todo];
    const idle: ChildProcess[] = [];
    const running = new Map<ChildProcess, { tid: number; startedAt: string; index: number; vals: Vals; params: unknown }>();
    const all: ChildProcess[] = [];
    let settled = false;
    const stopAll = () => {
      for (const w of all) {
        if (w.connected) w.send({ type: 'exit' });
        if (w.exitCode === null && w.signalCode === null) setTimeout(() => w.exitCode === null && w.kill('SIGKILL'), 2000).unref();
      }
    };
    // a failure settles at once, or (drain) once the other workers have finished and recorded their trials
    let failing: Error | null = null;
    const fail = (e: Error, drain = false) => {
      if (settled) return;
      if (drain && running.size > 0) {
        failing = failing ?? e;
        return;
      }
      settled = true;
      stopAll();
      reject(failing ?? e);
    };
    const pump = () => {
      if (settled) return;
      if (failing) {
        if (running.size === 0) fail(failing);
        return;
      }
      while (idle.length > 0 && queue.length > 0 && canDispatch(queue[0])) {
        const t = queue.shift()!;
        const w = idle.shift()!;
        let sg: { vals: Vals; params: unknown };
        try {
          sg = suggest(t);
        } catch (e) {
          fail(e as Error);
          return;
        }
        const req: TrialRequest = { type: 'trial', tid: t, params: sg.params, ctx: { trial: t, seed: trialSeed(header.seed, t), args: o.objective.args } };
        running.set(w, { tid: t, startedAt: new Date().toISOString(), index: all.indexOf(w), vals: sg.vals, params: sg.params });
        w.send(req);
      }
      if (queue.length === 0 && running.size === 0) {
        settled = true;
        stopAll();
        resolve();
      }
    };
    for (let i = 0; i < nWorkers; i++) {
      const w = startWorker();
      all.push(w);
      w.on('message', (m: TrialReply) => {
        if (m.type === 'ready') {
          idle.push(w);
          pump();
        } else if (m.type === 'load-error') fail(new Error(`search: worker could not load the objective:\n${m.message}`));
        else {
          const r = running.get(w);
          if (!r || r.tid !== m.tid) return fail(new Error(`search: worker sent trial ${m.tid} unasked`));
          running.delete(w);
          try {
            finish(toRecord(m.tid, r.vals, r.params, trialSeed(header.seed, m.tid), m.type === 'result' ? { result: m.result } : { error: m.message }, r.startedAt, m.seconds, r.index));
          } catch (e) {
            return fail(e as Error);
          }
          idle.push(w);
          pump();
        }
      });
      w.on('exit', (code, signal) => {
        const r = running.get(w);
        running.delete(w);
        if (!settled) {
          fail(new Error(`search: worker process ${w.pid} exited (${signal ?? `code ${code}`})` +
            (r ? ` while running trial ${r.tid}` : '') + `; finished trials are kept in ${show(o.trialsPath)}: run the search again to resume`), true);
        }
      });
      w.on('error', (e) => fail(e));
      w.send({ type: 'init', module: resolveObjectiveModule(o.objective.module), exportName: o.objective.exportName });
    }
  });
}
