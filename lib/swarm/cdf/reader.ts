// NASA CDF reader in TypeScript (no native code): CDF 2.6/2.7/3.x, row/column-major, whole-file and per-variable
// compression (GZIP, RLE0), sparse records, r/zVariables, attributes, all numeric/char/epoch types. It reads the
// ESA Swarm products (MAGx_LR_1B, EFIx_LP_1B, ...) the paper's data come from (paper section 2.3) into typed columns.
import * as buffer from 'buffer';
import * as fs from 'fs';
import * as os from 'os';
import { cdfDecompress } from './decompress';
import { DEFAULT_MAX_SPARSE_FILL_BYTES, maxExpansion } from './limits';
import {
  CdfTypeName,
  COMPRESSION_NAMES,
  cdfEncoding,
  cdfTypeName,
  cdfTypeSize,
  isCharType,
  recordTypeName,
} from './types';

/**
 * An error in a CDF file: names the file, the internal record (type and byte offset), the field of that record
 * found inconsistent (when one is: 'MaxRec', 'VXRhead', 'First[2]', 'NumElems', ...) and what is wrong.
 */
export class CdfError extends Error {
  constructor(
    readonly file: string,
    readonly recordType: string | null,
    readonly offset: number | null,
    readonly detail: string,
    readonly field: string | null = null,
  ) {
    super(
      recordType !== null
        ? `${file}: ${recordType} record at byte offset ${offset}: ${detail}`
        : `${file}: ${detail}`,
    );
    this.name = 'CdfError';
  }
}

export type CdfTypedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export interface CdfVariableInfo {
  name: string;
  /** 'z' for zVariables, 'r' for rVariables (CDF 2.x files mostly). */
  kind: 'r' | 'z';
  /** Variable number within its kind. */
  num: number;
  type: CdfTypeName;
  typeCode: number;
  /** Characters per value for CHAR/UCHAR, else 1. */
  numElems: number;
  /** Dimensions of one record (the varying ones; non-varying dimensions are stored with size 1 and dropped). */
  dims: number[];
  /** All declared dimensions and whether each varies. */
  declaredDims: number[];
  dimVarys: boolean[];
  recordVariance: boolean;
  /** Records that read() returns: maxRec + 1 (1 at most for non-record-varying variables). */
  records: number;
  /** Highest record number written (-1: none). */
  maxRec: number;
  compression: { type: string; level: number } | null;
  /** How records never written are filled (sRecords): 'none' (pad), 'pad' or 'previous'. */
  sparseRecords: 'none' | 'pad' | 'previous';
  blockingFactor: number;
}

export interface CdfColumn {
  name: string;
  type: CdfTypeName;
  /** Numbers as a typed array in row-major (C) order over `shape`; CHAR/UCHAR as strings (trailing NULs cut). */
  data: CdfTypedArray | string[];
  /** [records, ...dims]; CDF_EPOCH16 adds a last dimension of 2 (seconds, picoseconds). */
  shape: number[];
  records: number;
  dims: number[];
  recordVariance: boolean;
}

export type CdfAttributeValue = string | string[] | number[] | bigint[];

export interface CdfAttributeEntry {
  /** Entry number (gEntry number for global attributes). */
  entry: number;
  type: CdfTypeName;
  value: CdfAttributeValue;
}

export interface CdfFileInfo {
  name: string;
  version: string;
  encoding: string;
  littleEndian: boolean;
  majority: 'row' | 'column';
  /** Whole-file compression ('GZIP', 'RLE') or null. */
  compression: string | null;
  /** Bytes of the file as stored (before whole-file decompression). */
  bytes: number;
}

interface Rec {
  off: number;
  size: number;
  type: number;
}

interface VarMeta extends CdfVariableInfo {
  vdrOffset: number;
  vdr: Rec;
  vxrHead: number;
  cprOffset: number;
  padBytes: Uint8Array | null;
  /** Bytes per record as stored. */
  recBytes: number;
  cType: number;
  cParams: number[];
}

interface AttrMeta {
  name: string;
  num: number;
  global: boolean;
  gr: CdfAttributeEntry[];
  z: CdfAttributeEntry[];
}

interface Segment {
  first: number;
  last: number;
  off: number;
  type: number;
  /** The VXR holding the entry, and the entry's index in it (named in errors). */
  vxr: Rec;
  entry: number;
}

const HOST_LITTLE = os.endianness() === 'LE';
/** Largest buffer this Node can allocate: a decoded size past it is an error, not a RangeError. */
const MAX_ARRAY_BYTES = buffer.constants.MAX_LENGTH;
const MAGIC_V3 = 0xcdf30001;
const MAGIC_V26 = 0xcdf26002;
const MAGIC_V2 = 0x0000ffff;
const MAGIC_COMPRESSED = 0xcccc0001;
const MAGIC_UNCOMPRESSED = 0x0000ffff;

export interface OpenCdfOptions {
  /** Name used in error messages (default: the file path, or 'buffer'). */
  name?: string;
  /** Most bytes of pad values written for a sparse variable's unwritten records (lib/swarm/cdf/limits.ts). */
  maxSparseFillBytes?: number;
}

