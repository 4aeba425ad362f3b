// Layout kernels that the bidirectional LSTM of SafeNet (paper section 3.2) calls at every step: Reverse (the
// backward direction reads the sequence reversed) and SplitV (the LSTM gates). The stock cpu kernels index element
// by element through TensorBuffer and dominate a cpu training step; these copy contiguous runs (float32 only;
// other dtypes go to the stock kernel).
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, computeInto } from './io';

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** out = x reversed along `axes` (row-major), copying the contiguous runs after the last reversed axis. */
export function reverseInto(x: Float32Array, shape: number[], axes: number[], out: Float32Array): void {
  const rank = shape.length;
  const rev = new Array<boolean>(rank).fill(false);
  for (const a of axes) rev[a < 0 ? a + rank : a] = true;
  let last = -1;
  for (let d = 0; d < rank; d++) if (rev[d] && shape[d] > 1) last = d;
  if (last < 0) {
    out.set(x);
    return;
  }
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const block = strides[last];
  const nOuter = sizeOf(shape.slice(0, last + 1));
  const idx = new Array<number>(last + 1).fill(0);
  for (let o = 0; o < nOuter; o++) {
    let src = 0;
    for (let d = 0; d <= last; d++) src += (rev[d] ? shape[d] - 1 - idx[d] : idx[d]) * strides[d];
    const dst = o * block;
    if (block === 1) out[dst] = x[src];
    else out.set(x.subarray(src, src + block), dst);
    for (let d = last; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

export function makeReverse(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    if (x.dtype !== 'float32') return stock(args);
    const dims = (args.attrs as { dims: number | number[] }).dims;
    const axes = Array.isArray(dims) ? dims : [dims];
    return computeInto(args.backend as AnyBackend, x.shape.slice(), [x], (out, xv) => reverseInto(xv, x.shape, axes, out));
  };
}

export function makeSplitV(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    if (x.dtype !== 'float32') return stock(args);
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
    const outer = sizeOf(x.shape.slice(0, ax));
    const inner = sizeOf(x.shape.slice(ax + 1));
    const rowLen = x.shape[ax] * inner;
    const be = args.backend as AnyBackend;
    const outs: TensorInfo[] = [];
    let start = 0;
    for (const s of sizes) {
      const shape = x.shape.slice();
      shape[ax] = s;
      const run = s * inner;
      const off = start * inner;
      outs.push(computeInto(be, shape, [x], (out, xv) => {
        for (let o = 0; o < outer; o++) out.set(xv.subarray(o * rowLen + off, o * rowLen + off + run), o * run);
      }));
      start += s;
    }
    return outs;
  };
}
