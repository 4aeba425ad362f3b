// Tests for the training-speed kernels of issue 13: the cpu element-wise kernels and the fused Adam update equal
// the stock tfjs kernels bit for bit; the native addon's products (OpenBLAS) agree with an independent float64
// product; the addon's build never fails an install; the cpu path (native kernels where built) reaches the same
// validation loss as wasm on a small task; the per-kernel profile accounts for a training step.
import { relErr } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { stockKernel } from '../lib/backend/kernels/index';
import { makeCpuBinary, makeCpuMaxPool, makeCpuSum, makeCpuUnary, useNativeElementwise } from '../lib/backend/kernels/elementwise_cpu';
import { makeMaxPoolGrad, useNativeMaxPoolGrad } from '../lib/backend/kernels/maxpool_grad';
import { makeNativeBatchMatMul } from '../lib/backend/kernels/native_cpu';
import { nativeAddon, nativeStatus } from '../lib/backend/native';
import { useFusedAdam } from '../lib/backend/adam_cpu';
import { profileKernels } from '../lib/backend/profile';
import { buildSafeNet, SafeNetConfig, SAFENET_REFERENCE } from '../lib/models/safenet';
import { fitModel } from '../lib/training/fit';
import { rngFor } from '../lib/core/random';

const prevBackend: string = tf.getBackend() ?? 'cpu';
const log = () => undefined;

function randn(n: number, label: string): Float32Array {
  const r = rngFor('test', 'native', label);
  return Float32Array.from({ length: n }, () => r.normal());
}

/** Run a kernel function on the cpu backend and return its output values and shape (the output released). */
function runOn(k: tf.KernelFunc, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): { v: number[]; shape: number[] } {
  const be = tf.backend() as any;
  const out = k({ inputs: inputs as any, backend: be, attrs: attrs as any }) as tf.TensorInfo;
  const v = Array.from(be.readSync(out.dataId) as Float32Array);
  be.disposeData(out.dataId);
  return { v, shape: out.shape };
}

function stockOf(name: string): tf.KernelFunc {
  const k = stockKernel(name, 'cpu');
  assert.ok(k, `stock cpu ${name} kept`);
  return k!.kernelFunc;
}

/** A test run twice where the addon is built: with its element-wise loops, then with the JS loops. */
function bothLoops(name: string, body: () => Promise<void>): void {
  for (const nat of nativeAddon() ? [true, false] : [false]) {
    test(`${name} (${nat ? 'native' : 'JS'} loops)`, async () => {
      useNativeElementwise(nat);
      useNativeMaxPoolGrad(nat);
      try {
        await body();
      } finally {
        useNativeElementwise(true);
        useNativeMaxPoolGrad(true);
      }
    });
  }
}

bothLoops('cpu Add, Sub, Multiply, RealDiv equal the stock kernels bit for bit (equal shapes, scalars, bias rows, fallbacks)', async () => {
  await selectBackend({ backend: 'cpu', log });
  const shapes: [number[], number[]][] = [[[3, 4, 5], [3, 4, 5]], [[3, 4, 5], []], [[], [6, 7]], [[1], [6, 7]], [[6, 7], [7]],
    [[7], [6, 7]], [[2, 3, 7], [1, 7]], [[2, 3, 7], [3, 7]], [[4, 1], [1, 5]], [[2, 3, 4], [2, 1, 4]]];
  let n = 0;
  for (const op of ['Add', 'Sub', 'Multiply', 'RealDiv'] as const) {
    const mine = makeCpuBinary(op, stockOf(op));
    for (const [sa, sb] of shapes) {
      const a = tf.tensor(randn(sa.reduce((p, q) => p * q, 1), `a${sa}`), sa);
      const b = tf.tensor(randn(sb.reduce((p, q) => p * q, 1), `b${sb}`), sb);
      const got = runOn(mine, { a, b }, {});
      const ref = runOn(stockOf(op), { a, b }, {});
      assert.equal(got.shape, ref.shape, `${op} [${sa}] [${sb}] shape`);
      assert.equal(got.v, ref.v, `${op} [${sa}] [${sb}]`);
      tf.dispose([a, b]);
      n++;
    }
  }
  assert.is(n, 40);
});

