// Loading a search's objective function by module path and export name (hyperparameter search, paper section
// 3.2): the same resolution in the search's own process and in its worker processes.
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../core/paths';

/** Absolute path of an objective module (relative paths are taken from the repository root). */
export function resolveObjectiveModule(module: string): string {
  const abs = path.isAbsolute(module) ? module : path.resolve(ROOT, module);
  for (const cand of [abs, `${abs}.ts`, `${abs}.js`]) if (fs.existsSync(cand) && fs.statSync(cand).isFile()) return cand;
  throw new Error(`objective module not found: ${module} (looked for ${abs}[.ts|.js])`);
}

/** The objective function `exportName` of `module`. */
export function loadObjective(module: string, exportName: string): (params: unknown, ctx: any) => unknown {
  const file = resolveObjectiveModule(module);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(file);
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`objective: ${module} has no exported function '${exportName}' (exports: ${Object.keys(mod).join(', ') || 'none'})`);
  return fn;
}
