// A (bidirectional) LSTM layer computed as a few large matrix products plus gate arithmetic on typed arrays, with
// a hand-written backward pass (backpropagation through time), for the recurrent part of SafeNet (paper section
// 3.2, Figure 4). Same function, weights and parameter count as tf.layers.lstm (+ bidirectional, merge 'concat',
// sigmoid/tanh, gate order i, f, c, o), but a few dozen backend calls a batch where tfjs unrolls its LSTM into dozens
// of small ops a step (measured on wasm: about 10-15 % less time per training epoch of the reference benchmark).
// On the cpu backend with the native addon (lib/backend/native.ts) the whole layer, both directions, all time
// steps, is one native call forward and one backward (lstmForward/lstmBackward of native/safenet_native.cc).
import * as tf from '@tensorflow/tfjs';
import { NativeAddon, nativeAddon, nativeCall } from '../backend/native';

export interface FusedLSTMArgs {
  units: number;
  bidirectional: boolean;
  returnSequences: boolean;
  name?: string;
  inputShape?: number[];
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Values of a tensor computed by f, with every intermediate disposed. (Not tf.tidy(() => t.dataSync()): tidy walks
 * a returned typed array element by element looking for tensors, which cost more than the LSTM itself.)
 */
function valuesOf(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** Forward/backward of one direction over x [B, T, D] (row-major), weights W [D, 4U], R [U, 4U], b [4U]. */
function runDirection(
  xw: Float32Array, // x . W + b, [B*T, 4U] rows ordered (b, t)
  R: tf.Tensor2D,
  B: number,
  T: number,
  U: number,
  reverse: boolean,
) {
  const G = 4 * U;
  const gates = new Float32Array(T * B * G); // activated i, f, g, o per step (step-major)
  const cs = new Float32Array(T * B * U); // cell state after each step
  const tcs = new Float32Array(T * B * U); // tanh(c)
  const hs = new Float32Array(T * B * U); // hidden state after each step
  let h = new Float32Array(B * U);
  let c = new Float32Array(B * U);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const hr = valuesOf(() => tf.matMul(tf.tensor2d(h, [B, U]), R));
    const go = s * B * G;
    const so = s * B * U;
    for (let b = 0; b < B; b++) {
      const zr = (b * T + t) * G;
      for (let u = 0; u < U; u++) {
        const k = b * G + u;
        const i = sigmoid(xw[zr + u] + hr[k]);
        const f = sigmoid(xw[zr + U + u] + hr[k + U]);
        const g = Math.tanh(xw[zr + 2 * U + u] + hr[k + 2 * U]);
        const o = sigmoid(xw[zr + 3 * U + u] + hr[k + 3 * U]);
        gates[go + k] = i;
        gates[go + k + U] = f;
        gates[go + k + 2 * U] = g;
        gates[go + k + 3 * U] = o;
        const cn = f * c[b * U + u] + i * g;
        const tc = Math.tanh(cn);
        cs[so + b * U + u] = cn;
        tcs[so + b * U + u] = tc;
        hs[so + b * U + u] = o * tc;
      }
    }
    h = hs.slice(so, so + B * U);
    c = cs.slice(so, so + B * U);
  }
  return { gates, cs, tcs, hs };
}

/**
 * One LSTM direction as a differentiable op: x [B, T, D], W [D, 4U], R [U, 4U], b [4U] -> [B, T, U] (all steps,
 * step t aligned with input t, also for the reverse direction) or [B, U] (last state).
 */
export function lstmDirection(x: tf.Tensor3D, W: tf.Tensor2D, R: tf.Tensor2D, bias: tf.Tensor1D, reverse: boolean,
  returnSequences: boolean): tf.Tensor {
  const f = tf.customGrad((...args: any[]) => {
    const [xt, Wt, Rt, bt] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[4] as tf.GradSaveFunc;
    save([xt, Wt, Rt]); // the tape keeps these for the backward pass (the inputs themselves may be disposed)
    const [B, T, D] = xt.shape;
    const U = Rt.shape[0];
    const G = 4 * U;
    const xw = valuesOf(() => tf.add(tf.matMul(tf.reshape(xt, [B * T, D]), Wt), bt));
    const { gates, cs, tcs, hs } = runDirection(xw, Rt, B, T, U, reverse);
    let value: tf.Tensor;
    if (returnSequences) {
      const out = new Float32Array(B * T * U);
      for (let s = 0; s < T; s++) {
        const t = reverse ? T - 1 - s : s;
        for (let b = 0; b < B; b++) out.set(hs.subarray((s * B + b) * U, (s * B + b + 1) * U), (b * T + t) * U);
      }
      value = tf.tensor3d(out, [B, T, U]);
    } else {
      value = tf.tensor2d(hs.slice((T - 1) * B * U), [B, U]);
    }
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, Ws, Rs] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
      const dyv = (Array.isArray(dy) ? dy[0] : dy).dataSync() as Float32Array;
      const dz = new Float32Array(B * T * G); // gate pre-activation gradients, rows (b, t)
      const hPrev = new Float32Array(B * T * U); // h before each step, rows (b, t)
      let dh = new Float32Array(B * U);
      const dc = new Float32Array(B * U);
      for (let s = T - 1; s >= 0; s--) {
        const t = reverse ? T - 1 - s : s;
        // output gradient reaching this step
        if (returnSequences) for (let b = 0; b < B; b++) for (let u = 0; u < U; u++) dh[b * U + u] += dyv[(b * T + t) * U + u];
        else if (s === T - 1) dh.set(dyv);
        const go = s * B * G;
        const so = s * B * U;
        const dzs = new Float32Array(B * G);
        for (let b = 0; b < B; b++) {
          for (let u = 0; u < U; u++) {
            const k = b * G + u;
            const j = b * U + u;
            const i = gates[go + k];
            const fg = gates[go + k + U];
            const g = gates[go + k + 2 * U];
            const o = gates[go + k + 3 * U];
            const tc = tcs[so + j];
            const cPrev = s > 0 ? cs[so - B * U + j] : 0;
            const dhv = dh[j];
            const dcv = dc[j] + dhv * o * (1 - tc * tc);
            dzs[k] = dcv * g * i * (1 - i);
            dzs[k + U] = dcv * cPrev * fg * (1 - fg);
            dzs[k + 2 * U] = dcv * i * (1 - g * g);
            dzs[k + 3 * U] = dhv * tc * o * (1 - o);
            dc[j] = dcv * fg;
            hPrev[(b * T + t) * U + u] = s > 0 ? hs[so - B * U + j] : 0;
          }
          dz.set(dzs.subarray(b * G, (b + 1) * G), (b * T + t) * G);
        }
        if (s > 0) dh = valuesOf(() => tf.matMul(tf.tensor2d(dzs, [B, G]), Rs, false, true)).slice();
      }
      return tf.tidy(() => {
        const dzT = tf.tensor2d(dz, [B * T, G]);
        const x2 = tf.reshape(xs, [B * T, D]);
        const dx = tf.reshape(tf.matMul(dzT, Ws, false, true), [B, T, D]);
        const dW = tf.matMul(x2, dzT, true, false);
        const dR = tf.matMul(tf.tensor2d(hPrev, [B * T, U]), dzT, true, false);
        const db = tf.sum(dzT, 0);
        return [dx, dW, dR, db];
      });
    };
    return { value, gradFunc };
  });
  return f(x, W, R, bias) as tf.Tensor;
}

