// A small ZIP writer for tests (stored/deflate entries, data descriptors, ZIP64 extra fields and end records):
// builds archives shaped like ESA's daily Swarm *.CDF.ZIP so that tests of lib/swarm/zip.ts and the ESA import
// need no zip program (paper section 2.3 data path).
import * as zlib from 'zlib';
import { crc32 } from '../lib/swarm/zip';

export interface WriteEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflate, or another method number (written as stored bytes, to test refusal). */
  method?: number;
  /** Sizes and CRC after the data (general purpose flag bit 3), zeros in the local header. */
  dataDescriptor?: boolean;
  /** Sizes and offset as 0xffffffff with a ZIP64 extra field in the central directory. */
  zip64?: boolean;
}

/** A ZIP archive (what ESA's *.CDF.ZIP are), written here so the tests need no zip program. */
export function writeZip(entries: WriteEntry[], opts: { comment?: string; zip64End?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let off = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    off += b.length;
  };
  for (const e of entries) {
    const method = e.method ?? 8;
    const name = Buffer.from(e.name, 'utf8');
    const body = method === 8 ? zlib.deflateRawSync(e.data) : Buffer.from(e.data);
    const crc = crc32(e.data);
    const flags = 0x800 | (e.dataDescriptor ? 8 : 0);
    const at = off;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.dataDescriptor ? 0 : crc, 14);
    local.writeUInt32LE(e.dataDescriptor ? 0 : body.length, 18);
    local.writeUInt32LE(e.dataDescriptor ? 0 : e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    push(Buffer.concat([local, name, body]));
    if (e.dataDescriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(e.data.length, 12);
      push(dd);
    }
    let extra = Buffer.alloc(0);
    if (e.zip64) {
      extra = Buffer.alloc(4 + 24);
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(e.data.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(at), 20);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(e.zip64 ? 45 : 20, 4);
    c.writeUInt16LE(e.zip64 ? 45 : 20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(e.zip64 ? 0xffffffff : body.length, 20);
    c.writeUInt32LE(e.zip64 ? 0xffffffff : e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt32LE(e.zip64 ? 0xffffffff : at, 42);
    central.push(Buffer.concat([c, name, extra]));
  }
  const cd = Buffer.concat(central);
  const cdOffset = off;
  push(cd);
  if (opts.zip64End) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(entries.length), 24);
    z.writeBigUInt64LE(BigInt(entries.length), 32);
    z.writeBigUInt64LE(BigInt(cd.length), 40);
    z.writeBigUInt64LE(BigInt(cdOffset), 48);
    const zAt = off;
    push(z);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(zAt), 8);
    loc.writeUInt32LE(1, 16);
    push(loc);
  }
  const comment = Buffer.from(opts.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(opts.zip64End ? 0xffff : entries.length, 8);
  end.writeUInt16LE(opts.zip64End ? 0xffff : entries.length, 10);
  end.writeUInt32LE(opts.zip64End ? 0xffffffff : cd.length, 12);
  end.writeUInt32LE(opts.zip64End ? 0xffffffff : cdOffset, 16);
  end.writeUInt16LE(comment.length, 20);
  push(Buffer.concat([end, comment]));
  return Buffer.concat(parts);
}

