// Thread pool of the tree baselines of paper section 3.3 (GBM and RF, compared with SafeNet in section 4.6): a few
// Node worker threads, created once per process and reused by every fit, that share the training data with the
// calling thread through SharedArrayBuffer typed arrays. The calling thread stays synchronous (fit() keeps its
// signature): it posts a job to each worker (an optional message plus a bump of the worker's job counter in shared
// memory), does its own share of the work, then blocks in Atomics.wait until every worker has flagged the job
// done, and reads the workers' replies with receiveMessageOnPort. Small per-node jobs of the GBM pass their
// arguments and results through a shared Float64Array (io) instead of messages. The workers are unref'd and idle
// in Atomics.wait, so they never keep a CLI or a notebook kernel alive; closeTreePool() ends them explicitly.
// Which part of a job a thread does never changes a result (gbm.ts and rf.ts reduce in a fixed order), so the
// thread count only changes the speed; defaultTreeThreads() is the named default.
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { activeProfile, Profile } from '../core/config';

/** Slots of a worker's shared control array (Int32Array). */
export const CTRL = { seq: 0, done: 1, error: 2, length: 16 } as const;
/** Doubles in a worker's shared io array: arguments from 0, results from IO_OUT. */
export const IO_LENGTH = 32;
export const IO_OUT = 16;

/**
 * Threads a tree fit uses when its options name none: the cores Node may use (os.availableParallelism) capped by
 * the profile's workers (lib/core/config.ts; default the active profile), divided among `concurrent` fits that run at once (the trials
 * of a search, one per worker process: threads beyond the cores make every per-node hand-over wait for a core),
 * at least 1.
 */
export function defaultTreeThreads(concurrent = 1, profile: Profile = activeProfile()): number {
  if (!Number.isInteger(concurrent) || concurrent < 1) throw new Error(`defaultTreeThreads: concurrent must be a positive integer, got ${concurrent}`);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.floor(Math.min(cores, profile.workers) / concurrent));
}

/** Check a thread count option (a positive integer) or return the default. */
export function resolveThreads(threads: number | undefined, what: string): number {
  if (threads === undefined) return defaultTreeThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new Error(`${what}: threads must be an integer in 1..256, got ${threads}`);
  return threads;
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  ctrl: Int32Array;
  io: Float64Array;
  /** Job number last posted to this worker. */
  seq: number;
}

const WORKER_FILE = path.join(__dirname, 'tree-worker.ts');
const workers: PoolWorker[] = [];

function startWorker(index: number): PoolWorker {
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.length * 4));
  const io = new Float64Array(new SharedArrayBuffer(IO_LENGTH * 8));
  const { port1, port2 } = new MessageChannel();
  // the worker loads the TypeScript worker file through tsx's require hook, whatever loaded this file (tsx, uvu
  // with tsx/cjs, or tslab in a notebook kernel); a failure to load is reported like a failed job
  const code = `
const { workerData } = require('worker_threads');
try {
  require(${JSON.stringify(require.resolve('tsx/cjs'))});
  require(${JSON.stringify(WORKER_FILE)}).serveTreeJobs(workerData);
} catch (e) {
  const c = new Int32Array(workerData.ctrl);
  workerData.port.postMessage({ error: 'tree worker ' + workerData.index + ' failed to start: ' + (e && e.stack || e) });
  Atomics.store(c, ${CTRL.error}, 1);
  Atomics.store(c, ${CTRL.done}, -1);
  Atomics.notify(c, ${CTRL.done});
}`;
  const worker = new Worker(code, {
    eval: true,
    workerData: { ctrl: ctrl.buffer, io: io.buffer, port: port2, index },
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  port1.unref();
  return { worker, port: port1, ctrl, io, seq: 0 };
}

/** A handle on the first `count` workers of the process's pool (started on first use, then reused). */
export class TreePool {
  constructor(readonly count: number) {
    while (workers.length < count) workers.push(startWorker(workers.length));
  }

  /** The shared io array of worker w (arguments of the next small job, results of the last). */
  io(w: number): Float64Array {
    return workers[w].io;
  }

  /** Start a job on worker w: an optional message (read by the worker before it runs the job), then the signal. */
  post(w: number, message?: unknown): void {
    const pw = workers[w];
    if (message !== undefined) pw.port.postMessage(message);
    pw.seq++;
    Atomics.store(pw.ctrl, CTRL.seq, pw.seq);
    Atomics.notify(pw.ctrl, CTRL.seq);
  }

  /** Block until worker w has finished its last job; returns the messages it sent meanwhile; rethrows its error. */
  wait(w: number): unknown[] {
    const pw = workers[w];
    const { ctrl } = pw;
    // a short spin first: the GBM's per-node jobs take tens of microseconds
    for (let spin = 0; spin < 2000 && Atomics.load(ctrl, CTRL.done) !== pw.seq && Atomics.load(ctrl, CTRL.done) !== -1; spin++);
    for (;;) {
      const done = Atomics.load(ctrl, CTRL.done);
      if (done === pw.seq || done === -1) break;
      Atomics.wait(ctrl, CTRL.done, done, 1000);
    }
    const out: unknown[] = [];
    for (let m = receiveMessageOnPort(pw.port); m; m = receiveMessageOnPort(pw.port)) out.push(m.message);
    if (Atomics.load(ctrl, CTRL.error) !== 0) {
      const err = out.find((m) => typeof m === 'object' && m !== null && 'error' in m) as { error: string } | undefined;
      const startFailed = Atomics.load(ctrl, CTRL.done) === -1;
      Atomics.store(ctrl, CTRL.error, 0);
      if (startFailed) {
        // a worker that could not start is dropped, so the next pool starts a fresh one
        void workers[w].worker.terminate();
        workers.splice(w);
      }
      throw new Error(err ? err.error : `tree worker ${w} failed`);
    }
    return out;
  }
}

/** End the pool's workers (a later fit starts new ones). */
export async function closeTreePool(): Promise<void> {
  const all = workers.splice(0);
  await Promise.all(all.map((w) => w.worker.terminate()));
}

/** Worker side: a job handler gets the job's message (if any) and the worker's io array; returns a reply or nothing. */
export type TreeJobHandler = (message: unknown, io: Float64Array) => unknown;

/** Run jobs forever in a worker thread: wait for the job counter, run the handler, flag the job done. */
export function serveJobs(data: { ctrl: SharedArrayBuffer; io: SharedArrayBuffer; port: MessagePort }, handle: TreeJobHandler): void {
  const ctrl = new Int32Array(data.ctrl);
  const io = new Float64Array(data.io);
  const port = data.port;
  let seen = 0;
  for (;;) {
    let seq = Atomics.load(ctrl, CTRL.seq);
    for (let spin = 0; spin < 20000 && seq === seen; spin++) seq = Atomics.load(ctrl, CTRL.seq);
    while (seq === seen) {
      Atomics.wait(ctrl, CTRL.seq, seen);
      seq = Atomics.load(ctrl, CTRL.seq);
    }
    seen = seq;
    const m = receiveMessageOnPort(port);
    try {
      const reply = handle(m ? m.message : undefined, io);
      if (reply !== undefined) port.postMessage(reply);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
      Atomics.store(ctrl, CTRL.error, 1);
    }
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
  }
}
