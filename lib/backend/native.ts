// The optional native addon (native/safenet_native.cc, built at install by native/build.mjs with g++ and the
// system OpenBLAS): matrix products on the tfjs cpu backend's own Float32Arrays, so SafeNet
// (paper section 3.2) trains at native speed without libtensorflow. Absent addon: null, with the reason.
// SAFENET_NATIVE=0 turns it off; SAFENET_NATIVE_THREADS sets the BLAS threads (default 1).
import * as fs from 'fs';
import * as path from 'path';

export interface NativeAddon {
  /** C[t] = op(A[t]) . op(B[t]) + beta C[t], row-major, t < batch; strides in elements (0 = broadcast). */
  sgemm(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Float32Array, B: Float32Array,
    C: Float32Array, batch: number, strideA: number, strideB: number, strideC: number, beta?: number): void;
  /**
   * A whole (bidirectional) LSTM layer forward over all steps (lib/models/fused_lstm.ts lstmLayerNative): x [B,T,D];
   * per direction Ws [D,4U], Rs [U,4U], bs [4U] (direction 1 runs in reverse); fills gates [B*T,4U], cs and hs
   * [B*T,U] (rows (b,t), kept for the backward pass) and out ([B,T,nDir*U] or [B,nDir*U]).
   */
  lstmForward(x: Float32Array, B: number, T: number, D: number, U: number, nDir: number, Ws: Float32Array[], Rs: Float32Array[],
    bs: Float32Array[], gates: Float32Array[], cs: Float32Array[], hs: Float32Array[], out: Float32Array, returnSequences: boolean): void;
  /** Its backward pass: from dy (shaped as out) writes dx [B,T,D] and each direction's dW, dR, db. */
  lstmBackward(x: Float32Array, B: number, T: number, D: number, U: number, nDir: number, Ws: Float32Array[], Rs: Float32Array[],
    gates: Float32Array[], cs: Float32Array[], hs: Float32Array[], dy: Float32Array, returnSequences: boolean, dx: Float32Array,
    dWs: Float32Array[], dRs: Float32Array[], dbs: Float32Array[]): void;
  /** One Adam update (lib/backend/adam_cpu.ts adamStep, the same float32 operations): writes pOut, mOut, vOut. */
  adamStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, pOut: Float32Array, mOut: Float32Array,
    vOut: Float32Array, b1: number, b2: number, ob1: number, ob2: number, omab1: number, omab2: number, eps: number, nlr: number): void;
  /** out = a op b (op 0 Add, 1 Sub, 2 Multiply, 3 RealDiv); aMod/bMod: 0 full size, 1 scalar, k a row repeated every k. */
  binary(op: number, out: Float32Array, a: Float32Array, b: Float32Array, aMod: number, bMod: number): void;
  /** out = Relu (0), Step with alpha (1) or Floor (2) of x. */
  unary(op: number, out: Float32Array, x: Float32Array, alpha: number): void;
  /** Sums of rows x [rows, len] in float64: per row (columns false: out [rows]) or per column (true: out [len]). */
  sum(columns: boolean, out: Float32Array, x: Float32Array, rows: number, len: number): void;
  /** MaxPool NHWC without padding. */
  maxPool(out: Float32Array, x: Float32Array, B: number, H: number, W: number, C: number, OH: number, OW: number, sh: number,
    sw: number, fh: number, fw: number): void;
  /** MaxPoolGrad NHWC into a zeroed dx: each window's gradient to its first maximum in raster order. */
  maxPoolGrad(dx: Float32Array, x: Float32Array, dy: Float32Array, B: number, H: number, W: number, C: number, OH: number,
    OW: number, sh: number, sw: number, fh: number, fw: number, top: number, left: number): void;
  /** im2col / col2im of lib/backend/kernels (NHWC convolutions as products); sizes as ConvGeometry's fields in order. */
  im2col(x: Float32Array, col: Float32Array, batch: number, inH: number, inW: number, inC: number, outH: number, outW: number,
    fh: number, fw: number, sh: number, sw: number, padTop: number, padLeft: number): void;
  col2im(col: Float32Array, dx: Float32Array, batch: number, inH: number, inW: number, inC: number, outH: number, outW: number,
    fh: number, fw: number, sh: number, sw: number, padTop: number, padLeft: number): void;
  setThreads(n: number): void;
  info(): { blas: string; threads: number };
}

