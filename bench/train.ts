// Training benchmark (issue 2, item 8): the reference SafeNet configuration (../shared/bench/
// torch_safenet_reference.py), random windows from rngFor('bench'), one epoch, batch 64, on each available tfjs
// backend; prints windows per second and seconds per epoch, optionally beside PyTorch run in the same sitting.
// Usage: npx tsx bench/train.ts [--windows 20000] [--backends tensorflow,wasm,cpu] [--epochs 1] [--batch 64]
//        [--stock-cpu 640] (plain tfjs cpu: stock kernels and layers, on that many windows, extrapolated) [--torch] [--torch-threads 1,2]
// PyTorch's own thread pool spins: on a shared 2-core machine 2 threads can run ~10x slower than 1 (measured).
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, BackendChoice, BACKEND_CHOICES } from '../lib/backend/backend';
import { useProjectKernels } from '../lib/backend/kernels/index';
import { SAFENET_REFERENCE, buildSafeNet, countTrainable } from '../lib/models/safenet';
import { fitModel } from '../lib/training/fit';
import { rngFor } from '../lib/core/random';
import { paths } from '../lib/core/paths';

interface Args {
  windows: number;
  backends: BackendChoice[] | null;
  epochs: number;
  batch: number;
  stockCpu: number;
  torch: boolean;
  torchThreads: number[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { windows: 20000, backends: null, epochs: 1, batch: 64, stockCpu: 0, torch: false, torchThreads: [2] };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const s = argv[++i];
      if (s === undefined) throw new Error(`bench/train.ts: ${k} needs a value`);
      return s;
    };
    const int = (name: string) => {
      const s = v();
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0) throw new Error(`bench/train.ts: ${name} must be a non-negative integer, got '${s}'`);
      return n;
    };
    if (k === '--windows') a.windows = int(k);
    else if (k === '--epochs') a.epochs = int(k);
    else if (k === '--batch') a.batch = int(k);
    else if (k === '--stock-cpu') a.stockCpu = int(k);
    else if (k === '--torch') a.torch = true;
    else if (k === '--torch-threads') {
      a.torchThreads = v().split(',').map((t) => {
        const n = Number(t);
        if (!Number.isInteger(n) || n < 1) throw new Error(`bench/train.ts: --torch-threads takes positive integers, got '${t}'`);
        return n;
      });
    }
    else if (k === '--backends') {
      const list = v().split(',').map((s) => s.trim()).filter(Boolean);
      for (const b of list) {
        if (!(BACKEND_CHOICES as readonly string[]).includes(b)) {
          throw new Error(`bench/train.ts: --backends: unknown backend '${b}'; choose from ${BACKEND_CHOICES.join(', ')}`);
        }
      }
      a.backends = list as BackendChoice[];
    } else if (k === '--help' || k === '-h') {
      console.log('npx tsx bench/train.ts [--windows N] [--backends tensorflow,wasm,cpu] [--epochs E] [--batch B] [--stock-cpu N] [--torch] [--torch-threads T[,T...]]');
      process.exit(0);
    } else throw new Error(`bench/train.ts: unknown argument '${k}' (try --help)`);
  }
  if (a.windows < a.batch) throw new Error(`bench/train.ts: --windows ${a.windows} is smaller than one batch (${a.batch})`);
  return a;
}

function randomWindows(n: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = rngFor('bench', 'train-windows');
  const xs = new Float32Array(n * 280);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.normal();
  const ys = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) ys[i * 3 + rng.int(3)] = 1;
  const { nSteps, nLength, nFeatures } = SAFENET_REFERENCE;
  return { x: tf.tensor4d(xs, [n, nSteps, nLength, nFeatures]), y: tf.tensor2d(ys, [n, 3]) };
}

interface Row {
  what: string;
  windows: number;
  seconds: number;
  perSecond: number;
  note: string;
}

