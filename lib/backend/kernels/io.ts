// Typed-array access for the project's JS kernels on any tfjs backend (cpu or wasm): read inputs without copies
// where the backend allows, write outputs straight into backend memory (wasm heap) or a fresh Float32Array (cpu).
// Serves the training of the paper's networks (section 3.2) on backends that lack some gradient kernels.
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
export type AnyBackend = tf.KernelBackend & Record<string, any>;

/** True for the tfjs wasm backend (data lives on the wasm heap). */
export function isWasm(backend: AnyBackend): boolean {
  return typeof backend.typedArrayFromHeap === 'function' && typeof backend.makeOutput === 'function';
}

/**
 * Allocate a float32 output of `shape`, then call fill(out, ...inputViews) with views of the inputs' values.
 * On wasm the views are taken after the allocation (a heap growth detaches older views) and point into the heap,
 * so nothing is copied; on cpu the inputs are the backend's own arrays and the output is a new array.
 */
export function computeInto(
  backend: AnyBackend,
  shape: number[],
  inputs: TensorInfo[],
  fill: (out: Float32Array, ...views: Float32Array[]) => void,
): TensorInfo {
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new Error(`project kernel: expected float32 input, got ${t.dtype} [${t.shape}]`);
  }
  if (isWasm(backend)) {
    const out = backend.makeOutput(shape, 'float32') as TensorInfo;
    const views = inputs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
    const o = backend.typedArrayFromHeap(out) as Float32Array;
    o.fill(0);
    fill(o, ...views);
    return out;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const o = new Float32Array(size);
  const views = inputs.map((t) => backend.readSync(t.dataId) as Float32Array);
  fill(o, ...views);
  return backend.makeTensorInfo(shape, 'float32', o);
}

/** Call another kernel registered for the same backend (e.g. its BatchMatMul), by name. */
export function callKernel(
  backend: AnyBackend,
  backendName: string,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
): TensorInfo {
  const k = tf.getKernel(kernelName, backendName);
  if (!k) throw new Error(`project kernel: backend '${backendName}' has no ${kernelName} kernel to delegate to`);
  const r = k.kernelFunc({ inputs, backend, attrs: attrs as any });
  if (Array.isArray(r)) throw new Error(`project kernel: ${kernelName} returned several outputs`);
  return r;
}

/** Release a TensorInfo made inside a kernel (an intermediate that is not returned). */
export function release(backend: AnyBackend, t: TensorInfo): void {
  backend.disposeData(t.dataId);
}
