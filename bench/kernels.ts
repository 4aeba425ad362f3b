// Kernel benchmark: each of the project's kernels (lib/backend/kernels) against the stock tfjs kernel it replaces,
// at the shapes of one SafeNet training batch (reference configuration, batch 64), on cpu and wasm; prints
// milliseconds per call and the speed-up. --profile instead profiles whole training steps of the reference SafeNet
// per backend (lib/backend/profile.ts): kernel, calls, ms per step, share, GFLOP/s (issue 13); 'cpu-js' is the cpu
// backend without the native addon and 'cpu-stock' without any project kernel (both run in a child process).
// Usage: npx tsx bench/kernels.ts [--backends cpu,wasm] [--min-ms 300]
//        npx tsx bench/kernels.ts --profile [--backends wasm,cpu,cpu-js,cpu-stock] [--steps 20] [--clock wall|cpu]
import * as tf from '@tensorflow/tfjs';
import { selectBackend, BackendChoice } from '../lib/backend/backend';
import { PROJECT_KERNELS, useProjectKernels } from '../lib/backend/kernels/index';
import { conv2dBackpropFilterDirect, convGeometry } from '../lib/backend/kernels/conv2d_backprop_filter';
import { rngFor } from '../lib/core/random';
import { formatProfile, profileKernels } from '../lib/backend/profile';
import { useFusedAdam } from '../lib/backend/adam_cpu';
import { nativeStatus } from '../lib/backend/native';
import { SAFENET_REFERENCE, buildSafeNet } from '../lib/models/safenet';

type Call = () => tf.Tensor | tf.Tensor[];

function randn(shape: number[], label: string): tf.Tensor {
  const r = rngFor('bench', 'kernels', label);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => r.normal()), shape);
}

/** The kernel calls of one reference SafeNet batch, by kernel name (shapes from a profile of a training step). */
function cases(): { kernel: string; what: string; call: Call }[] {
  const x2 = tf.relu(randn([64, 7, 8, 64], 'x2'));
  const w2 = randn([1, 3, 64, 64], 'w2');
  const dy2 = randn([64, 7, 6, 64], 'dy2');
  const pin = tf.relu(randn([64, 7, 6, 64], 'pin'));
  const pdy = randn([64, 7, 3, 64], 'pdy');
  const pout = tf.maxPool(pin as tf.Tensor4D, [1, 2], [1, 2], 'valid');
  const a192 = randn([1, 64, 192], 'a192');
  const a400 = randn([1, 64, 400], 'a400');
  const w400 = randn([1, 192, 400], 'w400');
  const bias = randn([400], 'bias');
  const seq = randn([7, 64, 192], 'seq');
  const gates = randn([64, 400], 'gates');
  const convAttrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined };
  const run = (k: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): Call =>
    () => tf.engine().runKernel(k, inputs, attrs as any) as tf.Tensor | tf.Tensor[];
  return [
    { kernel: 'Conv2DBackpropFilter', what: 'x [64,7,8,64], dy [64,7,6,64] -> [1,3,64,64]',
      call: run('Conv2DBackpropFilter', { x: x2, dy: dy2 }, { ...convAttrs, filterShape: [1, 3, 64, 64] }) },
    { kernel: 'Conv2DBackpropInput', what: 'dy [64,7,6,64], W [1,3,64,64] -> [64,7,8,64]',
      call: run('Conv2DBackpropInput', { dy: dy2, filter: w2 }, { ...convAttrs, inputShape: [64, 7, 8, 64] }) },
    { kernel: 'Conv2D', what: 'x [64,7,8,64] * W [1,3,64,64]', call: run('Conv2D', { x: x2, filter: w2 }, { ...convAttrs, dilations: [1, 1] }) },
    { kernel: 'MaxPoolGrad', what: 'pool [1,2] over [64,7,6,64]',
      call: run('MaxPoolGrad', { dy: pdy, input: pin, output: pout }, { filterSize: [1, 2], strides: [1, 2], pad: 'valid' }) },
    { kernel: 'BatchMatMul', what: '[64,192]^T . [64,400] (LSTM kernel gradient)',
      call: run('BatchMatMul', { a: a192, b: a400 }, { transposeA: true, transposeB: false }) },
    { kernel: 'BatchMatMul', what: '[64,400] . [192,400]^T (LSTM input gradient)',
      call: run('BatchMatMul', { a: a400, b: w400 }, { transposeA: false, transposeB: true }) },
    { kernel: 'BatchMatMul', what: '[64,192] . [192,400]', call: run('BatchMatMul', { a: a192, b: w400 }, { transposeA: false, transposeB: false }) },
    { kernel: '_FusedMatMul', what: '[64,192] . [192,400] + bias', call: run('_FusedMatMul', { a: a192, b: w400, bias },
      { transposeA: false, transposeB: false, activation: 'linear' }) },
    { kernel: 'Reverse', what: '[7,64,192] along axis 0', call: run('Reverse', { x: seq }, { dims: [0] }) },
    { kernel: 'SplitV', what: '[64,400] into 4 gates', call: run('SplitV', { x: gates }, { numOrSizeSplits: [100, 100, 100, 100], axis: 1 }) },
  ];
}

