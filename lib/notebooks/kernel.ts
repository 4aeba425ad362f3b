// Jupyter set-up for the project's tslab kernel: a kernelspec generated under build/jupyter (found through
// JUPYTER_PATH) whose launcher starts tslab from the repository root. Serves every notebook of the package.
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../core/paths';
import { writeJsonAtomic } from '../core/atomic';

export const KERNEL_NAME = 'safenet';
export const KERNEL_DISPLAY_NAME = 'SafeNet (TypeScript, tslab)';

/** Write build/jupyter/kernels/safenet/kernel.json pointing at scripts/tslab-kernel.sh; returns JUPYTER_PATH. */
export function ensureKernelSpec(): string {
  const launcher = path.join(paths.root, 'scripts', 'tslab-kernel.sh');
  if (!fs.existsSync(launcher)) throw new Error(`kernel launcher missing: ${launcher}`);
  const dir = path.join(paths.jupyterPath, 'kernels', KERNEL_NAME);
  const spec = {
    argv: ['bash', launcher, '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'message',
  };
  const file = path.join(dir, 'kernel.json');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== JSON.stringify(spec, null, 2) + '\n') writeJsonAtomic(file, spec);
  return paths.jupyterPath;
}

/** Environment for Jupyter processes: the project's kernelspec first on JUPYTER_PATH. */
export function jupyterEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const jp = ensureKernelSpec();
  return { ...env, JUPYTER_PATH: env.JUPYTER_PATH ? `${jp}${path.delimiter}${env.JUPYTER_PATH}` : jp };
}