/** Open a CDF file (path) or in-memory buffer. Reads and checks all metadata; variables are decoded on read(). */
export function openCdf(fileOrBuffer: string | Uint8Array, options: OpenCdfOptions = {}): CdfFile {
  let buf: Buffer;
  let name: string;
  if (typeof fileOrBuffer === 'string') {
    name = options.name ?? fileOrBuffer;
    try {
      buf = fs.readFileSync(fileOrBuffer);
    } catch (e) {
      throw new CdfError(name, null, null, `cannot read file (${(e as Error).message})`);
    }
  } else {
    name = options.name ?? 'buffer';
    buf = Buffer.from(fileOrBuffer.buffer, fileOrBuffer.byteOffset, fileOrBuffer.byteLength);
  }
  return new CdfFile(buf, name, options.maxSparseFillBytes ?? DEFAULT_MAX_SPARSE_FILL_BYTES);
}

export class CdfFile {
  readonly name: string;
  readonly info: CdfFileInfo;
  private buf: Buffer;
  private v3: boolean;
  /** Size of an offset field: 8 (CDF 3) or 4 (CDF 2). */
  private O: number;
  /** Record header size: size field + type field. */
  private H: number;
  private nameLen: number;
  private pre25: boolean;
  private little = true;
  private vaxFloat = false;
  private rowMajor = true;
  private vars: VarMeta[] = [];
  private byName = new Map<string, VarMeta>();
  private attrs: AttrMeta[] = [];
  private plans = new Map<VarMeta, Segment[]>();

  constructor(
    raw: Buffer,
    name: string,
    private readonly maxSparseFillBytes: number = DEFAULT_MAX_SPARSE_FILL_BYTES,
  ) {
    this.name = name;
    if (raw.length < 8) this.fail(null, null, `not a CDF file: only ${raw.length} bytes`);
    const m1 = raw.readUInt32BE(0);
    const m2 = raw.readUInt32BE(4);
    if (m1 !== MAGIC_V3 && m1 !== MAGIC_V26 && m1 !== MAGIC_V2) {
      this.fail(null, null, `not a CDF file: magic number 0x${m1.toString(16).padStart(8, '0')} at byte offset 0`);
    }
    if (m2 !== MAGIC_COMPRESSED && m2 !== MAGIC_UNCOMPRESSED) {
      this.fail(null, null, `not a CDF file: second magic number 0x${m2.toString(16).padStart(8, '0')} at byte offset 4`);
    }
    this.v3 = m1 === MAGIC_V3;
    this.O = this.v3 ? 8 : 4;
    this.H = this.O + 4;
    this.nameLen = this.v3 ? 256 : 64;
    this.buf = raw;
    this.pre25 = false;
    let fileCompression: string | null = null;
    if (m2 === MAGIC_COMPRESSED) {
      const { data, cType } = this.inflateWholeFile();
      fileCompression = COMPRESSION_NAMES[cType] ?? String(cType);
      this.buf = data;
    }
    // CDR
    const cdr = this.record(8, [1]);
    this.need(cdr, this.H + this.O + 28);
    const gdrOff = this.off(cdr.off + this.H);
    const p = cdr.off + this.H + this.O;
    const version = this.buf.readInt32BE(p);
    const release = this.buf.readInt32BE(p + 4);
    const encodingCode = this.buf.readInt32BE(p + 8);
    const flags = this.buf.readInt32BE(p + 12);
    const increment = this.buf.readInt32BE(p + 24);
    this.pre25 = !this.v3 && version === 2 && release < 5;
    const enc = cdfEncoding(encodingCode);
    if (!enc) this.fail(cdr, null, `unknown data encoding ${encodingCode}`);
    this.little = enc.little;
    this.vaxFloat = enc.vaxFloat;
    this.rowMajor = (flags & 1) === 1;
    this.info = {
      name,
      version: `${version}.${release}.${increment}`,
      encoding: enc.name,
      littleEndian: enc.little,
      majority: this.rowMajor ? 'row' : 'column',
      compression: fileCompression,
      bytes: raw.length,
    };
    this.readMetadata(gdrOff);
  }

  // ---------- public API ----------

  /** Variables (r and z) in file order: name, type, dims, record count, compression. */
  variables(): CdfVariableInfo[] {
    return this.vars.map((v) => ({
      name: v.name,
      kind: v.kind,
      num: v.num,
      type: v.type,
      typeCode: v.typeCode,
      numElems: v.numElems,
      dims: v.dims.slice(),
      declaredDims: v.declaredDims.slice(),
      dimVarys: v.dimVarys.slice(),
      recordVariance: v.recordVariance,
      records: v.records,
      maxRec: v.maxRec,
      compression: v.compression ? { ...v.compression } : null,
      sparseRecords: v.sparseRecords,
      blockingFactor: v.blockingFactor,
    }));
  }

  variableNames(): string[] {
    return this.vars.map((v) => v.name);
  }

  hasVariable(name: string): boolean {
    return this.byName.has(name);
  }

  /** Decode all records of a variable into a typed column (or string[] for character types). */
  read(name: string): CdfColumn {
    const v = this.variable(name);
    const bytes = this.readBytes(v);
    const shape = [v.records, ...v.dims];
    const base = { name: v.name, type: v.type, records: v.records, dims: v.dims.slice(), recordVariance: v.recordVariance };
    if (isCharType(v.typeCode)) {
      const n = bytes.length / v.numElems;
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = decodeChars(bytes, i * v.numElems, v.numElems);
      return { ...base, data: out, shape };
    }
    if (v.typeCode === 32) shape.push(2);
    return { ...base, data: this.typed(v.typeCode, bytes), shape };
  }