bothLoops('cpu Sum equals the stock kernel bit for bit over leading, trailing, all and middle axes, with keepDims', async () => {
  await selectBackend({ backend: 'cpu', log });
  const x = tf.tensor(randn(4 * 5 * 6 * 3, 'sum'), [4, 5, 6, 3]);
  const mine = makeCpuSum(stockOf('Sum'));
  for (const axis of [0, [0, 1], [0, 1, 2], 3, [2, 3], [1, 2, 3], [0, 1, 2, 3], 1, [1, 2], -1, [-1, -2]]) {
    for (const keepDims of [false, true]) {
      const got = runOn(mine, { x }, { axis, keepDims });
      const ref = runOn(stockOf('Sum'), { x }, { axis, keepDims });
      assert.equal(got.shape, ref.shape, `axis ${axis} keepDims ${keepDims}`);
      assert.equal(got.v, ref.v, `axis ${axis} keepDims ${keepDims}`);
    }
  }
  x.dispose();
});

bothLoops('cpu Relu, Step (alpha 0 and 0.3, NaN, huge values), Floor, MaxPool and MaxPoolGrad equal the stock kernels', async () => {
  await selectBackend({ backend: 'cpu', log });
  const vals = randn(2 * 3 * 6 * 4, 'unary');
  vals[5] = NaN;
  vals[7] = 0;
  vals[9] = -0;
  vals[11] = 3.4e38;
  vals[12] = -3.4e38;
  vals[13] = Number.NEGATIVE_INFINITY;
  vals[14] = Number.POSITIVE_INFINITY;
  const x = tf.tensor4d(vals, [2, 3, 6, 4]);
  for (const [op, attrs] of [['Relu', {}], ['Step', { alpha: 0 }], ['Step', { alpha: 0.3 }], ['Floor', {}]] as const) {
    const got = runOn(makeCpuUnary(op, stockOf(op)), { x }, attrs);
    const ref = runOn(stockOf(op), { x }, attrs);
    assert.equal(got.v.map(String), ref.v.map(String), `${op} ${JSON.stringify(attrs)}`);
  }
  const y = tf.tensor4d(randn(2 * 5 * 6 * 3, 'pool'), [2, 5, 6, 3]);
  for (const [filterSize, strides, pad] of [[[1, 2], [1, 2], 'valid'], [[2, 2], [1, 1], 'valid'], [[3, 2], [2, 2], 'valid'], [[2, 2], [1, 1], 'same']] as const) {
    const attrs = { filterSize, strides, pad, dimRoundingMode: undefined };
    const got = runOn(makeCpuMaxPool(stockOf('MaxPool')), { x: y }, attrs);
    const ref = runOn(stockOf('MaxPool'), { x: y }, attrs);
    assert.equal(got.shape, ref.shape);
    assert.equal(got.v, ref.v, `MaxPool ${filterSize} ${strides} ${pad}`);
    // the gradient: ties (equal values) and a NaN go where the stock kernel sends them
    const yv = y.dataSync().slice();
    yv[3] = yv[6];
    yv[20] = NaN;
    const yt = tf.tensor4d(yv, [2, 5, 6, 3]);
    const out = tf.maxPool(yt, filterSize as any, strides as any, pad);
    const dy = tf.tensor(randn(out.size, `dy${filterSize}${pad}`), out.shape);
    const gattrs = { filterSize, strides, pad, dimRoundingMode: undefined };
    const gotG = runOn(makeMaxPoolGrad(stockOf('MaxPoolGrad')), { dy, input: yt, output: out }, gattrs);
    const refG = runOn(stockOf('MaxPoolGrad'), { dy, input: yt, output: out }, gattrs);
    // non-overlapping windows (SafeNet's [1, 2]): bit for bit; overlapping ones add several window gradients into a
    // pixel, in another order than the stock kernel's float64 sum
    if (filterSize[0] === strides[0] && filterSize[1] === strides[1]) assert.equal(gotG.v, refG.v, `MaxPoolGrad ${filterSize} ${strides} ${pad}`);
    else assert.ok(relErr(gotG.v, refG.v) < 1e-6, `MaxPoolGrad ${filterSize} ${strides} ${pad}: ${relErr(gotG.v, refG.v)}`);
    tf.dispose([yt, out, dy]);
  }
  tf.dispose([x, y]);
});

/** A small compiled dense model and its weights after `steps` Adam steps on fixed data. */
async function adamRun(steps: number): Promise<number[][]> {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 7, inputShape: [5], activation: 'relu', kernelInitializer: 'zeros' }),
    tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: 'zeros' })] });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(randn(w.size, `w${i}`), w.shape)));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor2d(randn(40, 'ax'), [8, 5]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3).toFloat();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const out = model.getWeights().map((w) => Array.from(w.dataSync()));
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

