// Minimal NASA CDF 3 writer (r/zVariables, sparse records, per-variable GZIP or RLE, attributes, either byte order)
// that builds the CDF reader's test and benchmark files (paper section 2.3 data path): it writes what those need,
// one VVR per run of records, and is not a general CDF library.
import * as zlib from 'zlib';
import { writeFileAtomic } from '../../core/atomic';
import { CDF_TYPES, CdfTypeName, cdfTypeSize, isCharType } from './types';

export interface CdfWriteVariable {
  name: string;
  type: CdfTypeName;
  /** Dimensions of one record (row-major). */
  dims?: number[];
  /** Number of records (1 for a non-record-varying variable). */
  records: number;
  recordVariance?: boolean;
  /** Values, row-major over [records, ...dims]: numbers, bigints (INT8/TT2000), strings (CHAR/UCHAR). */
  values: ArrayLike<number> | ArrayLike<bigint> | string[];
  /** Characters per string for CHAR/UCHAR (default: longest string). */
  numElems?: number;
  /** GZIP this variable's records (CVVR + CPR), at this level (1-9). */
  gzip?: number;
  /** Compress this variable's records with CDF's RLE of zeros instead (CVVR + CPR cType 1). */
  rle?: boolean;
  /** 'z' (default) or 'r' (an rVariable: its dims are the file's rDims, `dims` must equal them). */
  kind?: 'r' | 'z';
  /** Which dimensions vary (default all); `values` hold only the varying ones, as CDF stores them. */
  dimVarys?: boolean[];
  /** Sparse records: the record numbers written (ascending); `values` hold only those records. */
  recordNumbers?: number[];
  /** How unwritten records read back (sRecords): pad value or the previous record. */
  sparse?: 'pad' | 'previous';
  /** Records per VVR/CVVR at most (default: one per run of consecutive records). */
  blockRecords?: number;
  /** Entries per VXR at most; more data records make a two-level index (VXR chain over sub-VXRs). */
  maxVxrEntries?: number;
  /** Pad value for numeric types (stored in the VDR). */
  padValue?: number;
  /** Variable attributes (rEntries / zEntries): one value each. */
  attributes?: Record<string, string | number[]>;
}

export interface CdfWriteSpec {
  variables: CdfWriteVariable[];
  /** Global attributes: one entry per value (strings as CDF_CHAR, numbers as CDF_DOUBLE). */
  globalAttributes?: Record<string, (string | number[])[]>;
  /** Byte order of the values (records are always big-endian). Default little-endian (IBMPC). */
  bigEndian?: boolean;
  /** Dimensions of the rVariables (CDF 2-style), default none. */
  rDims?: number[];
}

/** CDF RLE0: a run of n zero bytes (1..256) becomes 0, n-1; other bytes are copied. */
export function rle0Encode(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < src.length; ) {
    if (src[i] !== 0) {
      out.push(src[i++]);
      continue;
    }
    let n = 0;
    while (i < src.length && src[i] === 0 && n < 256) {
      n++;
      i++;
    }
    out.push(0, n - 1);
  }
  return Uint8Array.from(out);
}

class Out {
  parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): number {
    const at = this.length;
    this.parts.push(b);
    this.length += b.length;
    return at;
  }
}

/** A record buffer with big-endian field writers and back-patching of offsets. */
class Rec {
  buf: Buffer;
  p = 0;
  constructor(size: number, type: number) {
    this.buf = Buffer.alloc(size);
    this.i64(size);
    this.i32(type);
  }
  i32(v: number): this {
    this.buf.writeInt32BE(v, this.p);
    this.p += 4;
    return this;
  }
  i64(v: number): this {
    this.buf.writeBigInt64BE(BigInt(v), this.p);
    this.p += 8;
    return this;
  }
  str(s: string, n: number): this {
    this.buf.write(s, this.p, n, 'latin1');
    this.p += n;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.buf.set(b, this.p);
    this.p += b.length;
    return this;
  }
}

