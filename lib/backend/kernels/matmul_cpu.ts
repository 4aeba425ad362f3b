// BatchMatMul and _FusedMatMul for the tfjs cpu backend: a register-blocked JS product (four rows of A at a time,
// the inner loop running along contiguous rows of B and C), about twice the stock kernel's speed; these products
// are most of the work of training the LSTM and dense layers of SafeNet (paper section 3.2) on cpu.
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, callKernel, computeInto, release } from './io';

/** c[M, N] = a[M, K] . b[K, N] (row-major, c overwritten). */
export function gemm(a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number,
  M: number, K: number, N: number): void {
  c.fill(0, cOff, cOff + M * N);
  let i = 0;
  for (; i + 3 < M; i += 4) {
    const c0 = cOff + i * N;
    const c1 = c0 + N;
    const c2 = c1 + N;
    const c3 = c2 + N;
    const a0 = aOff + i * K;
    for (let k = 0; k < K; k++) {
      const v0 = a[a0 + k];
      const v1 = a[a0 + K + k];
      const v2 = a[a0 + 2 * K + k];
      const v3 = a[a0 + 3 * K + k];
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const bo = bOff + k * N;
      for (let j = 0; j < N; j++) {
        const bv = b[bo + j];
        c[c0 + j] += v0 * bv;
        c[c1 + j] += v1 * bv;
        c[c2 + j] += v2 * bv;
        c[c3 + j] += v3 * bv;
      }
    }
  }
  for (; i < M; i++) {
    const co = cOff + i * N;
    for (let k = 0; k < K; k++) {
      const v = a[aOff + i * K + k];
      if (v === 0) continue;
      const bo = bOff + k * N;
      for (let j = 0; j < N; j++) c[co + j] += v * b[bo + j];
    }
  }
}

/** Transpose the last two axes of a [batch, R, C] block into a new array [batch, C, R]. */
function transposed(x: Float32Array, batch: number, R: number, C: number): Float32Array {
  const out = new Float32Array(batch * R * C);
  for (let t = 0; t < batch; t++) {
    const o = t * R * C;
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[o + c * R + r] = x[o + r * C + c];
  }
  return out;
}

/** Shapes of a float32 BatchMatMul that the project's kernels handle, or null for the stock kernel. */
export interface BatchMatMulShape {
  outShape: number[];
  M: number;
  K: number;
  N: number;
  batch: number;
  batchA: number;
  batchB: number;
}

/**
 * The BatchMatMul shape analysis shared by the JS and the native cpu kernels: float32 inputs of rank >= 2 with
 * plain or one-sided batch broadcasting (anything fancier, or another dtype: null, for the stock kernel); throws
 * when the inner shapes differ.
 */
export function batchMatMulShape(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): BatchMatMulShape | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  if (!(batchA === batchB && ra === rb) && batchA !== 1 && batchB !== 1) return null;
  const outer = ra >= rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const K2 = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== K2) {
    throw new Error(`matMul: inner shapes (${K}) and (${K2}) of [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) must match`);
  }
  return { outShape: [...outer, M, N], M, K, N, batch: Math.max(batchA, batchB), batchA, batchB };
}

export function makeCpuBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const sh = batchMatMulShape(a, b, transposeA, transposeB);
    if (!sh) return stock(args);
    const { M, K, N, batch, batchA, batchB } = sh;
    return computeInto(args.backend as AnyBackend, sh.outShape, [a, b], (c, av, bv) => {
      const A = transposeA ? transposed(av, batchA, K, M) : av;
      const B = transposeB ? transposed(bv, batchB, N, K) : bv;
      for (let t = 0; t < batch; t++) {
        gemm(A, batchA === 1 ? 0 : t * M * K, B, batchB === 1 ? 0 : t * K * N, c, t * M * N, M, K, N);
      }
    });
  };
}

const ACTIVATION_KERNELS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/** The bias and activation of a fused kernel (_FusedMatMul, FusedConv2D) with the backend's Add and activation kernels. */
function biasAndActivation(be: AnyBackend, cur: TensorInfo, kernel: string, bias: TensorInfo | undefined,
  preluActivationWeights: TensorInfo | undefined, activation: string | undefined, leakyreluAlpha: number | undefined): TensorInfo {
  if (bias) {
    const next = callKernel(be, 'cpu', 'Add', { a: cur, b: bias }, {});
    release(be, cur);
    cur = next;
  }
  if (activation && activation !== 'linear') {
    const kname = ACTIVATION_KERNELS[activation];
    if (!kname) throw new Error(`${kernel} (project cpu kernel): unknown activation '${activation}'`);
    const ins: Record<string, TensorInfo> = kname === 'Prelu' ? { x: cur, alpha: preluActivationWeights! } : { x: cur };
    const next = callKernel(be, 'cpu', kname, ins, kname === 'LeakyRelu' ? { alpha: leakyreluAlpha } : {});
    release(be, cur);
    cur = next;
  }
  return cur;
}

/** _FusedMatMul = the JS BatchMatMul above, then the backend's Add (bias) and activation kernels. */
export function makeCpuFusedMatMul(): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as Record<string, any>;
    const be = backend as AnyBackend;
    const cur = callKernel(be, 'cpu', 'BatchMatMul', { a: a!, b: b! }, { transposeA, transposeB });
    return biasAndActivation(be, cur, '_FusedMatMul', bias, preluActivationWeights, activation, leakyreluAlpha);
  };
}

/**
 * FusedConv2D = the backend's registered Conv2D (the native or JS im2col product), then Add (bias) and the
 * activation. The stock cpu FusedConv2D is a direct loop: it made inference (layers use the fused op when not
 * training) about 3x slower than wasm; training already used Conv2D.
 */
export function makeCpuFusedConv2D(): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } = attrs as Record<string, any>;
    const be = backend as AnyBackend;
    const cur = callKernel(be, 'cpu', 'Conv2D', { x: x!, filter: filter! }, { strides, pad, dataFormat, dilations, dimRoundingMode });
    return biasAndActivation(be, cur, 'FusedConv2D', bias, preluActivationWeights, activation, leakyreluAlpha);
  };
}
