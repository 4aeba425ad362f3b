// Backend selection for training and inference (paper section 3.2 trains SafeNet in Keras/TensorFlow; here the
// same network trains on tfjs): tensorflow (tfjs-node-gpu, then tfjs-node) when it loads, else cpu with the native
// kernels when the addon loads (lib/backend/native.ts; measured 2-3x faster than wasm), else wasm, else plain cpu;
// SAFENET_BACKEND overrides. Registers the project's gradient kernels (lib/backend/kernels) before any training.
import * as tf from '@tensorflow/tfjs';
import { registerProjectKernels } from './kernels/index';
import { nativeAddon, nativeStatus } from './native';

export type BackendChoice = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['tensorflow', 'wasm', 'cpu'];

export interface SelectedBackend {
  /** tfjs backend name now active: 'tensorflow', 'wasm' or 'cpu'. */
  name: BackendChoice;
  /** The one tfjs instance of the package (the same object as `import * as tf from '@tensorflow/tfjs'`). */
  tf: typeof tf;
  /** Which package provided it (e.g. '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm'). */
  provider: string;
  /** One line per candidate that was skipped and why. */
  skipped: string[];
  /** Custom kernels registered for the chosen backend. */
  kernels: string[];
}

export interface SelectOptions {
  /** Overrides SAFENET_BACKEND (tensorflow|wasm|cpu). */
  backend?: string;
  /** Environment to read SAFENET_BACKEND from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the one-line report goes (default console.log; pass () => {} to silence). */
  log?: (line: string) => void;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

/** Load a tensorflow (libtensorflow) binding; it registers backend 'tensorflow' on the package's tfjs instance. */
function tryTensorflow(pkg: string): void {
  // The require names are literal strings so bundlers and tsc leave them alone; a missing optional
  // dependency throws MODULE_NOT_FOUND, a broken native binding throws from its loader.
  if (pkg === '@tensorflow/tfjs-node-gpu') require('@tensorflow/tfjs-node-gpu');
  else require('tfjs-node'); // npm alias of @tensorflow/tfjs-node (see DEVELOPERS.md)
  if (tf.findBackendFactory('tensorflow') == null) {
    throw new Error(`${pkg} loaded but did not register backend 'tensorflow' on this tfjs instance (two tfjs copies?)`);
  }
}

let wasmLoaded = false;
function loadWasm(): void {
  if (!wasmLoaded) {
    require('@tensorflow/tfjs-backend-wasm');
    wasmLoaded = true;
  }
  if (tf.findBackendFactory('wasm') == null) throw new Error("'@tensorflow/tfjs-backend-wasm' did not register backend 'wasm'");
}

async function activate(name: BackendChoice): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed to initialise`);
  await tf.ready();
}

let lastSelection: SelectedBackend | null = null;

/** The native addon must load for the first cpu candidate (cpu + native kernels before wasm). */
function requireNative(): void {
  if (!nativeAddon()) throw new Error(`native kernels: ${nativeStatus()}`);
}

/** The cpu backend's native kernels: the addon's BLAS and threads, or why there are none. */
function cpuNative(): string {
  return nativeAddon() ? `native kernels: ${nativeStatus()}` : `native kernels: none, ${nativeStatus()}`;
}

/**
 * Choose and activate the tfjs backend: tensorflow (node-gpu, then node), else cpu when the native addon loads, else
 * wasm, else cpu (JS kernels); SAFENET_BACKEND
 * (or opts.backend) forces one and fails naming the value when it is not available. Prints one line with the choice
 * and one per skipped candidate. Registers the project's gradient kernels for the chosen backend.
 */
export async function selectBackend(opts: SelectOptions = {}): Promise<SelectedBackend> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((l: string) => console.log(l));
  const forced = (opts.backend ?? env.SAFENET_BACKEND ?? '').trim();
  if (forced && !(BACKEND_CHOICES as readonly string[]).includes(forced)) {
    throw new Error(`SAFENET_BACKEND=${forced} is not a backend; choose one of ${BACKEND_CHOICES.join(', ')}`);
  }
  const skipped: string[] = [];
  let chosen: { name: BackendChoice; provider: string; label: string } | null = null;

  // label: how the candidate is named in the skipped lines (the cpu backend comes twice: with the native kernels
  // before wasm, without them after it)
  const candidates: { name: BackendChoice; provider: string; label?: string; load: () => void }[] = [
    { name: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', load: () => tryTensorflow('@tensorflow/tfjs-node-gpu') },
    { name: 'tensorflow', provider: 'tfjs-node (@tensorflow/tfjs-node)', load: () => tryTensorflow('tfjs-node') },
    { name: 'cpu', provider: '@tensorflow/tfjs (cpu)', label: '@tensorflow/tfjs (cpu) + native kernels', load: requireNative },
    { name: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', load: loadWasm },
    { name: 'cpu', provider: '@tensorflow/tfjs (cpu)', label: '@tensorflow/tfjs (cpu), JS kernels', load: () => undefined },
  ];
  for (const c of candidates) {
    const label = c.label ?? c.provider;
    if (forced && c.name !== forced) {
      skipped.push(`${label}: skipped, SAFENET_BACKEND=${forced}`);
      continue;
    }
    if (chosen) {
      skipped.push(`${label}: not tried, ${chosen.label} came first`);
      continue;
    }
    try {
      c.load();
      await activate(c.name);
      chosen = { name: c.name, provider: c.provider, label };
    } catch (e) {
      skipped.push(`${label}: unavailable (${firstLine(e)})`);
    }
  }
  if (!chosen) {
    const why = skipped.filter((s) => !s.includes('skipped, SAFENET_BACKEND')).join('; ');
    throw new Error(`SAFENET_BACKEND=${forced || '(unset)'}: backend not available: ${why}`);
  }
  const kernels = registerProjectKernels(chosen.name);
  // tfjs's cpu backend prints an "install our node backend" banner into every log on its first use; the line
  // below says which backend runs and why, so the banner is switched off (its only effect)
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  const reason = forced ? `SAFENET_BACKEND=${forced}` : 'first available of tensorflow, cpu + native kernels, wasm, cpu';
  if (chosen.name === 'cpu') chosen.provider = `${chosen.provider}; ${cpuNative()}`;
  log(`tfjs backend: ${chosen.name} (${chosen.provider}; ${reason})` +
    (kernels.length ? `; custom kernels: ${kernels.join(', ')}` : ''));
  for (const s of skipped) log(`  ${s}`);
  lastSelection = { name: chosen.name, tf, provider: chosen.provider, skipped, kernels };
  return lastSelection;
}

/** The last selection made in this process (null before selectBackend ran). */
export function currentBackend(): SelectedBackend | null {
  return lastSelection && tf.getBackend() === lastSelection.name ? lastSelection : null;
}
