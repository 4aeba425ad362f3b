// The job side of the slurm executor (hyperparameter search of paper section 3.2 and the experiments of
// section 4, run as Slurm jobs): one trial of a search from its request file, its result written atomically
// beside it, the same objective code and context as a local worker process (lib/tuning/worker.ts), so the
// trial's metrics are bit-identical whichever executor ran it.
import * as fs from 'fs';
import * as os from 'os';
import { writeJsonAtomic } from '../core/atomic';
import { loadObjective } from '../tuning/objective';
import type { ObjectiveContext, ObjectiveResult } from '../tuning/trials';

/** What the driver asks of one trial job. */
export interface TrialJobRequest {
  type: 'trial-request';
  module: string;
  exportName: string;
  tid: number;
  params: unknown;
  ctx: ObjectiveContext;
  /** Where the job writes its TrialJobResult (atomically). */
  resultFile: string;
}

/** What a trial job writes: the objective's result, or its error (a trial that failed, not a job that failed). */
export interface TrialJobResult {
  type: 'trial-result';
  tid: number;
  /** The request's params and seed, so that the driver never takes a result for another trial's. */
  params: unknown;
  seed: number;
  outcome: { result: ObjectiveResult } | { error: string };
  seconds: number;
  jobId: string;
  host: string;
  /** The tfjs backend the objective chose on the node (null when it used none). */
  backend: string | null;
}

/** The backend lib/backend chose in this process, without loading tfjs when the objective did not. */
function backendUsed(): string | null {
  const mod = require.resolve('../backend/backend');
  if (!require.cache[mod]) return null;
  return (require(mod) as typeof import('../backend/backend')).currentBackend()?.name ?? null;
}

export function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the ${what} (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${file}: the ${what} is not JSON (${(e as Error).message})`);
  }
}

/** Run the trial of a request file and write its result file. */
export async function runTrialJob(requestFile: string): Promise<TrialJobResult> {
  const req = readJson<TrialJobRequest>(requestFile, 'trial request');
  if (req.type !== 'trial-request') throw new Error(`${requestFile}: field type: 'trial-request' expected, got ${JSON.stringify(req.type)}`);
  for (const k of ['module', 'exportName', 'resultFile'] as const) if (typeof req[k] !== 'string') throw new Error(`${requestFile}: field ${k}: a string is needed`);
  if (!Number.isInteger(req.tid) || !req.ctx || !Number.isInteger(req.ctx.seed)) throw new Error(`${requestFile}: fields tid and ctx.seed: integers are needed`);
  const objective = loadObjective(req.module, req.exportName);
  const t0 = Date.now();
  let outcome: TrialJobResult['outcome'];
  try {
    const result = (await objective(req.params, req.ctx)) as ObjectiveResult;
    JSON.stringify(result); // must cross as JSON, as from a worker process
    outcome = { result };
  } catch (e) {
    outcome = { error: (e as Error).stack ?? String(e) };
  }
  const res: TrialJobResult = {
    type: 'trial-result', tid: req.tid, params: req.params, seed: req.ctx.seed, outcome, seconds: (Date.now() - t0) / 1000,
    jobId: process.env.SLURM_JOB_ID ?? '', host: os.hostname(), backend: backendUsed(),
  };
  writeJsonAtomic(req.resultFile, res);
  return res;
}
