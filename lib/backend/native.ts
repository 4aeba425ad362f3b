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
  setThreads(n: number): void;
  info(): { blas: string; threads: number };
}

/** Where native/build.mjs puts the addon (node-gyp, native/binding.gyp: build/Release/, used when the first is absent). */
const CANDIDATES = [path.resolve(__dirname, '..', '..', 'native', 'build', 'safenet_native.node'),
  path.resolve(__dirname, '..', '..', 'native', 'build', 'Release', 'safenet_native.node')];
export const NATIVE_ADDON_PATH = CANDIDATES.find((p) => fs.existsSync(p)) ?? CANDIDATES[0];

let loaded: { addon: NativeAddon | null; reason: string } | null = null;

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

/** One line: what the addon is (BLAS, threads) or why it is not in use. */
export function nativeStatus(): string {
  nativeAddon();
  return loaded!.reason;
}
