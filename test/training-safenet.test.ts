// Tests for lib/models/safenet.ts and lib/training/fit.ts: the reference configuration has 267,987 trainable
// parameters; the Conv2D form equals Keras' TimeDistributed(Conv1D) form; a small Conv1D + LSTM model trains on
// wasm (its loss falls); the same seed gives identical losses; models survive a save/load round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { SAFENET_REFERENCE, SafeNetConfig, SeededDropout, buildSafeNet, countTrainable, orthogonal } from '../lib/models/safenet';
import { fitModel, loadModel, saveModel } from '../lib/training/fit';
import { rngFor } from '../lib/core/random';

const prevBackend: string = tf.getBackend() ?? 'cpu';
const quiet = { log: () => undefined };

async function rejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
}

const SMALL: SafeNetConfig = {
  ...SAFENET_REFERENCE,
  cnnLayers: 1,
  filters: 8,
  lstmUnits: 12,
  fcUnits: 16,
  dropout: 0.25,
  learningRate: 1e-2,
};

/** Windows [n, 7, 10, 4] whose class (0, 1, 2) shifts the mean of channel 0, 1 or 2 by +0.8. */
function toyData(n: number, label: string): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const r = rngFor('test', 'toy', label);
  const xs = new Float32Array(n * 280);
  const ys = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    ys[i * 3 + c] = 1;
    for (let t = 0; t < 70; t++) for (let ch = 0; ch < 4; ch++) xs[i * 280 + t * 4 + ch] = r.normal() + (ch === c ? 0.8 : 0);
  }
  return { x: tf.tensor4d(xs, [n, 7, 10, 4]), y: tf.tensor2d(ys, [n, 3]) };
}

test('the reference configuration has 267,987 trainable parameters (both convolution forms)', async () => {
  await selectBackend({ backend: 'cpu', ...quiet });
  for (const convImpl of ['conv2d', 'timeDistributed'] as const) {
    const m = buildSafeNet(SAFENET_REFERENCE, { convImpl, compile: false });
    assert.is(countTrainable(m), 267_987, convImpl);
    assert.equal(m.outputs[0].shape, [null, 3]);
    m.dispose();
  }
});

test('Conv2D [1,k] form computes the same function as TimeDistributed(Conv1D)', async () => {
  await selectBackend({ backend: 'cpu', ...quiet });
  const a = buildSafeNet(SAFENET_REFERENCE, { convImpl: 'conv2d', compile: false });
  const b = buildSafeNet(SAFENET_REFERENCE, { convImpl: 'timeDistributed', compile: false, seedLabel: 'other' });
  const wa = a.getWeights();
  const wb = b.getWeights();
  assert.is(wa.length, wb.length);
  b.setWeights(wa.map((w, i) => (w.shape.length === wb[i].shape.length ? w : w.reshape(wb[i].shape))));
  const { x } = toyData(16, 'equiv');
  const ya = a.predict(x) as tf.Tensor;
  const yb = b.predict(x) as tf.Tensor;
  const diff = tf.max(tf.abs(tf.sub(ya, yb))).dataSync()[0];
  assert.ok(diff < 1e-5, `max difference ${diff}`);
  tf.dispose([ya, yb, x]);
  a.dispose();
  b.dispose();
});

test('orthogonal initializer gives orthonormal rows', () => {
  const q = orthogonal(6, 24, rngFor('test', 'orth'));
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++) {
      let d = 0;
      for (let k = 0; k < 24; k++) d += q[i * 24 + k] * q[j * 24 + k];
      assert.ok(Math.abs(d - (i === j ? 1 : 0)) < 1e-5, `${i},${j}: ${d}`);
    }
});

