// Tests for the native LSTM layer, Adam loop and im2col/col2im of issue 13 (native/safenet_native.cc lstmForward,
// lstmBackward, adamStep, im2col, col2im): the whole (bidirectional) LSTM layer in one native call agrees with the
// JS fused LSTM (outputs and every gradient) and with central-difference numerical gradients; the native Adam loop
// and im2col/col2im equal the JS loops bit for bit. Skipped, with a test that says so, where the addon is not built.
import { relErr } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { nativeAddon } from '../lib/backend/native';
import { adamStep } from '../lib/backend/adam_cpu';
import { lstmDirection, lstmLayerNative } from '../lib/models/fused_lstm';
import { convGeometry, im2col, useNativeIm2col } from '../lib/backend/kernels/conv2d_backprop_filter';
import { col2im } from '../lib/backend/kernels/conv2d_backprop_input';
import { rngFor } from '../lib/core/random';

const prevBackend: string = tf.getBackend() ?? 'cpu';
const log = () => undefined;

function randn(n: number, label: string, scale = 1): Float32Array {
  const r = rngFor('test', 'native-lstm', label);
  return Float32Array.from({ length: n }, () => scale * r.normal());
}

interface Case {
  B: number;
  T: number;
  D: number;
  U: number;
  nDir: number;
  returnSequences: boolean;
}

const CASES: Case[] = [
  { B: 5, T: 4, D: 3, U: 6, nDir: 2, returnSequences: false },
  { B: 5, T: 4, D: 3, U: 6, nDir: 2, returnSequences: true },
  { B: 3, T: 6, D: 7, U: 5, nDir: 1, returnSequences: true },
  { B: 4, T: 1, D: 2, U: 3, nDir: 1, returnSequences: false },
  { B: 2, T: 7, D: 192, U: 100, nDir: 2, returnSequences: false },
];

/** Input, weights (per direction W, R, b) and an output weighting c (the loss is sum(out * c)) for one case. */
function inputs(c: Case) {
  const G = 4 * c.U;
  const tag = `${c.B}-${c.T}-${c.D}-${c.U}-${c.nDir}-${c.returnSequences}`;
  const x = tf.tensor3d(randn(c.B * c.T * c.D, `x${tag}`), [c.B, c.T, c.D]);
  const w: tf.Tensor[] = [];
  for (let k = 0; k < c.nDir; k++) {
    w.push(tf.tensor2d(randn(c.D * G, `W${k}${tag}`, 1 / Math.sqrt(c.D)), [c.D, G]));
    w.push(tf.tensor2d(randn(c.U * G, `R${k}${tag}`, 1 / Math.sqrt(c.U)), [c.U, G]));
    w.push(tf.tensor1d(randn(G, `b${k}${tag}`, 0.5)));
  }
  const outShape = c.returnSequences ? [c.B, c.T, c.nDir * c.U] : [c.B, c.nDir * c.U];
  const cw = tf.tensor(randn(outShape.reduce((a, b) => a * b, 1), `c${tag}`), outShape);
  return { x, w, cw };
}

/** The JS fused LSTM (one lstmDirection per direction, concatenated), the reference. */
function jsLayer(x: tf.Tensor3D, w: tf.Tensor[], returnSequences: boolean): tf.Tensor {
  const fwd = lstmDirection(x, w[0] as tf.Tensor2D, w[1] as tf.Tensor2D, w[2] as tf.Tensor1D, false, returnSequences);
  if (w.length === 3) return fwd;
  const bwd = lstmDirection(x, w[3] as tf.Tensor2D, w[4] as tf.Tensor2D, w[5] as tf.Tensor1D, true, returnSequences);
  return tf.concat([fwd, bwd], -1);
}