  /** Global attributes: name -> entries (gEntries) in entry order. */
  attributes(): Record<string, CdfAttributeEntry[]> {
    const out: Record<string, CdfAttributeEntry[]> = {};
    for (const a of this.attrs) if (a.global) out[a.name] = a.gr.map((e) => ({ ...e }));
    return out;
  }

  /** Variable attributes of one variable (its rEntries or zEntries): attribute name -> entry. */
  variableAttributes(name: string): Record<string, CdfAttributeEntry> {
    const v = this.variable(name);
    const out: Record<string, CdfAttributeEntry> = {};
    for (const a of this.attrs) {
      if (a.global) continue;
      const list = v.kind === 'z' ? a.z : a.gr;
      const e = list.find((x) => x.entry === v.num);
      if (e) out[a.name] = { ...e };
    }
    return out;
  }

  // ---------- metadata ----------

  private variable(name: string): VarMeta {
    const v = this.byName.get(name);
    if (!v) throw new CdfError(this.name, null, null, `no variable named '${name}' (have: ${this.vars.map((x) => x.name).join(', ')})`);
    return v;
  }

  private readMetadata(gdrOff: number): void {
    const O = this.O;
    const gdr = this.record(gdrOff, [2]);
    this.need(gdr, this.H + 4 * O + 20 + O + 12);
    let p = gdr.off + this.H;
    const rVdrHead = this.off(p);
    const zVdrHead = this.off(p + O);
    const adrHead = this.off(p + 2 * O);
    const eof = this.off(p + 3 * O);
    p += 4 * O;
    const nrVars = this.buf.readInt32BE(p);
    const numAttr = this.buf.readInt32BE(p + 4);
    const rNumDims = this.buf.readInt32BE(p + 12);
    const nzVars = this.buf.readInt32BE(p + 16);
    p += 20 + O + 12;
    if (rNumDims < 0) this.fail(gdr, null, `rNumDims ${rNumDims} < 0`, 'rNumDims');
    this.need(gdr, p - gdr.off + 4 * rNumDims);
    const rDims: number[] = [];
    for (let i = 0; i < rNumDims; i++) rDims.push(this.buf.readInt32BE(p + 4 * i));

    // every chain is followed at most as far as its count says, and never twice through one record
    const seen = new Set<number>();
    const visit = (at: number, what: string): void => {
      if (seen.has(at)) this.fail(this.header(at), null, `${what} chain comes back to this record (a cycle)`, `${what}next`);
      seen.add(at);
    };
    let off = rVdrHead;
    for (let i = 0; i < nrVars; i++) {
      if (off <= 0) this.fail(gdr, null, `rVDR chain ends after ${i} of ${nrVars} rVariables`, 'NrVars');
      visit(off, 'rVDR');
      const v = this.readVdr(off, 'r', rDims);
      off = v.next;
    }
    off = zVdrHead;
    for (let i = 0; i < nzVars; i++) {
      if (off <= 0) this.fail(gdr, null, `zVDR chain ends after ${i} of ${nzVars} zVariables`, 'NzVars');
      visit(off, 'zVDR');
      const v = this.readVdr(off, 'z', rDims);
      off = v.next;
    }
    off = adrHead;
    for (let i = 0; i < numAttr; i++) {
      if (off <= 0) this.fail(gdr, null, `ADR chain ends after ${i} of ${numAttr} attributes`, 'NumAttr');
      visit(off, 'ADR');
      off = this.readAdr(off, visit);
    }
    // check every data record a variable points to (a truncated file fails here, naming the record), and that
    // the records they hold agree with MaxRec
    for (const v of this.vars) this.plan(v);
    if (eof > this.buf.length) {
      this.fail(gdr, null, `end of file should be at byte ${eof} but the file has ${this.buf.length} bytes (truncated)`);
    }
  }

