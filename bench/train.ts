// Training benchmark (issues 2 and 13): the reference SafeNet configuration (the network of
// bench/torch_safenet_reference.py), random windows from rngFor('bench'), one epoch, batch 64, on each available
// tfjs backend; prints windows per second and seconds per epoch, optionally beside PyTorch run in the same sitting,
// and the whole machine's throughput with one training run per core (--parallel).
// Usage: npx tsx bench/train.ts [--windows 20000] [--backends tensorflow,wasm,cpu] [--epochs 1] [--batch 64]
//        [--native-threads 1,2] (cpu backend: OpenBLAS threads of the native kernels, one run per value)
//        [--stock-cpu 640] (plain tfjs cpu: stock kernels and layers, on that many windows, extrapolated)
//        [--torch] [--torch-threads 1,2] [--parallel N] (also N runs at once of each tfjs backend and of PyTorch, 1 thread)
//        [--semi-space MB] (also run each tfjs row in a child with NODE_OPTIONS=--max-semi-space-size=MB: V8's young
//        generation sized for the many short-lived tensors of a training step; measured ~20 % less CPU on cpu)
// PyTorch's own thread pool spins: on a shared 2-core machine 2 threads can run ~10x slower than 1 (measured).
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, BackendChoice, BACKEND_CHOICES } from '../lib/backend/backend';
import { useProjectKernels } from '../lib/backend/kernels/index';
import { nativeAddon, nativeStatus } from '../lib/backend/native';
import { SAFENET_REFERENCE, buildSafeNet, countTrainable } from '../lib/models/safenet';
import { fitModel } from '../lib/training/fit';
import { rngFor } from '../lib/core/random';

interface Args {
  windows: number;
  backends: BackendChoice[] | null;
  epochs: number;
  batch: number;
  stockCpu: number;
  torch: boolean;
  torchThreads: number[];
  nativeThreads: number[];
  parallel: number;
  semiSpace: number;
  /** Internal: a child of --parallel; prints one RESULT line. */
  child: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { windows: 20000, backends: null, epochs: 1, batch: 64, stockCpu: 0, torch: false, torchThreads: [1, 2],
    nativeThreads: [1], parallel: 0, semiSpace: 0, child: false };
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
    else if (k === '--parallel') a.parallel = int(k);
    else if (k === '--semi-space') a.semiSpace = int(k);
    else if (k === '--child') a.child = true;
    else if (k === '--native-threads') {
      a.nativeThreads = v().split(',').map((t) => {
        const n = Number(t);
        if (!Number.isInteger(n) || n < 1) throw new Error(`bench/train.ts: --native-threads takes positive integers, got '${t}'`);
        return n;
      });
    }
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
      console.log('npx tsx bench/train.ts [--windows N] [--backends tensorflow,wasm,cpu] [--epochs E] [--batch B] [--native-threads T[,T...]] ' +
        '[--stock-cpu N] [--torch] [--torch-threads T[,T...]] [--parallel N]');
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

async function runTfjs(backend: BackendChoice, n: number, args: Args, stock: boolean, nativeThreads = 1): Promise<Row | null> {
  try {
    await selectBackend({ backend, log: args.child ? () => undefined : undefined });
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
    const addon = backend === 'cpu' && !stock ? nativeAddon() : null;
    addon?.setThreads(nativeThreads);
    const kind = backend !== 'cpu' ? '' : stock ? ', plain tfjs (stock kernels and layers)'
      : addon ? ` + native kernels (${nativeStatus().split(',')[0]}, ${nativeThreads} thread${nativeThreads > 1 ? 's' : ''})` : ', JS kernels';
    const label = `${backend}${kind}`;
    const res = await fitModel(model, x, y, { epochs: args.epochs, batchSize: args.batch, seedLabel: 'bench',
      progressLabel: args.child ? null : label });
    tf.dispose([x, y]);
    model.dispose();
    return { what: `tfjs ${label}`, windows: n * args.epochs, seconds: res.seconds, perSecond: res.windowsPerSecond,
      note: `final loss ${res.losses[res.losses.length - 1].toFixed(4)}` };
  } finally {
    if (stock) useProjectKernels(backend, true);
  }
}

const TORCH_SCRIPT = path.join(__dirname, 'torch_safenet_reference.py');

function runTorch(n: number, args: Args, threads: number): Row | null {
  const script = TORCH_SCRIPT;
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
  const keras = r.stdout.match(/params as Keras counts them \(one LSTM bias per direction\): (\d+)/);
  if (!keras || Number(keras[1]) !== 267_987) {
    console.log(`PyTorch reference: parameter count ${keras?.[1] ?? '(not printed)'} is not SAFENET_REFERENCE's 267,987`);
    return null;
  }
  const head = r.stdout.split('\n')[0];
  const windows = Number(m[1]) * Number(m[2]);
  return { what: `PyTorch, ${threads} thread${threads > 1 ? 's' : ''}`, windows, seconds: Number(m[3]), perSecond: windows / Number(m[3]), note: head };
}

/** Start `count` copies of a command at once; resolves with each one's stdout when all have finished. */
function runTogether(count: number, cmd: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ out: string; code: number }[]> {
  const { spawn } = require('child_process') as typeof import('child_process');
  return Promise.all(Array.from({ length: count }, () => new Promise<{ out: string; code: number }>((resolve) => {
    const c = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ out, code: code ?? -1 }));
  })));
}