/**
 * The whole (bidirectional) LSTM layer in the native addon: x [B, T, D]; weights per direction (W [D, 4U],
 * R [U, 4U], b [4U]; the second direction runs in reverse) -> [B, T, nDir*U] (returnSequences) or [B, nDir*U], the
 * directions concatenated as FusedLSTM's call does. Same function and gradients as lstmDirection (tested). Needs
 * the cpu backend (the addon reads and writes the backend's own Float32Arrays).
 */
export function lstmLayerNative(addon: NativeAddon, x: tf.Tensor3D, weights: tf.Tensor[], returnSequences: boolean): tf.Tensor {
  const nDir = weights.length / 3;
  if (nDir !== 1 && nDir !== 2) throw new Error(`lstmLayerNative: expected 3 or 6 weights, got ${weights.length}`);
  const f = tf.customGrad((...args: any[]) => {
    const [xt, ...w] = args.slice(0, 1 + 3 * nDir) as tf.Tensor[];
    const [B, T, D] = xt.shape as [number, number, number];
    const U = w[1].shape[0];
    const G = 4 * U;
    const xv = xt.dataSync() as Float32Array;
    const Ws: Float32Array[] = [], Rs: Float32Array[] = [], bs: Float32Array[] = [];
    for (let k = 0; k < nDir; k++) {
      Ws.push(w[3 * k].dataSync() as Float32Array);
      Rs.push(w[3 * k + 1].dataSync() as Float32Array);
      bs.push(w[3 * k + 2].dataSync() as Float32Array);
    }
    const gates = Array.from({ length: nDir }, () => new Float32Array(B * T * G));
    const cs = Array.from({ length: nDir }, () => new Float32Array(B * T * U));
    const hs = Array.from({ length: nDir }, () => new Float32Array(B * T * U));
    const outShape = returnSequences ? [B, T, nDir * U] : [B, nDir * U];
    const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
    // products: input projection and T-1 recurrent ones per direction (multiply-adds count 2)
    nativeCall('LSTM layer [native]', 2 * nDir * B * G * (T * D + (T - 1) * U),
      () => addon.lstmForward(xv, B, T, D, U, nDir, Ws, Rs, bs, gates, cs, hs, out, returnSequences));
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]) => {
      const dyv = (Array.isArray(dy) ? dy[0] : dy).dataSync() as Float32Array;
      const dx = new Float32Array(B * T * D);
      const dWs = Ws.map(() => new Float32Array(D * G));
      const dRs = Rs.map(() => new Float32Array(U * G));
      const dbs = bs.map(() => new Float32Array(G));
      // T-1 recurrent products, then dW, dR and dx over all steps, per direction
      nativeCall('LSTM layer grad [native]', 2 * nDir * B * G * ((T - 1) * U + 2 * T * D + T * U),
        () => addon.lstmBackward(xv, B, T, D, U, nDir, Ws, Rs, gates, cs, hs, dyv, returnSequences, dx, dWs, dRs, dbs));
      const grads: tf.Tensor[] = [tf.tensor3d(dx, [B, T, D])];
      for (let k = 0; k < nDir; k++) grads.push(tf.tensor2d(dWs[k], [D, G]), tf.tensor2d(dRs[k], [U, G]), tf.tensor1d(dbs[k]));
      return grads;
    };
    return { value: tf.tensor(out, outShape), gradFunc };
  });
  return f(x, ...weights) as tf.Tensor;
}

