// Where the fields of a CDF file's internal records lie (zVDR/rVDR DataType, MaxRec, VXRhead, NumElems, sRecords; VXR
// First/Last/Nentries; CCR uSize), found through the reader's own metadata walk: the field-level corruptions of
// test/cdf-corrupt.test.ts and the CDF fuzz test (test/fuzz-cdf.test.ts) write through these (not a test file).
import { openCdf } from '../lib/swarm/cdf';

export interface CdfField {
  /** e.g. "Timestamp zVDR MaxRec", "EEJ VXR First[0]". */
  label: string;
  variable: string | null;
  record: 'zVDR' | 'rVDR' | 'VXR' | 'CCR';
  /** Byte offset of the record, and of the field in the file. */
  recordOffset: number;
  at: number;
  /** 4: int32; 8: CDF 3 offset (int64); CDF 2 offsets are 4. */
  size: 4 | 8;
  /** Field name as the CdfError names it. */
  field: string;
  value: number;
}

interface Internals {
  O: number;
  H: number;
  buf: Buffer;
  vars: { name: string; kind: 'r' | 'z'; vdrOffset: number }[];
}

/**
 * The fields of every variable's VDR and of the VXRs that index it (files without whole-file compression). The
 * reader gives only the VDR offsets; the VXR tree is walked here from the bytes (CDF Internal Format
 * Description: VXR = RecordSize, RecordType 6, VXRnext, Nentries, NusedEntries, First[], Last[], Offset[]).
 */
export function cdfFields(bytes: Uint8Array, name = 'fields.cdf'): CdfField[] {
  const f = openCdf(bytes, { name }) as unknown as Internals & { info: { compression: string | null } };
  if (f.info.compression) throw new Error(`${name}: whole-file compressed: field offsets do not map to the file`);
  const { O, H, buf } = f;
  const read = (at: number, size: 4 | 8) => (size === 4 ? buf.readInt32BE(at) : Number(buf.readBigInt64BE(at)));
  const out: CdfField[] = [];
  const add = (variable: string | null, record: CdfField['record'], recordOffset: number, field: string, at: number, size: 4 | 8) =>
    out.push({ label: `${variable ?? ''} ${record} ${field}`.trim(), variable, record, recordOffset, at, size, field, value: read(at, size) });
  for (const v of f.vars) {
    const r = v.kind === 'z' ? 'zVDR' : 'rVDR';
    const p = v.vdrOffset + H + O; // after RecordSize, RecordType, VDRnext
    add(v.name, r, v.vdrOffset, 'DataType', p, 4);
    add(v.name, r, v.vdrOffset, 'MaxRec', p + 4, 4);
    add(v.name, r, v.vdrOffset, 'VXRhead', p + 8, O as 4 | 8);
    add(v.name, r, v.vdrOffset, 'sRecords', p + 8 + 2 * O + 4, 4);
    add(v.name, r, v.vdrOffset, 'NumElems', p + 8 + 2 * O + 20, 4);
    const walk = (head: number, depth: number): void => {
      for (let vxr = head; vxr > 0 && depth < 8; vxr = read(vxr + H, O as 4 | 8)) {
        const q = vxr + H + O;
        const nEntries = buf.readInt32BE(q);
        const nUsed = buf.readInt32BE(q + 4);
        add(v.name, 'VXR', vxr, 'Nentries', q, 4);
        for (let i = 0; i < nUsed; i++) {
          add(v.name, 'VXR', vxr, `First[${i}]`, q + 8 + 4 * i, 4);
          add(v.name, 'VXR', vxr, `Last[${i}]`, q + 8 + 4 * nEntries + 4 * i, 4);
          const child = read(q + 8 + 8 * nEntries + O * i, O as 4 | 8);
          if (buf.readInt32BE(child + O) === 6) walk(child, depth + 1);
        }
      }
    };
    walk(read(p + 8, O as 4 | 8), 0);
  }
  return out;
}

/** The CCR's uSize field of a whole-file compressed CDF (CDF 3 layout when the magic says so). */
export function ccrUSizeField(bytes: Uint8Array): CdfField {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v3 = b.readUInt32BE(0) === 0xcdf30001;
  const O = v3 ? 8 : 4;
  const at = 8 + (O + 4) + O;
  const value = O === 8 ? Number(b.readBigInt64BE(at)) : b.readInt32BE(at);
  return { label: 'CCR uSize', variable: null, record: 'CCR', recordOffset: 8, at, size: O as 4 | 8, field: 'uSize', value };
}

/** A copy of bytes with one field set to value. */
export function withField(bytes: Uint8Array, f: CdfField, value: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const b = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (f.size === 4) b.writeInt32BE(value | 0, f.at);
  else b.writeBigInt64BE(BigInt(Math.trunc(value)), f.at);
  return out;
}
