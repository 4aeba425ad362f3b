// Conv2DBackpropFilter (the filter gradient of a 2-D convolution, NHWC) for the wasm backend, which has none, and a
// faster replacement for the stock cpu one. tfjs Conv1D runs as conv2d over [batch, 1, width, channels], so the
// TimeDistributed Conv1D layers of SafeNet (paper section 3.2, Figure 4) need this kernel to train.
// Method: im2col of x into [M = batch*outH*outW, K = fh*fw*inC] (contiguous channel runs, zero padding), then
// dW = col^T . dy with the backend's own BatchMatMul (XNNPACK on wasm); dy in NHWC already is [M, outC].
// The same im2col serves a faster forward Conv2D for cpu (makeCpuConv2D). With the native addon built, im2col (and
// col2im of conv2d_backprop_input.ts) run in C++ (native/safenet_native.cc: the same copies and sums, tested).
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, callKernel, computeInto, release } from './io';
import { nativeAddon } from '../native';

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
}

export function convGeometry(xShape: number[], filterShape: number[], attrs: Record<string, any>): ConvGeometry {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  const fmt = tf.backend_util.convertConv2DDataFormat(dataFormat ?? 'NHWC');
  if (fmt !== 'channelsLast') throw new Error(`project Conv2D gradient kernels support NHWC only, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    fmt,
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

let useNativeCol = true;
/** im2col and col2im in the native addon when it is built (true, default) or always in JS (tests compare them). */
export function useNativeIm2col(on: boolean): void {
  useNativeCol = on;
}
export function nativeIm2colOn(): boolean {
  return useNativeCol;
}

/** im2col: col[m, (i*fw + j)*inC + c] = x[b, oy*sh - padTop + i, ox*sw - padLeft + j, c] (0 outside). */
export function im2col(x: Float32Array, g: ConvGeometry, col: Float32Array): void {
  const addon = useNativeCol ? nativeAddon() : null;
  if (addon && x instanceof Float32Array) {
    addon.im2col(x, col, g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.fh, g.fw, g.sh, g.sw, g.padTop, g.padLeft);
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
            col.fill(0, o, o + g.fw * g.inC);
            o += g.fw * g.inC;
            continue;
          }
          const xrow = xb + yy * rowStride;
          for (let j = 0; j < g.fw; j++) {
            const xx = x0 + j;
            if (xx < 0 || xx >= g.inW) col.fill(0, o, o + g.inC);
            else col.set(x.subarray(xrow + xx * g.inC, xrow + xx * g.inC + g.inC), o);
            o += g.inC;
          }
        }
      }
    }
  }
}

/**
 * Direct loops (no matmul): for each output position, an outer product of the receptive field and dy's channel
 * row accumulated into dW; the inner loop runs over outC, contiguous in dW and dy.
 */
export function conv2dBackpropFilterDirect(x: Float32Array, dy: Float32Array, g: ConvGeometry, dW: Float32Array): void {
  const { outC, inC } = g;
  const rowStride = g.inW * inC;
  const imgStride = g.inH * rowStride;
  let dyOff = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.sh - g.padTop;
      for (let ox = 0; ox < g.outW; ox++, dyOff += outC) {
        const x0 = ox * g.sw - g.padLeft;
        for (let i = 0; i < g.fh; i++) {
          const yy = y0 + i;
          if (yy < 0 || yy >= g.inH) continue;
          for (let j = 0; j < g.fw; j++) {
            const xx = x0 + j;
            if (xx < 0 || xx >= g.inW) continue;
            const xo = b * imgStride + yy * rowStride + xx * inC;
            let wo = (i * g.fw + j) * inC * outC;
            for (let c = 0; c < inC; c++, wo += outC) {
              const xv = x[xo + c];
              if (xv === 0) continue; // relu outputs: many exact zeros
              for (let k = 0; k < outC; k++) dW[wo + k] += xv * dy[dyOff + k];
            }
          }
        }
      }
    }
  }
}

/** 'matmul' (im2col + backend BatchMatMul) or 'direct' (JS loops). */
export type FilterGradMethod = 'matmul' | 'direct';

export function makeConv2DBackpropFilter(backendName: string, method: FilterGradMethod): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as Record<string, any>;
    const filterShape = a.filterShape as number[];
    const g = convGeometry(x.shape, filterShape, a);
    const be = backend as AnyBackend;
    if (method === 'direct') {
      return computeInto(be, filterShape, [x, dy], (dW, xv, dyv) => conv2dBackpropFilterDirect(xv, dyv, g, dW));
    }
    const M = g.batch * g.outH * g.outW;
    const K = g.fh * g.fw * g.inC;
    const col = computeInto(be, [1, M, K], [x], (c, xv) => im2col(xv, g, c));
    const dy3: TensorInfo = { dataId: dy.dataId, shape: [1, M, g.outC], dtype: dy.dtype };
    const prod = callKernel(be, backendName, 'BatchMatMul', { a: col, b: dy3 }, { transposeA: true, transposeB: false });
    release(be, col);
    return { dataId: prod.dataId, shape: filterShape, dtype: 'float32' };
  };
}

/**
 * Forward Conv2D for cpu as im2col + the JS product (lib/backend/kernels/matmul_cpu.ts): out [M, outC] =
 * col [M, K] . W [K, outC]. NHWC and dilation 1 only; anything else goes to the stock kernel.
 */
export function makeCpuConv2D(stock: tf.KernelFunc, gemm: (a: Float32Array, aOff: number, b: Float32Array, bOff: number,
  c: Float32Array, cOff: number, M: number, K: number, N: number) => void): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as Record<string, any>;
    const dil = a.dilations;
    const dilated = Array.isArray(dil) ? dil.some((d: number) => d !== 1) : dil != null && dil !== 1;
    const fmt = a.dataFormat ?? 'NHWC';
    if (dilated || fmt !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return stock(args);
    const g = convGeometry(x.shape, filter.shape, a);
    const M = g.batch * g.outH * g.outW;
    const K = g.fh * g.fw * g.inC;
    return computeInto(args.backend as AnyBackend, [g.batch, g.outH, g.outW, g.outC], [x, filter], (out, xv, wv) => {
      const col = new Float32Array(M * K);
      im2col(xv, g, col);
      gemm(col, 0, wv, 0, out, 0, M, K, g.outC);
    });
  };
}