async function runTfjs(backend: BackendChoice, n: number, args: Args, stock: boolean): Promise<Row | null> {
  try {
    await selectBackend({ backend });
  } catch (e) {
    console.log(`${backend}: not available (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
  if (stock) useProjectKernels(backend, false);
  try {
    const { x, y } = randomWindows(n);
    // stock: plain tfjs throughout (Keras-style TimeDistributed Conv1D, tf.layers LSTM, stock kernels)
    const model = buildSafeNet(SAFENET_REFERENCE, stock
      ? { seedLabel: 'bench', convImpl: 'timeDistributed', lstmImpl: 'layers' }
      : { seedLabel: 'bench' });
    if (countTrainable(model) !== 267_987) throw new Error(`reference model has ${countTrainable(model)} parameters, expected 267,987`);
    const label = `${backend}${stock ? ', plain tfjs (stock kernels and layers)' : ''}`;
    const res = await fitModel(model, x, y, { epochs: args.epochs, batchSize: args.batch, seedLabel: 'bench', progressLabel: label });
    tf.dispose([x, y]);
    model.dispose();
    return { what: `tfjs ${label}`, windows: n * args.epochs, seconds: res.seconds, perSecond: res.windowsPerSecond,
      note: `final loss ${res.losses[res.losses.length - 1].toFixed(4)}` };
  } finally {
    if (stock) useProjectKernels(backend, true);
  }
}

function runTorch(n: number, args: Args, threads: number): Row | null {
  const script = path.join(paths.sharedDir, 'bench', 'torch_safenet_reference.py');
  console.log(`PyTorch reference: /usr/bin/python3 ${script} ${n} ${threads} ${args.epochs}`);
  const r = spawnSync('/usr/bin/python3', [script, String(n), String(threads), String(args.epochs)], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    console.log(`PyTorch reference failed: ${r.error?.message ?? (r.stderr || '').trim().split('\n').slice(-1)[0]}`);
    return null;
  }
  process.stdout.write(r.stdout);
  const m = r.stdout.match(/RESULT torch windows=(\d+) epochs=(\d+) seconds=([\d.]+) windows_per_s=(\d+)/);
  if (!m) {
    console.log('PyTorch reference: no RESULT line in its output');
    return null;
  }
  const head = r.stdout.split('\n')[0];
  const windows = Number(m[1]) * Number(m[2]);
  return { what: `PyTorch, ${threads} thread${threads > 1 ? 's' : ''}`, windows, seconds: Number(m[3]), perSecond: windows / Number(m[3]), note: head };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cpus = require('os').cpus().length as number;
  console.log(`SafeNet reference configuration (267,987 parameters), ${args.windows} random windows, ${args.epochs} epoch(s), ` +
    `batch ${args.batch}; ${cpus} CPU cores, load average ${require('os').loadavg().map((l: number) => l.toFixed(2)).join(' ')}`);
  const rows: Row[] = [];
  const backends = args.backends ?? BACKEND_CHOICES.slice();
  for (const b of backends) {
    const r = await runTfjs(b, args.windows, args, false);
    if (r) rows.push(r);
  }
  if (args.stockCpu > 0) {
    const r = await runTfjs('cpu', args.stockCpu, args, true);
    if (r) rows.push({ ...r, note: `${r.note}; ${args.stockCpu} windows, epoch time extrapolated` });
  }
  if (args.torch) {
    for (const t of args.torchThreads) {
      const r = runTorch(args.windows, args, t);
      if (r) rows.push(r);
    }
  }
  // ratios against the fastest PyTorch run of the sitting
  const torch = rows.filter((r) => r.what.startsWith('PyTorch')).sort((a, b) => b.perSecond - a.perSecond)[0];
  const epochOf = 20000;
  console.log(`\n${'backend'.padEnd(52)} ${'windows'.padStart(8)} ${'seconds'.padStart(8)} ${'windows/s'.padStart(10)} ` +
    `${('s per ' + epochOf + '-window epoch').padStart(26)} ${'time/PyTorch'.padStart(14)}`);
  for (const r of rows) {
    const perEpoch = epochOf / r.perSecond;
    const extrapolated = r.windows / args.epochs !== epochOf ? ' (extrapolated)' : '';
    const ratio = torch && r !== torch ? (torch.perSecond / r.perSecond).toFixed(2) : '';
    console.log(`${r.what.padEnd(52)} ${String(r.windows).padStart(8)} ${r.seconds.toFixed(1).padStart(8)} ` +
      `${r.perSecond.toFixed(0).padStart(10)} ${(perEpoch.toFixed(0) + extrapolated).padStart(26)} ${ratio.padStart(14)}   ${r.note}`);
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
