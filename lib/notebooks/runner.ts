// Headless notebook runner (nbdev-style CI: every notebook executed on a cheap profile): executes notebooks in
// order with the project's tslab kernel into build/notebooks/ (.ipynb with outputs and .html), no per-cell
// timeout; a failing cell stops the run and is reported with its notebook, cell number, source and error text.
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { paths, rel } from '../core/paths';
import { KERNEL_NAME, jupyterEnv } from './kernel';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface NotebookReport {
  notebook: string;
  ok: boolean;
  cells: number;
  /** 0-based index of the failing cell, or null. */
  failedCell: number | null;
  source: string;
  error: string;
  seconds: number;
  executed: string;
  html: string;
  /** Not run again: its inputs were unchanged (lib/notebooks/cache.ts, `make reproduce`). */
  cached?: boolean;
}

/** notebooks/*.ipynb in name order (00-, 01-, ...). */
export function listNotebooks(dir = paths.notebooks): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Cells that carry outputs or execution counts (committed notebooks must have none). */
export function cellsWithOutputs(nbPath: string): number[] {
  let nb: any;
  try {
    nb = JSON.parse(fs.readFileSync(nbPath, 'utf8'));
  } catch (e) {
    throw new Error(`${rel(nbPath)}: not valid notebook JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(nb.cells)) throw new Error(`${rel(nbPath)}: no 'cells' array`);
  const bad: number[] = [];
  nb.cells.forEach((c: any, i: number) => {
    if (c.cell_type === 'code' && ((c.outputs && c.outputs.length > 0) || c.execution_count != null)) bad.push(i);
  });
  return bad;
}

/** Human-readable failure report (printed by the CLI). */
export function formatFailure(r: NotebookReport): string {
  const cell = r.failedCell === null ? '(before any cell: kernel start-up)' : `cell ${r.failedCell + 1} of ${r.cells}`;
  const src = r.source
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');
  return [
    `NOTEBOOK FAILED: ${rel(r.notebook)}, ${cell}`,
    r.source ? `  source:\n${src}` : '',
    `  error:\n${(r.error || '(the kernel gave no error text)')
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}`,
    `  executed notebook kept at ${rel(r.executed)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Where a notebook's executed copy and its HTML go. */
export function executedPaths(nbPath: string, outDir = paths.executedNotebooks): { executed: string; html: string } {
  const base = path.basename(nbPath, '.ipynb');
  return { executed: path.join(outDir, `${base}.ipynb`), html: path.join(outDir, `${base}.html`) };
}

/** Execute one notebook; resolves with its report (never rejects for a failing cell). */
export function runNotebook(
  nbPath: string,
  opts: { outDir?: string; env?: NodeJS.ProcessEnv; log?: (s: string) => void } = {},
): Promise<NotebookReport> {
  const outDir = opts.outDir ?? paths.executedNotebooks;
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.basename(nbPath, '.ipynb');
  const { executed, html } = executedPaths(nbPath, outDir);
  const reportFile = path.join(outDir, `.${base}.report.json`);
  fs.rmSync(reportFile, { force: true });
  const log = opts.log ?? ((s: string) => process.stdout.write(s));
  const script = path.join(paths.root, 'scripts', 'nbexec.py');
  return new Promise((resolve, reject) => {
    const child = spawn(
      SYSTEM_PYTHON,
      [script, nbPath, executed, html, reportFile, KERNEL_NAME, paths.root],
      // SAFENET_TSLAB_WATCH=0: the kernel does not watch lib/ (an edit in the tree would fail the next cell)
      { cwd: paths.root, env: { ...jupyterEnv(opts.env ?? process.env), SAFENET_TSLAB_WATCH: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stdout.on('data', (d) => log(d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', (e) => reject(new Error(`cannot start ${SYSTEM_PYTHON}: ${e.message}`)));
    child.on('close', (code) => {
      let r: any = null;
      try {
        r = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
        fs.rmSync(reportFile, { force: true });
      } catch {
        r = { ok: false, cells: 0, failed_cell: null, source: '', error: `nbexec.py exited ${code}:\n${stderr.trim()}`, seconds: 0 };
      }
      resolve({
        notebook: nbPath,
        ok: r.ok && code === 0,
        cells: r.cells,
        failedCell: r.failed_cell,
        source: r.source,
        error: r.error,
        seconds: r.seconds,
        executed,
        html,
      });
    });
  });
}

/** Run notebooks in order, stopping at the first failure; returns all reports. */
export async function runNotebooks(
  notebooks: string[],
  opts: { outDir?: string; env?: NodeJS.ProcessEnv; log?: (s: string) => void } = {},
): Promise<NotebookReport[]> {
  const log = opts.log ?? ((s: string) => process.stdout.write(s));
  const reports: NotebookReport[] = [];
  for (const nb of notebooks) {
    log(`notebook ${rel(nb)}\n`);
    const r = await runNotebook(nb, opts);
    reports.push(r);
    if (!r.ok) {
      log(formatFailure(r) + '\n');
      break;
    }
    log(`notebook ${rel(nb)} ok in ${r.seconds} s -> ${rel(r.executed)}, ${rel(r.html)}\n`);
  }
  return reports;
}
