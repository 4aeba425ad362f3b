// Faster tfjs cpu kernels for the element-wise work of a training step (paper section 3.2: Adam's updates, dropout,
// bias gradients): Add, Sub, Multiply, RealDiv with equal shapes, a scalar or a trailing-axes (bias) broadcast, and
// Sum over leading or trailing axes. The stock cpu kernels compute every broadcast element through index
// arithmetic with array allocations and transpose before a leading-axis Sum; the profile of a SafeNet training
// step (bench/kernels.ts --profile) showed them taking most of the step on cpu. Same float64 arithmetic per
// element and the same summation order as the stock kernels, so results are bit-identical (tested); any other
// case goes to the stock kernel.
// With the native addon built (lib/backend/native.ts) the same loops run in C++ (native/safenet_native.cc binary,
// unary, sum, maxPool: the same bits, tested).
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, computeInto } from './io';
import { NativeAddon, nativeAddon } from '../native';

let useNative = true;
/** The addon's loops when it is built and `useNativeElementwise(true)` (default); the JS loops otherwise. */
function native(): NativeAddon | null {
  return useNative ? nativeAddon() : null;
}

/** Use the addon's element-wise loops (true, default) or always the JS loops (tests and benchmarks compare them). */
export function useNativeElementwise(on: boolean): void {
  useNative = on;
}

const OPS: Record<Op, number> = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 };

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

type Op = 'Add' | 'Sub' | 'Multiply' | 'RealDiv';

/** Is b's shape (leading 1s dropped) a suffix of a's shape? Then b repeats along a's leading axes. */
function isTrailing(a: number[], b: number[]): boolean {
  let s = 0;
  while (s < b.length && b[s] === 1) s++;
  const t = b.slice(s);
  if (t.length > a.length) return false;
  for (let i = 0; i < t.length; i++) if (t[i] !== a[a.length - t.length + i]) return false;
  return true;
}

function loop(op: Op, out: Float32Array, a: Float32Array, b: Float32Array, aMod: number, bMod: number): void {
  const addon = native();
  if (addon && a instanceof Float32Array && b instanceof Float32Array) return addon.binary(OPS[op], out, a, b, aMod, bMod);
  const n = out.length;
  // aMod/bMod: 0 = same size as out, 1 = scalar, k = repeats every k elements
  if (aMod === 0 && bMod === 0) {
    if (op === 'Add') for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
    else if (op === 'Sub') for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
    else if (op === 'Multiply') for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
    else for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
    return;
  }
  if (bMod === 1) {
    const s = b[0];
    if (op === 'Add') for (let i = 0; i < n; i++) out[i] = a[i] + s;
    else if (op === 'Sub') for (let i = 0; i < n; i++) out[i] = a[i] - s;
    else if (op === 'Multiply') for (let i = 0; i < n; i++) out[i] = a[i] * s;
    else for (let i = 0; i < n; i++) out[i] = a[i] / s;
    return;
  }
  if (aMod === 1) {
    const s = a[0];
    if (op === 'Add') for (let i = 0; i < n; i++) out[i] = s + b[i];
    else if (op === 'Sub') for (let i = 0; i < n; i++) out[i] = s - b[i];
    else if (op === 'Multiply') for (let i = 0; i < n; i++) out[i] = s * b[i];
    else for (let i = 0; i < n; i++) out[i] = s / b[i];
    return;
  }
  // one operand repeats every k elements (a bias row)
  const k = aMod || bMod;
  for (let o = 0; o < n; o += k) {
    if (bMod) {
      if (op === 'Add') for (let j = 0; j < k; j++) out[o + j] = a[o + j] + b[j];
      else if (op === 'Sub') for (let j = 0; j < k; j++) out[o + j] = a[o + j] - b[j];
      else if (op === 'Multiply') for (let j = 0; j < k; j++) out[o + j] = a[o + j] * b[j];
      else for (let j = 0; j < k; j++) out[o + j] = a[o + j] / b[j];
    } else {
      if (op === 'Add') for (let j = 0; j < k; j++) out[o + j] = a[j] + b[o + j];
      else if (op === 'Sub') for (let j = 0; j < k; j++) out[o + j] = a[j] - b[o + j];
      else if (op === 'Multiply') for (let j = 0; j < k; j++) out[o + j] = a[j] * b[o + j];
      else for (let j = 0; j < k; j++) out[o + j] = a[j] / b[o + j];
    }
  }
}

export function makeCpuBinary(op: Op, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const na = size(a.shape);
    const nb = size(b.shape);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = size(outShape);
    if (n === 0) return stock(args);
    let aMod: number;
    let bMod: number;
    if (na === n && nb === n) [aMod, bMod] = [0, 0];
    else if (na === n && nb === 1) [aMod, bMod] = [0, 1];
    else if (nb === n && na === 1) [aMod, bMod] = [1, 0];
    else if (na === n && isTrailing(a.shape, b.shape)) [aMod, bMod] = [0, nb];
    else if (nb === n && isTrailing(b.shape, a.shape)) [aMod, bMod] = [na, 0];
    else return stock(args);
    // equal sizes but different shapes (e.g. [3,1] and [1,3] are not, but [6] and [2,3] cannot broadcast): the
    // broadcast shape check above already threw for those; equal-size operands here are elementwise
    return computeInto(args.backend as AnyBackend, outShape, [a, b], (out, av, bv) => loop(op, out, av, bv, aMod, bMod));
  };
}