  private readVdr(offset: number, kind: 'r' | 'z', rDims: number[]): { next: number } {
    const O = this.O;
    const rec = this.record(offset, [kind === 'z' ? 8 : 3]);
    const b = this.buf;
    let p = rec.off + this.H;
    const fixed = O + 8 + 2 * O + 20 + 8 + O + 4 + (this.pre25 ? 128 : 0) + this.nameLen;
    this.need(rec, this.H + fixed);
    const next = this.off(p);
    p += O;
    const typeCode = b.readInt32BE(p);
    const maxRec = b.readInt32BE(p + 4);
    p += 8;
    const vxrHead = this.off(p);
    p += 2 * O;
    const flags = b.readInt32BE(p);
    const sRecords = b.readInt32BE(p + 4);
    p += 20;
    const numElems = b.readInt32BE(p);
    const num = b.readInt32BE(p + 4);
    p += 8;
    const cprOffset = this.off(p);
    p += O;
    const blockingFactor = b.readInt32BE(p);
    p += 4 + (this.pre25 ? 128 : 0);
    const name = decodeChars(b, p, this.nameLen);
    p += this.nameLen;
    const type = cdfTypeName(typeCode);
    if (!type) this.fail(rec, name, `unknown data type ${typeCode}`, 'DataType');
    if (numElems < 1) this.fail(rec, name, `NumElems ${numElems} < 1`, 'NumElems');
    if (!isCharType(typeCode) && numElems !== 1) {
      this.fail(rec, name, `NumElems ${numElems} on a ${type} variable (must be 1 for every type but CDF_CHAR/CDF_UCHAR)`, 'NumElems');
    }
    if (maxRec < -1) this.fail(rec, name, `MaxRec ${maxRec} < -1 (-1 means no record written)`, 'MaxRec');
    if (sRecords !== 0 && sRecords !== 1 && sRecords !== 2) {
      this.fail(rec, name, `sRecords ${sRecords} is none of 0 (not sparse), 1 (pad), 2 (previous)`, 'sRecords');
    }
    if (vxrHead < 0) this.fail(rec, name, `VXRhead ${vxrHead} is a negative offset`, 'VXRhead');
    if (maxRec >= 0 && vxrHead === 0) this.fail(rec, name, `MaxRec ${maxRec} but no VXR (VXRhead 0): the records are nowhere`, 'MaxRec');
    let declaredDims: number[];
    if (kind === 'z') {
      this.need(rec, p - rec.off + 4);
      const nd = b.readInt32BE(p);
      if (nd < 0) this.fail(rec, name, `zNumDims ${nd} < 0`, 'zNumDims');
      p += 4;
      this.need(rec, p - rec.off + 8 * nd);
      declaredDims = [];
      for (let i = 0; i < nd; i++) declaredDims.push(b.readInt32BE(p + 4 * i));
      p += 4 * nd;
    } else {
      declaredDims = rDims.slice();
      this.need(rec, p - rec.off + 4 * declaredDims.length);
    }
    const dimVarys = declaredDims.map((_, i) => b.readInt32BE(p + 4 * i) !== 0);
    p += 4 * declaredDims.length;
    const dims = declaredDims.filter((_, i) => dimVarys[i]);
    for (const d of declaredDims) if (!(d >= 1)) this.fail(rec, name, `dimension size ${d} < 1`, kind === 'z' ? 'zDimSizes' : 'rDimSizes');
    const size = cdfTypeSize(typeCode);
    let padBytes: Uint8Array | null = null;
    if (flags & 2) {
      const n = size * numElems;
      if (rec.size < p - rec.off + n) {
        this.fail(rec, name, `NumElems ${numElems}: the pad value needs ${n} bytes, the record has ${rec.size - (p - rec.off)} left`, 'NumElems');
      }
      padBytes = new Uint8Array(b.subarray(p, p + n));
    }
    const recBytes = size * numElems * dims.reduce((a, c) => a * c, 1);
    const recordVariance = (flags & 1) === 1;
    const nrec = maxRec < 0 ? 0 : recordVariance ? maxRec + 1 : 1;
    let compression: VarMeta['compression'] = null;
    let cType = 0;
    let cParams: number[] = [];
    if (flags & 4) {
      if (cprOffset <= 0) this.fail(rec, name, 'compressed variable without a CPR offset');
      const cpr = this.readCpr(cprOffset);
      cType = cpr.cType;
      cParams = cpr.params;
      compression = { type: COMPRESSION_NAMES[cType] ?? String(cType), level: cParams[0] ?? 0 };
    }
    const v: VarMeta = {
      name,
      kind,
      num,
      type,
      typeCode,
      numElems,
      dims,
      declaredDims,
      dimVarys,
      recordVariance,
      records: nrec,
      maxRec,
      compression,
      sparseRecords: sRecords === 1 ? 'pad' : sRecords === 2 ? 'previous' : 'none',
      blockingFactor,
      vdrOffset: rec.off,
      vdr: rec,
      vxrHead,
      cprOffset,
      padBytes,
      recBytes,
      cType,
      cParams,
    };
    if (this.byName.has(name)) this.fail(rec, name, `duplicate variable name '${name}'`);
    this.vars.push(v);
    this.byName.set(name, v);
    return { next };
  }

  private readCpr(offset: number): { cType: number; params: number[] } {
    const rec = this.record(offset, [11]);
    this.need(rec, this.H + 12);
    const p = rec.off + this.H;
    const cType = this.buf.readInt32BE(p);
    const pCount = this.buf.readInt32BE(p + 8);
    this.need(rec, this.H + 12 + 4 * pCount);
    const params: number[] = [];
    for (let i = 0; i < pCount; i++) params.push(this.buf.readInt32BE(p + 12 + 4 * i));
    if (!(cType in COMPRESSION_NAMES)) this.fail(rec, null, `unknown compression type ${cType}`);
    return { cType, params };
  }

  private readAdr(offset: number, visit: (at: number, what: string) => void): number {
    const O = this.O;
    const rec = this.record(offset, [4]);
    this.need(rec, this.H + 2 * O + 20 + O + 12 + this.nameLen);
    const b = this.buf;
    let p = rec.off + this.H;
    const next = this.off(p);
    const agrHead = this.off(p + O);
    p += 2 * O;
    const scope = b.readInt32BE(p);
    const num = b.readInt32BE(p + 4);
    const nGr = b.readInt32BE(p + 8);
    p += 20;
    const azHead = this.off(p);
    p += O;
    const nZ = b.readInt32BE(p);
    p += 12;
    const name = decodeChars(b, p, this.nameLen);
    const a: AttrMeta = { name, num, global: scope === 1 || scope === 3, gr: [], z: [] };
    let e = agrHead;
    for (let i = 0; i < nGr; i++) {
      if (e <= 0) this.fail(rec, null, `attribute '${name}': AgrEDR chain ends after ${i} of ${nGr} entries`, 'NgrEntries');
      visit(e, 'AgrEDR');
      e = this.readAedr(e, 5, a.gr, name);
    }
    e = azHead;
    for (let i = 0; i < nZ; i++) {
      if (e <= 0) this.fail(rec, null, `attribute '${name}': AzEDR chain ends after ${i} of ${nZ} entries`, 'NzEntries');
      visit(e, 'AzEDR');
      e = this.readAedr(e, 9, a.z, name);
    }
    a.gr.sort((x, y) => x.entry - y.entry);
    a.z.sort((x, y) => x.entry - y.entry);
    this.attrs.push(a);
    return next;
  }

