// CLI: execute notebooks headless (all of notebooks/ in order, or those named) into build/notebooks/.
// Exits non-zero on the first failing cell, after printing it. Used by `make reproduce` and CI.
// `--lint [files]`: check the notebook rules of DEVELOPERS.md instead (lib/notebooks/lint.ts), no kernel.
// `--fresh [files]`: run them as from a clean clone: in a new empty build folder and figures folder (removed
// afterwards unless --keep), then check every figure they drew (lib/figures/check.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listNotebooks, runNotebooks } from '../lib/notebooks/runner';
import { lintNotebooks, formatProblem } from '../lib/notebooks/lint';
import { checkFigures, formatFigureProblem } from '../lib/figures/check';

(async () => {
  const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const notebooks = args.length ? args.map((a) => path.resolve(a)) : listNotebooks();
  if (flags.has('--lint')) {
    const problems = lintNotebooks(notebooks);
    for (const p of problems) console.log(formatProblem(p));
    console.log(`notebook lint: ${notebooks.length} notebooks, ${problems.length} problems`);
    process.exit(problems.length ? 1 : 0);
  }
  if (flags.has('--fresh')) {
    const build = fs.mkdtempSync(path.join(os.tmpdir(), 'safenet-fresh-build-'));
    const figures = fs.mkdtempSync(path.join(os.tmpdir(), 'safenet-fresh-figures-'));
    console.log(`fresh run: empty build folder ${build}, figures ${figures}, profile ${process.env.SAFENET_PROFILE ?? 'default'}`);
    const reports = await runNotebooks(notebooks, { outDir: path.join(build, 'notebooks'), env: { ...process.env, SAFENET_BUILD_DIR: build, SAFENET_FIGURES_DIR: figures } });
    const failed = reports.some((r) => !r.ok);
    const problems = failed ? [] : await checkFigures(figures);
    for (const p of problems) console.log(`figure check: ${formatFigureProblem(p)}`);
    const nFig = fs.readdirSync(figures).filter((f) => f.endsWith('.vl.json')).length;
    console.log(`notebooks: ${reports.filter((r) => r.ok).length} ran, ${failed ? 1 : 0} failed; figures: ${nFig}, ${problems.length} problems`);
    if (!flags.has('--keep')) for (const d of [build, figures]) fs.rmSync(d, { recursive: true, force: true });
    process.exit(failed || problems.length ? 1 : 0);
  }
  const reports = await runNotebooks(notebooks);
  const failed = reports.some((r) => !r.ok);
  console.log(`notebooks: ${reports.filter((r) => r.ok).length} ran, ${failed ? 1 : 0} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
