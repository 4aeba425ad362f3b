// MaxPoolGrad (NHWC): each pooling window routes its output gradient to the first maximum of the window in raster
// order, as the stock cpu kernel does, over typed arrays instead of TensorBuffer.get. Also replaces the stock wasm
// kernel of tfjs 4.22, which loses gradients (e.g. x [1,2,4,1], pool [1,2]: rows after the first get none; see
// test/backend-kernels.test.ts). Serves the max-pooling layer of SafeNet (paper section 3.2).
// On cpu with the native addon built the loop runs in C++ (native/safenet_native.cc maxPoolGrad, the same result).
import * as tf from '@tensorflow/tfjs';
import { AnyBackend, TensorInfo, computeInto, isWasm } from './io';
import { nativeAddon } from '../native';

let useNativePoolGrad = true;
/** Use the addon's loop on cpu (true, default) or always the JS loop (tests compare them). */
export function useNativeMaxPoolGrad(on: boolean): void {
  useNativePoolGrad = on;
}

export function makeMaxPoolGrad(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return stock(args);
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as Record<string, any>;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const addon = isWasm(args.backend as AnyBackend) ? null : nativeAddon();
    return computeInto(args.backend as AnyBackend, input.shape.slice(), [input, dy], (dx, x, g) => {
      if (addon && useNativePoolGrad && x instanceof Float32Array && g instanceof Float32Array) return addon.maxPoolGrad(dx, x, g, B, H, W, C, OH, OW, sh, sw, fh, fw, top, left);
      for (let b = 0; b < B; b++) {
        const xb = b * H * W * C;
        for (let oy = 0; oy < OH; oy++) {
          const r0 = Math.max(0, oy * sh - top);
          const r1 = Math.min(H, oy * sh - top + fh);
          for (let ox = 0; ox < OW; ox++) {
            const c0 = Math.max(0, ox * sw - left);
            const c1 = Math.min(W, ox * sw - left + fw);
            const go = ((b * OH + oy) * OW + ox) * C;
            for (let d = 0; d < C; d++) {
              let best = Number.NEGATIVE_INFINITY;
              let pos = -1;
              for (let r = r0; r < r1; r++) {
                for (let c = c0; c < c1; c++) {
                  const p = xb + (r * W + c) * C + d;
                  const v = x[p];
                  if (v > best) {
                    best = v;
                    pos = p;
                  }
                }
              }
              if (pos >= 0) dx[pos] += g[go + d];
            }
          }
        }
      }
    });
  };
}
