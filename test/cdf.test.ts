// Tests for lib/swarm/cdf: every CDF fixture (cdfpp, cdflib, vires-server) and the real Swarm files decode to their
// documented values; jcdf (an independent reader) agrees on the mission files; epochs and leap seconds; corrupt
// and truncated files fail with the file, record type and byte offset named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CdfColumn,
  CdfError,
  CdfFile,
  epoch16ToUnixPs,
  epochToUnixMs,
  openCdf,
  timeColumnToUnixMs,
  tt2000ToUnixMs,
  tt2000ToUnixNs,
  unixMsToTt2000,
} from '../lib/swarm/cdf';
import { buildCdf } from '../lib/swarm/cdf/writer';
import { rle0Decode } from '../lib/swarm/cdf/decompress';

const FIX = path.join(__dirname, 'fixtures');
const CDFPP = ['a_cdf.cdf', 'a_col_major_cdf.cdf', 'a_compressed_cdf.cdf', 'a_cdf_with_compressed_vars.cdf', 'a_rle_compressed_cdf.cdf'];
const MAG = path.join(FIX, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s');
const EEF = path.join(FIX, 'swarm', 'SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf');
const DAY = 86400000;

function f64(c: CdfColumn): Float64Array {
  assert.instance(c.data, Float64Array, `${c.name} is a Float64Array`);
  return c.data as Float64Array;
}

function readAll(f: CdfFile): Map<string, CdfColumn> {
  const m = new Map<string, CdfColumn>();
  for (const v of f.variables()) m.set(v.name, f.read(v.name));
  return m;
}

// ---------------- cdfpp: same content written five ways ----------------

for (const file of CDFPP) {
  test(`cdfpp ${file}: values documented in the data README`, () => {
    const f = openCdf(path.join(FIX, 'cdf', 'cdfpp', file));
    const expectLayout: Record<string, [string, string | null]> = {
      'a_cdf.cdf': ['row', null],
      'a_col_major_cdf.cdf': ['column', null],
      'a_compressed_cdf.cdf': ['row', 'GZIP'],
      'a_cdf_with_compressed_vars.cdf': ['row', null],
      'a_rle_compressed_cdf.cdf': ['row', 'RLE'],
    };
    assert.is(f.info.majority, expectLayout[file][0]);
    assert.is(f.info.compression, expectLayout[file][1]);
    assert.ok(f.info.version.startsWith('3.'));
    if (file === 'a_cdf_with_compressed_vars.cdf') {
      assert.equal(f.variables().find((v) => v.name === 'var')!.compression, { type: 'GZIP', level: 9 });
    }
    const v = f64(f.read('var'));
    assert.is(v.length, 101);
    for (let i = 0; i <= 100; i++) assert.ok(Math.abs(v[i] - Math.cos((2 * Math.PI * i) / 100)) < 1e-15, `var[${i}]`);
    const epoch = timeColumnToUnixMs(f.read('epoch'));
    const epoch16 = timeColumnToUnixMs(f.read('epoch16'));
    const tt2000 = timeColumnToUnixMs(f.read('tt2000'));
    assert.equal(f.read('epoch16').shape, [101, 2]);
    assert.is(f.read('tt2000').type, 'CDF_TIME_TT2000');
    assert.instance(f.read('tt2000').data, BigInt64Array);
    for (let i = 0; i <= 100; i++) {
      const want = i * 180 * DAY; // 1970-01-01 + 180 days * i
      assert.is(epoch[i], want, `epoch[${i}]`);
      assert.is(epoch16[i], want, `epoch16[${i}]`);
      assert.is(tt2000[i], want, `tt2000[${i}] (leap seconds, incl. the pre-1972 drift)`);
    }
    const bytes = f.read('bytes');
    assert.is(bytes.type, 'CDF_BYTE');
    assert.equal(Array.from(bytes.data as Int8Array), new Array(10).fill(1));
    const zeros = f64(f.read('zeros'));
    assert.is(zeros.length, 2048);
    assert.ok(zeros.every((x) => x === 0));
    const var2d = f.read('var2d');
    assert.equal(var2d.shape, [3, 4]);
    assert.ok(f64(var2d).every((x) => x === 1));
    const var3d = f.read('var3d');
    assert.equal(var3d.shape, [4, 3, 2]);
    assert.ok(f64(var3d).every((x) => x === 1));
    for (const [name, shape] of [
      ['var2d_counter', [10, 10]],
      ['var3d_counter', [10, 3, 5]],
      ['var5d_counter', [6, 5, 4, 3, 2]],
    ] as [string, number[]][]) {
      const c = f.read(name);
      assert.equal(c.shape, shape, `${name} shape`);
      assert.equal(Array.from(f64(c)), Array.from({ length: c.data.length }, (_, i) => i), `${name} counts in row-major order`);
    }
    assert.equal(f.read('var_string').data, ['This is a string']);
    assert.is(f.read('var_string_uchar').type, 'CDF_UCHAR');
    assert.equal(f.read('var_string_uchar').data, ['This is a string']);
    assert.equal(f.read('var2d_string').data, ['This is a string 1', 'This is a string 2']);
    const s3 = f.read('var3d_string');
    assert.equal(s3.shape, [1, 2, 2]);
    assert.equal(s3.data, ['value[00]', 'value[01]', 'value[10]', 'value[11]']);
    const s4 = f.read('var4d_string');
    assert.equal(s4.shape, [1, 3, 2, 2]);
    const want4: string[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) want4.push(`value[${i}${j}${k}]`);
    assert.equal(s4.data, want4);
    assert.is(f.variables().find((x) => x.name === 'var_string')!.recordVariance, false);
    assert.equal(f.read('var_recvary_string').data, ['001', '002', '003']);
    assert.equal(f.read('empty_var_recvary_string').data, []);
    assert.equal(f.read('empty_var_recvary_string').shape, [0]);
    // global attributes
    const g = f.attributes();
    assert.equal(g.attr.map((e) => e.value), ['a cdf text attribute']);
    assert.equal(g.attr_float.map((e) => e.value), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(g.attr_int.map((e) => e.value), [[1, 2, 3]]);
    assert.equal(g.attr_multi.map((e) => e.value), [[1, 2], [2, 3], 'hello']);
    assert.equal(g.attr_multi.map((e) => e.type), ['CDF_BYTE', 'CDF_FLOAT', 'CDF_CHAR']);
    assert.equal(g.empty, []);
    const ae = g.epoch[0].value as number[];
    const a16 = g.epoch16[0].value as number[];
    const att = g.tt2000[0].value as bigint[];
    assert.is(ae.length, 11);
    for (let i = 0; i <= 10; i++) {
      assert.is(epochToUnixMs(ae[i]), i * 180 * DAY);
      assert.is(epoch16ToUnixPs(a16[2 * i], a16[2 * i + 1]), BigInt(i * 180 * DAY) * 1000000000n);
      assert.is(tt2000ToUnixMs(att[i]), i * 180 * DAY);
    }
    // variable attributes
    assert.equal(f.variableAttributes('var').DEPEND0.value, 'epoch');
    assert.equal(f.variableAttributes('var').var_attr.value, 'a variable attribute');
    assert.equal(f.variableAttributes('var3d').var3d_attr_multi.value, [10, 11]);
    assert.equal(f.variableAttributes('epoch').attr1.value, 'attr1_value');
  });
}

test('cdfpp: all five encodings decode to identical columns', () => {
  const ref = readAll(openCdf(path.join(FIX, 'cdf', 'cdfpp', CDFPP[0])));
  for (const file of CDFPP.slice(1)) {
    const other = readAll(openCdf(path.join(FIX, 'cdf', 'cdfpp', file)));
    assert.equal([...other.keys()], [...ref.keys()]);
    for (const [k, c] of ref) {
      assert.equal(other.get(k)!.shape, c.shape, `${file} ${k} shape`);
      assert.equal(Array.from(other.get(k)!.data as ArrayLike<unknown>), Array.from(c.data as ArrayLike<unknown>), `${file} ${k}`);
    }
  }
});

// ---------------- vires-server ----------------

test('vires-server input_cdf_epoch.cdf equals its CSV oracle', () => {
  const f = openCdf(path.join(FIX, 'cdf', 'vires-server', 'input_cdf_epoch.cdf'));
  assert.ok(f.info.version.startsWith('2.7'));
  const lines = fs.readFileSync(path.join(FIX, 'cdf', 'vires-server', 'input_cdf_epoch.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  for (const [j, name] of header.entries()) {
    const col = f64(f.read(name));
    assert.is(col.length, rows.length);
    rows.forEach((r, i) => assert.is(col[i], r[j], `${name}[${i}]`));
  }
  assert.is(epochToUnixMs(rows[0][0]), Date.UTC(2000, 0, 1));
});

test('vires-server test_orbit_directions.cdf: 33 records of EPOCH and INT1', () => {
  const f = openCdf(path.join(FIX, 'cdf', 'vires-server', 'test_orbit_directions.cdf'));
  const info = Object.fromEntries(f.variables().map((v) => [v.name, v]));
  assert.equal(Object.keys(info), ['Timestamp', 'BoundaryType', 'OrbitDirection']);
  for (const v of Object.values(info)) assert.is(v.records, 33);
  assert.is(info.BoundaryType.type, 'CDF_INT1');
  const dir = f.read('OrbitDirection').data as Int8Array;
  assert.instance(dir, Int8Array);
  // orbit directions alternate ascending (1) / descending (-1); the closing boundary record (BoundaryType -1) has 0
  assert.equal(Array.from(dir), [...Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 1 : -1)), 0]);
  const bt = Array.from(f.read('BoundaryType').data as Int8Array);
  assert.equal(bt, [1, ...new Array(31).fill(0), -1]);
  const t = timeColumnToUnixMs(f.read('Timestamp'));
  for (let i = 1; i < t.length; i++) assert.ok(t[i] > t[i - 1], 'timestamps increase');
});

// ---------------- real Swarm files ----------------

test('Swarm MAG LR 1B (VirES, CDF 2.7) matches the .decoded.json oracle', () => {
  const f = openCdf(MAG + '.cdf');
  assert.is(f.info.version.slice(0, 3), '2.7');
  const oracle = JSON.parse(fs.readFileSync(MAG + '.decoded.json', 'utf8')) as Record<string, Record<string, unknown>>;
  const t = timeColumnToUnixMs(f.read('Timestamp'));
  assert.is(t.length, 192);
  assert.equal(Array.from(t).map(String), Object.keys(oracle.Latitude), 'timestamps (Unix ms) exactly');
  assert.equal(f.read('Spacecraft').data, Object.values(oracle.Spacecraft));
  const bnec = f.read('B_NEC');
  assert.equal(bnec.shape, [192, 3]);
  let identical = 0;
  let total = 0;
  for (const name of ['Latitude', 'Longitude', 'Radius', 'F', 'B_NEC']) {
    const d = f64(f.read(name));
    const w = name === 'B_NEC' ? 3 : 1;
    t.forEach((ms, i) => {
      const o = oracle[name][String(ms)];
      const want = (w === 3 ? o : [o]) as number[];
      for (let k = 0; k < w; k++) {
        const a = d[i * w + k];
        total++;
        if (a === want[k]) identical++;
        // the oracle JSON was printed with at most 15 significant digits: equal at that precision, within 1 ulp
        assert.is(Number(a.toPrecision(15)), Number(want[k].toPrecision(15)), `${name}[${i}]`);
        assert.ok(Math.abs(a - want[k]) <= Math.abs(want[k]) * 2.3e-16, `${name}[${i}] within 1 ulp`);
      }
    });
  }
  assert.is(total, 192 * 7);
  assert.ok(identical > total / 2);
  assert.is(f.variableAttributes('Radius').UNITS.value, 'm');
  assert.is(f.variableAttributes('Latitude').DESCRIPTION.value, 'Position in ITRF – Latitude');
});

test('Swarm EEFATMS_2F (ESA, CDF 3.6, per-variable GZIP): 15 records', () => {
  const f = openCdf(EEF);
  assert.is(f.info.version.slice(0, 3), '3.6');
  const vars = f.variables();
  assert.equal(vars.map((v) => v.name), ['Timestamp', 'Longitude', 'Latitude', 'EEF', 'EEJ', 'RelErr', 'Flags']);
  for (const v of vars) {
    assert.is(v.records, 15, v.name);
    assert.equal(v.compression, { type: 'GZIP', level: 6 }, v.name);
  }
  assert.equal(f.read('EEJ').shape, [15, 81]);
  assert.instance(f.read('Flags').data, Uint16Array);
  const t = timeColumnToUnixMs(f.read('Timestamp'));
  assert.ok(t[0] >= Date.UTC(2016, 0, 1) && t[14] < Date.UTC(2016, 0, 2), 'all on 2016-01-01 as the file name says');
  const lat = f64(f.read('Latitude'));
  assert.ok(lat.every((x) => Math.abs(x) < 20), 'equatorial electrojet crossings are near the dip equator');
});

// ---------------- cross-check against jcdf (independent reader) ----------------

interface JRec {
  count?: number;
  head?: string[];
  tail?: string[];
  text?: string;
}
interface JVar {
  name: string;
  jcdfType: string;
  dims: number[];
  dimVarys: boolean[];
  recordVariance: boolean;
  recordCount: number;
  lastRecord: number;
  values: Record<string, JRec>;
}
const jref = JSON.parse(fs.readFileSync(path.join(FIX, 'cdf', 'jcdf-reference.json'), 'utf8')) as {
  files: Record<string, JVar[]>;
};

function jcdfTime(type: string, v: number | bigint | [number, number]): string {
  if (type === 'CDF_EPOCH') return new Date(Math.floor(epochToUnixMs(v as number))).toISOString().replace('Z', '');
  const ns = tt2000ToUnixNs(v as bigint)!;
  const ms = ns / 1000000n;
  return new Date(Number(ms)).toISOString().slice(0, 19) + '.' + String(ns % 1000000000n).padStart(9, '0');
}

function agreeNumber(type: string, ours: number | bigint, theirs: string): boolean {
  if (type === 'CDF_INT8') return BigInt(theirs) === ours;
  const x = Number(ours);
  if (theirs === 'NaN') return Number.isNaN(x);
  const t = Number(theirs);
  if (type === 'CDF_REAL4' || type === 'CDF_FLOAT') return Math.fround(t) === x;
  return t === x;
}

for (const [rel, jvars] of Object.entries(jref.files)) {
  test(`jcdf agrees on ${path.basename(rel)}`, () => {
    const f = openCdf(path.join(FIX, '..', '..', rel));
    const ours = new Map(f.variables().map((v) => [v.name, v]));
    assert.equal([...ours.keys()], jvars.map((v) => v.name));
    let checked = 0;
    for (const jv of jvars) {
      const v = ours.get(jv.name)!;
      assert.is(v.type.replace(/^CDF_/, ''), jv.jcdfType, `${jv.name} type`);
      assert.equal(v.declaredDims, jv.dims, `${jv.name} dims`);
      assert.is(v.recordVariance, jv.recordVariance);
      assert.is(v.records, jv.lastRecord + 1, `${jv.name} records`);
      const col = f.read(jv.name);
      const per = v.dims.reduce((a, b) => a * b, 1);
      for (const [k, jr] of Object.entries(jv.values)) {
        const r = Number(k);
        if (jr.text !== undefined) {
          const s = (col.data as string[]).slice(r * per, (r + 1) * per).join(', ');
          assert.is(s, jr.text, `${jv.name}[${r}]`);
          checked++;
          continue;
        }
        assert.is(jr.count, per * (v.type === 'CDF_EPOCH16' ? 2 : 1), `${jv.name}[${r}] element count`);
        const rec = Array.from((col.data as ArrayLike<number | bigint>) as ArrayLike<number | bigint>).slice(r * per, (r + 1) * per);
        const pairs: [number | bigint, string][] = [];
        jr.head!.forEach((s, i) => pairs.push([rec[i], s]));
        jr.tail!.forEach((s, i) => pairs.push([rec[per - jr.tail!.length + i], s]));
        for (const [x, s] of pairs) {
          if (v.type === 'CDF_EPOCH' || v.type === 'CDF_TIME_TT2000') assert.is(jcdfTime(v.type, x), s, `${jv.name}[${r}]`);
          else assert.ok(agreeNumber(v.type, x, s), `${jv.name}[${r}]: ours ${x}, jcdf ${s}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 0);
  });
}

test('cdflib mission files: independent checks of a few values', () => {
  // DE-2 RPA, CDF 2.7 column-major big-endian (NETWORK) with GZIP variables: the day of the file name
  const de2 = openCdf(path.join(FIX, 'cdf', 'cdflib', 'de2_ion2s_rpa_19830213_v01.cdf'));
  assert.is(de2.info.encoding, 'NETWORK');
  const t = timeColumnToUnixMs(de2.read('Epoch'));
  assert.is(new Date(t[0]).toISOString(), '1983-02-13T01:48:52.207Z');
  assert.ok(t.every((x) => x >= Date.UTC(1983, 1, 13) && x < Date.UTC(1983, 1, 14)));
  const glat = de2.read('glat').data as Float32Array;
  assert.ok(Array.from(glat).every((x) => x >= -90 && x <= 90), 'latitudes within [-90, 90]');
  // PSP: one-minute cadence on 2020-01-04, TT2000 through the 2017 leap second
  const psp = openCdf(path.join(FIX, 'cdf', 'cdflib', 'psp_fld_l2_mag_rtn_1min_20200104_v02.cdf'));
  const q = timeColumnToUnixMs(psp.read('epoch_quality_flags'));
  assert.is(q.length, 1440);
  q.forEach((ms, i) => assert.is(ms, Date.UTC(2020, 0, 4) + i * 60000));
  assert.equal(psp.read('label_RTN').data, ['B_R', 'B_T', 'B_N']);
  assert.equal(Array.from(psp.read('component_index_RTN').data as Int32Array), [1, 2, 3]);
  assert.equal(psp.read('psp_fld_l2_mag_RTN_1min').shape, [118, 3]);
  // FAST ESA: CDF 3.8 whole-file RLE, multi-dimensional GZIP variables; many variables with no records
  const fa = openCdf(path.join(FIX, 'cdf', 'cdflib', 'fa_esa_l2_eeb_00000000_v01.cdf'));
  assert.is(fa.info.compression, 'RLE');
  assert.equal(fa.read('energy').shape, [1, 3, 32, 96]);
  assert.equal(fa.read('project_name').data, ['FAST']);
  assert.is(fa.read('epoch').records, 0);
});

// ---------------- epochs ----------------

test('TT2000 <-> UTC: J2000, leap seconds, round trips', () => {
  assert.is(tt2000ToUnixMs(0n), Date.UTC(2000, 0, 1, 11, 58, 55, 816));
  // 2017-01-01T00:00:00 UTC (after the last leap second; TAI-UTC = 37 s)
  assert.is(unixMsToTt2000(Date.UTC(2017, 0, 1)), 536500869184000000n);
  assert.is(tt2000ToUnixMs(536500869184000000n), Date.UTC(2017, 0, 1));
  // 2016-12-31T23:59:59 is 2 s before 2017-01-01 in TT2000 (the leap second 23:59:60 lies between)
  assert.is(unixMsToTt2000(Date.UTC(2016, 11, 31, 23, 59, 59)), 536500869184000000n - 2000000000n);
  // inside the leap second Unix time holds at the end of 23:59:59
  assert.is(tt2000ToUnixNs(536500869184000000n - 500000000n), BigInt(Date.UTC(2017, 0, 1)) * 1000000n - 1n);
  for (const ms of [Date.UTC(1972, 0, 1), Date.UTC(1985, 6, 1, 0, 0, 0, 1), Date.UTC(2015, 5, 30, 23, 59, 59, 999), Date.UTC(2020, 3, 30, 12)]) {
    assert.is(tt2000ToUnixMs(unixMsToTt2000(ms)), ms);
  }
  assert.ok(Number.isNaN(tt2000ToUnixMs(-9223372036854775808n)), 'fill value');
  assert.is(epochToUnixMs(63113904000000), Date.UTC(2000, 0, 1));
  assert.ok(Number.isNaN(epochToUnixMs(-1e31)));
});

test('RLE0 decoding', () => {
  assert.equal(Array.from(rle0Decode(new Uint8Array([5, 0, 3, 7, 0, 0]))), [5, 0, 0, 0, 0, 7, 0]);
  assert.throws(() => rle0Decode(new Uint8Array([5, 0])), /ends inside a run/);
});

// ---------------- writer round trip ----------------

test('writer round trip: big-endian, GZIP, multi-dimensional, strings, attributes', () => {
  const n = 50;
  const data = new Float64Array(n * 2 * 3).map((_, i) => i * 0.5 - 7);
  const tt = Array.from({ length: n }, (_, i) => unixMsToTt2000(Date.UTC(2016, 0, 1) + i * 1000));
  for (const bigEndian of [false, true]) {
    const bytes = buildCdf({
      bigEndian,
      variables: [
        { name: 'Timestamp', type: 'CDF_TIME_TT2000', records: n, values: tt },
        { name: 'X', type: 'CDF_DOUBLE', dims: [2, 3], records: n, values: data, gzip: 6 },
        { name: 'I', type: 'CDF_INT2', records: n, values: Array.from({ length: n }, (_, i) => i - 25) },
        { name: 'U', type: 'CDF_UINT4', records: n, values: Array.from({ length: n }, (_, i) => 4e9 + i) },
        { name: 'Sat', type: 'CDF_CHAR', records: 1, recordVariance: false, values: ['A'] },
      ],
      globalAttributes: { TITLE: ['round trip'], NUMS: [[1.5, 2.5]] },
    });
    const f = openCdf(bytes, { name: 'roundtrip.cdf' });
    assert.is(f.info.littleEndian, !bigEndian);
    assert.equal(Array.from(timeColumnToUnixMs(f.read('Timestamp'))), tt.map((_, i) => Date.UTC(2016, 0, 1) + i * 1000));
    const x = f.read('X');
    assert.equal(x.shape, [n, 2, 3]);
    assert.equal(Array.from(x.data as Float64Array), Array.from(data));
    assert.equal(Array.from(f.read('I').data as Int16Array), Array.from({ length: n }, (_, i) => i - 25));
    assert.equal(Array.from(f.read('U').data as Uint32Array), Array.from({ length: n }, (_, i) => 4e9 + i));
    assert.equal(f.read('Sat').data, ['A']);
    assert.equal(f.attributes().TITLE[0].value, 'round trip');
    assert.equal(f.attributes().NUMS[0].value, [1.5, 2.5]);
  }
});

test('rVariables, non-varying dimensions, sparse records (pad and previous), variable attributes', () => {
  const bytes = buildCdf({
    rDims: [2, 3],
    variables: [
      // rVariable varying in both rDims; another varying only along the second (CDF stores 1 x 3 per record)
      { name: 'R', kind: 'r', type: 'CDF_INT4', records: 2, values: [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15], attributes: { UNITS: 'counts' } },
      { name: 'Rrow', kind: 'r', type: 'CDF_REAL4', dimVarys: [false, true], records: 2, values: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5] },
      // sparse zVariables: records 0, 1, 4, 5 written of 0..5; gaps 2, 3 read as pad / previous record
      { name: 'Zpad', type: 'CDF_DOUBLE', dims: [2], records: 6, recordNumbers: [0, 1, 4, 5], sparse: 'pad', padValue: -99, values: [1, 2, 3, 4, 5, 6, 7, 8], attributes: { UNITS: 'nT' } },
      { name: 'Zprev', type: 'CDF_INT2', records: 6, recordNumbers: [0, 1, 4, 5], sparse: 'previous', values: [1, 2, 5, 6], gzip: 6 },
      // per-variable RLE (CVVR with CPR cType 1): long zero runs, values with zero bytes inside
      // 100 records in VVRs of 7, indexed by a chain of top-level VXRs over sub-VXRs, 3 entries each
      { name: 'Ztree', type: 'CDF_DOUBLE', records: 100, values: Array.from({ length: 100 }, (_, i) => i / 4), blockRecords: 7, maxVxrEntries: 3 },
      { name: 'Zrle', type: 'CDF_INT4', records: 600, values: Array.from({ length: 600 }, (_, i) => (i % 200 === 7 ? 65536 * i : 0)), rle: true },
    ],
  });
  const f = openCdf(bytes, { name: 'synthetic.cdf' });
  const info = Object.fromEntries(f.variables().map((v) => [v.name, v]));
  assert.is(info.R.kind, 'r');
  assert.equal(info.R.dims, [2, 3]);
  assert.equal(info.Rrow.declaredDims, [2, 3]);
  assert.equal(info.Rrow.dimVarys, [false, true]);
  assert.equal(info.Rrow.dims, [3]);
  assert.equal(f.read('R').shape, [2, 2, 3]);
  assert.equal(Array.from(f.read('R').data as Int32Array), [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
  assert.equal(f.read('Rrow').shape, [2, 3]);
  assert.equal(Array.from(f.read('Rrow').data as Float32Array), [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
  assert.is(info.Zpad.sparseRecords, 'pad');
  assert.equal(Array.from(f.read('Zpad').data as Float64Array), [1, 2, 3, 4, -99, -99, -99, -99, 5, 6, 7, 8]);
  assert.is(info.Zprev.sparseRecords, 'previous');
  assert.equal(Array.from(f.read('Zprev').data as Int16Array), [1, 2, 2, 2, 5, 6]);
  assert.equal(Array.from(f.read('Ztree').data as Float64Array), Array.from({ length: 100 }, (_, i) => i / 4));
  assert.equal(info.Zrle.compression, { type: 'RLE', level: 0 });
  assert.equal(Array.from(f.read('Zrle').data as Int32Array), Array.from({ length: 600 }, (_, i) => (i % 200 === 7 ? 65536 * i : 0)));
  // UNITS has an rEntry for rVariable 0 and a zEntry for zVariable 0: each variable gets its own
  assert.equal(f.variableAttributes('R'), { UNITS: { entry: 0, type: 'CDF_CHAR', value: 'counts' } });
  assert.equal(f.variableAttributes('Zpad'), { UNITS: { entry: 0, type: 'CDF_CHAR', value: 'nT' } });
  assert.equal(f.variableAttributes('Rrow'), {});
  assert.equal(f.attributes(), {});
});

// ---------------- corrupt and truncated files ----------------

const RECORD_NAMED = /(CDR|GDR|rVDR|zVDR|ADR|AgrEDR|AzEDR|VXR|VVR|CVVR|CCR|CPR)( or \w+)* record at byte offset \d+: /;

function expectCdfError(bytes: Uint8Array, file: string, pattern: RegExp): CdfError {
  const tmpFile = path.join(tmp, file);
  fs.writeFileSync(tmpFile, bytes);
  try {
    const f = openCdf(tmpFile);
    for (const v of f.variables()) f.read(v.name);
  } catch (e) {
    assert.instance(e, CdfError, `${file}: a CdfError, got ${(e as Error).message}`);
    const msg = (e as Error).message;
    assert.ok(msg.startsWith(tmpFile + ': '), `names the file: ${msg}`);
    assert.match(msg, pattern, `${file}: ${msg}`);
    return e as CdfError;
  }
  assert.unreachable(`${file}: no error for a damaged file`);
  throw new Error('unreachable');
}

let tmp = '';
test.before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-test-'));
});
test.after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

for (const rel of [
  'cdf/cdfpp/a_cdf.cdf',
  'cdf/cdfpp/a_compressed_cdf.cdf',
  'cdf/cdfpp/a_cdf_with_compressed_vars.cdf',
  'cdf/cdfpp/a_rle_compressed_cdf.cdf',
  'cdf/cdflib/de2_ion2s_rpa_19830213_v01.cdf',
  'swarm/vires-maga-lr-1b-2016-01-01-pt10s.cdf',
  'swarm/SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202.cdf',
]) {
  test(`truncated copies of ${path.basename(rel)} fail naming file, record and offset`, () => {
    const full = fs.readFileSync(path.join(FIX, rel));
    const cuts = new Set<number>([full.length - 1, full.length - 100, 20, 100, 400]);
    for (let k = 1; k < 24; k++) cuts.add(Math.floor((full.length * k) / 24));
    for (const cut of [...cuts].filter((c) => c > 8 && c < full.length)) {
      const e = expectCdfError(full.subarray(0, cut), `cut-${cut}-${path.basename(rel)}`, RECORD_NAMED);
      assert.ok(e.offset !== null && e.recordType !== null);
    }
  });
}

test('corrupt files: bad magic, bad record type, corrupt GZIP stream', () => {
  const a = new Uint8Array(fs.readFileSync(path.join(FIX, 'cdf', 'cdfpp', 'a_cdf.cdf')));
  const m = a.slice();
  m[0] = 0x12;
  expectCdfError(m, 'magic.cdf', /not a CDF file: magic number 0x12f30001 at byte offset 0/);
  // the GDR's record type field (GDR offset from the CDR)
  const g = a.slice();
  const gdrOff = Number(Buffer.from(g).readBigInt64BE(8 + 12));
  Buffer.from(g.buffer).writeInt32BE(99, gdrOff + 8);
  expectCdfError(g, 'gdrtype.cdf', new RegExp(`GDR record at byte offset ${gdrOff}: found record type 99`));
  // flip bytes inside the first CVVR's GZIP data: the error names that CVVR
  const z = new Uint8Array(fs.readFileSync(EEF));
  const f = openCdf(EEF);
  const first = f as unknown as { segments(v: unknown): { off: number; type: number }[]; byName: Map<string, unknown> };
  // (ESA stores a variable's records uncompressed, in a VVR, where GZIP would not make them smaller: take a CVVR)
  const name = f.variables().map((v) => v.name).find((n) => first.segments(first.byName.get(n))[0].type === 13)!;
  assert.ok(name, 'a variable stored in a CVVR');
  const seg = first.segments(first.byName.get(name))[0];
  for (let i = 40; i < 60; i++) z[seg.off + i] ^= 0xff;
  expectCdfError(z, 'gzip.cdf', new RegExp(`CVVR record at byte offset ${seg.off}: variable '${name}': GZIP data corrupt`));
  // an unknown variable name
  assert.throws(() => f.read('Nope'), /no variable named 'Nope'/);
});

test.run();
