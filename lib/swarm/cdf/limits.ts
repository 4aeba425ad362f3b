// Bounds the CDF reader (lib/swarm/cdf/reader.ts) checks sizes against before it allocates anything, so a damaged
// or hostile Swarm product file (paper section 2.3, data) fails with a named error instead of exhausting memory.
// Two are facts of the compression formats; one is an open choice, named here with its reason.

/**
 * Most bytes one byte of a DEFLATE stream (GZIP) can expand to: a maximal-length match (258 bytes) costs at
 * least 2 bits, so 1032:1 is DEFLATE's limit (zlib's "technical details"). Fact of the format.
 */
export const GZIP_MAX_EXPANSION = 1032;

/**
 * Most bytes one byte of CDF's RLE0 can expand to: a zero byte and a count byte stand for at most 256 zeros,
 * 128 bytes per input byte. Fact of the format.
 */
export const RLE0_MAX_EXPANSION = 128;

/**
 * Most bytes of pad values the reader will write for the records a record-sparse variable never wrote
 * (64 MiB). Open choice: sparse records are the one place a small file legitimately decodes to much more than
 * it stores (one record at 0 and one at 10^9 is a valid file). Swarm's MAG/EFI products are not sparse, and the
 * CDF test files' gaps are a few records; a file that would pad more is refused rather than allocated.
 * OpenCdfOptions.maxSparseFillBytes overrides it per file.
 */
export const DEFAULT_MAX_SPARSE_FILL_BYTES = 64 * 1024 * 1024;

/** Most bytes a compressed stream of `compressed` bytes can decode to under CDF compression type cType. */
export function maxExpansion(cType: number, compressed: number): number {
  if (cType === 1) return compressed * RLE0_MAX_EXPANSION;
  if (cType === 5) return compressed * GZIP_MAX_EXPANSION + 1024; // + gzip header/trailer slack
  return compressed;
}