function encodeValues(type: CdfTypeName, v: CdfWriteVariable['values'], n: number, numElems: number, le: boolean): Uint8Array {
  const code = CDF_TYPES[type];
  const size = cdfTypeSize(code);
  const out = Buffer.alloc(n * size * (isCharType(code) ? numElems : 1));
  if (isCharType(code)) {
    const s = v as string[];
    for (let i = 0; i < n; i++) out.write(s[i], i * numElems, numElems, 'latin1');
    return out;
  }
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const a = v as ArrayLike<number> & ArrayLike<bigint>;
  if ((type === 'CDF_DOUBLE' || type === 'CDF_REAL8' || type === 'CDF_EPOCH') && le && v instanceof Float64Array) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)); // fast path for big benchmark files
    return out;
  }
  const k = type === 'CDF_EPOCH16' ? 2 : 1;
  for (let i = 0; i < n * k; i++) {
    const x = a[i];
    const o = (i * size) / k;
    switch (code) {
      case 1: case 41: dv.setInt8(o, Number(x)); break;
      case 2: dv.setInt16(o, Number(x), le); break;
      case 4: dv.setInt32(o, Number(x), le); break;
      case 8: case 33: dv.setBigInt64(o, BigInt(x), le); break;
      case 11: dv.setUint8(o, Number(x)); break;
      case 12: dv.setUint16(o, Number(x), le); break;
      case 14: dv.setUint32(o, Number(x), le); break;
      case 21: case 44: dv.setFloat32(o, Number(x), le); break;
      default: dv.setFloat64(o, Number(x), le); break;
    }
  }
  return out;
}

