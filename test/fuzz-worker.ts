// Child process of the fuzz harness (test/fuzz-harness.ts): reads a job list (target, mutant index), makes each
// mutant from the seeded stream rngFor('test', 'fuzz', target, index), writes it to the job's temporary folder,
// reads it with the target's reader and prints one JSON line per mutant: a clean decode, a named error, or any
// other exception (a crash). Runs under a data-size limit set by the parent (ulimit -d), so a blown allocation
// shows as an exception or a killed child. Not a test file.
import * as fs from 'fs';
import * as path from 'path';
import { rngFor } from '../lib/core/random';
import { FuzzBase, TARGETS } from './fuzz-targets';

interface Job {
  target: string;
  index: number;
}

const [jobFile, dir] = process.argv.slice(2);
const jobs = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as Job[];
const say = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

// the limit is in force: 2 GiB of array buffer cannot be had
let capEnforced = false;
try {
  const big = new Uint8Array(2 ** 31);
  big[0] = 1;
} catch {
  capEnforced = true;
}
const bases = new Map<string, FuzzBase[]>();
for (const t of new Set(jobs.map((j) => j.target))) bases.set(t, TARGETS[t].bases());
say({ ready: true, capEnforced, pid: process.pid });

for (const job of jobs) {
  const target = TARGETS[job.target];
  const rng = rngFor('test', 'fuzz', job.target, job.index);
  const list = bases.get(job.target)!;
  const base = list[rng.int(list.length)];
  const m = target.mutate(base, rng);
  const file = path.join(dir, `${job.target}-${job.index}-${base.name}`);
  fs.writeFileSync(file, m.bytes);
  say({ start: job.index, target: job.target });
  const t0 = process.hrtime.bigint();
  let outcome: 'decoded' | 'named' | 'crash';
  let detail: string;
  try {
    detail = target.read(file, base);
    outcome = 'decoded';
  } catch (e) {
    outcome = target.named(e, file) ? 'named' : 'crash';
    detail = outcome === 'named' ? (e as Error).message.slice(file.length, file.length + 160) : String((e as Error)?.stack ?? e).split('\n').slice(0, 4).join(' | ');
  }
  fs.rmSync(file, { force: true });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  say({ done: job.index, target: job.target, base: base.name, what: m.what, outcome, detail, ms: Math.round(ms) });
}
say({ finished: true });
