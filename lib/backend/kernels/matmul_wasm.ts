// BatchMatMul and _FusedMatMul for wasm with transposed operands: the stock wasm kernels run about ten times slower
// when transposeA or transposeB is set (the backward pass of every Dense and LSTM layer asks for that), so these
// wrappers transpose the operand explicitly (wasm Transpose kernel) and call the stock kernel untransposed,
// where XNNPACK's fast path applies. Serves training of the paper's networks (section 3.2) on wasm.
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, release } from './io';

function transposeLast2(be: AnyBackend, t: TensorInfo): TensorInfo {
  const k = tf.getKernel('Transpose', 'wasm');
  if (!k) throw new Error('wasm backend has no Transpose kernel');
  const r = t.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return k.kernelFunc({ inputs: { x: t }, backend: be, attrs: { perm } }) as TensorInfo;
}

/** Wrap a stock wasm matmul-like kernel so it never sees transposeA/transposeB = true. */
export function untransposedMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a0 = attrs as Record<string, any>;
    if (!a0.transposeA && !a0.transposeB) return stock({ inputs, backend, attrs });
    const be = backend as AnyBackend;
    const ins = { ...(inputs as Record<string, TensorInfo>) };
    const made: TensorInfo[] = [];
    if (a0.transposeA) made.push((ins.a = transposeLast2(be, ins.a)));
    if (a0.transposeB) made.push((ins.b = transposeLast2(be, ins.b)));
    try {
      return stock({ inputs: ins, backend, attrs: { ...a0, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) release(be, t);
    }
  };
}