  private readAedr(offset: number, type: number, into: CdfAttributeEntry[], attr: string): number {
    const O = this.O;
    const rec = this.record(offset, [type]);
    const b = this.buf;
    this.need(rec, this.H + O + 36);
    let p = rec.off + this.H;
    const next = this.off(p);
    p += O;
    const typeCode = b.readInt32BE(p + 4);
    const entry = b.readInt32BE(p + 8);
    const numElems = b.readInt32BE(p + 12);
    const numStrings = b.readInt32BE(p + 16);
    p += 36;
    const tn = cdfTypeName(typeCode);
    if (!tn) this.fail(rec, null, `attribute '${attr}' entry ${entry}: unknown data type ${typeCode}`, 'DataType');
    if (numElems < 0) this.fail(rec, null, `attribute '${attr}' entry ${entry}: NumElems ${numElems} < 0`, 'NumElems');
    const n = cdfTypeSize(typeCode) * numElems;
    this.need(rec, p - rec.off + n);
    let value: CdfAttributeValue;
    try {
      value = this.decodeValues(typeCode, b.subarray(p, p + n));
    } catch (err) {
      this.fail(rec, null, `attribute '${attr}' entry ${entry}: ${(err as Error).message}`);
    }
    if (typeof value === 'string' && numStrings > 1) value = value.split('\\N ');
    into.push({ entry, type: tn, value });
    return next;
  }

  // ---------- data ----------

  /** Flatten a variable's VXR tree into data segments, checking each VXR/VVR/CVVR header and entry. */
  private segments(v: VarMeta): Segment[] {
    const out: Segment[] = [];
    const seen = new Set<number>();
    const O = this.O;
    const walk = (head: number, depth: number): void => {
      let off = head;
      while (off > 0) {
        if (seen.has(off) || depth > 32) this.fail(this.header(off), v.name, 'VXR tree has a cycle', 'VXRnext');
        seen.add(off);
        const rec = this.record(off, [6], v.name);
        this.need(rec, this.H + O + 8, v.name);
        const p = rec.off + this.H;
        const next = this.off(p);
        const nEntries = this.buf.readInt32BE(p + O);
        const nUsed = this.buf.readInt32BE(p + O + 4);
        if (nEntries < 0) this.fail(rec, v.name, `Nentries ${nEntries} < 0`, 'Nentries');
        if (nUsed > nEntries || nUsed < 0) this.fail(rec, v.name, `${nUsed} used entries of ${nEntries}`, 'NusedEntries');
        this.need(rec, this.H + O + 8 + nEntries * (8 + O), v.name);
        const q = p + O + 8;
        for (let i = 0; i < nUsed; i++) {
          const first = this.buf.readInt32BE(q + 4 * i);
          const last = this.buf.readInt32BE(q + 4 * nEntries + 4 * i);
          const at = this.off(q + 8 * nEntries + O * i);
          if (first < 0) this.fail(rec, v.name, `entry ${i}: First ${first} < 0`, `First[${i}]`);
          if (last < first) this.fail(rec, v.name, `entry ${i} has last record ${last} < first ${first}`, `Last[${i}]`);
          const child = this.record(at, [6, 7, 13], v.name);
          if (child.type === 6) {
            walk(at, depth + 1);
            continue;
          }
          const n = last - first + 1;
          const need = n * v.recBytes;
          const says = `entry ${i}: First ${first}, Last ${last} (${n} records of ${v.recBytes} bytes, ${need} bytes)`;
          if (child.type === 7) {
            // a VVR holds exactly the records its entry names (the CDF library writes records allocated ahead of
            // MaxRec too, as pad values): a moved First or Last, or a damaged size, shows here
            const holds = child.size - this.H;
            if (holds !== need) {
              const recs = holds % v.recBytes === 0 ? ` (${holds / v.recBytes} records)` : '';
              this.fail(rec, v.name, `${says}, but the VVR at byte offset ${at} holds ${holds} bytes${recs}`, `First[${i}]/Last[${i}]`);
            }
          } else {
            this.need(child, this.H + 4 + O, v.name);
            const cSize = this.off(at + this.H + 4);
            if (cSize < 0 || cSize > child.size - this.H - 4 - O) {
              this.fail(child, v.name, `compressed size ${cSize} runs past the end of the record (${child.size} bytes)`, 'cSize');
            }
            const most = maxExpansion(v.cType, cSize);
            if (need > most) {
              this.fail(rec, v.name, `${says}, but the ${cSize} compressed bytes of the CVVR at byte offset ${at} decode to at most ${most}`, `First[${i}]/Last[${i}]`);
            }
          }
          out.push({ first, last, off: at, type: child.type, vxr: rec, entry: i });
        }
        off = next;
      }
    };
    walk(v.vxrHead, 0);
    out.sort((a, b) => a.first - b.first);
    return out;
  }

