// CLI: execute notebooks headless (all of notebooks/ in order, or those named) into build/notebooks/.
// Exits non-zero on the first failing cell, after printing it. Used by `make reproduce` and CI.
// `--lint [files]`: check the notebook rules of DEVELOPERS.md instead (lib/notebooks/lint.ts), no kernel.
import { listNotebooks, runNotebooks } from '../lib/notebooks/runner';
import { lintNotebooks, formatProblem } from '../lib/notebooks/lint';
import * as path from 'path';

(async () => {
  const args = process.argv.slice(2).filter((a) => a !== '--lint');
  const notebooks = args.length ? args.map((a) => path.resolve(a)) : listNotebooks();
  if (process.argv.includes('--lint')) {
    const problems = lintNotebooks(notebooks);
    for (const p of problems) console.log(formatProblem(p));
    console.log(`notebook lint: ${notebooks.length} notebooks, ${problems.length} problems`);
    process.exit(problems.length ? 1 : 0);
  }
  const reports = await runNotebooks(notebooks);
  const failed = reports.some((r) => !r.ok);
  console.log(`notebooks: ${reports.filter((r) => r.ok).length} ran, ${failed ? 1 : 0} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
