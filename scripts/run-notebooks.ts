// CLI: execute notebooks headless (all of notebooks/ in order, or those named) into build/notebooks/.
// Exits non-zero on the first failing cell, after printing it. Used by `make reproduce` and CI.
import { listNotebooks, runNotebooks } from '../lib/notebooks/runner';
import * as path from 'path';

(async () => {
  const args = process.argv.slice(2);
  const notebooks = args.length ? args.map((a) => path.resolve(a)) : listNotebooks();
  const reports = await runNotebooks(notebooks);
  const failed = reports.some((r) => !r.ok);
  console.log(`notebooks: ${reports.filter((r) => r.ok).length} ran, ${failed ? 1 : 0} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