test('fused Adam on cpu gives the stock Adam weights bit for bit after several steps', async () => {
  await selectBackend({ backend: 'cpu', log });
  const fused = await adamRun(5);
  useFusedAdam(false);
  let stock: number[][];
  try {
    stock = await adamRun(5);
  } finally {
    useFusedAdam(true);
  }
  assert.equal(fused, stock);
  assert.not.equal(fused, await adamRun(1), 'the weights move');
});

/** Independent float64 product of row-major matrices with optional transposes. */
function matmul64(a: Float32Array, b: Float32Array, M: number, N: number, K: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ta ? k * M + i : i * K + k] * b[tb ? j * K + k : k * N + j];
      c[i * N + j] = s;
    }
  return c;
}

const addon = nativeAddon();
if (addon) {
  test('native BatchMatMul (OpenBLAS) agrees with a float64 product: transposes, batches, broadcast B, shapes of SafeNet', async () => {
    await selectBackend({ backend: 'cpu', log });
    const k = makeNativeBatchMatMul(stockOf('BatchMatMul'), addon);
    for (const [batch, M, K, N, bBatch] of [[1, 64, 192, 400, 1], [3, 7, 5, 6, 3], [2, 1, 9, 4, 1], [1, 448, 64, 3, 1]]) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        const av = randn(batch * M * K, `na${M}`);
        const bv = randn(bBatch * K * N, `nb${N}`);
        const a = tf.tensor(av, [batch, ta ? K : M, ta ? M : K]);
        const b = tf.tensor(bv, bBatch === 1 ? [tb ? N : K, tb ? K : N] : [bBatch, tb ? N : K, tb ? K : N]);
        const got = runOn(k, { a, b }, { transposeA: ta, transposeB: tb });
        assert.equal(got.shape, [batch, M, N]);
        for (let t = 0; t < batch; t++) {
          const ref = matmul64(av.subarray(t * M * K), bBatch === 1 ? bv : bv.subarray(t * K * N), M, N, K, ta, tb);
          const e = relErr(got.v.slice(t * M * N, (t + 1) * M * N), ref);
          assert.ok(e < 1e-5, `[${batch},${M},${K}]x[${K},${N}] ta=${ta} tb=${tb} batch ${t}: relative error ${e}`);
        }
        tf.dispose([a, b]);
      }
    }
  });

  test('the addon checks its arguments: short arrays and non-Float32Array operands are errors naming the argument', () => {
    const a = new Float32Array(6);
    assert.throws(() => addon.sgemm(false, false, 2, 2, 3, a, new Float32Array(5), new Float32Array(4), 1, 0, 0, 0), /B is shorter/);
    assert.throws(() => addon.sgemm(false, false, 2, 2, 3, a, new Float32Array(6), new Float32Array(3), 1, 0, 0, 0), /C is shorter/);
    assert.throws(() => addon.sgemm(false, false, 2, 2, 3, new Float64Array(6) as any, a, new Float32Array(4), 1, 0, 0, 0), /A must be a Float32Array/);
  });

  test('selectBackend reports the cpu backend with its native kernels', async () => {
    const lines: string[] = [];
    const sel = await selectBackend({ backend: 'cpu', log: (l) => lines.push(l) });
    assert.match(lines[0], /^tfjs backend: cpu \(@tensorflow\/tfjs \(cpu\); native kernels: OpenBLAS/);
    assert.ok(sel.kernels.includes('BatchMatMul (replaces stock) [native]'), sel.kernels.join(', '));
    assert.ok(sel.kernels.includes('Conv2D (replaces stock) [native]'));
  });
} else {
  test('without the native addon the cpu backend says why and keeps its JS kernels', async () => {
    const lines: string[] = [];
    const sel = await selectBackend({ backend: 'cpu', log: (l) => lines.push(l) });
    assert.match(lines[0], /native kernels: none, /);
    assert.ok(nativeStatus().length > 0);
    assert.ok(sel.kernels.includes('BatchMatMul (replaces stock)'));
  });
}

test('native/build.mjs --optional never fails: a missing compiler is one line and exit 0', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'native', 'build.mjs'), '--optional', '--force'],
    { encoding: 'utf8', env: { ...process.env, SAFENET_NATIVE: '1', CXX: '/nonexistent/g++' } });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), ["native kernels: skipped (no C++ compiler '/nonexistent/g++': apt-get install g++); training uses the wasm backend"]);
  const strict = spawnSync(process.execPath, [path.join(__dirname, '..', 'native', 'build.mjs'), '--force'],
    { encoding: 'utf8', env: { ...process.env, SAFENET_NATIVE: '1', CXX: '/nonexistent/g++' } });
  assert.is(strict.status, 1);
});

