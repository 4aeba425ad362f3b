// BatchMatMul and Conv2D for the tfjs cpu backend through the native addon (lib/backend/native.ts: OpenBLAS sgemm
// on the backend's own Float32Arrays, transposes handled by BLAS, no copies). With these, every matrix product of
// a SafeNet training step (paper section 3.2: Dense and LSTM layers, the convolutions and their two gradients,
// which lib/backend/kernels route through BatchMatMul) runs in native code. Used only when the addon is built.
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, computeInto } from './io';
import { makeCpuConv2D } from './conv2d_backprop_filter';
import { NativeAddon } from '../native';

export function makeNativeBatchMatMul(stock: tf.KernelFunc, addon: NativeAddon): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return stock(args);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    // plain or one-sided batch broadcasting; anything fancier goes to the stock kernel
    if (!(batchA === batchB && ra === rb) && batchA !== 1 && batchB !== 1) return stock(args);
    const outer = ra >= rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
    const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const K2 = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (K !== K2) {
      throw new Error(`matMul: inner shapes (${K}) and (${K2}) of [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) must match`);
    }
    const batch = Math.max(batchA, batchB);
    return computeInto(args.backend as AnyBackend, [...outer, M, N], [a, b], (c, av, bv) => {
      addon.sgemm(!!transposeA, !!transposeB, M, N, K, av, bv, c, batch, batchA === 1 ? 0 : M * K, batchB === 1 ? 0 : K * N, M * N);
    });
  };
}

/** Forward Conv2D (NHWC, dilation 1) as im2col + one native product; anything else goes to the stock kernel. */
export function makeNativeConv2D(stock: tf.KernelFunc, addon: NativeAddon): tf.KernelFunc {
  return makeCpuConv2D(stock, (a, aOff, b, bOff, c, cOff, M, K, N) =>
    addon.sgemm(false, false, M, N, K, a.subarray(aOff), b.subarray(bOff), c.subarray(cOff), 1, 0, 0, 0));
}