function timeIt(call: Call, minMs: number): number {
  const once = () => {
    const r = call();
    const list = Array.isArray(r) ? r : [r];
    for (const t of list) t.dataSync();
    tf.dispose(list);
  };
  once(); // warm-up
  let n = 0;
  const t0 = performance.now();
  do {
    once();
    n++;
  } while (performance.now() - t0 < minMs && n < 200);
  return (performance.now() - t0) / n;
}

/** Profile `steps` training steps (batch 64) of the reference SafeNet on one backend and print the table. */
async function profileBackend(which: string, steps: number, clock: 'wall' | 'cpu'): Promise<void> {
  const backend = (which.startsWith('cpu') ? 'cpu' : which) as BackendChoice;
  await selectBackend({ backend, log: () => undefined });
  const stock = which === 'cpu-stock';
  if (stock) {
    useProjectKernels('cpu', false);
    useFusedAdam(false);
  }
  const r = rngFor('bench', 'profile');
  const x = tf.tensor4d(Float32Array.from({ length: 64 * 280 }, () => r.normal()), [64, 7, 10, 4]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, () => r.int(3)), 'int32'), 3).toFloat();
  const model = buildSafeNet(SAFENET_REFERENCE, { seedLabel: 'bench' });
  const p = await profileKernels(backend, async () => {
    await model.trainOnBatch(x, y);
  }, steps, 3, clock);
  const title = which === 'cpu' ? `cpu (${nativeStatus()})` : which === 'cpu-js' ? 'cpu, JS kernels (SAFENET_NATIVE=0)'
    : which === 'cpu-stock' ? 'cpu, stock tfjs kernels (no project kernels, stock Adam)' : which;
  console.log(formatProfile(p, title));
  tf.dispose([x, y]);
  model.dispose();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let backends: BackendChoice[] = ['cpu', 'wasm'];
  let minMs = 300;
  let profile = false;
  let profileBackends = ['wasm', 'cpu', 'cpu-js'];
  let steps = 20;
  let clock: 'wall' | 'cpu' = 'wall';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backends') {
      const list = argv[++i].split(',');
      backends = list as BackendChoice[];
      profileBackends = list;
    } else if (argv[i] === '--min-ms') minMs = Number(argv[++i]);
    else if (argv[i] === '--profile') profile = true;
    else if (argv[i] === '--steps') steps = Number(argv[++i]);
    else if (argv[i] === '--clock') clock = argv[++i] as 'wall' | 'cpu';
    else if (argv[i] === '--child-profile') {
      await profileBackend(argv[++i], steps, clock);
      return;
    } else throw new Error(`bench/kernels.ts: unknown argument '${argv[i]}'`);
  }
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`bench/kernels.ts: --steps must be a positive integer`);
  if (clock !== 'wall' && clock !== 'cpu') throw new Error(`bench/kernels.ts: --clock must be wall or cpu, got '${clock}'`);
  if (profile) {
    console.log(`Per-kernel profile of a training step of the reference SafeNet (batch 64), ${steps} steps after 3 warm-up steps; ` +
      `${clock} clock; load average ${require('os').loadavg().map((l: number) => l.toFixed(2)).join(' ')}`);
    for (const b of profileBackends) {
      if (!['wasm', 'cpu', 'cpu-js', 'cpu-stock', 'tensorflow'].includes(b)) throw new Error(`bench/kernels.ts: --profile backend '${b}' is not one of wasm, cpu, cpu-js, cpu-stock, tensorflow`);
      // each backend in its own process: kernels, JIT state and the native addon's presence do not carry over
      const { spawnSync } = require('child_process') as typeof import('child_process');
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--steps', String(steps), '--clock', clock, '--child-profile', b],
        { encoding: 'utf8', env: { ...process.env, ...(b === 'cpu-js' || b === 'cpu-stock' ? { SAFENET_NATIVE: '0' } : {}) } });
      const out = (r.stdout || '').split('\n').filter((l) => !/^(=+|Hi, looks like|\s*$)|tfjs-node for more/.test(l)).join('\n');
      console.log(`\n${out}`);
      if (r.status !== 0) console.log(`${b}: failed: ${(r.stderr || '').trim().split('\n').slice(-1)[0]}`);
    }
    return;
  }
  console.log(`load average ${require('os').loadavg().map((l: number) => l.toFixed(2)).join(' ')} (2 shared cores: figures are indicative)`);
  console.log(`${'backend'.padEnd(7)} ${'kernel'.padEnd(21)} ${'shapes'.padEnd(48)} ${'stock ms'.padStart(9)} ${'project ms'.padStart(10)} ${'speed-up'.padStart(9)}`);
  for (const b of backends) {
    await selectBackend({ backend: b, log: () => undefined });
    const list = cases();
    for (const c of list) {
      const replaced = PROJECT_KERNELS.find((k) => k.backendName === b && k.kernelName === c.kernel);
      if (!replaced) continue;
      useProjectKernels(b, true, [c.kernel]);
      const mine = timeIt(c.call, minMs);
      let stock = NaN;
      if (replaced.replaces) {
        useProjectKernels(b, false, [c.kernel]);
        try {
          stock = timeIt(c.call, c.kernel === 'Conv2DBackpropFilter' && b === 'cpu' ? 0 : minMs);
        } finally {
          useProjectKernels(b, true, [c.kernel]);
        }
      }
      const st = Number.isNaN(stock) ? 'none' : stock.toFixed(2);
      const sp = Number.isNaN(stock) ? '' : `${(stock / mine).toFixed(1)}x`;
      console.log(`${b.padEnd(7)} ${c.kernel.padEnd(21)} ${c.what.padEnd(48)} ${st.padStart(9)} ${mine.toFixed(2).padStart(10)} ${sp.padStart(9)}`);
    }
    if (b === 'cpu') {
      // the alternative filter-gradient method kept for comparison: direct loops instead of im2col + matmul
      const x = randn([64, 7, 8, 64], 'x2').dataSync() as Float32Array;
      const dy = randn([64, 7, 6, 64], 'dy2').dataSync() as Float32Array;
      const g = convGeometry([64, 7, 8, 64], [1, 3, 64, 64], { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' });
      const dW = new Float32Array(3 * 64 * 64);
      const t0 = performance.now();
      let n = 0;
      do {
        dW.fill(0);
        conv2dBackpropFilterDirect(x, dy, g, dW);
        n++;
      } while (performance.now() - t0 < minMs);
      console.log(`${'js'.padEnd(7)} ${'(direct loops)'.padEnd(21)} ${'Conv2DBackpropFilter, same shapes'.padEnd(48)} ${''.padStart(9)} ${((performance.now() - t0) / n).toFixed(2).padStart(10)}`);
    }
    tf.disposeVariables();
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
