// Minimal ZIP reader (central directory, stored and deflate entries, CRC-32 check, ZIP64 sizes and offsets) for
// ESA's daily Swarm product archives (*.CDF.ZIP holding the MAG LR / EFI LP CDF; paper section 2.3). Errors name
// the archive and the entry.
import * as fs from 'fs';
import * as zlib from 'zlib';

/** A damaged or unsupported archive: names the archive and, where known, the entry. */
export class ZipError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string | null,
    readonly detail: string,
  ) {
    super(entry !== null ? `${file}: entry '${entry}': ${detail}` : `${file}: ${detail}`);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate (the two this reader extracts). */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Byte offset of the entry's local header. */
  localHeaderOffset: number;
  isDirectory: boolean;
  encrypted: boolean;
}

/** Most bytes one byte of DEFLATE data can inflate to (zlib's "technical details"). */
const DEFLATE_MAX_EXPANSION = 1032;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

let CRC_TABLE: Uint32Array | null = null;

/** CRC-32 (IEEE, as ZIP uses it); zlib's when this Node has it (20.15+), else a table. */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (typeof native === 'function') return native(data) >>> 0;
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Read a ZIP archive from a path or bytes; `name` labels errors (default: the path, or 'buffer'). */
export function openZip(fileOrBuffer: string | Uint8Array, name?: string): ZipArchive {
  let buf: Buffer;
  let label: string;
  if (typeof fileOrBuffer === 'string') {
    label = name ?? fileOrBuffer;
    try {
      buf = fs.readFileSync(fileOrBuffer);
    } catch (e) {
      throw new ZipError(label, null, `cannot read file (${(e as Error).message})`);
    }
  } else {
    label = name ?? 'buffer';
    buf = Buffer.from(fileOrBuffer.buffer, fileOrBuffer.byteOffset, fileOrBuffer.byteLength);
  }
  return new ZipArchive(buf, label);
}

export class ZipArchive {
  readonly entries: ZipEntry[];
  private byName = new Map<string, ZipEntry>();

  constructor(
    private readonly buf: Buffer,
    readonly name: string,
  ) {
    this.entries = this.readCentralDirectory();
    for (const e of this.entries) if (!this.byName.has(e.name)) this.byName.set(e.name, e);
  }

  private fail(detail: string, entry: string | null = null): never {
    throw new ZipError(this.name, entry, detail);
  }