/** The addon when this layer should use it: cpu backend, addon built, SAFENET_NATIVE_LSTM not 0. */
function nativeForLstm(): NativeAddon | null {
  if (tf.getBackend() !== 'cpu' || process.env.SAFENET_NATIVE_LSTM === '0') return null;
  const a = nativeAddon();
  return a && typeof a.lstmForward === 'function' ? a : null;
}

export class FusedLSTM extends tf.layers.Layer {
  static className = 'SafeNetFusedLSTM';
  readonly units: number;
  readonly bidirectional: boolean;
  readonly returnSequences: boolean;
  private w: tf.LayerVariable[] = [];

  constructor(args: FusedLSTMArgs) {
    super(args);
    if (!(Number.isInteger(args.units) && args.units > 0)) throw new Error(`FusedLSTM: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.bidirectional = args.bidirectional;
    this.returnSequences = args.returnSequences;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const D = s[s.length - 1] as number;
    const U = this.units;
    const dirs = this.bidirectional ? ['forward_lstm', 'backward_lstm'] : ['lstm'];
    const zeros = tf.initializers.zeros();
    this.w = [];
    for (const d of dirs) {
      // weights start at zero; lib/models/safenet.ts initWeights sets them (glorot, orthogonal, forget bias 1)
      this.w.push(this.addWeight(`${d}/kernel`, [D, 4 * U], 'float32', zeros));
      this.w.push(this.addWeight(`${d}/recurrent_kernel`, [U, 4 * U], 'float32', zeros));
      this.w.push(this.addWeight(`${d}/bias`, [4 * U], 'float32', zeros));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const width = this.units * (this.bidirectional ? 2 : 1);
    return this.returnSequences ? [s[0], s[1], width] : [s[0], width];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const v = this.w.map((w) => w.read());
    const addon = nativeForLstm();
    if (addon) return lstmLayerNative(addon, x, v, this.returnSequences);
    const fwd = lstmDirection(x, v[0] as tf.Tensor2D, v[1] as tf.Tensor2D, v[2] as tf.Tensor1D, false, this.returnSequences);
    if (!this.bidirectional) return fwd;
    const bwd = lstmDirection(x, v[3] as tf.Tensor2D, v[4] as tf.Tensor2D, v[5] as tf.Tensor1D, true, this.returnSequences);
    return tf.concat([fwd, bwd], -1);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, bidirectional: this.bidirectional, returnSequences: this.returnSequences };
  }
}
tf.serialization.registerClass(FusedLSTM);
