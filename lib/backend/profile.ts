// Per-kernel profile of tfjs work (issue 13 item 1; training the SafeNet network of paper section 3.2): every kernel
// registered for a backend is wrapped with a timer for the duration of a run, and each kernel's self time (time in
// nested kernel calls subtracted), calls and floating-point work are summed. The rest of the wall time is
// reported as "outside kernels" (JS in layers such as the fused LSTM's gate loop, tfjs engine bookkeeping). Calls
// into the native addon that are not kernels (the whole LSTM layer, lib/backend/native.ts nativeCall) get rows too.
import * as tf from '@tensorflow/tfjs';
import { convGeometry } from './kernels/conv2d_backprop_filter';
import { setNativeCallHook } from './native';

export interface KernelProfileRow {
  kernel: string;
  /** Calls per step. */
  calls: number;
  /** Self milliseconds per step. */
  ms: number;
  /** Share of the step's wall time. */
  share: number;
  /** Floating-point operations per step done in this kernel itself (multiply-adds count 2; 0 when not counted). */
  flops: number;
  /** flops / self time, in GFLOP/s (NaN when flops is 0). */
  gflops: number;
}

export interface KernelProfile {
  backend: string;
  steps: number;
  /** What the milliseconds measure: wall time or this process's CPU time. */
  clock: 'wall' | 'cpu';
  /** Wall milliseconds per step. */
  stepMs: number;
  rows: KernelProfileRow[];
}

type Info = tf.TensorInfo;
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Multiply-add work of the kernels that do products (2 flops each); 0 for the others. */
export function kernelFlops(name: string, inputs: Record<string, Info | undefined>, attrs: Record<string, any>): number {
  try {
    if (name === 'BatchMatMul' || name === '_FusedMatMul') {
      const a = inputs.a!.shape;
      const b = inputs.b!.shape;
      const M = attrs.transposeA ? a[a.length - 1] : a[a.length - 2];
      const K = attrs.transposeA ? a[a.length - 2] : a[a.length - 1];
      const N = attrs.transposeB ? b[b.length - 2] : b[b.length - 1];
      const batch = Math.max(prod(a.slice(0, -2)), prod(b.slice(0, -2)));
      return 2 * batch * M * N * K;
    }
    let g;
    if (name === 'Conv2D' || name === 'FusedConv2D') g = convGeometry(inputs.x!.shape, inputs.filter!.shape, attrs);
    else if (name === 'Conv2DBackpropFilter') g = convGeometry(inputs.x!.shape, attrs.filterShape, attrs);
    else if (name === 'Conv2DBackpropInput') g = convGeometry(attrs.inputShape, inputs.filter!.shape, attrs);
    else return 0;
    return 2 * g.batch * g.outH * g.outW * g.fh * g.fw * g.inC * g.outC;
  } catch {
    return 0;
  }
}

interface Acc {
  calls: number;
  self: number;
  flops: number;
}

/**
 * Run `body` `steps` times with every kernel of `backendName` timed (after `warmup` untimed runs) and return the
 * per-step profile, rows sorted by time. The kernels are restored afterwards, also when body throws.
 */
