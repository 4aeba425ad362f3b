// Tests for lib/backend/kernels: the project's gradient and layout kernels agree with numerical gradients
// (central differences of an independent float64 convolution, 1e-3 relative) and with the stock cpu kernels,
// on both cpu and wasm.
import { relErr } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { stockKernel, useProjectKernels } from '../lib/backend/kernels/index';
import { conv2dBackpropFilterDirect, convGeometry } from '../lib/backend/kernels/conv2d_backprop_filter';
import { rngFor } from '../lib/core/random';

// leave the process on the backend it had (uvu runs every test file in one process)
const prevBackend: string = tf.getBackend() ?? 'cpu';
const log = () => undefined;

function randn(n: number, label: string): Float32Array {
  const r = rngFor('test', 'kernels', label);
  return Float32Array.from({ length: n }, () => r.normal());
}

interface Case {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  pad: 'valid' | 'same';
}
const CASES: Case[] = [
  { name: 'conv1d as SafeNet runs it [b,1,w,c], k=3', x: [3, 1, 10, 4], f: [1, 3, 4, 5], strides: [1, 1], pad: 'valid' },
  { name: 'Conv2D [1,3] over [b,steps,len,c]', x: [2, 3, 8, 6], f: [1, 3, 6, 4], strides: [1, 1], pad: 'valid' },
  { name: '2-D, same padding, stride 2', x: [2, 7, 6, 3], f: [3, 2, 3, 4], strides: [2, 2], pad: 'same' },
  { name: '2-D, valid, strides 2x1', x: [1, 9, 5, 2], f: [3, 3, 2, 3], strides: [2, 1], pad: 'valid' },
];

/** Independent float64 NHWC convolution (direct loops), with tfjs' padding convention. */
function conv64(x: Float64Array, xs: number[], w: Float64Array, fs: number[], c: Case): { y: Float64Array; ys: number[] } {
  const info = tf.backend_util.computeConv2DInfo(xs as any, fs as any, c.strides, 1, c.pad);
  const [B, H, W, C] = xs;
  const [FH, FW, , O] = fs;
  const ys = [B, info.outHeight, info.outWidth, O];
  const y = new Float64Array(ys.reduce((a, b) => a * b, 1));
  for (let b = 0; b < B; b++)
    for (let oy = 0; oy < ys[1]; oy++)
      for (let ox = 0; ox < ys[2]; ox++)
        for (let o = 0; o < O; o++) {
          let s = 0;
          for (let i = 0; i < FH; i++)
            for (let j = 0; j < FW; j++) {
              const yy = oy * c.strides[0] - info.padInfo.top + i;
              const xx = ox * c.strides[1] - info.padInfo.left + j;
              if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
              for (let ch = 0; ch < C; ch++) s += x[((b * H + yy) * W + xx) * C + ch] * w[((i * FW + j) * C + ch) * O + o];
            }
          y[((b * ys[1] + oy) * ys[2] + ox) * O + o] = s;
        }
  return { y, ys };
}

/** Central-difference gradient of L = sum(conv(x, w) * R) with respect to x ('x') or w ('w'). */
function numericGrad(c: Case, x: Float32Array, w: Float32Array, R: Float64Array, wrt: 'x' | 'w'): Float64Array {
  const x64 = Float64Array.from(x);
  const w64 = Float64Array.from(w);
  const v = wrt === 'x' ? x64 : w64;
  const L = () => {
    const { y } = conv64(x64, c.x, w64, c.f, c);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * R[i];
    return s;
  };
  const g = new Float64Array(v.length);
  const eps = 1e-3;
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + eps;
    const lp = L();
    v[i] = keep - eps;
    const lm = L();
    v[i] = keep;
    g[i] = (lp - lm) / (2 * eps);
  }
  return g;
}


