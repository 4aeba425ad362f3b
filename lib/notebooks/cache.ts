// Notebook cache of `make reproduce` (showyourwork/DVC's rule: a stage whose inputs did not change is not run
// again): a notebook is executed again only when its key changed. The key covers what a notebook can read: its own
// cells, the package's code and data (lib/, scripts/, data/, package files), the profile and SAFENET_* settings, and
// the build's inputs (build/results, build/datasets, build/store; files up to 4 MiB by content, larger ones by size
// and time), taken just before the notebook runs. A skipped notebook keeps its executed .ipynb/.html and the
// figures it wrote, each checked against the sha256 recorded when it ran. Serves the whole pipeline (paper
// sections 2-4: every notebook), and the "under 5 minutes when nothing changed" budget.
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { paths, rel } from '../core/paths';
import { writeJsonAtomic } from '../core/atomic';

/** Files up to this size are hashed by content; larger ones (store days, dataset arrays) by size and mtime. */
export const CONTENT_HASH_LIMIT = 4 * 1024 * 1024;

/** What a notebook reads from the source tree (besides its own file). */
export const SOURCE_INPUTS = ['lib', 'scripts', 'data', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** What a notebook reads from the build folder (its outputs, build/notebooks and build/environment, are not inputs). */
export const BUILD_INPUTS = ['results', 'datasets', 'store'];

export interface FileDigest {
  file: string;
  bytes: number;
  sha256: string;
}

export interface NotebookCacheEntry {
  /** The key just before the notebook last ran, and at the end of that run (after the notebooks after it). */
  key: string;
  endKey: string;
  seconds: number;
  /** Executed notebook and its HTML, and the figure files the notebook wrote, as they were when it ran. */
  outputs: FileDigest[];
}

export interface NotebookCacheFile {
  version: 1;
  notebooks: Record<string, NotebookCacheEntry>;
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Content hashes of files already read in this process, by path, size and mtime (a run hashes the build 9 times). */
const memo = new Map<string, string>();

function fileToken(file: string, st: fs.Stats): string {
  if (st.size > CONTENT_HASH_LIMIT) return `size ${st.size} mtime ${st.mtimeMs}`;
  const k = `${file}\0${st.size}\0${st.mtimeMs}`;
  let h = memo.get(k);
  if (!h) memo.set(k, (h = sha256File(file)));
  return h;
}

/** Every regular file below `dir` (or `dir` itself), in sorted order; missing: none. */
function walk(dir: string, out: string[] = []): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return out;
  }
  if (st.isFile()) out.push(dir);
  else if (st.isDirectory()) for (const f of fs.readdirSync(dir).sort()) if (f !== 'node_modules' && f !== '.git') walk(path.join(dir, f), out);
  return out;
}

/** One digest over the files below the given roots (relative names and content tokens). */
export function treeDigest(base: string, roots: string[]): string {
  const h = createHash('sha256');
  for (const r of roots) {
    for (const f of walk(path.join(base, r))) h.update(`${path.relative(base, f)}\0${fileToken(f, fs.statSync(f))}\n`);
  }
  return h.digest('hex');
}

/** The run-wide part of the keys: the source tree, the profile and the SAFENET_* settings (not the folders' own). */
export function sourceKey(profile: string, env: NodeJS.ProcessEnv = process.env, root = paths.root): string {
  const settings = Object.keys(env).filter((k) => k.startsWith('SAFENET_') && k !== 'SAFENET_BUILD_DIR' && k !== 'SAFENET_FIGURES_DIR')
    .sort().map((k) => `${k}=${env[k]}`);
  return createHash('sha256').update(`profile ${profile}\n${settings.join('\n')}\nsource ${treeDigest(root, SOURCE_INPUTS)}\n`).digest('hex');
}

/** The build's inputs as they are now (BUILD_INPUTS of the build folder). */
export function buildDigest(build = paths.build): string {
  return treeDigest(build, BUILD_INPUTS);
}

/** The key of a notebook: its own file, the run-wide part (sourceKey) and the build's inputs (buildDigest). */
export function notebookKey(nbPath: string, source: string, build: string): string {
  return createHash('sha256').update(`notebook ${sha256File(nbPath)}\n${source}\nbuild ${build}\n`).digest('hex');
}

export function digestOf(file: string): FileDigest {
  return { file, bytes: fs.statSync(file).size, sha256: sha256File(file) };
}

/** Why a recorded output no longer stands (missing or changed), or null when all are as recorded. */
export function staleOutput(outputs: FileDigest[]): string | null {
  for (const o of outputs) {
    if (!fs.existsSync(o.file)) return `${rel(o.file)} is missing`;
    if (fs.statSync(o.file).size !== o.bytes || sha256File(o.file) !== o.sha256) return `${rel(o.file)} changed since the notebook ran`;
  }
  return null;
}

export function cacheFile(outDir = paths.executedNotebooks): string {
  return path.join(outDir, '.reproduce-cache.json');
}

/** The recorded entries; an unreadable or foreign file counts as empty (every notebook runs). */
export function readNotebookCache(file = cacheFile()): NotebookCacheFile {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (c && c.version === 1 && c.notebooks && typeof c.notebooks === 'object') return c as NotebookCacheFile;
  } catch {
    // missing or damaged: nothing cached
  }
  return { version: 1, notebooks: {} };
}

export function writeNotebookCache(c: NotebookCacheFile, file = cacheFile()): void {
  writeJsonAtomic(file, c);
}

/** Why a notebook must run (null: it is up to date and may be skipped). */
export function rerunReason(entry: NotebookCacheEntry | undefined, key: string): string | null {
  if (!entry) return 'not run before';
  if (entry.key !== key && entry.endKey !== key) return 'its inputs changed (notebook, code, data, profile, settings or build results)';
  return staleOutput(entry.outputs);
}

/** Figure files (.vl.json, .svg, .png) in `dir` written at or after `since` (ms). */
export function figuresWrittenSince(since: number, dir = paths.figures): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.(vl\.json|svg|png)$/.test(f)).map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).mtimeMs >= since).sort();
}