export async function profileKernels(backendName: string, body: () => Promise<void> | void, steps: number,
  warmup = 1, clock: 'wall' | 'cpu' = 'wall'): Promise<KernelProfile> {
  // 'cpu': this process's CPU time (process.cpuUsage), which a busy machine's preemptions do not inflate
  const now = clock === 'cpu' ? () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  } : () => performance.now();
  for (let i = 0; i < warmup; i++) await body();
  const acc = new Map<string, Acc>();
  // stack of [child time, child flops] accumulators of the kernel calls in progress
  const stack: { child: number; childFlops: number }[] = [];
  const originals = tf.getKernelsForBackend(backendName);
  const wrapped: tf.KernelConfig[] = [];
  /** Time run() as one call of `name` doing flopsOf() floating-point operations (its own, nested calls' excluded). */
  const timed = <T>(name: string, flopsOf: () => number, run: () => T): T => {
    const frame = { child: 0, childFlops: 0 };
    stack.push(frame);
    const t0 = now();
    let flops = 0;
    try {
      flops = flopsOf();
      return run();
    } finally {
      const dt = now() - t0;
      stack.pop();
      const a = acc.get(name) ?? { calls: 0, self: 0, flops: 0 };
      a.calls++;
      a.self += dt - frame.child;
      a.flops += Math.max(0, flops - frame.childFlops);
      acc.set(name, a);
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.child += dt;
        parent.childFlops += flops;
      }
    }
  };
  for (const k of originals) {
    const fn = k.kernelFunc;
    const name = k.kernelName;
    wrapped.push({ ...k, kernelFunc: (args) =>
      timed(name, () => kernelFlops(name, args.inputs as Record<string, Info>, args.attrs as Record<string, any>), () => fn(args)) });
  }
  const swap = (list: tf.KernelConfig[]) => {
    for (const k of list) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  };
  swap(wrapped);
  setNativeCallHook((name, flops, run) => timed(name, () => flops, run));
  let total = 0;
  try {
    const t0 = now();
    for (let i = 0; i < steps; i++) await body();
    total = now() - t0;
  } finally {
    swap(originals);
    setNativeCallHook(null);
  }
  const stepMs = total / steps;
  let inKernels = 0;
  const rows: KernelProfileRow[] = [];
  for (const [kernel, a] of acc) {
    const ms = a.self / steps;
    inKernels += ms;
    rows.push({ kernel, calls: a.calls / steps, ms, share: ms / stepMs, flops: a.flops / steps,
      gflops: a.flops > 0 ? a.flops / (a.self * 1e6) : NaN });
  }
  const outside = Math.max(0, stepMs - inKernels);
  rows.push({ kernel: '(outside kernels)', calls: 0, ms: outside, share: outside / stepMs, flops: 0, gflops: NaN });
  rows.sort((a, b) => b.ms - a.ms);
  return { backend: backendName, steps, clock, stepMs, rows };
}

/** The profile as a fixed-width table (kernel, calls, ms/step, share, GFLOP/s), the first `top` rows and the rest summed. */
export function formatProfile(p: KernelProfile, title: string, top = 14): string {
  const lines = [`${title}: ${p.stepMs.toFixed(1)} ms ${p.clock === 'cpu' ? 'CPU time ' : ''}per step (mean of ${p.steps})`,
    `  ${'kernel'.padEnd(24)} ${'calls'.padStart(7)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'GFLOP/s'.padStart(8)}`];
  const shown = p.rows.slice(0, top);
  const rest = p.rows.slice(top);
  for (const r of shown) {
    lines.push(`  ${r.kernel.padEnd(24)} ${(r.calls ? r.calls.toFixed(0) : '').padStart(7)} ${r.ms.toFixed(2).padStart(8)} ` +
      `${(100 * r.share).toFixed(1).padStart(5)}% ${(Number.isNaN(r.gflops) ? '' : r.gflops.toFixed(1)).padStart(8)}`);
  }
  if (rest.length) {
    const ms = rest.reduce((s, r) => s + r.ms, 0);
    const calls = rest.reduce((s, r) => s + r.calls, 0);
    lines.push(`  ${`(${rest.length} other kernels)`.padEnd(24)} ${calls.toFixed(0).padStart(7)} ${ms.toFixed(2).padStart(8)} ` +
      `${(100 * ms / p.stepMs).toFixed(1).padStart(5)}%`);
  }
  const flops = p.rows.reduce((s, r) => s + r.flops, 0);
  lines.push(`  total ${(flops / 1e6).toFixed(0)} MFLOP per step in products; ${(flops / (p.stepMs * 1e6)).toFixed(1)} GFLOP/s over the whole step`);
  return lines.join('\n');
}
