// The `make reproduce` pipeline: prepare the inputs of the profile (simulated Swarm A store), execute every
// notebook headless, then verify the outputs (Maneage's rule: outputs are checked, and recorded with sha256).
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { paths, rel } from '../core/paths';
import { Profile } from '../core/config';
import { writeJsonAtomic } from '../core/atomic';
import { executedPaths, listNotebooks, runNotebooks, NotebookReport } from './runner';
import { buildDigest, digestOf, FileDigest, figuresWrittenSince, notebookKey, readNotebookCache, rerunReason, sourceKey, writeNotebookCache } from './cache';
import { checkFigures, formatFigureProblem } from '../figures/check';

export interface FigureRecord {
  name: string;
  files: Record<'vl.json' | 'svg' | 'png', { bytes: number; sha256: string }>;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Figures written since `since` (ms): each must have its .vl.json, .svg and .png; throws naming what is missing. */
export function verifyFigures(since: number, dir = paths.figures): FigureRecord[] {
  if (!fs.existsSync(dir)) throw new Error(`no figures were written: ${rel(dir)} does not exist`);
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir)) {
    const m = f.match(/^(.*)\.(vl\.json|svg|png)$/);
    if (m && fs.statSync(path.join(dir, f)).mtimeMs >= since) names.add(m[1]);
  }
  const records: FigureRecord[] = [];
  const problems: string[] = [];
  for (const name of [...names].sort()) {
    const files: any = {};
    for (const ext of ['vl.json', 'svg', 'png'] as const) {
      const f = path.join(dir, `${name}.${ext}`);
      if (!fs.existsSync(f) || fs.statSync(f).size === 0) problems.push(`${rel(f)} missing or empty`);
      else if (fs.statSync(f).mtimeMs < since) problems.push(`${rel(f)} is stale (not rewritten by this run)`);
      else files[ext] = { bytes: fs.statSync(f).size, sha256: sha256(f) };
    }
    if (files['vl.json']) {
      try {
        JSON.parse(fs.readFileSync(path.join(dir, `${name}.vl.json`), 'utf8'));
      } catch (e) {
        problems.push(`${name}.vl.json is not valid JSON`);
      }
    }
    records.push({ name, files });
  }
  if (problems.length) throw new Error(`figure check failed:\n  ${problems.join('\n  ')}`);
  return records;
}

export interface ReproduceSummary {
  profile: string;
  startedAt: string;
  seconds: number;
  steps: { step: string; seconds: number }[];
  /** cached: not run again (its inputs unchanged, lib/notebooks/cache.ts); seconds is then those of the run that made it. */
  notebooks: { notebook: string; ok: boolean; seconds: number; cached?: boolean }[];
  figures: FigureRecord[];
}

export interface ReproduceStep {
  name: string;
  run: (profile: Profile) => Promise<void>;
  /** Run after the notebooks and the output checks (e.g. build/report.html, which reads what they wrote). */
  afterNotebooks?: boolean;
}

/** A figure's record from the digests of its three files (as recorded by the notebook cache). */
function figureRecordOf(name: string, digests: FileDigest[]): FigureRecord {
  const files: any = {};
  for (const ext of ['vl.json', 'svg', 'png'] as const) {
    const d = digests.find((x) => path.basename(x.file) === `${name}.${ext}`);
    if (d) files[ext] = { bytes: d.bytes, sha256: d.sha256 };
  }
  return { name, files };
}

/**
 * The notebooks in order, each run only when its key changed (lib/notebooks/cache.ts; SAFENET_RERUN_NOTEBOOKS=1
 * runs them all); stops at the first failure. Returns the reports (cached ones marked) and the figures of the
 * notebooks not run again, checked against their recorded sha256.
 */
