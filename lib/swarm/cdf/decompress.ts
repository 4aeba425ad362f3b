// Decompression for CDF compressed records (CCR whole-file, CVVR per-variable): GZIP through node's zlib and
// CDF's run-length encoding of zeros (RLE0), so ESA Swarm product files (paper section 2.3) read without native code.
import * as zlib from 'zlib';

/**
 * CDF RLE with parameter 0 (run-length encoding of zero bytes): a 0 byte is followed by a count byte n and
 * stands for n+1 zero bytes; every other byte is itself. `expected` (when known) sizes the output.
 */
export function rle0Decode(src: Uint8Array, expected?: number): Uint8Array {
  let size = expected ?? 0;
  if (expected === undefined) {
    for (let i = 0; i < src.length; i++) {
      if (src[i] === 0) {
        if (i + 1 >= src.length) throw new Error('RLE data ends inside a run of zeros');
        size += src[i + 1] + 1;
        i++;
      } else size++;
    }
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0) {
      if (i + 1 >= src.length) throw new Error('RLE data ends inside a run of zeros');
      const n = src[i + 1] + 1;
      if (o + n > size) throw new Error(`RLE data decodes to more than the expected ${size} bytes`);
      o += n; // output is zero-initialised
      i++;
    } else {
      if (o >= size) throw new Error(`RLE data decodes to more than the expected ${size} bytes`);
      out[o++] = b;
    }
  }
  if (expected !== undefined && o !== expected) {
    throw new Error(`RLE data decodes to ${o} bytes, expected ${expected}`);
  }
  return out;
}

/**
 * Decompress with CDF compression type cType (1 RLE, 5 GZIP); Huffman variants are not supported. `expected`, when
 * given, bounds the output: RLE decodes into exactly that many bytes, GZIP stops one byte past it.
 */
export function cdfDecompress(cType: number, params: number[], src: Uint8Array, expected?: number): Uint8Array {
  switch (cType) {
    case 0:
      return src;
    case 1:
      if ((params[0] ?? 0) !== 0) throw new Error(`RLE with parameter ${params[0]} is not defined by CDF (only 0)`);
      return rle0Decode(src, expected);
    case 5: {
      // with a known size, zlib stops one byte past it: a stream that inflates further is refused, not allocated
      let out: Buffer;
      try {
        out = expected === undefined ? zlib.gunzipSync(src) : zlib.gunzipSync(src, { maxOutputLength: Math.max(1, expected + 1) });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE' && expected !== undefined) {
          throw new Error(`GZIP data decompress to more than the expected ${expected} bytes`);
        }
        throw new Error(`GZIP data corrupt or truncated (${(e as Error).message})`);
      }
      return out;
    }
    case 2:
    case 3:
      throw new Error(`${cType === 2 ? 'Huffman' : 'adaptive Huffman'} compression is not supported by this reader`);
    default:
      throw new Error(`unknown compression type ${cType}`);
  }
}
