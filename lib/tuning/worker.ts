// Worker process of a hyperparameter search (lib/tuning/search.ts): loads the objective module once, then runs
// the trials it is sent, one message per trial, and exits when the search's process goes away (paper section
// 3.2's tuning, run one trial per core).
import * as path from 'path';
import type { ObjectiveContext, ObjectiveResult } from './trials';
import { loadObjective } from './objective';

export interface TrialRequest {
  type: 'trial';
  tid: number;
  params: unknown;
  ctx: ObjectiveContext;
}
export interface WorkerInit {
  type: 'init';
  module: string;
  exportName: string;
}
export type TrialReply =
  | { type: 'ready' }
  | { type: 'result'; tid: number; result: ObjectiveResult; seconds: number }
  | { type: 'error'; tid: number; message: string; seconds: number }
  | { type: 'load-error'; message: string };

if (process.send && path.resolve(process.argv[1] ?? '') === path.resolve(__filename)) {
  const send = (m: TrialReply) => process.send!(m);
  let objective: ((params: unknown, ctx: ObjectiveContext) => unknown) | null = null;
  // the search's process died (killed): nothing to report to, stop
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m: WorkerInit | TrialRequest | { type: 'exit' }) => {
    if (m.type === 'exit') process.exit(0);
    if (m.type === 'init') {
      try {
        objective = loadObjective(m.module, m.exportName);
        send({ type: 'ready' });
      } catch (e) {
        send({ type: 'load-error', message: (e as Error).stack ?? String(e) });
      }
      return;
    }
    const t0 = Date.now();
    try {
      const result = (await objective!(m.params, m.ctx)) as ObjectiveResult;
      send({ type: 'result', tid: m.tid, result, seconds: (Date.now() - t0) / 1000 });
    } catch (e) {
      send({ type: 'error', tid: m.tid, message: (e as Error).stack ?? String(e), seconds: (Date.now() - t0) / 1000 });
    }
  });
}
