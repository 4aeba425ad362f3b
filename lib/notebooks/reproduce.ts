// The `make reproduce` pipeline: prepare the inputs of the profile (simulated Swarm A store), execute every
// notebook headless, then verify the outputs (Maneage's rule: outputs are checked, and recorded with sha256).
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { paths, rel } from '../core/paths';
import { Profile } from '../core/config';
import { writeJsonAtomic } from '../core/atomic';
import { listNotebooks, runNotebooks, NotebookReport } from './runner';
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
  notebooks: { notebook: string; ok: boolean; seconds: number }[];
  figures: FigureRecord[];
}

export interface ReproduceStep {
  name: string;
  run: (profile: Profile) => Promise<void>;
  /** Run after the notebooks and the output checks (e.g. build/report.html, which reads what they wrote). */
  afterNotebooks?: boolean;
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
  const reports: NotebookReport[] = await runNotebooks(notebooks, { env: { ...process.env, SAFENET_PROFILE: profile.name } });
  const failed = reports.find((r) => !r.ok);
  if (failed) throw new Error(`notebook ${rel(failed.notebook)} failed (see above)`);
  const figures = verifyFigures(nbStart);
  // what a reader would catch: title, the simulated-data mark, text cut, overlapping or off the canvas, empty plots
  const problems = await checkFigures(paths.figures, figures.map((f) => f.name));
  if (problems.length) throw new Error(`figure check failed (lib/figures/check.ts):\n  ${problems.map(formatFigureProblem).join('\n  ')}`);
  console.log(`figure check: ${figures.length} figures pass`);
  const summary: ReproduceSummary = {
    profile: profile.name,
    startedAt: new Date(start).toISOString(),
    seconds: (Date.now() - start) / 1000,
    steps: stepTimes,
    notebooks: reports.map((r) => ({ notebook: rel(r.notebook), ok: r.ok, seconds: r.seconds })),
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
