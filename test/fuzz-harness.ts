// Fuzz harness for the readers of untrusted input (issue 16): runs seeded mutants (test/fuzz-targets.ts) in a few
// child processes (test/fuzz-worker.ts), each under a memory cap (ulimit -d and --max-old-space-size) and a
// per-mutant timeout. A child that is killed or stops answering marks its current mutant ('memory', 'killed',
// 'timeout') and a new child goes on from the next one. Returns every mutant's outcome. Not a test file.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export type FuzzOutcomeKind = 'decoded' | 'named' | 'crash' | 'timeout' | 'killed';

export interface FuzzOutcome {
  target: string;
  index: number;
  outcome: FuzzOutcomeKind;
  base?: string;
  what?: string;
  detail?: string;
  ms?: number;
}

export interface FuzzOptions {
  /** Child processes (default 2). */
  workers?: number;
  /** A mutant that takes longer is a failure (default 10 s: generous for 2 busy cores). */
  perMutantMs?: number;
  /** Data segment limit of each child, MiB (default 1024: the reader must not need more for these files). */
  memoryMiB?: number;
  /** Folder for job lists and mutant files (made and removed by the caller). */
  dir: string;
}

export interface FuzzRun {
  outcomes: FuzzOutcome[];
  capEnforced: boolean;
  seconds: number;
  children: number;
}

const ROOT = path.join(__dirname, '..');

/** Run the jobs (target, index) across child processes; resolves when every mutant has an outcome. */
export async function runFuzz(jobs: { target: string; index: number }[], o: FuzzOptions): Promise<FuzzRun> {
  const t0 = Date.now();
  const workers = o.workers ?? 2;
  const perMutantMs = o.perMutantMs ?? 10000;
  const memoryMiB = o.memoryMiB ?? 1024;
  const outcomes = new Map<string, FuzzOutcome>();
  const key = (j: { target: string; index: number }) => `${j.target}#${j.index}`;
  let capEnforced = true;
  let children = 0;

  const runChunk = async (chunk: { target: string; index: number }[], id: string): Promise<void> => {
    let rest = chunk;
    while (rest.length > 0) {
      children++;
      const jobFile = path.join(o.dir, `jobs-${id}-${children}.json`);
      fs.writeFileSync(jobFile, JSON.stringify(rest));
      const node = `${JSON.stringify(process.execPath)} --max-old-space-size=${Math.min(512, memoryMiB)} --require tsx/cjs test/fuzz-worker.ts ${JSON.stringify(jobFile)} ${JSON.stringify(o.dir)}`;
      const child = spawn('bash', ['-c', `ulimit -d ${memoryMiB * 1024} && exec ${node}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let current: { target: string; index: number } | null = null;
      let buf = '';
      let stderr = '';
      let timer: NodeJS.Timeout | null = null;
      let timedOut = false;
      const arm = (ms: number) => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, ms);
      };
      arm(120000); // start-up (tsx compiling on a busy machine)
      child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
      child.stdout.on('data', (d) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          let msg: Record<string, unknown>;
          try {
            msg = JSON.parse(line);
          } catch {
            continue;
          }
          if (msg.ready) {
            if (!msg.capEnforced) capEnforced = false;
            arm(perMutantMs);
          } else if (typeof msg.start === 'number') {
            current = { target: String(msg.target), index: msg.start };
            arm(perMutantMs);
          } else if (typeof msg.done === 'number') {
            const oc = { target: String(msg.target), index: msg.done, outcome: msg.outcome as FuzzOutcomeKind, base: String(msg.base), what: String(msg.what), detail: String(msg.detail), ms: Number(msg.ms) };
            outcomes.set(key(oc), oc);
            current = null;
            arm(perMutantMs);
          }
        }
      });
      const code = await new Promise<number | string>((resolve) => child.on('close', (c, sig) => resolve(sig ?? c ?? -1)));
      if (timer) clearTimeout(timer);
      const doneNow = rest.filter((j) => outcomes.has(key(j))).length;
      if (current === null && doneNow === 0 && rest.length > 0) {
        throw new Error(`fuzz worker failed before its first mutant (exit ${code}): ${stderr}`);
      }
      if (current !== null) {
        const c: { target: string; index: number } = current;
        outcomes.set(key(c), { target: c.target, index: c.index, outcome: timedOut ? 'timeout' : 'killed', detail: `exit ${code}: ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}` });
      }
      rest = rest.filter((j) => !outcomes.has(key(j)));
    }
  };
  const chunks: { target: string; index: number }[][] = Array.from({ length: workers }, () => []);
  jobs.forEach((j, k) => chunks[k % workers].push(j));
  await Promise.all(chunks.map((c, k) => runChunk(c, String(k))));
  return { outcomes: jobs.map((j) => outcomes.get(key(j))!), capEnforced, seconds: (Date.now() - t0) / 1000, children };
}

/** Outcome counts of one target, e.g. { decoded: 40, named: 360 }. */
export function countOutcomes(outcomes: FuzzOutcome[], target: string): Record<string, number> {
  const c: Record<string, number> = {};
  for (const o of outcomes) if (o.target === target) c[o.outcome] = (c[o.outcome] ?? 0) + 1;
  return c;
}

/** The outcomes that are failures (anything but a clean decode or a named error), one line each. */
export function failures(outcomes: FuzzOutcome[]): string[] {
  return outcomes.filter((o) => o.outcome !== 'decoded' && o.outcome !== 'named').map((o) => `${o.target} #${o.index} ${o.base ?? ''} [${o.what ?? ''}]: ${o.outcome}: ${o.detail ?? ''}`);
}