test('SeededDropout: a new mask every training call, reproducible from its seed, identity at inference', async () => {
  await selectBackend({ backend: 'cpu', ...quiet });
  const x = tf.ones([4, 50]);
  const run = (seed: number) => {
    const d = new SeededDropout({ rate: 0.5, seed });
    return [0, 1, 2].map(() => Array.from((d.apply(x, { training: true }) as tf.Tensor).dataSync()));
  };
  const r1 = run(11);
  assert.equal(run(11), r1);
  assert.not.equal(r1[0], r1[1]);
  assert.ok(r1[0].every((v) => v === 0 || v === 2));
  const d = new SeededDropout({ rate: 0.5, seed: 11 });
  assert.equal(Array.from((d.apply(x) as tf.Tensor).dataSync()), Array.from(x.dataSync()));
  x.dispose();
});

test('wasm: a small Conv1D + BiLSTM SafeNet trains and its loss falls', async () => {
  const sel = await selectBackend({ env: { SAFENET_BACKEND: 'wasm' }, ...quiet });
  assert.is(sel.name, 'wasm');
  const { x, y } = toyData(192, 'train');
  const model = buildSafeNet(SMALL, { seedLabel: 'loss-falls' });
  const res = await fitModel(model, x, y, { epochs: 4, batchSize: 32, seedLabel: 'loss-falls', progressLabel: null });
  assert.is(res.losses.length, 4);
  assert.ok(res.losses.every(Number.isFinite));
  assert.ok(res.losses[3] < 0.8 * res.losses[0], `losses ${res.losses.map((l) => l.toFixed(3)).join(', ')}`);
  assert.ok(res.metric[3] > 0.6, `accuracy ${res.metric[3]}`);
  tf.dispose([x, y]);
  model.dispose();
});

async function lossesFor(seedLabel: string, backend: 'wasm' | 'cpu'): Promise<number[]> {
  await selectBackend({ backend, ...quiet });
  const { x, y } = toyData(96, 'determinism');
  const model = buildSafeNet(SMALL, { seedLabel });
  const res = await fitModel(model, x, y, { epochs: 2, batchSize: 32, seedLabel, progressLabel: null });
  tf.dispose([x, y]);
  model.dispose();
  return res.losses;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: two runs with the same seed give identical training losses; another seed differs`, async () => {
    const a = await lossesFor('same', backend);
    const b = await lossesFor('same', backend);
    assert.equal(a, b);
    const c = await lossesFor('different', backend);
    assert.not.equal(a, c);
  });
}

test('fitModel reports progress lines and rejects bad arguments', async () => {
  await selectBackend({ backend: 'wasm', ...quiet });
  const { x, y } = toyData(40, 'progress');
  const model = buildSafeNet(SMALL, { seedLabel: 'p' });
  const lines: string[] = [];
  await fitModel(model, x, y, { epochs: 1, batchSize: 16, progressLabel: 'toy', log: (l) => lines.push(l) });
  assert.match(lines[0], /^toy: 1\/3/);
  assert.match(lines[lines.length - 1], /^toy: done, 3 in .* final loss/);
  await rejects(() => fitModel(model, x, y.slice(0, 10), { epochs: 1, batchSize: 16 }), /x has 40 rows but y has 10/);
  await rejects(() => fitModel(model, x, y, { epochs: 0, batchSize: 16 }), /epochs must be a positive integer/);
  tf.dispose([x, y]);
  model.dispose();
});

test('saveModel writes model.json + weights.bin atomically; loadModel gives the same predictions', async () => {
  await selectBackend({ backend: 'wasm', ...quiet });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safenet-model-'));
  try {
    const model = buildSafeNet(SMALL, { seedLabel: 'save' });
    const { x, y } = toyData(32, 'save');
    await fitModel(model, x, y, { epochs: 1, batchSize: 16, progressLabel: null });
    await saveModel(model, dir);
    assert.equal(fs.readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    const loaded = await loadModel(dir);
    const p1 = (model.predict(x) as tf.Tensor).dataSync();
    const p2 = (loaded.predict(x) as tf.Tensor).dataSync();
    assert.equal(Array.from(p2), Array.from(p1));
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(10));
    await rejects(() => loadModel(dir), /weights\.bin has 10 bytes, .*model\.json field weightBytes says/);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.after(async () => {
  await tf.setBackend(prevBackend);
});

test.run();
