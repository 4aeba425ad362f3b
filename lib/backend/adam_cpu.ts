// One fused Adam update per weight on the tfjs cpu backend (training SafeNet, paper section 3.2: Adam, lr 1e-3).
// tfjs' AdamOptimizer.applyGradients issues about ten element-wise kernels per weight and step, each a pass over
// memory with a fresh tensor; here one loop per weight computes the same float32 operations in the same order
// (every intermediate rounded to float32 as the stock kernels round it), so the weights after each step are
// bit-identical to stock Adam's (tested). Installed on AdamOptimizer.prototype, active only while the cpu backend
// is the current one; everything else (other backends, non-float32 weights) takes the stock path.
// With the native addon built, the loop runs in C++ (native/safenet_native.cc adamStep: the same float32 operations,
// so the same bits; tested).
import * as tf from '@tensorflow/tfjs';
import { nativeAddon } from './native';

const f = Math.fround;
let installed = false;
let enabled = true;
let stockApply: ((this: any, g: any) => void) | null = null;
let useNativeAdam = true;

/** Let the fused update use the native addon's loop when it is built (true, default) or always the JS loop. */
export function useNativeAdamStep(on: boolean): void {
  useNativeAdam = on;
}

/** Turn the fused update on or off (benchmarks and tests compare it with the stock update). */
export function useFusedAdam(on: boolean): void {
  enabled = on;
}

/** The stock + fused update in one loop over one weight (exported for tests). */
export function adamStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, pOut: Float32Array,
  mOut: Float32Array, vOut: Float32Array, s: { b1: number; b2: number; ob1: number; ob2: number; omab1: number;
    omab2: number; eps: number; nlr: number }): void {
  const { b1, b2, ob1, ob2, omab1, omab2, eps, nlr } = s;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const m1 = f(f(m[i] * b1) + f(gi * ob1));
    const v1 = f(f(v[i] * b2) + f(f(gi * gi) * ob2));
    mOut[i] = m1;
    vOut[i] = v1;
    const mh = f(m1 / omab1);
    const vh = f(v1 / omab2);
    const d = f(f(Math.sqrt(vh)) + eps);
    pOut[i] = f(f(mh / d) * nlr) + p[i];
  }
}

/** Install the fused update on tf.AdamOptimizer (idempotent). */
export function installFusedAdam(): void {
  if (installed) return;
  installed = true;
  const proto = (tf as any).AdamOptimizer.prototype;
  stockApply = proto.applyGradients;
  proto.applyGradients = function fusedApplyGradients(this: any, variableGradients: any): void {
    if (!enabled || tf.getBackend() !== 'cpu') return stockApply!.call(this, variableGradients);
    const names: string[] = Array.isArray(variableGradients) ? variableGradients.map((v: any) => v.name) : Object.keys(variableGradients);
    const engine = tf.engine() as any;
    const backend = tf.backend() as any;
    const read = (t: tf.Tensor) => backend.readSync(t.dataId) as Float32Array;
    for (const name of names) {
      if (engine.registeredVariables[name]?.dtype !== 'float32') return stockApply!.call(this, variableGradients);
    }
    const addon = useNativeAdam ? nativeAddon() : null;
    tf.tidy(() => {
      const accB1 = f(read(this.accBeta1)[0]);
      const accB2 = f(read(this.accBeta2)[0]);
      // the scalars as the stock graph sees them: float32 tensors made from JS numbers, and sub(1, accBeta)
      const s = { b1: f(this.beta1), b2: f(this.beta2), ob1: f(1 - this.beta1), ob2: f(1 - this.beta2),
        omab1: f(1 - accB1), omab2: f(1 - accB2), eps: f(this.epsilon), nlr: f(-this.learningRate) };
      names.forEach((name, i) => {
        const value = engine.registeredVariables[name] as tf.Variable;
        if (this.accumulatedFirstMoment[i] == null) {
          this.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        }
        if (this.accumulatedSecondMoment[i] == null) {
          this.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        }
        const gradient: tf.Tensor | undefined = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = this.accumulatedFirstMoment[i].variable as tf.Variable;
        const v = this.accumulatedSecondMoment[i].variable as tf.Variable;
        const n = value.size;
        const pOut = new Float32Array(n);
        const mOut = new Float32Array(n);
        const vOut = new Float32Array(n);
        const g = gradient.dtype === 'float32' ? read(gradient) : Float32Array.from(gradient.dataSync());
        if (addon) addon.adamStep(read(value), g, read(m), read(v), pOut, mOut, vOut, s.b1, s.b2, s.ob1, s.ob2, s.omab1, s.omab2, s.eps, s.nlr);
        else adamStep(read(value), g, read(m), read(v), pOut, mOut, vOut, s);
        m.assign(tf.tensor(mOut, m.shape, 'float32'));
        v.assign(tf.tensor(vOut, v.shape, 'float32'));
        value.assign(tf.tensor(pOut, value.shape, 'float32'));
      });
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.incrementIterations();
  };
}
