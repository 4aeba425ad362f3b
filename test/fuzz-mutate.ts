// Seeded mutations of input files for the fuzz tests of the readers of untrusted input (issue 16; paper section
// 2.3 data path): byte-level (truncate, bit flips, random and boundary integers, garbage appended, chunks cut or
// repeated), field-level for CDF (MaxRec, VXR links, NumElems, First/Last, CCR uSize) and ZIP (sizes, offsets,
// counts), and text-level for CSV/fixed-width files (lines cut, repeated, swapped; fields replaced with awkward
// tokens). Every mutant is a function of (seed stream, index) through lib/core/random.ts. Not a test file.
import { Rng } from '../lib/core/random';
import { CdfField } from './cdf-fields';

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, e.g. "flip 3 bits", "Timestamp zVDR MaxRec = 2147483646". */
  what: string;
}

/** 32-bit values that break size arithmetic: zero, signs, powers of two, near 2^31 and 2^32. */
const INTERESTING_32 = [0, 1, -1, -2, 0x7fffffff, 0x7ffffffe, -0x80000000, 0x40000000, 0x400000, 0x100000, 1000000, 0xffff, 0x10000, 255, 256];

function pick<T>(rng: Rng, a: readonly T[]): T {
  return a[rng.int(a.length)];
}

/** A byte-level mutant of src. */
export function mutateBytes(src: Uint8Array, rng: Rng): Mutant {
  const n = src.length;
  const out = () => new Uint8Array(src);
  switch (rng.int(8)) {
    case 0: {
      const cut = rng.int(n);
      return { bytes: src.slice(0, cut), what: `truncate at ${cut} of ${n}` };
    }
    case 1: {
      const b = out();
      const k = 1 + rng.int(8);
      for (let i = 0; i < k; i++) b[rng.int(n)] ^= 1 << rng.int(8);
      return { bytes: b, what: `flip ${k} bits` };
    }
    case 2: {
      const b = out();
      const k = 1 + rng.int(16);
      const at = rng.int(Math.max(1, n - k));
      for (let i = 0; i < k && at + i < n; i++) b[at + i] = rng.int(256);
      return { bytes: b, what: `overwrite ${k} random bytes at ${at}` };
    }
    case 3: {
      const b = out();
      const at = rng.int(Math.max(1, n - 4)) & ~3;
      const v = pick(rng, INTERESTING_32);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const le = rng.bernoulli(0.5);
      if (at + 4 <= n) dv.setInt32(at, v | 0, le);
      return { bytes: b, what: `int32 ${v} (${le ? 'LE' : 'BE'}) at ${at}` };
    }
    case 4: {
      const k = 1 + rng.int(1000);
      const b = new Uint8Array(n + k);
      b.set(src);
      for (let i = n; i < n + k; i++) b[i] = rng.int(256);
      return { bytes: b, what: `append ${k} garbage bytes` };
    }
    case 5: {
      const at = rng.int(n);
      const k = 1 + rng.int(Math.min(4096, n - at));
      const b = new Uint8Array(n - k);
      b.set(src.subarray(0, at));
      b.set(src.subarray(at + k), at);
      return { bytes: b, what: `delete ${k} bytes at ${at}` };
    }
    case 6: {
      const at = rng.int(n);
      const k = 1 + rng.int(Math.min(4096, n - at));
      const b = new Uint8Array(n + k);
      b.set(src.subarray(0, at + k));
      b.set(src.subarray(at), at + k);
      return { bytes: b, what: `repeat ${k} bytes at ${at}` };
    }
    default: {
      // several mutations at once
      let m: Mutant = { bytes: src, what: '' };
      const parts: string[] = [];
      for (let i = 0; i < 3; i++) {
        m = mutateBytes(m.bytes.length > 0 ? m.bytes : src, rng.fork('stack', i));
        parts.push(m.what);
      }
      return { bytes: m.bytes, what: parts.join(' + ') };
    }
  }
}

/** Values a field is set to: near its own value, boundaries, and the sizes named in issue 16. */
function fieldValue(rng: Rng, v: number): number {
  const near = [v + 1, v - 1, v * 2, Math.floor(v / 2), -v, v + 1000];
  const all = [...near, ...INTERESTING_32, 1048576, 2 ** 31 - 2, rng.int(2 ** 31)];
  return pick(rng, all);
}

/** Set one CDF field (from test/cdf-fields.ts) to a hostile value. */
export function mutateCdfField(src: Uint8Array, fields: CdfField[], rng: Rng): Mutant {
  const f = pick(rng, fields);
  const v = fieldValue(rng, f.value);
  const b = new Uint8Array(src);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f.size === 4) dv.setInt32(f.at, v | 0, false);
  else dv.setBigInt64(f.at, BigInt(Math.trunc(v)), false);
  return { bytes: b, what: `${f.label} ${f.value} -> ${f.size === 4 ? v | 0 : Math.trunc(v)}` };
}