/**
 * Sum over the leading axes (a column sum: bias gradients) or the trailing axes (row sums), summed in float64 in
 * index order and rounded once, as the stock kernel does; other axis sets go to the stock kernel.
 */
export function makeCpuSum(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return stock(args);
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).slice().sort((p, q) => p - q);
    if (axes.length === 0 || rank === 0) return stock(args);
    const contiguous = axes.every((v, i) => i === 0 || v === axes[i - 1] + 1);
    if (!contiguous) return stock(args);
    const leading = axes[0] === 0;
    const trailing = axes[axes.length - 1] === rank - 1;
    if (!leading && !trailing) return stock(args);
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const reduced = size(axes.map((i) => x.shape[i]));
    const kept = size(x.shape) / Math.max(1, reduced);
    if (reduced === 0 || kept === 0) return stock(args);
    return computeInto(args.backend as AnyBackend, outShape, [x], (out, xv) => {
      const addon = native();
      if (addon && xv instanceof Float32Array) return addon.sum(!trailing, out, xv, trailing ? kept : reduced, trailing ? reduced : kept);
      if (trailing) {
        // rows of `reduced` contiguous values (also the case of a full reduction)
        for (let r = 0; r < kept; r++) {
          let s = 0;
          const o = r * reduced;
          for (let j = 0; j < reduced; j++) s += xv[o + j];
          out[r] = s;
        }
      } else {
        const acc = new Float64Array(kept);
        for (let r = 0; r < reduced; r++) {
          const o = r * kept;
          for (let j = 0; j < kept; j++) acc[j] += xv[o + j];
        }
        out.set(acc);
      }
    });
  };
}

type UnaryOp = 'Relu' | 'Step' | 'Floor';

/**
 * Relu, Step (the gradient of relu) and Floor (dropout masks) on float32, each its own loop (the stock kernels call
 * the element function through one shared template, a call per element that V8 cannot inline). Same results.
 */
export function makeCpuUnary(op: UnaryOp, stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32') return stock(args);
    const alpha = op === 'Step' ? Number((args.attrs as Record<string, unknown>).alpha ?? 0) : 0;
    const addon = native();
    const fill = addon && (args.backend as AnyBackend).readSync(x.dataId) instanceof Float32Array
      ? (out: Float32Array, xv: Float32Array) => addon.unary(op === 'Relu' ? 0 : op === 'Step' ? 1 : 2, out, xv, alpha)
      : op === 'Relu' ? reluLoop : op === 'Floor' ? floorLoop : (out: Float32Array, xv: Float32Array) => stepLoop(out, xv, alpha);
    return computeInto(args.backend as AnyBackend, x.shape.slice(), [x], fill);
  };
}

// Branch-free forms: the sign of relu inputs is random, and a data-dependent branch per element (Math.max, a
// conditional) mispredicts about half the time (measured 4-5x slower on 229k values). Same values as the stock
// kernels: (a + |a|) / 2 is exact in float64 for float32 a, +0 for -0, NaN for NaN; the rare cases take a
// well-predicted branch (-Infinity for Relu, NaN for Step).
function reluLoop(out: Float32Array, xv: Float32Array): void {
  for (let i = 0; i < xv.length; i++) {
    const a = xv[i];
    out[i] = a === Number.NEGATIVE_INFINITY ? 0 : (a + Math.abs(a)) * 0.5;
  }
}

function floorLoop(out: Float32Array, xv: Float32Array): void {
  for (let i = 0; i < xv.length; i++) out[i] = Math.floor(xv[i]);
}

function stepLoop(out: Float32Array, xv: Float32Array, alpha: number): void {
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    const p = +(v > 0);
    out[i] = v !== v ? NaN : alpha === 0 ? p : p === 1 ? 1 : alpha;
  }
}

/**
 * MaxPool (NHWC, float32, no padding: SafeNet's [1, 2] pooling) over typed arrays; the maximum of each window as
 * the stock kernel takes it (pixel > best, so NaN never wins). Padded or other cases go to the stock kernel.
 */
export function makeCpuMaxPool(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as Record<string, any>;
    if (x.dtype !== 'float32' || x.shape.length !== 4) return stock(args);
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    if (info.padInfo.top || info.padInfo.left || info.padInfo.bottom || info.padInfo.right) return stock(args);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const addon = native();
    return computeInto(args.backend as AnyBackend, [B, OH, OW, C], [x], (out, xv) => addon && xv instanceof Float32Array
      ? addon.maxPool(out, xv, B, H, W, C, OH, OW, sh, sw, fh, fw) : maxPoolLoop(out, xv, B, H, W, C, OH, OW, sh, sw, fh, fw));
  };
}

function maxPoolLoop(out: Float32Array, xv: Float32Array, B: number, H: number, W: number, C: number, OH: number, OW: number,
  sh: number, sw: number, fh: number, fw: number): void {
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++, o += C) {
        for (let d = 0; d < C; d++) {
          let best = Number.NEGATIVE_INFINITY;
          for (let r = 0; r < fh; r++) {
            const row = ((b * H + oy * sh + r) * W + ox * sw) * C + d;
            for (let c = 0; c < fw; c++) {
              const v = xv[row + c * C];
              if (v > best) best = v; // as the stock kernel: a NaN never wins
            }
          }
          out[o + d] = best;
        }
      }
    }
  }
}
