// Environment capture (reproducibility): Node, tslab, TypeScript, tfjs versions, the training backend, git
// commit, profile and seeds; shown in the first cell of every notebook and written to build/environment.json.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { paths, rel } from './paths';
import { activeProfile, SEEDS, Profile } from './config';
import { writeJsonAtomic } from './atomic';
import { showMarkdown } from './notebook';

export interface Environment {
  capturedAt: string;
  notebook: string | null;
  node: string;
  platform: string;
  cpus: number;
  memoryGiB: number;
  packages: Record<string, string | null>;
  tslabTypescript: string | null;
  backend: string;
  /** What the backend selection said: the choice and, per skipped candidate, why (not printed in the notebook). */
  backendReport: string[];
  git: { commit: string | null; dirty: boolean | null };
  profile: Profile;
  seeds: typeof SEEDS;
}

function pkgVersion(name: string): string | null {
  // a package's exports map may hide package.json: find the module folder on the search paths instead
  for (const base of require.resolve.paths(name) ?? []) {
    const file = path.join(base, name, 'package.json');
    if (fs.existsSync(file)) {
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8')).version ?? null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: paths.root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

export const TRACKED_PACKAGES = [
  'tslab', 'typescript', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'tfjs-node',
  '@tensorflow/tfjs-node-gpu', 'danfojs-node', 'vega', 'vega-lite', '@resvg/resvg-js', 'papaparse', 'mathjs',
  'apache-arrow', 'uvu',
];

/** Capture the environment; backend is the name of the selected tfjs backend. */
export function captureEnvironment(backend: string, notebook: string | null = null, backendReport: string[] = []): Environment {
  const packages: Record<string, string | null> = {};
  for (const p of TRACKED_PACKAGES) packages[p] = pkgVersion(p);
  let tslabTypescript: string | null = null;
  try {
    tslabTypescript = require(require.resolve('typescript', { paths: [path.dirname(require.resolve('tslab/package.json', { paths: [paths.root] }))] })).version;
  } catch {
    tslabTypescript = null;
  }
  // tracked files only: untracked build logs or notebooks' outputs are not "uncommitted changes" of the code
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    capturedAt: new Date().toISOString(),
    notebook,
    node: process.version,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    cpus: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    packages,
    tslabTypescript,
    backend,
    backendReport,
    git: { commit: git(['rev-parse', 'HEAD']), dirty: status === null ? null : status.length > 0 },
    profile: activeProfile(),
    seeds: SEEDS,
  };
}

/** A tfjs binding's version, or why it is not used ("not installed", "0.0.0 installed, cannot load: ..."). */
export function bindingState(e: Environment, pkg: 'tfjs-node' | '@tensorflow/tfjs-node-gpu'): string {
  const v = e.packages[pkg];
  if (!v) return 'not installed';
  const line = e.backendReport.find((l) => l.trim().startsWith(pkg === 'tfjs-node' ? 'tfjs-node' : '@tensorflow/tfjs-node-gpu'));
  const m = line?.match(/unavailable \((.*)\)\s*$/);
  if (m) return `${v} installed, cannot load (${m[1].slice(0, 120)})`;
  return e.backend === 'tensorflow' ? `${v}` : `${v} (not used)`;
}

/** Markdown summary of an environment (the first cell of every notebook shows it). */
export function environmentMarkdown(e: Environment): string {
  const rows = [
    ['profile', `${e.profile.name}: ${e.profile.description}`],
    ['period', `${e.profile.from} .. ${e.profile.to} (+ ${e.profile.extraDays.join(', ')})`],
    ['seeds', Object.entries(e.seeds).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['backend', e.backend],
    ['node', e.node],
    ['tslab', `${e.packages.tslab} (TypeScript ${e.tslabTypescript ?? '?'} inside tslab)`],
    ['tfjs', `${e.packages['@tensorflow/tfjs']} (wasm ${e.packages['@tensorflow/tfjs-backend-wasm']}; tfjs-node ${bindingState(e, 'tfjs-node')}; tfjs-node-gpu ${bindingState(e, '@tensorflow/tfjs-node-gpu')})`],
    ['git', `${e.git.commit ?? 'not a git checkout'}${e.git.dirty ? ' (with uncommitted changes to tracked files)' : ''}`],
    ['machine', `${e.platform}, ${e.cpus} cores, ${e.memoryGiB} GiB`],
    ['captured', e.capturedAt],
  ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/**
 * Select the training backend, capture the environment, write build/environment.json (with a per-notebook
 * copy under build/environment/) and show the summary. The first cell of every notebook calls this. Returns
 * nothing (a notebook cell ending with it shows only the summary); captureEnvironment gives the object.
 */
export async function showEnvironment(notebook: string | null = null): Promise<void> {
  // imported lazily: loading tfjs is the slow part and only needed here
  const { selectBackend } = await import('../backend/backend');
  const report: string[] = [];
  const selected = await quietConsole(report, () => selectBackend({ log: (l) => report.push(l) }));
  const env = captureEnvironment(selected.name, notebook, report);
  writeJsonAtomic(paths.environment, env);
  if (notebook) writeJsonAtomic(path.join(paths.build, 'environment', `${notebook}.json`), env);
  showMarkdown(`**Environment** (written to \`${rel(paths.environment)}\`, with the backend selection's full report)\n\n${environmentMarkdown(env)}`);
}

/**
 * Run fn with console.warn and console.error collected instead of printed: loading tfjs bindings that cannot load
 * prints one "kernel ... already registered" warning per kernel (about 170). Repeated lines are counted, so the
 * report keeps one line each ("... (170 similar lines)").
 */
export async function quietConsole<T>(into: string[], fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  const error = console.error;
  const seen = new Map<string, number>();
  const keep = (...args: unknown[]) => {
    const line = args.map(String).join(' ').split('\n')[0];
    const key = line.replace(/'[^']*'/g, "'...'").replace(/\d+/g, 'N');
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (seen.get(key) === 1) into.push(`console: ${line}`);
  };
  console.warn = keep;
  console.error = keep;
  try {
    return await fn();
  } finally {
    console.warn = warn;
    console.error = error;
    for (const [key, n] of seen) if (n > 1) into.push(`console: ${n} lines like: ${key}`);
  }
}
