// Registers the project's JS kernels: the gradient kernels the wasm backend lacks (so that SafeNet and the
// baselines of paper section 3 can train on wasm) and faster replacements of slow stock cpu kernels.
// Each registration is idempotent; the stock kernel it replaces is kept for tests (stockKernel()).
import * as tf from '@tensorflow/tfjs';
import { makeConv2DBackpropFilter, makeCpuConv2D } from './conv2d_backprop_filter';
import { makeConv2DBackpropInput } from './conv2d_backprop_input';
import { makeReverse, makeSplitV } from './layout';
import { gemm, makeCpuBatchMatMul, makeCpuFusedMatMul, makeCpuFusedConv2D } from './matmul_cpu';
import { makeMaxPoolGrad } from './maxpool_grad';
import { untransposedMatMul } from './matmul_wasm';
import { makeCpuBinary, makeCpuMaxPool, makeCpuSum, makeCpuUnary } from './elementwise_cpu';
import { makeNativeBatchMatMul, makeNativeConv2D } from './native_cpu';
import { nativeAddon } from '../native';
import { installFusedAdam } from '../adam_cpu';

interface ProjectKernel {
  kernelName: string;
  backendName: string;
  /** Builds the kernel; gets the stock kernel it replaces (when replaces is true). */
  make: (stock?: tf.KernelFunc) => tf.KernelFunc;
  /** True when it replaces a kernel the backend already has. */
  replaces: boolean;
  /** Only when this holds (the native addon loaded); the first entry of a kernel whose condition holds wins. */
  when?: () => boolean;
  /** Shown after the kernel name in the backend report (e.g. 'native'). */
  tag?: string;
}

const hasNative = () => nativeAddon() != null;

export const PROJECT_KERNELS: ProjectKernel[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', make: () => makeConv2DBackpropFilter('wasm', 'matmul'), replaces: false },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', make: () => makeConv2DBackpropInput('wasm'), replaces: true },
  { kernelName: 'MaxPoolGrad', backendName: 'wasm', make: (s) => makeMaxPoolGrad(need(s, 'MaxPoolGrad')), replaces: true },
  { kernelName: 'BatchMatMul', backendName: 'wasm', make: (s) => untransposedMatMul(need(s, 'BatchMatMul')), replaces: true },
  { kernelName: '_FusedMatMul', backendName: 'wasm', make: (s) => untransposedMatMul(need(s, '_FusedMatMul')), replaces: true },
  { kernelName: 'Reverse', backendName: 'wasm', make: (s) => makeReverse(need(s, 'Reverse')), replaces: true },
  { kernelName: 'Reverse', backendName: 'cpu', make: (s) => makeReverse(need(s, 'Reverse')), replaces: true },
  { kernelName: 'SplitV', backendName: 'cpu', make: (s) => makeSplitV(need(s, 'SplitV')), replaces: true },
  { kernelName: 'BatchMatMul', backendName: 'cpu', make: (s) => makeNativeBatchMatMul(need(s, 'BatchMatMul'), nativeAddon()!), replaces: true,
    when: hasNative, tag: 'native' },
  { kernelName: 'Conv2D', backendName: 'cpu', make: (s) => makeNativeConv2D(need(s, 'Conv2D'), nativeAddon()!), replaces: true,
    when: hasNative, tag: 'native' },
  { kernelName: 'BatchMatMul', backendName: 'cpu', make: (s) => makeCpuBatchMatMul(need(s, 'BatchMatMul')), replaces: true },
  { kernelName: '_FusedMatMul', backendName: 'cpu', make: () => makeCpuFusedMatMul(), replaces: true },
  { kernelName: 'FusedConv2D', backendName: 'cpu', make: () => makeCpuFusedConv2D(), replaces: true },
  { kernelName: 'Conv2D', backendName: 'cpu', make: (s) => makeCpuConv2D(need(s, 'Conv2D'), gemm), replaces: true },
  { kernelName: 'Conv2DBackpropInput', backendName: 'cpu', make: () => makeConv2DBackpropInput('cpu'), replaces: true },
  { kernelName: 'MaxPoolGrad', backendName: 'cpu', make: (s) => makeMaxPoolGrad(need(s, 'MaxPoolGrad')), replaces: true },
  { kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', make: () => makeConv2DBackpropFilter('cpu', 'matmul'), replaces: true },
  ...(['Add', 'Sub', 'Multiply', 'RealDiv'] as const).map((op) => (
    { kernelName: op, backendName: 'cpu', make: (s?: tf.KernelFunc) => makeCpuBinary(op, need(s, op)), replaces: true })),
  { kernelName: 'Sum', backendName: 'cpu', make: (s) => makeCpuSum(need(s, 'Sum')), replaces: true },
  ...(['Relu', 'Step', 'Floor'] as const).map((op) => (
    { kernelName: op, backendName: 'cpu', make: (s?: tf.KernelFunc) => makeCpuUnary(op, need(s, op)), replaces: true })),
  { kernelName: 'MaxPool', backendName: 'cpu', make: (s) => makeCpuMaxPool(need(s, 'MaxPool')), replaces: true },
];

