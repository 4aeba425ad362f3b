// Worker process of the parallel simulator (lib/simulation/parallel.ts): loads the real catalog, Kp, Dst and
// IGRF-13 once, then simulates and stores the days it is sent, one message per day (paper section 2.3 stand-in).
import { loadInputs, simulateAndWriteDay, SimulationSeed } from './simulate';
import { SimulationParams } from './params';

export interface WorkerRequest {
  day: string;
  params: SimulationParams;
  seed: SimulationSeed;
  root: string;
  hash: string;
  /** Digest of the input files the hash was made with (checked against the worker's own). */
  inputsDigest: string;
}
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; day: string; records: number; truth: number; ms: number; cpuMs: number }
  | { type: 'error'; day: string; message: string };

if (require.main === module || process.send) {
  const inputs = loadInputs();
  const send = (m: WorkerReply) => process.send!(m);
  process.on('message', (req: WorkerRequest | { type: 'exit' }) => {
    if ('type' in req) {
      process.exit(0);
    }
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    try {
      if (req.inputsDigest !== inputs.digest) throw new Error(`worker: input files changed during the run (digest ${inputs.digest.slice(0, 12)} vs ${req.inputsDigest.slice(0, 12)})`);
      const r = simulateAndWriteDay(req.day, inputs, req.params, req.seed, req.root, req.hash);
      const c = process.cpuUsage(c0);
      send({ type: 'done', day: req.day, records: r.records, truth: r.truth, ms: Date.now() - t0, cpuMs: (c.user + c.system) / 1000 });
    } catch (e) {
      send({ type: 'error', day: req.day, message: (e as Error).stack ?? String(e) });
    }
  });
  send({ type: 'ready' });
}