function analyticGrads(c: Case, x: Float32Array, w: Float32Array, R: Float64Array): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, c.x);
    const wt = tf.tensor4d(w, c.f);
    const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
    const rt = tf.tensor4d(Float32Array.from(R), [c.x[0], info.outHeight, info.outWidth, c.f[3]]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), rt)));
    const [dx, dw] = g([xt, wt]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function caseData(c: Case) {
  const x = randn(c.x.reduce((a, b) => a * b, 1), c.name + 'x');
  const w = randn(c.f.reduce((a, b) => a * b, 1), c.name + 'w');
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
  const R = Float64Array.from(randn(c.x[0] * info.outHeight * info.outWidth * c.f[3], c.name + 'R'));
  return { x, w, R };
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const c of CASES) {
    test(`${backend}: conv2d gradients match central differences (1e-3 relative): ${c.name}`, async () => {
      await selectBackend({ backend, log });
      const { x, w, R } = caseData(c);
      const { dx, dw } = analyticGrads(c, x, w, R);
      const ndw = numericGrad(c, x, w, R, 'w');
      const ndx = numericGrad(c, x, w, R, 'x');
      const ew = relErr(dw, ndw);
      const ex = relErr(dx, ndx);
      assert.ok(ew < 1e-3, `filter gradient relative error ${ew}`);
      assert.ok(ex < 1e-3, `input gradient relative error ${ex}`);
    });
  }
}

test('custom Conv2DBackpropFilter (cpu and wasm) equals the stock cpu kernel', async () => {
  await selectBackend({ backend: 'cpu', log });
  const stock = stockKernel('Conv2DBackpropFilter', 'cpu');
  assert.ok(stock, 'stock cpu kernel kept');
  for (const c of CASES) {
    const { x, R } = caseData(c);
    const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
    const dyShape = [c.x[0], info.outHeight, info.outWidth, c.f[3]];
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.f };
    const ref = tf.tidy(() => {
      const xt = tf.tensor4d(x, c.x);
      const dy = tf.tensor(Float32Array.from(R), dyShape);
      const be = tf.backend();
      const out = stock!.kernelFunc({ inputs: { x: xt, dy }, backend: be, attrs: attrs as any }) as tf.TensorInfo;
      const vals = be.readSync(out.dataId) as Float32Array;
      be.disposeData(out.dataId);
      return Float32Array.from(vals);
    });
    const direct = new Float32Array(ref.length);
    conv2dBackpropFilterDirect(x, Float32Array.from(R), convGeometry(c.x, c.f, attrs), direct);
    assert.ok(relErr(direct, ref) < 1e-5, `direct-loop method, ${c.name}`);
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend({ backend, log });
      const got = tf.tidy(() => {
        const r = tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, c.x), dy: tf.tensor(Float32Array.from(R), dyShape) }, attrs as any) as tf.Tensor;
        return r.dataSync() as Float32Array;
      });
      const e = relErr(got, ref);
      assert.ok(e < 1e-5, `${backend} ${c.name}: relative difference from stock ${e}`);
    }
    await selectBackend({ backend: 'cpu', log });
  }
});

test('custom Conv2DBackpropInput and transposed matmuls on wasm equal cpu results', async () => {
  const c = CASES[2];
  const { x, w, R } = caseData(c);
  await selectBackend({ backend: 'cpu', log });
  const ref = analyticGrads(c, x, w, R);
  const mm = (ta: boolean, tb: boolean) => tf.tidy(() => {
    const a = tf.tensor2d(randn(35 * 20, 'a'), ta ? [20, 35] : [35, 20]);
    const b = tf.tensor2d(randn(20 * 9, 'b'), tb ? [9, 20] : [20, 9]);
    const bias = tf.tensor1d(randn(9, 'bias'));
    return [tf.matMul(a, b, ta, tb).dataSync(), tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation: 'relu' }).dataSync()];
  });
  const refMM = [mm(false, false), mm(true, false), mm(false, true), mm(true, true)];
  await selectBackend({ backend: 'wasm', log });
  const got = analyticGrads(c, x, w, R);
  assert.ok(relErr(got.dx, ref.dx) < 1e-5, 'input gradient');
  assert.ok(relErr(got.dw, ref.dw) < 1e-5, 'filter gradient');
  const gotMM = [mm(false, false), mm(true, false), mm(false, true), mm(true, true)];
  for (let i = 0; i < 4; i++) {
    assert.ok(relErr(gotMM[i][0], refMM[i][0]) < 1e-5, `matMul case ${i}`);
    assert.ok(relErr(gotMM[i][1], refMM[i][1]) < 1e-5, `fused matMul case ${i}`);
  }
});

