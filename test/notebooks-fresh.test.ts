// A notebook runs top to bottom from a clean clone, without `make reproduce` first (issue 9): notebook 03 (it needs
// the simulated Swarm A store and the datasets, and builds both) is executed headless with the project's kernel on
// the smoke profile in a fresh, empty build folder; the executed copy records execution counts and no error, and
// the figures it drew pass the figure check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { runNotebook } from '../lib/notebooks/runner';
import { checkFigures, formatFigureProblem } from '../lib/figures/check';
import { paths } from '../lib/core/paths';
import { tempDirs } from './helpers';

const tmp = tempDirs();
test.after(() => tmp.cleanup());

test('03-datasets runs from an empty build folder on the smoke profile; its figures pass the check', async () => {
  const build = tmp.tempDir('nbfresh-build-');
  const figures = tmp.tempDir('nbfresh-figures-');
  const out = path.join(build, 'notebooks');
  let log = '';
  const r = await runNotebook(path.join(paths.notebooks, '03-datasets.ipynb'), {
    outDir: out,
    env: { ...process.env, SAFENET_BUILD_DIR: build, SAFENET_FIGURES_DIR: figures, SAFENET_PROFILE: 'smoke' },
    log: (s) => (log += s),
  });
  assert.ok(r.ok, `notebook failed at cell ${r.failedCell === null ? '-' : r.failedCell + 1}: ${r.error}\n${log}`);
  const nb = JSON.parse(fs.readFileSync(r.executed, 'utf8'));
  const code = nb.cells.filter((c: any) => c.cell_type === 'code');
  assert.equal(code.map((c: any) => c.execution_count), code.map((_: unknown, k: number) => k + 1), 'execution counts 1..n');
  for (const c of code) {
    for (const o of c.outputs) {
      assert.is.not(o.output_type, 'error');
      if (o.output_type === 'stream') assert.not.match(o.text, /rebuilding .* because|already registered/, 'no build log or backend noise in cells');
    }
  }
  assert.ok(fs.existsSync(path.join(build, 'store', 'simulated', 'A', '2016-02-15.arrow')), 'the notebook simulated the store itself');
  const names = fs.readdirSync(figures).filter((f) => f.endsWith('.vl.json'));
  assert.ok(names.length >= 3, `figures written: ${names.join(', ')}`);
  const problems = await checkFigures(figures);
  assert.equal(problems.map(formatFigureProblem), []);
});

test.run();