export async function runNotebooksCached(profile: Profile, notebooks: string[]): Promise<{ reports: NotebookReport[]; cachedFigures: FigureRecord[] }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SAFENET_PROFILE: profile.name };
  const cache = readNotebookCache();
  const source = sourceKey(profile.name, env);
  const force = env.SAFENET_RERUN_NOTEBOOKS === '1';
  const reports: NotebookReport[] = [];
  const cachedFigures: FigureRecord[] = [];
  for (const nb of notebooks) {
    const name = path.basename(nb);
    const key = notebookKey(nb, source, buildDigest());
    const entry = cache.notebooks[name];
    const why = force ? 'SAFENET_RERUN_NOTEBOOKS=1' : rerunReason(entry, key);
    if (why === null && entry) {
      console.log(`notebook ${rel(nb)}: up to date (its inputs unchanged; ran in ${entry.seconds} s), not run again`);
      const figs = entry.outputs.filter((o) => path.dirname(o.file) === paths.figures);
      for (const n of [...new Set(figs.map((o) => path.basename(o.file).replace(/\.(vl\.json|svg|png)$/, '')))]) cachedFigures.push(figureRecordOf(n, figs));
      reports.push({ notebook: nb, ok: true, cells: 0, failedCell: null, source: '', error: '', seconds: entry.seconds, cached: true,
        ...executedPaths(nb) });
      continue;
    }
    if (entry) console.log(`notebook ${rel(nb)}: running again because ${why}`);
    const t0 = Date.now();
    const [r] = await runNotebooks([nb], { env });
    reports.push(r);
    if (!r.ok) {
      delete cache.notebooks[name];
      writeNotebookCache(cache);
      throw new Error(`notebook ${rel(nb)} failed (see above)`);
    }
    cache.notebooks[name] = { key, endKey: '', seconds: r.seconds, outputs: [r.executed, r.html, ...figuresWrittenSince(t0)].map(digestOf) };
    writeNotebookCache(cache);
  }
  // the build as the run leaves it: a rerun with nothing changed finds every notebook's endKey
  const end = buildDigest();
  for (const nb of notebooks) cache.notebooks[path.basename(nb)].endKey = notebookKey(nb, source, end);
  writeNotebookCache(cache);
  return { reports, cachedFigures };
}

/** Run the preparation steps, the notebooks, and the output checks; writes build/reproduce-summary.json. */
export async function reproduce(profile: Profile, steps: ReproduceStep[], notebooks = listNotebooks()): Promise<ReproduceSummary> {
  const start = Date.now();
  const stepTimes: { step: string; seconds: number }[] = [];
  for (const s of steps.filter((x) => !x.afterNotebooks)) {
    const t0 = Date.now();
    console.log(`== step: ${s.name}`);
    await s.run(profile);
    stepTimes.push({ step: s.name, seconds: (Date.now() - t0) / 1000 });
  }
  const nbStart = Date.now();
  const { reports, cachedFigures } = await runNotebooksCached(profile, notebooks);
  // (a notebook is skipped only while its recorded figures are there, so the folder exists whenever it matters)
  const fresh = verifyFigures(nbStart);
  // what a reader would catch: title, the simulated-data mark, text cut, overlapping or off the canvas, empty plots
  // (figures of notebooks that were not run again passed this check when they were written, with the same code)
  const problems = await checkFigures(paths.figures, fresh.map((f) => f.name));
  if (problems.length) throw new Error(`figure check failed (lib/figures/check.ts):\n  ${problems.map(formatFigureProblem).join('\n  ')}`);
  console.log(`figure check: ${fresh.length} figures pass` + (cachedFigures.length ? ` (and ${cachedFigures.length} of notebooks not run again, as recorded)` : ''));
  const figures = [...fresh, ...cachedFigures].sort((a, b) => a.name.localeCompare(b.name));
  const summary: ReproduceSummary = {
    profile: profile.name,
    startedAt: new Date(start).toISOString(),
    seconds: (Date.now() - start) / 1000,
    steps: stepTimes,
    notebooks: reports.map((r) => ({ notebook: rel(r.notebook), ok: r.ok, seconds: r.seconds, ...(r.cached ? { cached: true } : {}) })),
    figures,
  };
  writeJsonAtomic(path.join(paths.build, 'reproduce-summary.json'), summary);
  for (const s of steps.filter((x) => x.afterNotebooks)) {
    const t0 = Date.now();
    console.log(`== step: ${s.name}`);
    await s.run(profile);
    stepTimes.push({ step: s.name, seconds: (Date.now() - t0) / 1000 });
  }
  if (steps.some((x) => x.afterNotebooks)) {
    summary.seconds = (Date.now() - start) / 1000;
    writeJsonAtomic(path.join(paths.build, 'reproduce-summary.json'), summary);
  }
  console.log(`reproduce (${profile.name}): ${reports.length} notebooks, ${figures.length} figures (.vl.json, .svg, .png each) in ${summary.seconds.toFixed(0)} s`);
  console.log(`figures: ${figures.map((f) => f.name).join(', ')}`);
  return summary;
}