/** Build a CDF 3.9 file (single-file, row-major; optional per-variable GZIP, one VVR/CVVR per run of records). */
export function buildCdf(spec: CdfWriteSpec): Uint8Array {
  const le = !spec.bigEndian;
  const out = new Out();
  const magic = Buffer.alloc(8);
  magic.writeUInt32BE(0xcdf30001, 0);
  magic.writeUInt32BE(0x0000ffff, 4);
  out.push(magic);
  // CDR
  const cdr = new Rec(312, 1);
  const cdrGdrField = cdr.p;
  cdr.i64(0).i32(3).i32(9).i32(le ? 6 : 1).i32(3).i32(0).i32(0).i32(0).i32(2).i32(-1);
  cdr.str('Common Data Format (CDF)\nhttps://cdf.gsfc.nasa.gov\n(written by lib/swarm/cdf/writer.ts)', 256);
  out.push(cdr.buf);
  // GDR
  const gdr = new Rec(84 + 4 * (spec.rDims ?? []).length, 2);
  const gdrAt = out.push(gdr.buf);
  cdr.buf.writeBigInt64BE(BigInt(gdrAt), cdrGdrField);
  const vdrs: Record<'r' | 'z', { rec: Rec; at: number; nextField: number }[]> = { r: [], z: [] };
  const rDims = spec.rDims ?? [];
  const vars = spec.variables;
  const varNum = new Map<CdfWriteVariable, number>();
  for (const v of vars) {
    const kind = v.kind ?? 'z';
    const num = vdrs[kind].length;
    varNum.set(v, num);
    const code = CDF_TYPES[v.type];
    const dims = kind === 'r' ? rDims : v.dims ?? [];
    if (kind === 'r' && v.dims && v.dims.join(',') !== rDims.join(',')) {
      throw new Error(`rVariable ${v.name}: dims ${v.dims} differ from the file's rDims ${rDims}`);
    }
    const varys = v.dimVarys ?? dims.map(() => true);
    const perRec = dims.reduce((a, c, i) => a * (varys[i] ? c : 1), 1);
    const numElems = isCharType(code)
      ? v.numElems ?? Math.max(1, ...(v.values as string[]).map((x) => x.length))
      : 1;
    const recNums = v.recordNumbers ?? Array.from({ length: v.records }, (_, i) => i);
    const maxRec = recNums.length ? recNums[recNums.length - 1] : -1;
    const rv = v.recordVariance ?? true;
    const padBytes = v.padValue !== undefined ? encodeValues(v.type, [v.padValue], 1, 1, le) : null;
    const size =
      12 + 8 + 8 + 16 + 20 + 8 + 8 + 4 + 256 + (kind === 'z' ? 4 + 4 * dims.length : 0) + 4 * dims.length +
      (padBytes ? padBytes.length : 0);
    const vdr = new Rec(size, kind === 'z' ? 8 : 3);
    const nextField = vdr.p;
    vdr.i64(0).i32(code).i32(maxRec);
    const vxrField = vdr.p;
    vdr.i64(0).i64(0);
    const sRecords = v.sparse === 'pad' ? 1 : v.sparse === 'previous' ? 2 : 0;
    vdr.i32((rv ? 1 : 0) | (padBytes ? 2 : 0) | (v.gzip || v.rle ? 4 : 0)).i32(sRecords).i32(0).i32(-1).i32(-1);
    vdr.i32(numElems).i32(num);
    const cprField = vdr.p;
    vdr.i64(-1).i32(0).str(v.name, 256);
    if (kind === 'z') {
      vdr.i32(dims.length);
      for (const d of dims) vdr.i32(d);
    }
    for (let i = 0; i < dims.length; i++) vdr.i32(varys[i] ? -1 : 0);
    if (padBytes) vdr.bytes(padBytes);
    const at = out.push(vdr.buf);
    vdrs[kind].push({ rec: vdr, at, nextField });
    // data: one VVR (or CVVR) per run of consecutive record numbers
    const data = encodeValues(v.type, v.values, recNums.length * perRec, numElems, le);
    const recBytes = data.length / Math.max(1, recNums.length);
    const runs: [number, number, number][] = []; // first, last, index of first in values
    const block = v.blockRecords ?? Infinity;
    recNums.forEach((r, i) => {
      const last = runs[runs.length - 1];
      if (last && r === last[1] + 1 && last[1] - last[0] + 1 < block) last[1] = r;
      else runs.push([r, r, i]);
    });
    if (runs.length > 0) {
      // data records, then the index: leaf VXRs of at most k entries; above them, when there is more than one
      // leaf, a chain (VXRnext) of top-level VXRs of at most k entries pointing to the leaves (sub-VXRs)
      const k = v.maxVxrEntries ?? runs.length;
      const items: { first: number; last: number; at: number }[] = runs.map(([first, last, idx]) => {
        const chunk = data.subarray(idx * recBytes, (idx + last - first + 1) * recBytes);
        let at: number;
        if (v.gzip || v.rle) {
          const z = v.rle ? rle0Encode(chunk) : zlib.gzipSync(chunk, { level: v.gzip });
          const cvvr = new Rec(24 + z.length, 13);
          cvvr.i32(0).i64(z.length).bytes(z);
          at = out.push(cvvr.buf);
        } else {
          const head = new Rec(12, 7);
          head.buf.writeBigInt64BE(BigInt(12 + chunk.length), 0);
          at = out.push(head.buf);
          out.push(chunk);
        }
        return { first, last, at };
      });
      const vxrLevel = (children: typeof items, chain: boolean): typeof items => {
        const made: (typeof items[number] & { rec: Rec })[] = [];
        for (let g = 0; g < children.length; g += k) {
          const part = children.slice(g, g + k);
          const vxr = new Rec(12 + 8 + 8 + 16 * part.length, 6);
          vxr.i64(0).i32(part.length).i32(part.length);
          for (const c of part) vxr.i32(c.first);
          for (const c of part) vxr.i32(c.last);
          for (const c of part) vxr.i64(c.at);
          made.push({ first: part[0].first, last: part[part.length - 1].last, at: out.push(vxr.buf), rec: vxr });
        }
        if (chain) for (let i = 0; i + 1 < made.length; i++) made[i].rec.buf.writeBigInt64BE(BigInt(made[i + 1].at), 12);
        return made;
      };
      const leaves = vxrLevel(items, false);
      const top = leaves.length > 1 ? vxrLevel(leaves, true) : leaves;
      vdr.buf.writeBigInt64BE(BigInt(top[0].at), vxrField);
      vdr.buf.writeBigInt64BE(BigInt(top[top.length - 1].at), vxrField + 8);
      if (v.gzip || v.rle) {
        const cpr = new Rec(28, 11);
        cpr.i32(v.rle ? 1 : 5).i32(0).i32(1).i32(v.rle ? 0 : v.gzip!);
        vdr.buf.writeBigInt64BE(BigInt(out.push(cpr.buf)), cprField);
      }
    }
  }
  for (const kind of ['r', 'z'] as const) {
    const list = vdrs[kind];
    for (let i = 0; i + 1 < list.length; i++) list[i].rec.buf.writeBigInt64BE(BigInt(list[i + 1].at), list[i].nextField);
  }
  // attributes: global ones (gEntries), then variable ones (rEntries in the AgrEDR list, zEntries in AzEDR)
  type Entry = { num: number; value: string | number[] };
  const attrs: { name: string; scope: 1 | 2; gr: Entry[]; z: Entry[] }[] = [];
  for (const [name, entries] of Object.entries(spec.globalAttributes ?? {})) {
    attrs.push({ name, scope: 1, gr: entries.map((value, num) => ({ num, value })), z: [] });
  }
  for (const v of vars) {
    for (const [name, value] of Object.entries(v.attributes ?? {})) {
      let a = attrs.find((x) => x.name === name);
      if (!a) attrs.push((a = { name, scope: 2, gr: [], z: [] }));
      if (a.scope !== 2) throw new Error(`attribute ${name} is both global and a variable attribute`);
      ((v.kind ?? 'z') === 'z' ? a.z : a.gr).push({ num: varNum.get(v)!, value });
    }
  }
  const adrs: { rec: Rec; at: number }[] = [];
  attrs.forEach((a, num) => {
    const adr = new Rec(324, 4);
    adr.i64(0);
    const grField = adr.p;
    const maxOf = (l: Entry[]) => (l.length ? Math.max(...l.map((e) => e.num)) : -1);
    adr.i64(0).i32(a.scope).i32(num).i32(a.gr.length).i32(maxOf(a.gr)).i32(0);
    const zField = adr.p;
    adr.i64(0).i32(a.z.length).i32(maxOf(a.z)).i32(-1);
    adr.str(a.name, 256);
    adrs.push({ rec: adr, at: out.push(adr.buf) });
    for (const [list, type, field] of [[a.gr, 5, grField], [a.z, 9, zField]] as [Entry[], number, number][]) {
      let prev: { rec: Rec; field: number } | null = null;
      for (const { num: entry, value } of list) {
        const isStr = typeof value === 'string';
        const bytes = isStr ? Buffer.from(value, 'latin1') : encodeValues('CDF_DOUBLE', value, value.length, 1, le);
        const aedr = new Rec(56 + bytes.length, type);
        const nextField = aedr.p;
        aedr.i64(0).i32(num).i32(isStr ? 51 : 45).i32(entry).i32(isStr ? bytes.length : value.length);
        aedr.i32(1).i32(0).i32(0).i32(-1).i32(-1).bytes(bytes);
        const at = out.push(aedr.buf);
        if (prev) prev.rec.buf.writeBigInt64BE(BigInt(at), prev.field);
        else adr.buf.writeBigInt64BE(BigInt(at), field);
        prev = { rec: aedr, field: nextField };
      }
    }
  });
  for (let i = 0; i + 1 < adrs.length; i++) adrs[i].rec.buf.writeBigInt64BE(BigInt(adrs[i + 1].at), 12);
  // GDR fields (the GDR was allocated with room for the rDims)
  const rMaxRec = Math.max(-1, ...vars.filter((v) => v.kind === 'r').map((v) => (v.recordNumbers ?? [v.records - 1]).slice(-1)[0]));
  gdr.i64(vdrs.r.length ? vdrs.r[0].at : 0).i64(vdrs.z.length ? vdrs.z[0].at : 0).i64(adrs.length ? adrs[0].at : 0).i64(out.length);
  gdr.i32(vdrs.r.length).i32(attrs.length).i32(rMaxRec).i32(rDims.length).i32(vdrs.z.length).i64(0).i32(0).i32(-1).i32(-1);
  for (const d of rDims) gdr.i32(d);
  const file = new Uint8Array(out.length);
  let o = 0;
  for (const p of out.parts) {
    file.set(p, o);
    o += p.length;
  }
  return file;
}

/** Build a CDF file and write it atomically (temporary file, then rename). */
export function writeCdf(file: string, spec: CdfWriteSpec): void {
  writeFileAtomic(file, buildCdf(spec));
}
