// Day-parallel simulation into the store (the embedded default input of the pipeline, paper section 2.3 stand-in):
// worker processes (child_process.fork running tsx) simulate one day each at a time; days already stored with
// the same parameter+seed hash are skipped; the ground truth of all days is gathered into one table at the end.
import { fork, ChildProcess } from 'child_process';
import * as path from 'path';
import { Profile, profileDays, SEEDS } from '../core/config';
import { rel } from '../core/paths';
import { progress } from '../core/progress';
import { writeJsonAtomic } from '../core/atomic';
import { SimulationParams, withParams, DEFAULT_SIMULATION_PARAMS } from './params';
import { DEFAULT_INPUT_FILES, inputsDigest, SIMULATOR_VERSION, simulationHash, simulationProvenance, SimulationSeed, staleReason, storeRootFor, writeGroundTruth } from './simulate';
import type { WorkerReply, WorkerRequest } from './worker';

export interface ParallelOptions {
  days: string[];
  params: SimulationParams;
  seed: SimulationSeed;
  /** Store root (default from seed/params: build/store/simulated or build/store/simulated-null). */
  root?: string;
  workers?: number;
  /** Re-simulate days even when they are current. */
  force?: boolean;
  log?: (line: string) => void;
  /** Label for the progress line. */
  label?: string;
}

export interface RunSummary {
  root: string;
  seed: SimulationSeed;
  seedValue: number;
  hash: string;
  simulatorVersion: string;
  days: number;
  simulated: number;
  skipped: number;
  records: number;
  truth: number;
  seconds: number;
  recordsPerSecond: number;
  /** CPU seconds the workers spent simulating and writing (excludes their start-up). */
  cpuSeconds: number;
  /** records / cpuSeconds: the rate of one uncontended core. */
  recordsPerCpuSecond: number;
  workers: number;
  groundTruthCsv: string;
  groundTruthJson: string;
}

/** Start one worker process (TypeScript through tsx's CommonJS hook). */
function startWorker(): ChildProcess {
  const script = path.join(__dirname, 'worker.ts');
  return fork(script, [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Simulate the given days across worker processes; returns what was done. */
export async function simulateDaysParallel(o: ParallelOptions): Promise<RunSummary> {
  const log = o.log ?? ((l: string) => console.log(l));
  const root = o.root ?? storeRootFor(o.seed, o.params.injection.enabled);
  const digest = inputsDigest(DEFAULT_INPUT_FILES);
  const hash = simulationHash(o.params, o.seed, digest);
  const now = simulationProvenance(o.params, o.seed, digest);
  const reasons = new Map<string, string[]>();
  const todo: string[] = [];
  for (const d of o.days) {
    const why = o.force ? 'forced (--force)' : staleReason(root, d, hash, now);
    if (why === null) continue;
    todo.push(d);
    if (!reasons.has(why)) reasons.set(why, []);
    reasons.get(why)!.push(d);
  }
  const skipped = o.days.length - todo.length;
  const nWorkers = Math.max(1, Math.min(o.workers ?? 2, todo.length || 1));
  log(`simulator: ${o.days.length} days into ${rel(root)} (seed ${o.seed}=${SEEDS[o.seed]}, hash ${hash.slice(0, 12)}), ` +
    `${skipped} already current, ${todo.length} to simulate on ${nWorkers} worker processes`);
  for (const [why, ds] of reasons) {
    log(`simulator: ${ds.length} day${ds.length === 1 ? '' : 's'} (${ds[0]}${ds.length > 1 ? `..${ds[ds.length - 1]}` : ''}) to simulate because: ${why}`);
  }
  const start = Date.now();
  let records = 0;
  let truth = 0;
  let cpuMs = 0;
  if (todo.length > 0) {
    const bar = progress(o.label ?? 'simulating days', todo.length, { log });
    await new Promise<void>((resolve, reject) => {
      const queue = [...todo];
      const workers: ChildProcess[] = [];
      let active = 0;
      let failed = false;
      const finish = (err?: Error) => {
        if (failed) return;
        if (err) failed = true;
        for (const w of workers) if (w.connected) w.send({ type: 'exit' });
        if (err) reject(err);
        else resolve();
      };
      const next = (w: ChildProcess) => {
        const day = queue.shift();
        if (day === undefined) {
          if (w.connected) w.send({ type: 'exit' });
          active--;
          if (active === 0) finish();
          return;
        }
        const req: WorkerRequest = { day, params: o.params, seed: o.seed, root, hash, inputsDigest: digest };
        w.send(req);
      };
      for (let i = 0; i < nWorkers; i++) {
        const w = startWorker();
        workers.push(w);
        active++;
        w.on('message', (m: WorkerReply) => {
          if (m.type === 'ready') next(w);
          else if (m.type === 'done') {
            records += m.records;
            truth += m.truth;
            cpuMs += m.cpuMs;
            const el = (Date.now() - start) / 1000;
            bar.tick(1, `${m.day}, ${Math.round(records / el).toLocaleString('en-US')} records/s`);
            next(w);
          } else if (m.type === 'error') finish(new Error(`simulating ${m.day} failed:\n${m.message}`));
        });
        w.on('exit', (code) => {
          if (code !== 0 && !failed && queue.length + active > 0) finish(new Error(`simulator worker exited with code ${code}`));
        });
        w.on('error', (e) => finish(e));
      }
    });
    bar.done(`${records.toLocaleString('en-US')} records`);
  }
  const seconds = (Date.now() - start) / 1000;
  const gt = writeGroundTruth(root, o.days, { seed: o.seed, seedValue: SEEDS[o.seed], hash, simulatorVersion: SIMULATOR_VERSION, days: o.days.length });
  const summary: RunSummary = {
    root: rel(root), seed: o.seed, seedValue: SEEDS[o.seed], hash, simulatorVersion: SIMULATOR_VERSION,
    days: o.days.length, simulated: todo.length, skipped, records, truth: gt.rows, seconds,
    recordsPerSecond: seconds > 0 ? records / seconds : 0, workers: nWorkers,
    cpuSeconds: cpuMs / 1000, recordsPerCpuSecond: cpuMs > 0 ? records / (cpuMs / 1000) : 0,
    groundTruthCsv: rel(gt.csv), groundTruthJson: rel(gt.json),
  };
  // the run summary describes the last run that simulated something (a run that only skipped keeps it)
  if (summary.simulated > 0) writeJsonAtomic(path.join(root, 'simulation-run.json'), { ...summary, finishedAt: new Date().toISOString(), params: o.params });
  log(`simulator: ${summary.simulated} days simulated (${records.toLocaleString('en-US')} records in ${seconds.toFixed(1)} s, ` +
    `${Math.round(summary.recordsPerSecond).toLocaleString('en-US')} records/s), ${skipped} skipped; ground truth: ${gt.rows} entries -> ${summary.groundTruthCsv}`);
  return summary;
}

/** Simulate a profile's days (its period plus the case-study days): the signal run, or the null run. */
export function simulateProfile(profile: Profile, opts: { null?: boolean; force?: boolean; workers?: number; params?: SimulationParams; log?: (l: string) => void } = {}): Promise<RunSummary> {
  const base = opts.params ?? DEFAULT_SIMULATION_PARAMS;
  const params = opts.null ? withParams({ injection: { enabled: false } }, base) : base;
  return simulateDaysParallel({
    days: profileDays(profile),
    params,
    seed: opts.null ? 'nullSimulation' : 'simulator',
    workers: opts.workers ?? profile.workers,
    force: opts.force,
    log: opts.log,
    label: `simulating ${profile.name}${opts.null ? ' (null)' : ''}`,
  });
}