/**
 * Whole-machine throughput: `count` training runs at once (one per core), each on its own windows; the machine's
 * rate is the sum of the runs' rates (each measured over its own epoch, while the others run).
 */
async function runParallel(what: string, count: number, args: Args, backend: BackendChoice | 'torch'): Promise<Row | null> {
  const results = backend === 'torch'
    ? await runTogether(count, '/usr/bin/python3', [TORCH_SCRIPT, String(args.windows), '1', String(args.epochs)], process.env)
    : await runTogether(count, process.execPath, ['--import', 'tsx', __filename, '--child', '--backends', backend,
      '--windows', String(args.windows), '--epochs', String(args.epochs), '--batch', String(args.batch)],
      { ...process.env, SAFENET_NATIVE_THREADS: '1',
        ...(args.semiSpace > 0 ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=${args.semiSpace}`.trim() } : {}) });
  const rates: number[] = [];
  for (const r of results) {
    const m = backend === 'torch'
      ? r.out.match(/RESULT torch windows=(\d+) epochs=(\d+) seconds=([\d.]+)/)
      : r.out.match(/RESULT tfjs windows=(\d+) epochs=(\d+) seconds=([\d.]+)/);
    if (r.code !== 0 || !m) {
      console.log(`${what}: a run failed (exit ${r.code}): ${r.out.trim().split('\n').slice(-1)[0]}`);
      return null;
    }
    rates.push((Number(m[1]) * Number(m[2])) / Number(m[3]));
  }
  const total = rates.reduce((x, y) => x + y, 0);
  return { what, windows: args.windows * args.epochs * count, seconds: (args.windows * args.epochs * count) / total, perSecond: total,
    note: `${count} runs at once: ${rates.map((r) => r.toFixed(0)).join(' + ')} windows/s` };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const b = (args.backends ?? ['wasm'])[0];
    const r = await runTfjs(b, args.windows, args, false, Number(process.env.SAFENET_NATIVE_THREADS ?? 1));
    if (!r) process.exit(1);
    console.log(`RESULT tfjs windows=${args.windows} epochs=${args.epochs} seconds=${r.seconds.toFixed(2)} what=${r.what} note=${r.note}`);
    return;
  }
  const cpus = require('os').cpus().length as number;
  console.log(`SafeNet reference configuration (267,987 parameters), ${args.windows} random windows, ${args.epochs} epoch(s), ` +
    `batch ${args.batch}; ${cpus} CPU cores, load average ${require('os').loadavg().map((l: number) => l.toFixed(2)).join(' ')}`);
  const rows: Row[] = [];
  const backends = args.backends ?? BACKEND_CHOICES.slice();
  for (const b of backends) {
    const threads = b === 'cpu' && nativeAddon() ? args.nativeThreads : [1];
    for (const t of threads) {
      const r = await runTfjs(b, args.windows, args, false, t);
      if (r) rows.push(r);
    }
  }
  if (args.semiSpace > 0) {
    for (const b of backends) {
      if (b === 'tensorflow') continue;
      const threads = b === 'cpu' && nativeAddon() ? args.nativeThreads : [1];
      for (const t of threads) {
        const [res] = await runTogether(1, process.execPath, ['--import', 'tsx', __filename, '--child', '--backends', b,
          '--windows', String(args.windows), '--epochs', String(args.epochs), '--batch', String(args.batch)],
          { ...process.env, SAFENET_NATIVE_THREADS: String(t), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=${args.semiSpace}`.trim() });
        const m = res.out.match(/RESULT tfjs windows=(\d+) epochs=(\d+) seconds=([\d.]+) what=(.*) note=(.*)/);
        if (res.code !== 0 || !m) {
          console.log(`${b} (semi-space ${args.semiSpace} MB): failed: ${res.out.trim().split('\n').slice(-1)[0]}`);
          continue;
        }
        const windows = Number(m[1]) * Number(m[2]);
        rows.push({ what: `${m[4]}, --max-semi-space-size=${args.semiSpace}`, windows, seconds: Number(m[3]),
          perSecond: windows / Number(m[3]), note: m[5] });
      }
    }
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
  const parallelRows: Row[] = [];
  if (args.parallel > 0) {
    for (const b of backends) {
      if (b === 'tensorflow') continue;
      console.log(`parallel: ${args.parallel} runs of tfjs ${b} at once`);
      const r = await runParallel(`tfjs ${b}${b === 'cpu' && nativeAddon() ? ' + native (1 thread each)' : ''}, ${args.parallel} runs`, args.parallel, args, b);
      if (r) parallelRows.push(r);
    }
    if (args.torch) {
      console.log(`parallel: ${args.parallel} runs of PyTorch (1 thread each) at once`);
      const r = await runParallel(`PyTorch 1 thread, ${args.parallel} runs`, args.parallel, args, 'torch');
      if (r) parallelRows.push(r);
    }
  }
  const epochOf = 20000;
  const table = (title: string, list: Row[]) => {
    // speed against the fastest PyTorch row of the same table (>= 1: tfjs at least as fast)
    const torch = list.filter((r) => r.what.startsWith('PyTorch')).sort((a, b) => b.perSecond - a.perSecond)[0];
    console.log(`\n${title}\n${'backend'.padEnd(76)} ${'windows'.padStart(8)} ${'seconds'.padStart(8)} ${'windows/s'.padStart(10)} ` +
      `${('s per ' + epochOf + '-window epoch').padStart(26)} ${'x PyTorch'.padStart(10)}`);
    for (const r of list) {
      const perEpoch = epochOf / r.perSecond;
      const extrapolated = r.windows / args.epochs !== epochOf && !r.what.includes(' runs') ? ' (extrapolated)' : '';
      const ratio = torch ? (r.perSecond / torch.perSecond).toFixed(2) : '';
      console.log(`${r.what.padEnd(76)} ${String(r.windows).padStart(8)} ${r.seconds.toFixed(1).padStart(8)} ` +
        `${r.perSecond.toFixed(0).padStart(10)} ${(perEpoch.toFixed(0) + extrapolated).padStart(26)} ${ratio.padStart(10)}   ${r.note}`);
    }
  };
  table('One training run at a time:', rows);
  if (parallelRows.length) table(`Whole machine, ${args.parallel} runs at once (rate = sum of the runs' rates):`, parallelRows);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
