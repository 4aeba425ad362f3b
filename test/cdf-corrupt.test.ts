// Tests for the CDF reader's structure checks (lib/swarm/cdf/reader.ts, issue 16): single fields of real files
// set to what a damaged or hostile file would hold (MaxRec raised, lowered, negative, near 2^31; VXRhead
// negative; a VXR entry's First/Last moved; records of a non-sparse variable in no VXR entry; NumElems huge;
// a CCR uSize past what its data can decode to; a cycle in a record chain) are refused with a CdfError that
// names the file, the record type, its byte offset and the field; none is padded, shifted or allocated.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { CdfError, openCdf } from '../lib/swarm/cdf';
import { buildCdf } from '../lib/swarm/cdf/writer';
import { readEsaMag } from '../lib/swarm/esa-cdf';
import { tempDirs } from './helpers';
import { CdfField, ccrUSizeField, cdfFields, withField } from './cdf-fields';

const FIX = path.join(__dirname, 'fixtures');
const { tempDir, cleanup } = tempDirs();
const tmp = tempDir('cdf-corrupt-');
test.after(cleanup);
const EEF = fs.readFileSync(path.join(FIX, 'swarm', 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf'));
const MAG = fs.readFileSync(path.join(FIX, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.cdf'));
const A_CDF = fs.readFileSync(path.join(FIX, 'cdf', 'cdfpp', 'a_cdf.cdf'));
const DE2 = fs.readFileSync(path.join(FIX, 'cdf', 'cdflib', 'de2_ion2s_rpa_19830213_v01.cdf'));
const GZ = fs.readFileSync(path.join(FIX, 'cdf', 'cdfpp', 'a_compressed_cdf.cdf'));
const RLE = fs.readFileSync(path.join(FIX, 'cdf', 'cdfpp', 'a_rle_compressed_cdf.cdf'));

/** Open and read every variable; the CdfError it must throw (memory use checked against the file's size). */
function refuse(bytes: Uint8Array, file: string): CdfError {
  const before = process.memoryUsage().arrayBuffers;
  try {
    const f = openCdf(bytes, { name: file });
    for (const v of f.variables()) f.read(v.name);
  } catch (e) {
    if (!(e instanceof CdfError)) throw new Error(`${file}: expected a CdfError, got ${(e as Error).stack}`);
    assert.ok(e.message.startsWith(`${file}: `), `names the file: ${e.message}`);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 64 * bytes.length + (1 << 20), `${file}: ${grown} bytes of buffers for a ${bytes.length}-byte file`);
    return e;
  }
  assert.unreachable(`${file}: no error`);
  throw new Error('unreachable');
}

/** The error must name this record (type and offset) and field. */
function refuseField(bytes: Uint8Array, file: string, record: string, offset: number, field: string | RegExp, detail?: RegExp): CdfError {
  const e = refuse(bytes, file);
  assert.is(e.recordType, record, `${file}: record type in ${e.message}`);
  assert.is(e.offset, offset, `${file}: offset in ${e.message}`);
  if (typeof field === 'string') assert.is(e.field, field, `${file}: field in ${e.message}`);
  else assert.match(e.field ?? '', field, `${file}: field in ${e.message}`);
  assert.ok(e.message.includes(`${record} record at byte offset ${offset}: `), e.message);
  if (detail) assert.match(e.message, detail);
  return e;
}

function field(fields: CdfField[], variable: string, name: string): CdfField {
  const f = fields.find((x) => x.variable === variable && x.field === name);
  if (!f) throw new Error(`no field ${variable} ${name}`);
  return f;
}

const eef = cdfFields(EEF);
const mag = cdfFields(MAG);

test('the field map finds the documented values (EEF: 15 records of each variable, one VXR entry 0..14)', () => {
  for (const v of ['Timestamp', 'EEF', 'EEJ', 'Flags']) {
    assert.is(field(eef, v, 'MaxRec').value, 14);
    assert.is(field(eef, v, 'First[0]').value, 0);
    assert.is(field(eef, v, 'Last[0]').value, 14);
    assert.is(field(eef, v, 'NumElems').value, 1);
  }
  assert.is(field(mag, 'Timestamp', 'MaxRec').value, 191);
  assert.is(field(mag, 'Timestamp', 'Last[0]').value, 1023); // allocated ahead by the CDF library, pad values
});

test('MaxRec raised (+1, doubled, 1,048,576, 0x400000, 2^31-2) is refused for stored and GZIP-compressed variables', () => {
  for (const v of ['Timestamp', 'EEF', 'EEJ', 'Flags']) {
    const f = field(eef, v, 'MaxRec');
    for (const m of [15, 28, 1048576, 0x400000, 2 ** 31 - 2]) {
      refuseField(withField(EEF, f, m), `eef-${v}-maxrec-${m}.cdf`, 'zVDR', f.recordOffset, 'MaxRec',
        new RegExp(`variable '${v}': MaxRec ${m} but the VXR entries hold records only up to 14: records 15\\.\\.${m} are in no VVR`));
    }
  }
  // past the records the CDF library allocated ahead (CDF 2.7 file, 1,024 records allocated, 192 written)
  const t = field(mag, 'B_NEC', 'MaxRec');
  refuseField(withField(MAG, t, 342), 'mag-maxrec.cdf', 'zVDR', t.recordOffset, 'MaxRec');
  refuseField(withField(MAG, t, 2 ** 31 - 1), 'mag-maxrec-max.cdf', 'zVDR', t.recordOffset, 'MaxRec');
});

test('MaxRec lowered is refused where the dropped records hold data (not the pad values of allocated records)', () => {
  for (const [bytes, fields, v, n] of [[EEF, eef, 'Timestamp', 14], [EEF, eef, 'EEJ', 14], [MAG, mag, 'B_NEC', 191], [MAG, mag, 'Spacecraft', 191]] as const) {
    const f = field(fields, v, 'MaxRec');
    for (const m of [n - 1, 0, -1]) {
      refuseField(withField(bytes, f, m), `lowered-${v}-${m}.cdf`, 'zVDR', f.recordOffset, 'MaxRec', new RegExp(`MaxRec ${m} but record ${m + 1} .* holds data`));
    }
  }
});

test('sRecords other than 0, 1, 2 is refused (it would decide how missing records are filled)', () => {
  const f = field(eef, 'EEF', 'sRecords');
  assert.is(f.value, 0);
  for (const x of [3, -1, 1048576]) refuseField(withField(EEF, f, x), `srecords-${x}.cdf`, 'zVDR', f.recordOffset, 'sRecords', new RegExp(`sRecords ${x} is none of 0`));
});

test('MaxRec below -1 and a negative VXRhead are refused', () => {
  const f = field(eef, 'EEF', 'MaxRec');
  refuseField(withField(EEF, f, -2), 'maxrec-2.cdf', 'zVDR', f.recordOffset, 'MaxRec', /MaxRec -2 < -1/);
  refuseField(withField(EEF, f, -(2 ** 31)), 'maxrec-min.cdf', 'zVDR', f.recordOffset, 'MaxRec');
  for (const [bytes, fields, v] of [[EEF, eef, 'EEF'], [EEF, eef, 'EEJ'], [MAG, mag, 'Latitude']] as const) {
    const h = field(fields, v, 'VXRhead');
    for (const x of [-1, -h.value, -(2 ** 31)]) {
      refuseField(withField(bytes, h, x), `vxrhead-${v}-${x}.cdf`, 'zVDR', h.recordOffset, 'VXRhead', /VXRhead -\d+ is a negative offset/);
    }
    // VXRhead 0 with records written: the records are nowhere
    refuseField(withField(bytes, h, 0), `vxrhead-0-${v}.cdf`, 'zVDR', h.recordOffset, 'MaxRec', /no VXR \(VXRhead 0\)/);
  }
});

test("a VXR entry's First or Last moved is refused (VVR and CVVR), naming the VXR and the entry", () => {
  for (const v of ['Timestamp', 'EEF', 'EEJ']) {
    const first = field(eef, v, 'First[0]');
    const last = field(eef, v, 'Last[0]');
    for (const [f, x] of [[first, 1], [first, 5], [first, 14], [last, 13], [last, 15], [last, 2 ** 31 - 1], [last, 0]] as const) {
      const file = `move-${v}-${f.field}-${x}.cdf`;
      if (v !== 'EEJ') {
        // stored (VVR): the VVR holds exactly the records its entry names
        refuseField(withField(EEF, f, x), file, 'VXR', f.recordOffset, 'First[0]/Last[0]', /entry 0: First \d+, Last \d+ \(\d+ records of 8 bytes/);
        continue;
      }
      // GZIP (CVVR): First moved leaves records uncovered, Last lowered leaves MaxRec uncovered, Last raised
      // decompresses short; each is named
      const e = refuse(withField(EEF, f, x), file);
      if (e.recordType === 'VXR') {
        assert.is(e.offset, f.recordOffset, e.message);
        assert.match(e.field!, /^(First\[0\]|First\[0\]\/Last\[0\])$/, e.message);
      } else {
        assert.is(e.recordType, 'zVDR', e.message);
        assert.is(e.field, 'MaxRec', e.message);
        assert.is(e.offset, field(eef, v, 'MaxRec').recordOffset, e.message);
      }
    }
    refuseField(withField(EEF, first, -3), `first-neg-${v}.cdf`, 'VXR', first.recordOffset, 'First[0]', /First -3 < 0/);
    refuseField(withField(EEF, first, 20), `first-past-last-${v}.cdf`, 'VXR', first.recordOffset, 'Last[0]', /last record 14 < first 20/);
  }
  // CDF 2.7 file with records allocated ahead of MaxRec
  const first = field(mag, 'Radius', 'First[0]');
  refuseField(withField(MAG, first, 1), 'mag-first.cdf', 'VXR', first.recordOffset, 'First[0]/Last[0]', /First 1, Last 1023 \(1023 records of 8 bytes, 8184 bytes\), but the VVR at byte offset \d+ holds 8192 bytes \(1024 records\)/);
});

test('records of a non-sparse variable in no VXR entry are refused, never padded', () => {
  // First and Last both moved by 3: the VVR size agrees, records 0..2 are nowhere
  for (const v of ['Timestamp', 'EEJ']) {
    const bytes = withField(withField(EEF, field(eef, v, 'First[0]'), 3), field(eef, v, 'Last[0]'), 17);
    const f = field(eef, v, 'First[0]');
    refuseField(bytes, `gap-${v}.cdf`, 'VXR', f.recordOffset, 'First[0]', /records 0\.\.2 are in no VXR entry \(entry 0 starts at First 3\) and the variable is not record-sparse/);
  }
  // a sparse variable's gap reads as pad values (as before), within the pad budget, refused past it
  const sparse = buildCdf({ variables: [{ name: 'S', type: 'CDF_DOUBLE', records: 1001, recordNumbers: [0, 1000], sparse: 'pad', padValue: -1, values: [5, 6] }] });
  const col = openCdf(sparse, { name: 'sparse.cdf' }).read('S').data as Float64Array;
  assert.is(col.length, 1001);
  assert.equal([col[0], col[1], col[999], col[1000]], [5, -1, -1, 6]);
  const e = (() => {
    try {
      openCdf(sparse, { name: 'sparse.cdf', maxSparseFillBytes: 4000 });
    } catch (err) {
      return err as CdfError;
    }
    throw new Error('no error');
  })();
  assert.instance(e, CdfError);
  assert.is(e.recordType, 'VXR');
  assert.match(e.message, /would take 7992 bytes of pad values, more than maxSparseFillBytes 4000/);
});

test('NumElems huge on a numeric variable, and on a character variable, is refused before any allocation', () => {
  for (const v of ['Timestamp', 'EEJ', 'Flags']) {
    const f = field(eef, v, 'NumElems');
    for (const x of [2, 1000000, 2 ** 31 - 1]) {
      refuseField(withField(EEF, f, x), `numelems-${v}-${x}.cdf`, 'zVDR', f.recordOffset, 'NumElems', new RegExp(`NumElems ${x} on a CDF_\\w+ variable`));
    }
    refuseField(withField(EEF, f, 0), `numelems0-${v}.cdf`, 'zVDR', f.recordOffset, 'NumElems');
  }
  // the CHAR variable 'Spacecraft' (1 character a record): 1,000,000 characters a record need 8,192,000,000 bytes
  // (its pad value, 1,000,000 characters, is longer than its VDR), and without a pad value its VVR is too short
  const s = field(mag, 'Spacecraft', 'NumElems');
  refuseField(withField(MAG, s, 1000000), 'char-numelems.cdf', 'zVDR', s.recordOffset, 'NumElems', /NumElems 1000000: the pad value needs 1000000 bytes/);
  const noPad = cdfFields(buildCdf({ variables: [{ name: 'C', type: 'CDF_CHAR', records: 3, values: ['ab', 'cd', 'ef'] }] }));
  const bytes = buildCdf({ variables: [{ name: 'C', type: 'CDF_CHAR', records: 3, values: ['ab', 'cd', 'ef'] }] });
  const first = field(noPad, 'C', 'First[0]');
  refuseField(withField(bytes, field(noPad, 'C', 'NumElems'), 1000000), 'char-numelems-nopad.cdf', 'VXR', first.recordOffset, 'First[0]/Last[0]', /3 records of 1000000 bytes, 3000000 bytes\), but the VVR at byte offset \d+ holds 6 bytes/);
});

test('compressed data: CVVR entries claiming more than their bytes can decode to, CCR uSize raised', () => {
  // de2 keeps most variables in GZIP CVVRs: stretch an entry far past what its compressed bytes can hold
  const de2 = cdfFields(DE2);
  const cvvrVar = (openCdf(DE2).variables().find((v) => v.compression !== null && v.records > 10))!.name;
  const lasts = de2.filter((x) => x.variable === cvvrVar && x.field.startsWith('Last['));
  const last = lasts.reduce((a, b) => (b.value > a.value ? b : a));
  const mr = de2.find((x) => x.variable === cvvrVar && x.field === 'MaxRec')!;
  const big = withField(withField(DE2, last, 2 ** 31 - 2), mr, 2 ** 31 - 2);
  const lf = last.field.replace('Last', 'First') + '/' + last.field;
  refuseField(big, 'de2-stretched.cdf', 'VXR', last.recordOffset, lf, /decode to at most \d+/);
  // one record more than the CVVR holds: decompression stops and says so
  const one = withField(withField(DE2, last, last.value + 1), mr, mr.value + 1);
  refuseField(one, 'de2-one-more.cdf', 'VXR', last.recordOffset, lf, /decompress/);
  // whole-file GZIP and RLE: uSize raised (by one, to 2^40) and lowered
  for (const [bytes, label] of [[GZ, 'gzip'], [RLE, 'rle']] as const) {
    const u = ccrUSizeField(bytes);
    for (const x of [u.value + 1, u.value - 1, 2 ** 40, -5]) {
      refuseField(withField(bytes, u, x), `ccr-${label}-${x}.cdf`, 'CCR', 8, 'uSize');
    }
  }
});

test('a cycle in the ADR chain or a VDR chain is refused (no endless loop)', () => {
  // point the last zVDR's VDRnext at the first zVDR while the GDR still counts more variables
  const f = openCdf(EEF) as unknown as { vars: { vdr: { off: number } }[]; O: number; H: number };
  const vdrs = f.vars.map((v) => v.vdr.off);
  const b = Buffer.from(EEF);
  b.writeBigInt64BE(BigInt(vdrs[0]), vdrs[vdrs.length - 1] + f.H);
  // the GDR's NzVars (after rVDRhead, zVDRhead, ADRhead, eof, NrVars, NumAttr, rMaxRec, rNumDims)
  const gdr = Number(b.readBigInt64BE(8 + 12));
  b.writeInt32BE(vdrs.length + 5, gdr + 12 + 32 + 16);
  const e = refuse(b, 'vdr-cycle.cdf');
  assert.match(e.message, new RegExp(`zVDR record at byte offset ${vdrs[0]}: zVDR chain comes back to this record \\(a cycle\\)`));
});

test('an ESA MAG product whose Timestamp is not a time type fails naming the file (lib/swarm/esa-cdf.ts)', () => {
  const t = field(mag, 'Timestamp', 'DataType');
  assert.is(t.value, 31); // CDF_EPOCH
  const file = path.join(tmp, 'SW_OPER_MAGA_LR_1B_20160101T000000_20160101T235959_0505_MDR_MAG_LR.cdf');
  fs.writeFileSync(file, withField(MAG, t, 45));
  assert.throws(() => readEsaMag(file), (e: Error) => e.message === `${file}: CDF variable 'Timestamp' has type CDF_DOUBLE, not a CDF time type (EPOCH, EPOCH16, TT2000)`);
  fs.writeFileSync(file, MAG);
  assert.is(readEsaMag(file).records.Timestamp.length, 192);
});

test('the shipped files still decode (the checks refuse nothing real)', () => {
  const files = [
    ...['a_cdf.cdf', 'a_col_major_cdf.cdf', 'a_compressed_cdf.cdf', 'a_cdf_with_compressed_vars.cdf', 'a_rle_compressed_cdf.cdf'].map((f) => path.join(FIX, 'cdf', 'cdfpp', f)),
    ...['de2_ion2s_rpa_19830213_v01.cdf', 'fa_esa_l2_eeb_00000000_v01.cdf', 'psp_fld_l2_mag_rtn_1min_20200104_v02.cdf'].map((f) => path.join(FIX, 'cdf', 'cdflib', f)),
    ...['input_cdf_epoch.cdf', 'test_orbit_directions.cdf'].map((f) => path.join(FIX, 'cdf', 'vires-server', f)),
  ];
  for (const file of files) {
    const f = openCdf(file);
    for (const v of f.variables()) assert.is(f.read(v.name).records, v.records, `${file} ${v.name}`);
  }
  assert.ok(A_CDF.length > 0);
});

test.run();