function need(k: tf.KernelFunc | undefined, name: string): tf.KernelFunc {
  if (!k) throw new Error(`project kernels: the stock ${name} kernel to wrap is missing`);
  return k;
}

const stock = new Map<string, tf.KernelConfig>();
const installed = new Set<string>();
/** Project kernels taken out by useProjectKernels(backend, false). */
const project = new Map<string, tf.KernelConfig>();

/** The stock kernel a project kernel replaced (undefined when there was none or nothing was replaced yet). */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stock.get(`${backendName}_${kernelName}`);
}

/** The project kernels that apply to a backend in this process: the first entry per kernel whose condition holds. */
export function activeKernels(backendName: string): ProjectKernel[] {
  const out: ProjectKernel[] = [];
  const seen = new Set<string>();
  for (const k of PROJECT_KERNELS) {
    if (k.backendName !== backendName || seen.has(k.kernelName) || (k.when && !k.when())) continue;
    seen.add(k.kernelName);
    out.push(k);
  }
  return out;
}

/** Register the project's kernels for one backend; returns their names (empty for e.g. 'tensorflow'). */
export function registerProjectKernels(backendName: string): string[] {
  const names: string[] = [];
  if (backendName === 'cpu') {
    installFusedAdam();
    names.push('Adam (fused update)');
  }
  const seen = new Set<string>();
  for (const k of activeKernels(backendName)) {
    const key = `${backendName}_${k.kernelName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(k.kernelName + (k.replaces ? ' (replaces stock)' : '') + (k.tag ? ` [${k.tag}]` : ''));
    if (installed.has(key)) continue;
    const existing = tf.getKernel(k.kernelName, backendName);
    if (existing) {
      if (!k.replaces) {
        // the backend gained this kernel (a newer tfjs): keep the stock one
        names.pop();
        installed.add(key);
        continue;
      }
      stock.set(key, existing);
      tf.unregisterKernel(k.kernelName, backendName);
    }
    // keep the stock set-up/dispose hooks (wasm binds its C functions in setupFunc)
    tf.registerKernel({ kernelName: k.kernelName, backendName, kernelFunc: k.make(existing?.kernelFunc),
      setupFunc: existing?.setupFunc, disposeFunc: existing?.disposeFunc });
    installed.add(key);
  }
  return names;
}

/**
 * Put the stock kernels back for one backend (enabled = false) or the project's again (true); for benchmarks
 * and tests that compare the two. Kernels the backend lacks (wasm's Conv2DBackpropFilter) stay.
 */
export function useProjectKernels(backendName: string, enabled: boolean, only?: string[]): void {
  for (const k of activeKernels(backendName)) {
    if (!k.replaces) continue;
    if (only && !only.includes(k.kernelName)) continue;
    const key = `${backendName}_${k.kernelName}`;
    const orig = stock.get(key);
    if (!orig || !installed.has(key)) continue;
    const current = tf.getKernel(k.kernelName, backendName);
    const isStock = current?.kernelFunc === orig.kernelFunc;
    if (enabled === !isStock) continue;
    tf.unregisterKernel(k.kernelName, backendName);
    if (enabled) {
      const mine = project.get(key)!;
      tf.registerKernel(mine);
    } else {
      project.set(key, current!);
      tf.registerKernel(orig);
    }
  }
}