  /**
   * A variable's data segments checked against its VDR (once per variable): entries do not overlap, MaxRec lies
   * within the records the entries hold, every record of a non-sparse variable is in some entry, and a sparse
   * variable's unwritten records fit the pad budget. After this the decoded size is bounded by what the file holds.
   */
  private plan(v: VarMeta): Segment[] {
    const done = this.plans.get(v);
    if (done) return done;
    const segs = this.segments(v);
    for (let k = 1; k < segs.length; k++) {
      const a = segs[k - 1];
      const s = segs[k];
      if (s.first <= a.last) {
        this.fail(s.vxr, v.name, `entry ${s.entry}: records ${s.first}..${s.last} overlap records ${a.first}..${a.last} of another entry`, `First[${s.entry}]`);
      }
    }
    if (v.maxRec >= 0) {
      const maxLast = segs.length ? segs[segs.length - 1].last : -1;
      if (v.maxRec > maxLast) {
        const held = maxLast < 0 ? 'no record' : `records only up to ${maxLast}`;
        this.fail(v.vdr, v.name, `MaxRec ${v.maxRec} but the VXR entries hold ${held}: records ${maxLast + 1}..${v.maxRec} are in no VVR`, 'MaxRec');
      }
      let covered = 0;
      let gapBytes = 0;
      for (const s of segs) {
        if (s.first >= v.records) break;
        if (s.first > covered) {
          if (v.sparseRecords === 'none') {
            this.fail(s.vxr, v.name, `records ${covered}..${s.first - 1} are in no VXR entry (entry ${s.entry} starts at First ${s.first}) and the variable is not record-sparse`, `First[${s.entry}]`);
          }
          gapBytes += (s.first - covered) * v.recBytes;
          if (gapBytes > this.maxSparseFillBytes) {
            this.fail(s.vxr, v.name, `sparse records missing before entry ${s.entry} (First ${s.first}) would take ${gapBytes} bytes of pad values, more than maxSparseFillBytes ${this.maxSparseFillBytes}`, `First[${s.entry}]`);
          }
        }
        covered = s.last + 1;
      }
    }
    this.plans.set(v, segs);
    return segs;
  }

  /** The bytes of one segment's records: a view into a VVR, or a CVVR decompressed to exactly its size. */
  private segmentBytes(v: VarMeta, s: Segment): Uint8Array {
    const need = (s.last - s.first + 1) * v.recBytes;
    if (s.type === 7) return this.buf.subarray(s.off + this.H, s.off + this.H + need);
    const rec = this.header(s.off);
    const cSize = this.off(s.off + this.H + 4);
    const start = s.off + this.H + 4 + this.O;
    const entry = `entry ${s.entry}: First ${s.first}, Last ${s.last} (${need} bytes)`;
    let src: Uint8Array;
    try {
      src = cdfDecompress(v.cType, v.cParams, this.buf.subarray(start, start + cSize), need);
    } catch (e) {
      const msg = (e as Error).message;
      if (/expected/.test(msg)) this.fail(s.vxr, v.name, `${entry}, but the CVVR at byte offset ${s.off}: ${msg}`, `First[${s.entry}]/Last[${s.entry}]`);
      this.fail(rec, v.name, msg);
    }
    if (src.length !== need) {
      this.fail(s.vxr, v.name, `${entry}, but the CVVR at byte offset ${s.off} decompresses to ${src.length} bytes`, `First[${s.entry}]/Last[${s.entry}]`);
    }
    return src;
  }

  /** All records of a variable as bytes in host order of records, file byte order, row-major inside records. */
  private readBytes(v: VarMeta): Uint8Array {
    const segs = this.plan(v);
    const nrec = v.records;
    const rb = v.recBytes;
    if (segs.length === 0) return new Uint8Array(0); // plan(): no segment means MaxRec -1
    const pad = this.padRecord(v);
    // first pass: every segment's bytes, checked, before the output is allocated
    const parts: Uint8Array[] = [];
    for (const s of segs) {
      const src = this.segmentBytes(v, s);
      // records past MaxRec are ones the CDF library allocated ahead and filled with pad values (or zeros):
      // data there means MaxRec was lowered (or the entry moved), and the reader would drop records silently
      for (let r = Math.max(s.first, v.maxRec + 1); r <= s.last; r++) {
        const o = (r - s.first) * rb;
        if (!isPadOrZero(src, o, rb, pad)) {
          this.fail(v.vdr, v.name, `MaxRec ${v.maxRec} but record ${r} (VXR entry ${s.entry} at byte offset ${s.vxr.off}) holds data, not the pad values of records allocated ahead of MaxRec`, 'MaxRec');
        }
      }
      parts.push(src);
    }
    if (nrec * rb > MAX_ARRAY_BYTES) {
      this.fail(v.vdr, v.name, `MaxRec ${v.maxRec}: ${nrec} records of ${rb} bytes exceed the ${MAX_ARRAY_BYTES} bytes one array can hold`, 'MaxRec');
    }
    const out = new Uint8Array(nrec * rb);
    let filled = 0; // records [0, filled) are written
    const fillGap = (from: number, to: number): void => {
      // records [from, to) were never written (sparse variables only: plan() checked)
      for (let r = from; r < to; r++) {
        if (v.sparseRecords === 'previous' && r > 0) out.copyWithin(r * rb, (r - 1) * rb, r * rb);
        else out.set(pad, r * rb);
      }
    };
    segs.forEach((s, k) => {
      if (s.first >= nrec) return;
      const last = Math.min(s.last, nrec - 1);
      if (s.first > filled) fillGap(filled, s.first);
      out.set(parts[k].subarray(0, (last - s.first + 1) * rb), s.first * rb);
      filled = last + 1;
    });
    if (filled < nrec) fillGap(filled, nrec);
    if (!this.rowMajor && v.dims.length >= 2) {
      transposeRecords(out, nrec, v.dims, cdfTypeSize(v.typeCode) * v.numElems);
    }
    return out;
  }