test('Reverse and SplitV kernels equal the stock cpu kernels (float32 and int32)', async () => {
  const shape = [3, 4, 5];
  const xv = randn(60, 'rev');
  const cases: number[][] = [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]];
  const run = () => tf.tidy(() => {
    const x = tf.tensor3d(xv, shape as [number, number, number]);
    const xi = tf.tensor3d(Int32Array.from(xv, (v) => Math.round(10 * v)), shape as [number, number, number], 'int32');
    const outs: number[][] = [];
    for (const axes of cases) {
      outs.push(Array.from(tf.reverse(x, axes).dataSync()), Array.from(tf.reverse(xi, axes).dataSync()));
    }
    for (const axis of [0, 1, 2]) {
      const sizes = axis === 2 ? [2, 3] : axis === 1 ? [1, 1, 2] : [2, 1];
      for (const p of tf.split(x, sizes, axis)) outs.push([...p.shape, ...Array.from(p.dataSync())]);
      for (const p of tf.split(xi, sizes, axis)) outs.push([...p.shape, ...Array.from(p.dataSync())]);
    }
    return outs;
  });
  await selectBackend({ backend: 'cpu', log });
  const custom = run();
  // stock cpu kernels, temporarily back in place
  const swapped: [string, tf.KernelConfig][] = [];
  for (const name of ['Reverse', 'SplitV']) {
    const k = stockKernel(name, 'cpu');
    assert.ok(k, `stock ${name} kept`);
    swapped.push([name, tf.getKernel(name, 'cpu')!]);
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel(k!);
  }
  let stock: number[][];
  try {
    stock = run();
  } finally {
    for (const [name, k] of swapped) {
      tf.unregisterKernel(name, 'cpu');
      tf.registerKernel(k);
    }
  }
  assert.equal(custom, stock);
  await selectBackend({ backend: 'wasm', log });
  assert.equal(run(), stock);
});


/** Outputs of every op the project kernels serve, forward and backward, with awkward shapes and ties. */
function opSuite(): { name: string; values: Float32Array }[] {
  return tf.tidy(() => {
    const out: { name: string; values: Float32Array }[] = [];
    const put = (name: string, t: tf.Tensor) => out.push({ name, values: Float32Array.from(t.dataSync()) });
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = tf.tensor3d(randn(2 * 7 * 5, 'ma'), ta ? [2, 5, 7] : [2, 7, 5]);
      const b = tf.tensor3d(randn(2 * 5 * 6, 'mb'), tb ? [2, 6, 5] : [2, 5, 6]);
      put(`matMul batch ${ta} ${tb}`, tf.matMul(a, b, ta, tb));
      const b1 = tf.tensor2d(randn(5 * 6, 'mb1'), tb ? [6, 5] : [5, 6]);
      put(`matMul broadcast ${ta} ${tb}`, tf.matMul(a, b1, ta, tb));
      const bias = tf.tensor1d(randn(6, 'bias'));
      for (const activation of ['linear', 'relu', 'sigmoid', 'elu'] as const) {
        put(`fused ${activation} ${ta} ${tb}`, tf.fused.matMul({ a: a.reshape(ta ? [10, 7] : [14, 5]).slice(0, ta ? [5, 7] : [7, 5]) as tf.Tensor2D, b: b1, transposeA: ta, transposeB: tb, bias, activation }));
      }
    }
    for (const c of CASES) {
      const x = tf.relu(tf.tensor4d(randn(c.x.reduce((p, q) => p * q, 1), 'cx' + c.name), c.x));
      const w = tf.tensor4d(randn(c.f.reduce((p, q) => p * q, 1), 'cw' + c.name), c.f);
      const y = tf.conv2d(x, w, c.strides, c.pad);
      put(`conv2d ${c.name}`, y);
      // the fused convolution layers use when not training (bias and activation after the product)
      const bias = tf.tensor1d(randn(c.f[3], 'cb' + c.name));
      for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid'] as const) {
        put(`fused conv2d ${activation} ${c.name}`, tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, bias, activation }));
      }
      put(`fused conv2d leakyrelu, no bias ${c.name}`, tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, activation: 'leakyrelu', leakyreluAlpha: 0.3 }));
      const r = tf.tensor(randn(y.size, 'cr' + c.name), y.shape);
      const [gx, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, c.strides, c.pad), r)))([x, w]);
      put(`conv2d dx ${c.name}`, gx);
      put(`conv2d dw ${c.name}`, gw);
      // max pooling over relu outputs (many ties at zero: the gradient goes to the first maximum) and over
      // raw values (no ties)
      for (const [pool, stride, pad] of [[[1, 2], [1, 2], 'valid'], [[2, 2], [1, 1], 'same'], [[3, 2], [2, 2], 'valid']] as const) {
        if (c.x[1] < pool[0] || c.x[2] < pool[1]) continue;
        const f = (p: tf.Tensor) => tf.maxPool(p as tf.Tensor4D, pool as [number, number], stride as [number, number], pad);
        const py = f(x);
        const pr = tf.tensor(randn(py.size, 'pr' + c.name + pool), py.shape);
        put(`maxPool grad ties ${pool} ${stride} ${pad} ${c.name}`, tf.grad((p: tf.Tensor) => tf.sum(tf.mul(f(p), pr)))(x));
        const raw = tf.tensor4d(randn(c.x.reduce((p, q) => p * q, 1), 'raw' + c.name), c.x);
        put(`maxPool grad ${pool} ${stride} ${pad} ${c.name}`, tf.grad((p: tf.Tensor) => tf.sum(tf.mul(f(p), pr)))(raw));
      }
    }
    return out;
  });
}