/** Set one ZIP size, offset or count field (end record, central directory, local headers) to a hostile value. */
export function mutateZipField(src: Uint8Array, rng: Rng): Mutant {
  const b = new Uint8Array(src);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields: { at: number; size: 2 | 4; label: string }[] = [];
  for (let p = 0; p + 4 <= b.length; p++) {
    const sig = dv.getUint32(p, true);
    if (sig === 0x06054b50 && p + 22 <= b.length) {
      fields.push({ at: p + 10, size: 2, label: 'EOCD entries' }, { at: p + 12, size: 4, label: 'EOCD cd size' }, { at: p + 16, size: 4, label: 'EOCD cd offset' }, { at: p + 20, size: 2, label: 'EOCD comment length' });
    } else if (sig === 0x02014b50 && p + 46 <= b.length) {
      fields.push(
        { at: p + 10, size: 2, label: 'CD method' }, { at: p + 16, size: 4, label: 'CD crc' }, { at: p + 20, size: 4, label: 'CD compressed size' },
        { at: p + 24, size: 4, label: 'CD size' }, { at: p + 28, size: 2, label: 'CD name length' }, { at: p + 30, size: 2, label: 'CD extra length' },
        { at: p + 42, size: 4, label: 'CD local offset' },
      );
    } else if (sig === 0x04034b50 && p + 30 <= b.length) {
      fields.push({ at: p + 26, size: 2, label: 'local name length' }, { at: p + 28, size: 2, label: 'local extra length' });
    } else if (sig === 0x06064b50 && p + 56 <= b.length) {
      fields.push({ at: p + 32, size: 4, label: 'ZIP64 entries' }, { at: p + 40, size: 4, label: 'ZIP64 cd size' }, { at: p + 48, size: 4, label: 'ZIP64 cd offset' });
    }
  }
  if (fields.length === 0) return mutateBytes(src, rng);
  const f = pick(rng, fields);
  const old = f.size === 2 ? dv.getUint16(f.at, true) : dv.getUint32(f.at, true);
  const v = fieldValue(rng, old);
  if (f.size === 2) dv.setUint16(f.at, v & 0xffff, true);
  else dv.setUint32(f.at, v >>> 0, true);
  return { bytes: b, what: `${f.label} at ${f.at}: ${old} -> ${f.size === 2 ? v & 0xffff : v >>> 0}` };
}

const TOKENS = ['', ' ', 'nan', 'NaN', '-', '+', '1e309', '-1e309', '1e-400', '99999999999999999999999', '-0', '0x1F', 'abc', '"', '""', '"a,b"',
  '2016-13-45T99:99:99Z', '2016-02-30T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '{1;2}', '{1;2;3;4}', '{;;}', '\u0000', '\uFFFD', '1,2', '9999', '-1', '27', '1.5'];

/** A text-level mutant: whole lines or single fields (comma- or space-separated) changed. */
export function mutateText(src: Uint8Array, rng: Rng): Mutant {
  const text = Buffer.from(src).toString('utf8');
  const lines = text.split('\n');
  const li = rng.int(lines.length);
  const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  switch (rng.int(9)) {
    case 0:
      lines.splice(li, 1);
      return { bytes: enc(lines.join('\n')), what: `delete line ${li + 1}` };
    case 1:
      lines.splice(li, 0, lines[li]);
      return { bytes: enc(lines.join('\n')), what: `repeat line ${li + 1}` };
    case 2: {
      const lj = rng.int(lines.length);
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return { bytes: enc(lines.join('\n')), what: `swap lines ${li + 1} and ${lj + 1}` };
    }
    case 3:
    case 4:
    case 5: {
      const sep = lines[li].includes(',') ? ',' : ' ';
      const fields = lines[li].split(sep);
      const fi = rng.int(fields.length);
      const tok = pick(rng, TOKENS);
      const old = fields[fi];
      fields[fi] = sep === ' ' && tok.length < old.length ? tok.padStart(old.length) : tok;
      lines[li] = fields.join(sep);
      return { bytes: enc(lines.join('\n')), what: `line ${li + 1} field ${fi + 1} '${old}' -> ${JSON.stringify(tok)}` };
    }
    case 6: {
      const at = rng.int(Math.max(1, lines[li].length));
      lines[li] = lines[li].slice(0, at);
      return { bytes: enc(lines.join('\n')), what: `cut line ${li + 1} at ${at}` };
    }
    case 7: {
      const variants = [() => '\uFEFF' + lines.join('\n'), () => lines.join('\r\n'), () => lines.join('\r'), () => lines.join('\n\n'), () => lines.slice(0, li).join('') + lines.slice(li).join('\n')];
      const k = rng.int(variants.length);
      return { bytes: enc(variants[k]()), what: ['BOM', 'CRLF', 'CR only', 'blank lines', `lines 1..${li} joined`][k] };
    }
    default:
      return mutateBytes(src, rng);
  }
}
