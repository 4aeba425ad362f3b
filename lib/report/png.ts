// A small PNG decoder (8-bit grey, grey+alpha, RGB, RGBA; not interlaced: what Chromium's screenshots are) and
// pixel statistics, so the report's browser check (issue 15 item 5) can tell a rendered page from a blank one.
// Format: PNG specification (W3C, 2nd edition), chunks, zlib IDAT stream, per-row filters 0-4.
import * as zlib from 'zlib';

export interface Image {
  width: number;
  height: number;
  /** Samples per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
  channels: number;
  data: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decode a PNG; errors name `what` (the file) and the problem. */
export function decodePng(buf: Uint8Array, what = 'png'): Image {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v)) throw new Error(`${what}: not a PNG file (bad signature)`);
  let off = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  let ended = false;
  while (off + 8 <= b.length) {
    const len = b.readUInt32BE(off);
    const type = b.toString('latin1', off + 4, off + 8);
    const data = b.subarray(off + 8, off + 8 + len);
    if (data.length !== len) throw new Error(`${what}: chunk ${type} at byte ${off} is truncated`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8], colour = data[9], interlace = data[12];
      if (depth !== 8 || !(colour in CHANNELS) || interlace !== 0) {
        throw new Error(`${what}: bit depth ${depth}, colour type ${colour}, interlace ${interlace} not supported (8-bit, non-interlaced grey/RGB/RGBA only)`);
      }
      channels = CHANNELS[colour];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    off += 12 + len;
  }
  if (!width || !height) throw new Error(`${what}: no IHDR chunk`);
  if (!ended) throw new Error(`${what}: no IEND chunk (truncated file)`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`${what}: image data has ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[row + x - channels] : 0;
      const up = y > 0 ? out[prev + x] : 0;
      const c = y > 0 && x >= channels ? out[prev + x - channels] : 0;
      let v = raw[src + x];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += up; break;
        case 3: v += (a + up) >> 1; break;
        case 4: {
          const pp = a + up - c, pa = Math.abs(pp - a), pb = Math.abs(pp - up), pc = Math.abs(pp - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
          break;
        }
        default: throw new Error(`${what}: row ${y} has filter type ${filter} (0-4 allowed)`);
      }
      out[row + x] = v & 255;
    }
  }
  return { width, height, channels, data: out };
}

export interface PixelStats {
  /** Standard deviation of the luminance (0-255). */
  stddev: number;
  /** Share of pixels whose luminance differs from the most common value by more than 8. */
  nonBackground: number;
}

/** Luminance statistics of an image (alpha composited on white). */
export function pixelStats(img: Image): PixelStats {
  const n = img.width * img.height;
  const lum = new Uint8Array(n);
  const hist = new Float64Array(256);
  let sum = 0, sum2 = 0;
  for (let i = 0; i < n; i++) {
    const o = i * img.channels;
    let l: number;
    if (img.channels <= 2) l = img.data[o];
    else l = 0.2126 * img.data[o] + 0.7152 * img.data[o + 1] + 0.0722 * img.data[o + 2];
    if (img.channels === 2 || img.channels === 4) {
      const alpha = img.data[o + img.channels - 1] / 255;
      l = l * alpha + 255 * (1 - alpha);
    }
    const v = Math.round(l);
    lum[i] = v;
    hist[v]++;
    sum += l;
    sum2 += l * l;
  }
  const mean = sum / n;
  let mode = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[mode]) mode = v;
  let other = 0;
  for (let i = 0; i < n; i++) if (Math.abs(lum[i] - mode) > 8) other++;
  return { stddev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), nonBackground: other / n };
}