/** Where native/build.mjs puts the addon (node-gyp, native/binding.gyp: build/Release/, used when the first is absent). */
const CANDIDATES = [path.resolve(__dirname, '..', '..', 'native', 'build', 'safenet_native.node'),
  path.resolve(__dirname, '..', '..', 'native', 'build', 'Release', 'safenet_native.node')];
export const NATIVE_ADDON_PATH = CANDIDATES.find((p) => fs.existsSync(p)) ?? CANDIDATES[0];

let loaded: { addon: NativeAddon | null; reason: string } | null = null;

/** Every function the package calls; an addon built from an older source without them is not used. */
const REQUIRED = ['sgemm', 'lstmForward', 'lstmBackward', 'adamStep', 'binary', 'unary', 'sum', 'maxPool', 'maxPoolGrad', 'im2col',
  'col2im', 'setThreads', 'info'];

/**
 * The native addon, loaded once per process, or null (see nativeStatus() for why). env defaults to process.env;
 * SAFENET_NATIVE=0 disables it, SAFENET_NATIVE_THREADS=n (default 1: one training run per core is the efficient
 * use of a small machine; see the README) sets OpenBLAS's threads.
 */
export function nativeAddon(env: NodeJS.ProcessEnv = process.env): NativeAddon | null {
  if (loaded) return loaded.addon;
  if (env.SAFENET_NATIVE === '0') {
    loaded = { addon: null, reason: 'SAFENET_NATIVE=0' };
    return null;
  }
  if (!fs.existsSync(NATIVE_ADDON_PATH)) {
    loaded = { addon: null, reason: `${path.relative(process.cwd(), NATIVE_ADDON_PATH) || NATIVE_ADDON_PATH} not built (run: node native/build.mjs)` };
    return null;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(NATIVE_ADDON_PATH) as NativeAddon;
    const missing = REQUIRED.filter((f) => typeof (addon as unknown as Record<string, unknown>)[f] !== 'function');
    if (missing.length) throw new Error(`it lacks ${missing.join(', ')}: built from an older source, rebuild with node native/build.mjs --force`);
    const raw = env.SAFENET_NATIVE_THREADS ?? '1';
    const threads = Number(raw);
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`SAFENET_NATIVE_THREADS=${raw} must be a positive integer`);
    addon.setThreads(threads);
    loaded = { addon, reason: `${addon.info().blas.split(' ').slice(0, 2).join(' ')}, ${threads} thread${threads > 1 ? 's' : ''}` };
  } catch (e) {
    loaded = { addon: null, reason: `${NATIVE_ADDON_PATH} did not load (${(e as Error).message.split('\n')[0]})` };
  }
  return loaded.addon;
}

type NativeHook = <T>(name: string, flops: number, run: () => T) => T;
let hook: NativeHook | null = null;

/**
 * Run one call into the addon that is not a tfjs kernel (the LSTM layer), so that the per-kernel profile
 * (lib/backend/profile.ts) can time it: name is its row in the profile, flops its floating-point work.
 */
export function nativeCall<T>(name: string, flops: number, run: () => T): T {
  return hook ? hook(name, flops, run) : run();
}

/** Set (or clear, with null) the observer of nativeCall; used by the profiler. */
export function setNativeCallHook(h: NativeHook | null): void {
  hook = h;
}

/** One line: what the addon is (BLAS, threads) or why it is not in use. */
export function nativeStatus(): string {
  nativeAddon();
  return loaded!.reason;
}