const addon = nativeAddon();
if (addon) {
  for (const c of CASES) {
    const name = `B ${c.B}, T ${c.T}, D ${c.D}, U ${c.U}, ${c.nDir === 2 ? 'bidirectional' : 'one direction'}, ` +
      `${c.returnSequences ? 'all steps' : 'last step'}`;
    test(`native LSTM layer = JS fused LSTM, outputs and gradients of x and every weight (${name})`, async () => {
      await selectBackend({ backend: 'cpu', log });
      const { x, w, cw } = inputs(c);
      const native = lstmLayerNative(addon, x, w, c.returnSequences);
      const js = jsLayer(x, w, c.returnSequences);
      assert.equal(native.shape, js.shape);
      const eo = relErr(native.dataSync(), js.dataSync());
      assert.ok(eo < 1e-5, `outputs: relative difference ${eo}`);
      const lossOf = (f: (...a: tf.Tensor[]) => tf.Tensor) => (...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), cw));
      const gn = tf.grads(lossOf((xx, ...ww) => lstmLayerNative(addon, xx as tf.Tensor3D, ww, c.returnSequences)))([x, ...w]);
      const gj = tf.grads(lossOf((xx, ...ww) => jsLayer(xx as tf.Tensor3D, ww, c.returnSequences)))([x, ...w]);
      const names = ['x', ...w.map((_, i) => ['W', 'R', 'b'][i % 3] + (i >= 3 ? ' (reverse)' : ''))];
      for (let i = 0; i < gn.length; i++) {
        assert.equal(gn[i].shape, gj[i].shape, names[i]);
        const e = relErr(gn[i].dataSync(), gj[i].dataSync());
        assert.ok(e < 1e-4, `gradient of ${names[i]}: relative difference ${e}`);
      }
      tf.dispose([x, ...w, cw, native, js, ...gn, ...gj]);
    });
  }

  test('two threads (the directions in parallel) give the same LSTM outputs and gradients as one', async () => {
    await selectBackend({ backend: 'cpu', log });
    const c = CASES[4];
    const run = () => {
      const { x, w, cw } = inputs(c);
      const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(lstmLayerNative(addon, a[0] as tf.Tensor3D, a.slice(1), c.returnSequences), cw)))([x, ...w]);
      const out = [lstmLayerNative(addon, x, w, c.returnSequences).dataSync() as Float32Array, ...g.map((t) => t.dataSync() as Float32Array)];
      tf.dispose([x, ...w, cw, ...g]);
      return out;
    };
    const one = run();
    addon.setThreads(2);
    let two: Float32Array[];
    try {
      assert.is(addon.info().threads, 2);
      two = run();
    } finally {
      addon.setThreads(1);
    }
    for (let i = 0; i < one.length; i++) assert.ok(relErr(two[i], one[i]) < 1e-6, `output ${i}: ${relErr(two[i], one[i])}`);
  });

  test('native LSTM layer gradients agree with central differences (float64 sums of float32 outputs)', async () => {
    await selectBackend({ backend: 'cpu', log });
    for (const c of CASES.slice(0, 3)) {
      const { x, w, cw } = inputs(c);
      const params = [x, ...w];
      const cv = cw.dataSync();
      const loss = (vals: Float32Array[]) => tf.tidy(() => {
        const ts = vals.map((v, i) => tf.tensor(v, params[i].shape));
        const out = lstmLayerNative(addon, ts[0] as tf.Tensor3D, ts.slice(1), c.returnSequences).dataSync();
        let s = 0;
        for (let i = 0; i < out.length; i++) s += out[i] * cv[i];
        return s;
      });
      const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(lstmLayerNative(addon, a[0] as tf.Tensor3D, a.slice(1), c.returnSequences), cw)))(params);
      const base = params.map((p) => Float32Array.from(p.dataSync()));
      const r = rngFor('test', 'native-lstm', 'fd');
      for (let pi = 0; pi < params.length; pi++) {
        const g = grads[pi].dataSync();
        let scale = 0;
        for (const v of g) scale = Math.max(scale, Math.abs(v));
        for (let probe = 0; probe < 8; probe++) {
          const j = r.int(base[pi].length);
          const h = 1e-2;
          const plus = base.map((b) => b.slice());
          const minus = base.map((b) => b.slice());
          plus[pi][j] += h;
          minus[pi][j] -= h;
          const fd = (loss(plus) - loss(minus)) / (2 * h);
          assert.ok(Math.abs(fd - g[j]) < 2e-3 * Math.max(1, scale),
            `parameter ${pi} element ${j}: analytic ${g[j]} vs numerical ${fd} (case ${JSON.stringify(c)})`);
        }
      }
      tf.dispose([...params, cw, ...grads]);
    }
  });

  test('the native LSTM checks its arguments: wrong lengths name the argument', () => {
    const f = (n: number) => new Float32Array(n);
    // B 2, T 3, D 4, U 1 (G 4), one direction
    const ok = () => addon.lstmForward(f(24), 2, 3, 4, 1, 1, [f(16)], [f(4)], [f(4)], [f(24)], [f(6)], [f(6)], f(2), false);
    ok();
    assert.throws(() => addon.lstmForward(f(23), 2, 3, 4, 1, 1, [f(16)], [f(4)], [f(4)], [f(24)], [f(6)], [f(6)], f(2), false), /x has 23 floats, expected 24/);
    assert.throws(() => addon.lstmForward(f(24), 2, 3, 4, 1, 1, [f(16)], [f(5)], [f(4)], [f(24)], [f(6)], [f(6)], f(2), false), /Rs\[0\] has 5 floats/);
    assert.throws(() => addon.lstmForward(f(24), 2, 3, 4, 1, 2, [f(16)], [f(4)], [f(4)], [f(24)], [f(6)], [f(6)], f(2), false), /Ws must be an array of 2/);
    assert.throws(() => addon.lstmForward(f(24), 2, 3, 4, 1, 1, [f(16)], [f(4)], [f(4)], [f(24)], [f(6)], [f(6)], f(6), false), /out has 6 floats, expected 2/);
  });

  test('native Adam loop = the JS loop bit for bit over several steps (zeros, tiny and large gradients)', () => {
    const n = 1003;
    let p = randn(n, 'adam-p');
    let m = new Float32Array(n);
    let v = new Float32Array(n);
    let pj = p.slice(), mj = m.slice(), vj = v.slice();
    const f = Math.fround;
    for (let step = 1; step <= 6; step++) {
      const g = randn(n, `adam-g${step}`);
      g[0] = 0;
      g[1] = 1e-30;
      g[2] = 1e20;
      const s = { b1: f(0.9), b2: f(0.999), ob1: f(1 - 0.9), ob2: f(1 - 0.999), omab1: f(1 - f(0.9 ** step)),
        omab2: f(1 - f(0.999 ** step)), eps: f(1e-7), nlr: f(-1e-3) };
      const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      addon.adamStep(p, g, m, v, out[0], out[1], out[2], s.b1, s.b2, s.ob1, s.ob2, s.omab1, s.omab2, s.eps, s.nlr);
      const outJ = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      adamStep(pj, g, mj, vj, outJ[0], outJ[1], outJ[2], s);
      for (let k = 0; k < 3; k++) assert.equal(Array.from(out[k]), Array.from(outJ[k]), `step ${step} output ${k}`);
      [p, m, v] = out;
      [pj, mj, vj] = outJ;
    }
    assert.throws(() => addon.adamStep(p, new Float32Array(3), m, v, p, m, v, 0.9, 0.999, 0.1, 0.001, 0.1, 0.001, 1e-7, -1e-3), /g has 3 floats/);
  });
  test('native im2col and col2im = the JS loops bit for bit (valid and same padding, strides, SafeNet\'s [1, 3] kernels)', () => {
    const shapes: [number[], number[], Record<string, unknown>][] = [
      [[3, 7, 8, 5], [1, 3, 5, 4], { strides: [1, 1], pad: 'valid' }],
      [[2, 5, 6, 3], [3, 2, 3, 2], { strides: [2, 1], pad: 'same' }],
      [[2, 4, 7, 2], [2, 3, 2, 3], { strides: [1, 2], pad: 'same' }],
    ];
    for (const [xs, ws, attrs] of shapes) {
      const g = convGeometry(xs, ws, { ...attrs, dataFormat: 'NHWC' });
      const x = randn(xs.reduce((a, b) => a * b, 1), `im2col${xs}`);
      const K = g.fh * g.fw * g.inC;
      const M = g.batch * g.outH * g.outW;
      const run = (nat: boolean) => {
        useNativeIm2col(nat);
        try {
          const col = new Float32Array(M * K).fill(7); // every element is written (zeros outside the image)
          im2col(x, g, col);
          const dx = new Float32Array(x.length);
          col2im(randn(M * K, `col${xs}`), g, dx);
          return [Array.from(col), Array.from(dx)];
        } finally {
          useNativeIm2col(true);
        }
      };
      const [colN, dxN] = run(true);
      const [colJ, dxJ] = run(false);
      assert.equal(colN, colJ, `im2col ${xs} ${ws} ${JSON.stringify(attrs)}`);
      assert.equal(dxN, dxJ, `col2im ${xs} ${ws} ${JSON.stringify(attrs)}`);
      assert.ok(colN.some((v) => v === 0) || attrs.pad === 'valid', 'padding zeros written');
    }
  });
} else {
  test('native LSTM and Adam: the addon is not built here (their tests run where it is)', () => {
    assert.is(nativeAddon(), null);
  });
}

test.after(async () => {
  await tf.setBackend(prevBackend);
});

test.run();
