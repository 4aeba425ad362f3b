// Jupyter set-up for the project's tslab kernel: a kernelspec generated under build/jupyter (found through
// JUPYTER_PATH) whose launcher starts tslab from the repository root. Serves every notebook of the package.
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../core/paths';
import { writeJsonAtomic } from '../core/atomic';

export const KERNEL_NAME = 'safenet';
export const KERNEL_DISPLAY_NAME = 'SafeNet (TypeScript, tslab)';

/** Write <jupyterPath>/kernels/safenet/kernel.json (default build/jupyter) pointing at scripts/tslab-kernel.sh; returns JUPYTER_PATH. */
export function ensureKernelSpec(jupyterPath: string = paths.jupyterPath): string {
  const launcher = path.join(paths.root, 'scripts', 'tslab-kernel.sh');
  if (!fs.existsSync(launcher)) throw new Error(`kernel launcher missing: ${launcher}`);
  const dir = path.join(jupyterPath, 'kernels', KERNEL_NAME);
  const spec = {
    argv: ['bash', launcher, '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'message',
  };
  const file = path.join(dir, 'kernel.json');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== JSON.stringify(spec, null, 2) + '\n') writeJsonAtomic(file, spec);
  return jupyterPath;
}

/** Environment for Jupyter processes: the project's kernelspec first on JUPYTER_PATH (under the build folder that
 * env names, so a run with its own SAFENET_BUILD_DIR writes nothing into the caller's build folder). */
export function jupyterEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const jp = ensureKernelSpec(env.SAFENET_BUILD_DIR ? path.join(path.resolve(env.SAFENET_BUILD_DIR), 'jupyter') : paths.jupyterPath);
  return { ...env, JUPYTER_PATH: env.JUPYTER_PATH ? `${jp}${path.delimiter}${env.JUPYTER_PATH}` : jp };
}
