// Tests for the headless notebook runner (lib/notebooks) and the committed notebooks (no outputs in git).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { cellsWithOutputs, listNotebooks, formatFailure } from '../lib/notebooks/runner';
import { paths } from '../lib/core/paths';
import { tempDirs } from './helpers';

/** Temporary folders of this file, removed after its tests. */
const temps = tempDirs();
test.after(temps.cleanup);

/** The runner's outputs (executed notebooks, the kernelspec) go to a temporary build folder, not build/. */
function runnerEnv(): { env: NodeJS.ProcessEnv; executedDir: string } {
  const build = temps.tempDir('nbrun-build-');
  // TMPDIR too: the kernel's connection file (Python tempfile) is left behind when the runner stops the kernel
  const env = { ...process.env, SAFENET_BUILD_DIR: build, SAFENET_FIGURES_DIR: path.join(build, 'figures'), TMPDIR: build };
  return { env, executedDir: path.join(build, 'notebooks') };
}

function writeNotebook(file: string, sources: string[]) {
  const nb = {
    cells: sources.map((s) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: s })),
    metadata: { kernelspec: { name: 'safenet', display_name: 'SafeNet (TypeScript, tslab)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(nb));
}

test('committed notebooks carry no outputs and are in order', () => {
  const nbs = listNotebooks();
  assert.ok(nbs.length >= 1, 'no notebooks found');
  assert.is(path.basename(nbs[0]), '00-overview.ipynb');
  for (const nb of nbs) {
    const bad = cellsWithOutputs(nb);
    assert.equal(bad, [], `${path.basename(nb)} has outputs in cells ${bad.map((i) => i + 1).join(', ')}: clear them before committing`);
  }
});

test('cellsWithOutputs finds a committed output', () => {
  const dir = temps.tempDir('nb-');
  const f = path.join(dir, 'x.ipynb');
  fs.writeFileSync(f, JSON.stringify({ cells: [{ cell_type: 'code', execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }], source: '1', metadata: {} }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  assert.equal(cellsWithOutputs(f), [0]);
  fs.writeFileSync(path.join(dir, 'bad.ipynb'), '{not json');
  assert.throws(() => cellsWithOutputs(path.join(dir, 'bad.ipynb')), /bad\.ipynb.*not valid notebook JSON/);
});

test('formatFailure names notebook, cell, source and error', () => {
  const s = formatFailure({ notebook: path.join(paths.root, 'notebooks', 'x.ipynb'), ok: false, cells: 4, failedCell: 2, source: 'foo()', error: 'ReferenceError: foo is not defined', seconds: 1, executed: path.join(paths.root, 'build', 'x.ipynb'), html: '' });
  assert.match(s, /notebooks\/x\.ipynb, cell 3 of 4/);
  assert.match(s, /\| foo\(\)/);
  assert.match(s, /ReferenceError: foo is not defined/);
});

test('a failing cell stops the run, exits non-zero, prints the error text and keeps the executed notebook', () => {
  const dir = temps.tempDir('nbrun-');
  const nb = path.join(dir, 'zz-failing.ipynb');
  const run = runnerEnv();
  writeNotebook(nb, [
    "console.log('first cell ran');",
    "const marker: string = 'planted-failure-7731';\nthrow new Error(marker);",
    "console.log('must not run');",
  ]);
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(paths.root, 'scripts', 'run-notebooks.ts'), nb], {
    cwd: paths.root,
    encoding: 'utf8',
    timeout: 120_000,
    env: run.env,
  });
  const out = r.stdout + r.stderr;
  assert.is.not(r.status, 0, out);
  assert.match(out, /NOTEBOOK FAILED: .*zz-failing\.ipynb, cell 2 of 3/);
  assert.match(out, /planted-failure-7731/);
  assert.match(out, /Error: planted-failure-7731/, 'error text must reach the log, not an empty message');
  const executed = path.join(run.executedDir, 'zz-failing.ipynb');
  assert.ok(fs.existsSync(executed), 'executed notebook is kept');
  const kept = JSON.parse(fs.readFileSync(executed, 'utf8'));
  assert.ok(JSON.stringify(kept.cells[0].outputs).includes('first cell ran'));
  assert.equal(kept.cells[2].outputs, []);
});

test('a TypeScript type error is reported with its message', () => {
  const dir = temps.tempDir('nbrun-');
  const nb = path.join(dir, 'zz-typeerror.ipynb');
  const run = runnerEnv();
  writeNotebook(nb, ["const n: number = 'not a number';"]);
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(paths.root, 'scripts', 'run-notebooks.ts'), nb], {
    cwd: paths.root,
    encoding: 'utf8',
    timeout: 120_000,
    env: run.env,
  });
  const out = r.stdout + r.stderr;
  assert.is.not(r.status, 0);
  assert.match(out, /not assignable to type 'number'/);
});

test.run();
