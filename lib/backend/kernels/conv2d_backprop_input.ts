// Conv2DBackpropInput (the input gradient of a 2-D convolution, NHWC) as one matrix product and a col2im
// scatter: dcol = dy [M, outC] . W^T [outC, K] with the backend's own BatchMatMul, then dx[b, y, x, c] += dcol.
// The stock wasm kernel is a direct loop several times slower than XNNPACK's matmul; used by the Conv1D layers
// of SafeNet (paper section 3.2) in every backward pass.
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, callKernel, computeInto, release } from './io';
import { ConvGeometry, convGeometry, nativeIm2colOn } from './conv2d_backprop_filter';
import { nativeAddon } from '../native';

/** col2im: dx[b, oy*sh - padTop + i, ox*sw - padLeft + j, c] += col[m, (i*fw + j)*inC + c] (dx zeroed by caller). */
export function col2im(col: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const addon = nativeIm2colOn() ? nativeAddon() : null;
  if (addon && col instanceof Float32Array) {
    addon.col2im(col, dx, g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.fh, g.fw, g.sh, g.sw, g.padTop, g.padLeft);
    return;
  }
  const K = g.fh * g.fw * g.inC;
  const rowStride = g.inW * g.inC;
  const imgStride = g.inH * rowStride;
  let m = 0;
  for (let b = 0; b < g.batch; b++) {
    const xb = b * imgStride;
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.sh - g.padTop;
      for (let ox = 0; ox < g.outW; ox++, m++) {
        const x0 = ox * g.sw - g.padLeft;
        let o = m * K;
        for (let i = 0; i < g.fh; i++) {
          const yy = y0 + i;
          if (yy < 0 || yy >= g.inH) {
            o += g.fw * g.inC;
            continue;
          }
          const xrow = xb + yy * rowStride;
          for (let j = 0; j < g.fw; j++, o += g.inC) {
            const xx = x0 + j;
            if (xx < 0 || xx >= g.inW) continue;
            const d = xrow + xx * g.inC;
            for (let c = 0; c < g.inC; c++) dx[d + c] += col[o + c];
          }
        }
      }
    }
  }
}

export function makeConv2DBackpropInput(backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as Record<string, any>;
    const inputShape = a.inputShape as number[];
    const g = convGeometry(inputShape, filter.shape, a);
    const be = backend as AnyBackend;
    const M = g.batch * g.outH * g.outW;
    const K = g.fh * g.fw * g.inC;
    const dy3: TensorInfo = { dataId: dy.dataId, shape: [1, M, g.outC], dtype: dy.dtype };
    const w3: TensorInfo = { dataId: filter.dataId, shape: [1, K, g.outC], dtype: filter.dtype };
    const dcol = callKernel(be, backendName, 'BatchMatMul', { a: dy3, b: w3 }, { transposeA: false, transposeB: true });
    try {
      const dcolInfo: TensorInfo = { dataId: dcol.dataId, shape: [M * K], dtype: 'float32' };
      return computeInto(be, inputShape, [dcolInfo], (dx, c) => col2im(c, g, dx));
    } finally {
      release(be, dcol);
    }
  };
}