function compareSuites(got: { name: string; values: Float32Array }[], ref: { name: string; values: Float32Array }[], what: string) {
  assert.is(got.length, ref.length);
  for (let i = 0; i < ref.length; i++) {
    assert.is(got[i].name, ref[i].name);
    const e = relErr(got[i].values, ref[i].values);
    assert.ok(e < 1e-5, `${what}: ${ref[i].name}: relative difference ${e}`);
  }
}

test('wasm MaxPoolGrad routes every window gradient (the stock tfjs 4.22 wasm kernel loses some)', async () => {
  await selectBackend({ backend: 'wasm', log });
  const x = tf.tensor4d([0, 0.99, -0.26, -0.93, 0.49, 0.8, -0.7, -0.61], [1, 2, 4, 1]);
  const r = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  const f = (p: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(p as tf.Tensor4D, [1, 2], [1, 2], 'valid'), r));
  assert.equal(Array.from(tf.grad(f)(x).dataSync()), [0, 1, 2, 0, 0, 3, 0, 4]);
  const stock = stockKernel('MaxPoolGrad', 'wasm');
  assert.ok(stock, 'stock wasm MaxPoolGrad kept');
  useProjectKernels('wasm', false, ['MaxPoolGrad']);
  try {
    // documents the upstream defect this kernel works around; if tfjs fixes it this assertion flips
    assert.not.equal(Array.from(tf.grad(f)(x).dataSync()), [0, 1, 2, 0, 0, 3, 0, 4]);
  } finally {
    useProjectKernels('wasm', true, ['MaxPoolGrad']);
  }
  tf.dispose([x, r]);
});

test('every project kernel (cpu and wasm) reproduces the stock cpu kernels on the same ops', async () => {
  await selectBackend({ backend: 'cpu', log });
  useProjectKernels('cpu', false);
  let stock: ReturnType<typeof opSuite>;
  try {
    stock = opSuite();
  } finally {
    useProjectKernels('cpu', true);
  }
  assert.ok(stock.length > 40);
  compareSuites(opSuite(), stock, 'cpu project kernels');
  await selectBackend({ backend: 'wasm', log });
  compareSuites(opSuite(), stock, 'wasm');
});

test.after(async () => {
  await tf.setBackend(prevBackend);
});

test.run();
