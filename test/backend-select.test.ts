// Tests for lib/backend/backend.ts: SAFENET_BACKEND overrides, a clear error naming a bad or unavailable value,
// one printed line for the choice and one per skipped candidate, project kernels registered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../lib/backend/backend';
import { nativeAddon } from '../lib/backend/native';

const prevBackend: string = tf.getBackend() ?? 'cpu';

test('SAFENET_BACKEND=wasm selects wasm, prints the choice and why the others were skipped', async () => {
  const lines: string[] = [];
  const sel = await selectBackend({ env: { SAFENET_BACKEND: 'wasm' }, log: (l) => lines.push(l) });
  assert.is(sel.name, 'wasm');
  assert.is(tf.getBackend(), 'wasm');
  assert.ok(sel.tf.engine() === tf.engine(), 'the one tfjs instance (same engine)');
  assert.match(lines[0], /^tfjs backend: wasm .*SAFENET_BACKEND=wasm/);
  assert.ok(sel.kernels.some((k) => k.startsWith('Conv2DBackpropFilter')), 'wasm gets Conv2DBackpropFilter');
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'registered');
  assert.is(lines.length, 1 + 4);
  assert.ok(lines.some((l) => /tfjs-node-gpu: skipped, SAFENET_BACKEND=wasm/.test(l)));
  assert.ok(lines.some((l) => /\(cpu\) \+ native kernels: skipped, SAFENET_BACKEND=wasm/.test(l)));
  assert.ok(lines.some((l) => /\(cpu\), JS kernels: skipped, SAFENET_BACKEND=wasm/.test(l)));
});

test('SAFENET_BACKEND=cpu selects cpu with the faster Conv2DBackpropFilter in place', async () => {
  const sel = await selectBackend({ env: { SAFENET_BACKEND: 'cpu' }, log: () => undefined });
  assert.is(sel.name, 'cpu');
  assert.is(tf.getBackend(), 'cpu');
  assert.ok(sel.kernels.includes('Conv2DBackpropFilter (replaces stock)'));
});

test('an unknown SAFENET_BACKEND value is an error naming it', async () => {
  try {
    await selectBackend({ env: { SAFENET_BACKEND: 'webgpu' }, log: () => undefined });
    assert.unreachable('should throw');
  } catch (e) {
    assert.match((e as Error).message, /SAFENET_BACKEND=webgpu is not a backend; choose one of tensorflow, wasm, cpu/);
  }
});

test('SAFENET_BACKEND=tensorflow either loads tfjs-node or fails naming the value and the reasons', async () => {
  try {
    const sel = await selectBackend({ env: { SAFENET_BACKEND: 'tensorflow' }, log: () => undefined });
    assert.is(sel.name, 'tensorflow'); // a machine with libtensorflow
  } catch (e) {
    const msg = (e as Error).message;
    assert.match(msg, /SAFENET_BACKEND=tensorflow: backend not available/);
    assert.match(msg, /tfjs-node-gpu: unavailable/);
    assert.match(msg, /tfjs-node \(@tensorflow\/tfjs-node\): unavailable/);
  }
});

test('without SAFENET_BACKEND the first available backend wins and the rest are listed: cpu when the native addon loads, else wasm', async () => {
  const lines: string[] = [];
  const sel = await selectBackend({ env: {}, log: (l) => lines.push(l) });
  if (sel.name !== 'tensorflow') assert.is(sel.name, nativeAddon() ? 'cpu' : 'wasm');
  assert.match(lines[0], /first available of tensorflow, cpu \+ native kernels, wasm, cpu/);
  if (sel.name === 'cpu') assert.match(lines[0], /native kernels: OpenBLAS/);
  else assert.ok(lines.some((l) => /\+ native kernels: (unavailable|not tried)/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /not tried, .* came first/.test(l)));
});

test('SAFENET_BACKEND=cpu prints whether the native kernels are in use (and why not)', async () => {
  const lines: string[] = [];
  const sel = await selectBackend({ env: { SAFENET_BACKEND: 'cpu' }, log: (l) => lines.push(l) });
  assert.is(sel.name, 'cpu');
  assert.match(lines[0], nativeAddon() ? /native kernels: OpenBLAS/ : /native kernels: none, /);
  assert.ok(lines.some((l) => /wasm: skipped, SAFENET_BACKEND=cpu/.test(l)));
});

test.after(async () => {
  await tf.setBackend(prevBackend);
});

test.run();