  /** One record of pad values in file byte order. */
  private padRecord(v: VarMeta): Uint8Array {
    const size = cdfTypeSize(v.typeCode);
    const elem = new Uint8Array(size * v.numElems);
    if (v.padBytes) elem.set(v.padBytes);
    else {
      const dv = new DataView(elem.buffer);
      const le = this.little;
      switch (v.typeCode) {
        case 1: case 41: dv.setInt8(0, -127); break;
        case 2: dv.setInt16(0, -32767, le); break;
        case 4: dv.setInt32(0, -2147483647, le); break;
        case 8: case 33: dv.setBigInt64(0, -9223372036854775807n, le); break;
        case 11: dv.setUint8(0, 254); break;
        case 12: dv.setUint16(0, 65534, le); break;
        case 14: dv.setUint32(0, 4294967294, le); break;
        case 21: case 44: dv.setFloat32(0, -1e30, le); break;
        case 22: case 45: dv.setFloat64(0, -1e30, le); break;
        case 31: dv.setFloat64(0, 0, le); break;
        case 32: break;
        case 51: case 52: elem.fill(0x20); break;
      }
    }
    const n = v.dims.reduce((a, c) => a * c, 1);
    const out = new Uint8Array(elem.length * n);
    for (let i = 0; i < n; i++) out.set(elem, i * elem.length);
    return out;
  }

  private typed(code: number, bytes: Uint8Array): CdfTypedArray {
    const size = cdfTypeSize(code);
    const isFloat = code === 21 || code === 22 || code === 44 || code === 45 || code === 31 || code === 32;
    if (isFloat && this.vaxFloat) {
      throw new CdfError(this.name, null, null, `VAX floating-point encoding (${this.info.encoding}) is not supported`);
    }
    if (this.little !== HOST_LITTLE && size > 1) {
      const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (size === 2) b.swap16();
      else if (size === 4) b.swap32();
      else b.swap64();
    }
    const ab = bytes.buffer as ArrayBuffer;
    const o = bytes.byteOffset;
    const n = bytes.byteLength;
    switch (code) {
      case 1: case 41: return new Int8Array(ab, o, n);
      case 2: return new Int16Array(ab, o, n / 2);
      case 4: return new Int32Array(ab, o, n / 4);
      case 8: case 33: return new BigInt64Array(ab, o, n / 8);
      case 11: return new Uint8Array(ab, o, n);
      case 12: return new Uint16Array(ab, o, n / 2);
      case 14: return new Uint32Array(ab, o, n / 4);
      case 21: case 44: return new Float32Array(ab, o, n / 4);
      default: return new Float64Array(ab, o, n / 8);
    }
  }

  private decodeValues(code: number, bytes: Uint8Array): CdfAttributeValue {
    if (isCharType(code)) return decodeChars(bytes, 0, bytes.length);
    const copy = new Uint8Array(bytes); // aligned copy
    const t = this.typed(code, copy);
    if (t instanceof BigInt64Array) return Array.from(t);
    return Array.from(t as ArrayLike<number>);
  }

  // ---------- low level ----------

  private inflateWholeFile(): { data: Buffer; cType: number } {
    const ccr = this.record(8, [10]);
    this.need(ccr, this.H + 2 * this.O + 4);
    const cprOff = this.off(ccr.off + this.H);
    const uSize = this.off(ccr.off + this.H + this.O);
    const cpr = this.readCpr(cprOff);
    const start = ccr.off + this.H + 2 * this.O + 4;
    const cBytes = ccr.off + ccr.size - start;
    if (uSize < 0) this.fail(ccr, null, `uSize ${uSize} < 0`, 'uSize');
    if (uSize + 8 > MAX_ARRAY_BYTES) this.fail(ccr, null, `uSize ${uSize} exceeds the ${MAX_ARRAY_BYTES} bytes one array can hold`, 'uSize');
    if (uSize > maxExpansion(cpr.cType, cBytes)) {
      this.fail(ccr, null, `uSize ${uSize}, but ${cBytes} compressed bytes decode to at most ${maxExpansion(cpr.cType, cBytes)}`, 'uSize');
    }
    let data: Uint8Array;
    try {
      data = cdfDecompress(cpr.cType, cpr.params, this.buf.subarray(start, ccr.off + ccr.size), uSize);
    } catch (e) {
      this.fail(ccr, null, `${(e as Error).message} (uSize ${uSize})`, /expected/.test((e as Error).message) ? 'uSize' : null);
    }
    if (data.length !== uSize) {
      this.fail(ccr, null, `decompresses to ${data.length} bytes, the record says ${uSize}`, 'uSize');
    }
    const out = Buffer.alloc(8 + data.length);
    out.writeUInt32BE(this.buf.readUInt32BE(0), 0);
    out.writeUInt32BE(MAGIC_UNCOMPRESSED, 4);
    out.set(data, 8);
    return { data: out, cType: cpr.cType };
  }

