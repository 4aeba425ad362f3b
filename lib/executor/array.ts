// Lists of independent work as one Slurm job array (the experiments of paper section 4, one per model and
// dataset): task i runs `scripts/slurm/job.ts task <tasks.json>` with SLURM_ARRAY_TASK_ID=i, which runs the
// i-th package CLI of the list; the driver waits for every task's exit file, resubmits the tasks that failed,
// timed out or were cancelled (as a smaller array) up to `retries` times, and reports those that never succeeded
// with the reasons (scontrol's final state and exit code, the task's own exit file).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ExecutorSettings } from '../core/config';
import { writeJsonAtomic } from '../core/atomic';
import { paths } from '../core/paths';
import { readJson } from './job';
import { faultReason, FINAL_STATES, queryJobs, submit } from './slurm';
import { jobCommand } from './trials';

export interface ArrayTask {
  /** For messages. */
  name: string;
  /** A package CLI and its arguments, run with tsx from the repository root (e.g. ['scripts/slurm/job.ts', 'experiment', f]). */
  argv: string[];
  /** Extra environment of the task. */
  env?: Record<string, string>;
}

interface TaskList {
  type: 'task-list';
  tasks: ArrayTask[];
}

export interface ArrayResult {
  ok: number[];
  failed: { index: number; name: string; reasons: string[] }[];
  jobIds: string[];
  seconds: number;
}

/** Job side: run task `index` of a task list; returns its exit code. */
export function runArrayTask(file: string, index: number): number {
  const list = readJson<TaskList>(file, 'task list');
  if (list.type !== 'task-list' || !Array.isArray(list.tasks)) throw new Error(`${file}: field type: 'task-list' with a tasks array expected`);
  const t = list.tasks[index];
  if (!t) throw new Error(`${file}: no task ${index} (the list has ${list.tasks.length})`);
  if (!Array.isArray(t.argv) || t.argv.length === 0) throw new Error(`${file}: task ${index}: field argv: a non-empty array is needed`);
  console.log(`task ${index} (${t.name}): ${t.argv.join(' ')}`);
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), ...t.argv], {
    cwd: paths.root, stdio: 'inherit', env: { ...process.env, ...(t.env ?? {}) },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Submit the tasks as a job array and wait for all of them (resubmitting faults). */
export async function runArray(tasks: ArrayTask[], o: { settings: ExecutorSettings; dir: string; name: string; log?: (l: string) => void }): Promise<ArrayResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const t0 = Date.now();
  fs.mkdirSync(o.dir, { recursive: true });
  const listFile = path.join(o.dir, `${o.name}.tasks.json`);
  writeJsonAtomic(listFile, { type: 'task-list', tasks } satisfies TaskList);
  const exitOf = (i: number) => path.join(o.dir, `${o.name}.task-${i}.exit.json`);
  const reasons = new Map<number, string[]>(tasks.map((_, i) => [i, []]));
  const ok: number[] = [];
  const jobIds: string[] = [];
  let todo = tasks.map((_, i) => i);
  for (let round = 0; todo.length > 0 && round <= o.settings.retries; round++) {
    for (const i of todo) fs.rmSync(exitOf(i), { force: true });
    const id = submit({ settings: o.settings, dir: o.dir, name: o.name, argv: jobCommand('task', listFile), exitFile: path.join(o.dir, `${o.name}.task-%a.exit.json`), array: todo.join(',') });
    jobIds.push(id);
    log(`slurm: ${o.name}: job array ${id} (${todo.length} task${todo.length > 1 ? 's' : ''}${round > 0 ? `, resubmission ${round}` : ''})`);
    const pending = new Set(todo);
    const again: number[] = [];
    while (pending.size > 0) {
      await sleep(o.settings.pollMs);
      const jobs = queryJobs();
      for (const i of [...pending]) {
        const info = jobs.get(`${id}_${i}`);
        const ef = exitOf(i);
        const exited = fs.existsSync(ef) ? readJson<{ exitCode: number }>(ef, 'exit file').exitCode : null;
        if (exited === 0) {
          pending.delete(i);
          ok.push(i);
          log(`slurm: ${o.name}: task ${i} (${tasks[i].name}) done`);
        } else if (exited !== null || !info || FINAL_STATES.has(info.state)) {
          pending.delete(i);
          again.push(i);
          const why = faultReason(`${id}_${i}`, info, ef);
          reasons.get(i)!.push(why);
          log(`slurm: ${o.name}: task ${i} (${tasks[i].name}) ended without success: ${why}`);
        }
      }
    }
    todo = again.sort((a, b) => a - b);
  }
  return {
    ok: ok.sort((a, b) => a - b), jobIds, seconds: (Date.now() - t0) / 1000,
    failed: todo.map((i) => ({ index: i, name: tasks[i].name, reasons: reasons.get(i)! })),
  };
}