const SMALL: SafeNetConfig = { ...SAFENET_REFERENCE, filters: 8, lstmUnits: 12, fcUnits: 12, learningRate: 0.01 };

/** Three classes told apart by which channel carries a mean shift (a learnable task), split train/validation. */
function task(n: number, label: string): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const r = rngFor('test', 'native-task', label);
  const xs = new Float32Array(n * 280);
  const ys = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = r.int(3);
    ys[i * 3 + c] = 1;
    for (let t = 0; t < 70; t++) for (let ch = 0; ch < 4; ch++) xs[i * 280 + t * 4 + ch] = r.normal() + (ch === c ? 0.8 : 0);
  }
  return { x: tf.tensor4d(xs, [n, 7, 10, 4]), y: tf.tensor2d(ys, [n, 3]) };
}

async function validationLoss(backend: 'cpu' | 'wasm'): Promise<{ val: number; losses: number[] }> {
  await selectBackend({ backend, log });
  const train = task(192, 'train');
  const val = task(96, 'val');
  const model = buildSafeNet(SMALL, { seedLabel: 'native-vs-wasm' });
  const res = await fitModel(model, train.x, train.y, { epochs: 4, batchSize: 32, seedLabel: 'native-vs-wasm', progressLabel: null });
  const v = tf.tidy(() => tf.losses.softmaxCrossEntropy(val.y, tf.log(model.predict(val.x) as tf.Tensor)).dataSync()[0]);
  tf.dispose([train.x, train.y, val.x, val.y]);
  model.dispose();
  return { val: v, losses: res.losses };
}

test('cpu (native kernels where built) and wasm reach the same validation loss on a small task', async () => {
  const cpu = await validationLoss('cpu');
  const wasm = await validationLoss('wasm');
  assert.ok(cpu.losses[3] < 0.9 * cpu.losses[0], `cpu training loss falls: ${cpu.losses.map((l) => l.toFixed(4))}`);
  // the same float32 network and seeds: differences come only from the order of sums inside the products
  assert.ok(Math.abs(cpu.val - wasm.val) < 0.01, `validation loss cpu ${cpu.val} vs wasm ${wasm.val}`);
  assert.ok(cpu.val < Math.log(3), `below chance (ln 3): ${cpu.val}`);
});

test('the kernel profile of a SafeNet training step counts its products, the native LSTM layer included (about 0.4 GFLOP at batch 32)', async () => {
  await selectBackend({ backend: 'cpu', log });
  const model = buildSafeNet(SAFENET_REFERENCE, { seedLabel: 'profile' });
  const { x, y } = task(32, 'profile');
  const before = tf.getKernel('BatchMatMul', 'cpu')!.kernelFunc;
  const p = await profileKernels('cpu', async () => {
    await model.trainOnBatch(x, y);
  }, 2, 1, 'cpu');
  const mm = p.rows.find((r) => r.kernel === 'BatchMatMul')!;
  assert.ok(mm && mm.calls > 4, `BatchMatMul calls: ${mm?.calls}`);
  const total = p.rows.reduce((s, r) => s + r.flops, 0);
  // forward + two gradients of every product (2 flops a multiply-add): convolutions, dense layers and the LSTM's input
  // products 3 times; its recurrent product 3T - 2 times (native layer: none at the first step forward, none into
  // the first step backward) or 3T - 1 (JS layer: it also multiplies the zero initial state)
  const B = 32;
  const T = 7;
  const nativeLstm = p.rows.some((r) => r.kernel === 'LSTM layer [native]');
  const macs = 3 * (B * T * (8 * 3 * 4 * 64 + 6 * 3 * 64 * 64) + 2 * B * T * 192 * 400 + B * (200 * 100 + 100 * 3)) +
    2 * B * (3 * T - (nativeLstm ? 2 : 1)) * 100 * 400;
  assert.ok(Math.abs(total - 2 * macs) / (2 * macs) < 0.01, `profiled ${total} flops, expected about ${2 * macs}`);
  if (nativeAddon()) {
    assert.ok(nativeLstm, 'the native LSTM layer has its row');
    assert.is(p.rows.find((r) => r.kernel === 'LSTM layer grad [native]')?.calls, 1);
  }
  const share = p.rows.reduce((s, r) => s + r.share, 0);
  assert.ok(Math.abs(share - 1) < 1e-6, `shares sum to 1: ${share}`);
  tf.dispose([x, y]);
  model.dispose();
  assert.ok(tf.getKernel('BatchMatMul', 'cpu')!.kernelFunc === before, 'profiling wrappers removed');
});

test.after(async () => {
  await tf.setBackend(prevBackend);
});

test.run();
