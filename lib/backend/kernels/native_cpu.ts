// BatchMatMul and Conv2D for the tfjs cpu backend through the native addon (lib/backend/native.ts: OpenBLAS sgemm
// on the backend's own Float32Arrays, transposes handled by BLAS, no copies). With these, every matrix product of
// a SafeNet training step (paper section 3.2: Dense and LSTM layers, the convolutions and their two gradients,
// which lib/backend/kernels route through BatchMatMul) runs in native code. Used only when the addon is built.
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, computeInto } from './io';
import { makeCpuConv2D } from './conv2d_backprop_filter';
import { batchMatMulShape } from './matmul_cpu';
import { NativeAddon } from '../native';

export function makeNativeBatchMatMul(stock: tf.KernelFunc, addon: NativeAddon): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const sh = batchMatMulShape(a, b, transposeA, transposeB);
    if (!sh) return stock(args);
    const { M, K, N, batch, batchA, batchB } = sh;
    return computeInto(args.backend as AnyBackend, sh.outShape, [a, b], (c, av, bv) => {
      addon.sgemm(!!transposeA, !!transposeB, M, N, K, av, bv, c, batch, batchA === 1 ? 0 : M * K, batchB === 1 ? 0 : K * N, M * N);
    });
  };
}

/** Forward Conv2D (NHWC, dilation 1) as im2col + one native product; anything else goes to the stock kernel. */
export function makeNativeConv2D(stock: tf.KernelFunc, addon: NativeAddon): tf.KernelFunc {
  return makeCpuConv2D(stock, (a, aOff, b, bOff, c, cOff, M, K, N) =>
    addon.sgemm(false, false, M, N, K, a.subarray(aOff), b.subarray(bOff), c.subarray(cOff), 1, 0, 0, 0));
}
