// Worker thread of the tree baselines' pool (lib/models/tree-pool.ts; paper section 3.3, GBM and RF): holds the
// histogram shard of the GBM fit in progress and answers its per-node jobs, and grows random-forest trees claimed
// from a shared counter. Started by tree-pool.ts through tsx's require hook; never imported by other files.
import { MessagePort } from 'worker_threads';
import { HistShard, GbmShared } from './gbm';
import { growClaimedTrees, RfJob } from './rf';
import { IO_OUT, serveJobs } from './tree-pool';

type Message = { type: 'gbm'; shared: GbmShared; f0: number; f1: number } | { type: 'release' } | ({ type: 'rf' } & RfJob);

export function serveTreeJobs(data: { ctrl: SharedArrayBuffer; io: SharedArrayBuffer; port: MessagePort; index: number }): void {
  let shard: HistShard | null = null;
  serveJobs(data, (message, io) => {
    if (message === undefined) {
      if (!shard) throw new Error(`tree worker ${data.index}: a histogram job came before the GBM fit's data`);
      shard.run(io, IO_OUT);
      return undefined;
    }
    const m = message as Message;
    if (m.type === 'gbm') {
      shard = new HistShard(m.shared, m.f0, m.f1);
      return undefined;
    }
    if (m.type === 'release') {
      shard = null;
      return undefined;
    }
    if (m.type === 'rf') return { trees: growClaimedTrees(m) };
    throw new Error(`tree worker ${data.index}: unknown message type '${(m as { type: unknown }).type}'`);
  });
}