  /** Read an offset field (8-byte in CDF 3, 4-byte in CDF 2), big-endian signed. */
  private off(p: number): number {
    if (this.O === 4) return this.buf.readInt32BE(p);
    const hi = this.buf.readInt32BE(p);
    const lo = this.buf.readUInt32BE(p + 4);
    return hi * 4294967296 + lo;
  }

  private header(offset: number): Rec {
    const b = this.buf;
    if (!(offset >= 0) || offset + this.H > b.length) {
      throw new CdfError(
        this.name,
        'internal',
        offset,
        `record header lies beyond the end of the file (${b.length} bytes; file truncated or offset corrupt)`,
      );
    }
    const size = this.off(offset);
    const type = b.readInt32BE(offset + this.O);
    return { off: offset, size, type };
  }

  /** Read and check a record header: expected type, size within the file. */
  private record(offset: number, types: number[], variable?: string): Rec {
    const what = types.map(recordTypeName).join(' or ');
    const ctx = variable !== undefined ? `variable '${variable}': ` : '';
    if (!(offset >= 0) || offset + this.H > this.buf.length) {
      throw new CdfError(
        this.name,
        what,
        offset,
        `${ctx}record header lies beyond the end of the file (${this.buf.length} bytes; truncated, or a corrupt offset)`,
      );
    }
    const rec = this.header(offset);
    if (!types.includes(rec.type)) {
      throw new CdfError(this.name, what, offset, `${ctx}found record type ${rec.type} (${recordTypeName(rec.type)}) instead`);
    }
    if (rec.size < this.H) {
      throw new CdfError(this.name, recordTypeName(rec.type), offset, `${ctx}record size ${rec.size} is too small`);
    }
    if (offset + rec.size > this.buf.length) {
      throw new CdfError(
        this.name,
        recordTypeName(rec.type),
        offset,
        `${ctx}record of ${rec.size} bytes runs to byte ${offset + rec.size} but the file ends at ${this.buf.length} (truncated)`,
      );
    }
    return rec;
  }

  private need(rec: Rec, bytes: number, variable?: string): void {
    if (rec.size < bytes) {
      const ctx = variable !== undefined ? `variable '${variable}': ` : '';
      throw new CdfError(this.name, recordTypeName(rec.type), rec.off, `${ctx}record of ${rec.size} bytes is shorter than its fields (${bytes} bytes)`);
    }
  }

  private fail(rec: Rec | null, variable: string | null, detail: string, field: string | null = null): never {
    const ctx = variable !== null ? `variable '${variable}': ` : '';
    if (rec === null) throw new CdfError(this.name, null, null, ctx + detail, field);
    throw new CdfError(this.name, recordTypeName(rec.type), rec.off, ctx + detail, field);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Characters to a string: bytes up to the first NUL (CDF pads with NULs); UTF-8 (CDF 3.8+) else Latin-1. */
function decodeChars(b: Uint8Array, start: number, len: number): string {
  let end = start;
  let ascii = true;
  const stop = start + len;
  while (end < stop && b[end] !== 0) {
    if (b[end] >= 0x80) ascii = false;
    end++;
  }
  const bytes = Buffer.from(b.buffer, b.byteOffset + start, end - start);
  if (!ascii) {
    try {
      return UTF8.decode(bytes);
    } catch {
      // not UTF-8: older files use Latin-1
    }
  }
  return bytes.toString('latin1');
}

/** True when bytes [o, o+n) of src are one pad record or all zero. */
function isPadOrZero(src: Uint8Array, o: number, n: number, pad: Uint8Array): boolean {
  let isPad = true;
  let isZero = true;
  for (let k = 0; k < n && (isPad || isZero); k++) {
    const b = src[o + k];
    if (b !== pad[k]) isPad = false;
    if (b !== 0) isZero = false;
  }
  return isPad || isZero;
}

/** Column-major records (first index fastest) to row-major (last index fastest), in place, elem bytes each. */
function transposeRecords(data: Uint8Array, nrec: number, dims: number[], elem: number): void {
  const n = dims.reduce((a, c) => a * c, 1);
  // perm[r] = column-major index of the element at row-major index r
  const perm = new Int32Array(n);
  const idx = new Array<number>(dims.length).fill(0);
  for (let r = 0; r < n; r++) {
    let c = 0;
    for (let k = dims.length - 1; k >= 0; k--) c = c * dims[k] + idx[k];
    perm[r] = c;
    for (let k = dims.length - 1; k >= 0; k--) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
  }
  const rb = n * elem;
  const tmp = new Uint8Array(rb);
  for (let rec = 0; rec < nrec; rec++) {
    const base = rec * rb;
    tmp.set(data.subarray(base, base + rb));
    for (let r = 0; r < n; r++) {
      const s = perm[r] * elem;
      const d = base + r * elem;
      for (let k = 0; k < elem; k++) data[d + k] = tmp[s + k];
    }
  }
}