  private u16(p: number): number {
    return this.buf.readUInt16LE(p);
  }
  private u32(p: number): number {
    return this.buf.readUInt32LE(p);
  }
  private u64(p: number, what: string): number {
    const v = this.buf.readBigUInt64LE(p);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${v} is too large`);
    return Number(v);
  }

  private readCentralDirectory(): ZipEntry[] {
    const b = this.buf;
    if (b.length < 22) this.fail(`not a ZIP archive: only ${b.length} bytes (an end-of-central-directory record needs 22)`);
    // End of central directory: last 22 bytes plus a comment of at most 65535 bytes.
    let eocd = -1;
    for (let p = b.length - 22; p >= Math.max(0, b.length - 22 - 0xffff); p--) {
      if (this.u32(p) === SIG_EOCD && p + 22 + this.u16(p + 20) <= b.length) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) {
      const head = b.length >= 4 && this.u32(0) === SIG_LOCAL;
      this.fail(head ? 'end-of-central-directory record not found (the archive is truncated)' : 'not a ZIP archive (no end-of-central-directory record)');
    }
    if (this.u16(eocd + 4) !== 0 || this.u16(eocd + 6) !== 0) this.fail('multi-disk (split) archives are not supported');
    let count = this.u16(eocd + 10);
    let cdSize = this.u32(eocd + 12);
    let cdOffset = this.u32(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || this.u32(loc) !== SIG_ZIP64_LOCATOR) this.fail('ZIP64 values in the end record but no ZIP64 locator before it');
      const z = this.u64(loc + 8, 'ZIP64 end record offset');
      if (z + 56 > b.length || this.u32(z) !== SIG_ZIP64_EOCD) this.fail(`no ZIP64 end-of-central-directory record at byte offset ${z}`);
      count = this.u64(z + 32, 'ZIP64 entry count');
      cdSize = this.u64(z + 40, 'ZIP64 central directory size');
      cdOffset = this.u64(z + 48, 'ZIP64 central directory offset');
    }
    if (cdOffset + cdSize > b.length) this.fail(`central directory (byte offset ${cdOffset}, ${cdSize} bytes) lies past the end of the archive (${b.length} bytes): truncated`);
    const out: ZipEntry[] = [];
    let p = cdOffset;
    for (let k = 0; k < count; k++) {
      if (p + 46 > b.length || this.u32(p) !== SIG_CENTRAL) this.fail(`central directory entry ${k} at byte offset ${p}: bad signature`);
      const flags = this.u16(p + 8);
      const method = this.u16(p + 10);
      const crc = this.u32(p + 16);
      let compressedSize = this.u32(p + 20);
      let size = this.u32(p + 24);
      const nameLen = this.u16(p + 28);
      const extraLen = this.u16(p + 30);
      const commentLen = this.u16(p + 32);
      let localHeaderOffset = this.u32(p + 42);
      if (p + 46 + nameLen + extraLen + commentLen > b.length) this.fail(`central directory entry ${k} at byte offset ${p} runs past the end`);
      const nameBytes = b.subarray(p + 46, p + 46 + nameLen);
      const name = flags & 0x800 ? nameBytes.toString('utf8') : nameBytes.toString('latin1');
      // ZIP64 extra field (id 1): the 64-bit values, in this order, of those stored as 0xffffffff.
      let e = p + 46 + nameLen;
      const eEnd = e + extraLen;
      while (e + 4 <= eEnd) {
        const id = this.u16(e);
        const len = this.u16(e + 2);
        if (id === 1) {
          let q = e + 4;
          const take = (what: string) => {
            if (q + 8 > e + 4 + len) this.fail(`ZIP64 extra field lacks the ${what}`, name);
            const v = this.u64(q, `${what} of entry '${name}'`);
            q += 8;
            return v;
          };
          if (size === 0xffffffff) size = take('uncompressed size');
          if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = take('local header offset');
        }
        e += 4 + len;
      }
      out.push({ name, method, compressedSize, size, crc32: crc, localHeaderOffset, isDirectory: name.endsWith('/'), encrypted: (flags & 1) === 1 });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return out;
  }

  /** Entry names in archive order. */
  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  entry(name: string): ZipEntry {
    const e = this.byName.get(name);
    if (!e) this.fail(`no entry named '${name}' (have: ${this.names().join(', ') || 'none'})`);
    return e;
  }

  /** The uncompressed bytes of one entry, CRC-32 and size checked. */
  read(name: string): Buffer {
    const e = this.entry(name);
    if (e.encrypted) this.fail('encrypted entries are not supported', name);
    const b = this.buf;
    const h = e.localHeaderOffset;
    if (h + 30 > b.length || this.u32(h) !== SIG_LOCAL) this.fail(`no local header at byte offset ${h}`, name);
    const start = h + 30 + this.u16(h + 26) + this.u16(h + 28);
    const end = start + e.compressedSize;
    if (end > b.length) this.fail(`data (byte offset ${start}, ${e.compressedSize} bytes) runs past the end of the archive (${b.length} bytes): truncated`, name);
    const raw = b.subarray(start, end);
    let data: Buffer;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) this.fail(`stored entry with compressed size ${e.compressedSize} != size ${e.size}`, name);
      data = Buffer.from(raw);
    } else if (e.method === 8) {
      // the recorded size bounds the output before anything is inflated: DEFLATE expands at most 1032:1, and
      // zlib stops one byte past the recorded size (a damaged or hostile size never allocates more)
      if (e.size > e.compressedSize * DEFLATE_MAX_EXPANSION + 1024) {
        this.fail(`size ${e.size} is more than ${e.compressedSize} deflate bytes can inflate to (corrupt central directory)`, name);
      }
      try {
        data = zlib.inflateRawSync(raw, { maxOutputLength: e.size + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          this.fail(`deflate data inflate to more than the ${e.size} bytes the central directory says`, name);
        }
        this.fail(`deflate data are corrupt (${(err as Error).message})`, name);
      }
    } else {
      const known: Record<number, string> = { 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 99: 'AES-encrypted' };
      this.fail(`compression method ${e.method}${known[e.method] ? ` (${known[e.method]})` : ''} is not supported (only stored and deflate)`, name);
    }
    if (data.length !== e.size) this.fail(`uncompressed ${data.length} bytes, the central directory says ${e.size}`, name);
    const c = crc32(data);
    if (c !== e.crc32) this.fail(`CRC-32 mismatch: computed ${c.toString(16).padStart(8, '0')}, recorded ${e.crc32.toString(16).padStart(8, '0')} (corrupt)`, name);
    return data;
  }
}
