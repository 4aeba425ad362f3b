// Tests for lib/swarm/swarm-csv.ts and lib/swarm/flags.ts: the real VirES CSV sample against its decoded
// oracle, the same records rewritten in the other layouts (three columns, HAPI with and without header),
// EFI LP across baselines (Ne / N_ion), the 0.5 s nearest merge onto 1 Hz, and errors naming file/line/column.
import { tempDirs, expectError } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../lib/core/paths';
import { LEAP_SECOND_DAYS, mergeMagLp, parseLpCsv, parseMagCsv, parseSwarmTime, readMagCsv, splitDays } from '../lib/swarm/swarm-csv';
import { describeStoreFlag, FLAG, isUsable } from '../lib/swarm/flags';
import { importDownloadedHapi, importSwarmCsv } from '../lib/swarm/import';
import { defaultConfig, hapiChunk } from '../lib/download/plan';
import { emptyLock, sha256File, writeLock } from '../lib/download/lock';
import { SwarmStore } from '../lib/swarm/store';
import * as os from 'os';

/** Temporary folders of this file, removed after its tests. */
const temps = tempDirs();
test.after(temps.cleanup);

const CSV = path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv');
const ORACLE = JSON.parse(fs.readFileSync(CSV.replace('.csv', '.decoded.json'), 'utf8')) as Record<string, Record<string, number | number[] | string>>;

test('real VirES CSV equals the decoded oracle (192 records)', () => {
  const m = readMagCsv(CSV);
  assert.is(m.Timestamp.length, 192);
  assert.is(m.bLayout, 'braced');
  assert.is(m.spacecraft, 'A');
  assert.is(m.productFlagsB, null);
  const keys = Object.keys(ORACLE.B_NEC).map(Number).sort((a, b) => a - b);
  assert.equal(Array.from(m.Timestamp), keys);
  keys.forEach((k, i) => {
    const b = ORACLE.B_NEC[k] as number[];
    assert.is(m.B_N[i], b[0]);
    assert.is(m.B_E[i], b[1]);
    assert.is(m.B_C[i], b[2]);
    assert.is(m.Latitude[i], ORACLE.Latitude[k]);
    // the CSV prints Longitude to 6 decimals and Radius to 2 (the oracle holds the CDF doubles): within half
    // a unit of the last printed digit
    assert.ok(Math.abs(m.Longitude[i] - (ORACLE.Longitude[k] as number)) <= 0.5e-6 + 1e-12, `Longitude ${i}`);
    assert.ok(Math.abs(m.Radius[i] - (ORACLE.Radius[k] as number)) <= 0.005, `Radius ${i}`);
  });
  assert.is(m.Timestamp[0], Date.UTC(2016, 0, 1, 0, 28, 0));
});

/** The real records rewritten in another layout. */
function rewrite(kind: 'three-columns' | 'hapi-header' | 'hapi-bare', flags = false): string {
  const lines = fs.readFileSync(CSV, 'utf8').trim().split(/\r?\n/).slice(1);
  const rows = lines.map((l) => {
    const [sc, t, lat, lon, r, , b] = l.split(',');
    const [n, e, c] = b.slice(1, -1).split(';');
    return { sc, t: t.replace('Z', '.000Z'), lat, lon, r, n, e, c };
  });
  if (kind === 'three-columns') {
    return ['Timestamp,Spacecraft,Latitude,Longitude,Radius,B_NEC_N,B_NEC_E,B_NEC_C' + (flags ? ',Flags_B' : '')]
      .concat(rows.map((x, i) => `${x.t},${x.sc},${x.lat},${x.lon},${x.r},${x.n},${x.e},${x.c}` + (flags ? `,${i === 3 ? 255 : 1}` : '')))
      .join('\n') + '\n';
  }
  const data = rows.map((x) => `${x.t},${x.lat},${x.lon},${x.r},${x.n},${x.e},${x.c}`);
  if (kind === 'hapi-bare') return data.join('\n') + '\n';
  const header = {
    HAPI: '3.0',
    status: { code: 1200, message: 'OK' },
    parameters: [
      { name: 'Timestamp', type: 'isotime', length: 24, fill: null },
      { name: 'Latitude', type: 'double', fill: null },
      { name: 'Longitude', type: 'double', fill: null },
      { name: 'Radius', type: 'double', fill: null },
      { name: 'B_NEC', type: 'double', size: [3], fill: null },
    ],
    format: 'csv',
  };
  return JSON.stringify(header, null, 1).split('\n').map((l) => `#${l}`).join('\n') + '\n' + data.join('\n') + '\n';
}

test('three-column, HAPI-with-header and header-less HAPI layouts give the same values', () => {
  const ref = readMagCsv(CSV);
  const three = parseMagCsv(rewrite('three-columns'), 'three.csv');
  const hapi = parseMagCsv(rewrite('hapi-header'), 'hapi.csv');
  const bare = parseMagCsv(rewrite('hapi-bare'), 'bare.csv', {
    hapiParameters: [{ name: 'Timestamp' }, { name: 'Latitude' }, { name: 'Longitude' }, { name: 'Radius' }, { name: 'B_NEC', size: [3] }],
  });
  assert.is(three.bLayout, 'three-columns');
  assert.is(hapi.layout, 'hapi-json-header');
  assert.is(bare.layout, 'hapi-no-header');
  for (const m of [three, hapi, bare]) {
    for (const k of ['Timestamp', 'Latitude', 'Longitude', 'Radius', 'B_N', 'B_E', 'B_C'] as const) assert.equal(Array.from(m[k]), Array.from(ref[k]), k);
  }
  assert.throws(() => parseMagCsv(rewrite('hapi-bare'), 'bare.csv'), /bare\.csv:1: no header row and no HAPI parameter list/);
});

test('Flags_B 255 maps to PRODUCT_INVALID; other values are usable', () => {
  const m = parseMagCsv(rewrite('three-columns', true), 'f.csv');
  const { columns, report } = mergeMagLp(m, null);
  assert.is(columns.Flags_B[3], FLAG.PRODUCT_INVALID);
  assert.is(columns.Flags_B[4], 0);
  assert.is(report.magInvalid, 1);
  assert.equal(report.productFlagsB, { 1: 191, 255: 1 });
  // no LP: every Ne missing
  assert.is(report.neUnmatched, 192);
  assert.ok(Number.isNaN(columns.Ne[0]));
  assert.is(columns.Flags_Ne[0], FLAG.MISSING);
  assert.is(describeStoreFlag(columns.Flags_Ne[0]), 'missing');
  assert.ok(isUsable(columns.Flags_B[0]));
});

const MAG_1HZ = (n: number, t0: number) =>
  ['Spacecraft,Timestamp,Latitude,Longitude,Radius,F,B_NEC']
    .concat(Array.from({ length: n }, (_, i) => `A,${new Date(t0 + i * 1000).toISOString()},${i * 0.06},10,6828000,30000,{2000${i};100;-300}`))
    .join('\n') + '\n';

test('EFI LP: Ne (baseline < 07) and N_ion (>= 07) read alike; nearest within 0.5 s, else NaN', () => {
  const t0 = Date.UTC(2016, 1, 15, 23, 59, 55);
  const mag = parseMagCsv(MAG_1HZ(10, t0), 'mag.csv'); // 23:59:55 .. 00:00:04 (crosses midnight)
  // LP at 2 Hz offset by +0.2 s, with a gap around mag seconds 5 and 6, one Ne <= 0, one nan
  const lpTimes: number[] = [];
  for (let k = 0; k < 20; k++) if (k < 9 || k > 13) lpTimes.push(t0 + 200 + k * 500);
  const ne = lpTimes.map((t, k) => (k === 2 ? '-5' : k === 4 ? 'nan' : String(1e5 + (t - t0))));
  const old = ['Spacecraft,Timestamp,Latitude,Longitude,Radius,Ne,Te,Flags_Ne']
    .concat(lpTimes.map((t, k) => `A,${new Date(t).toISOString()},0,0,6828000,${ne[k]},1500,${k === 0 ? 20 : 10}`))
    .join('\n');
  const neu = old.replace('Ne,Te,Flags_Ne', 'N_ion,T_elec,Flags_N_ion');
  const a = parseLpCsv(old, 'lp-old.csv');
  const b = parseLpCsv(neu, 'lp-new.csv');
  assert.is(a.densityVariable, 'Ne');
  assert.is(b.densityVariable, 'N_ion');
  assert.equal(Array.from(a.productFlagsNe!), Array.from(b.productFlagsNe!));
  const ma = mergeMagLp(mag, a);
  const mb = mergeMagLp(mag, b);
  assert.equal(Array.from(ma.columns.Flags_Ne), Array.from(mb.columns.Flags_Ne));
  const c = ma.columns;
  // MAG second i at t0 + i s; nearest LP sample is t0 + 200 + 1000 i (k = 2i) when present
  assert.is(c.Ne[0], 1e5 + 200);
  assert.is(c.Flags_Ne[0], 0); // product flag 20 is kept: no EFI flag value is rejected by default
  assert.is(c.Ne[1], -5);
  assert.is(c.Flags_Ne[1], FLAG.IMPOSSIBLE);
  assert.ok(Number.isNaN(c.Ne[2]));
  assert.is(c.Flags_Ne[2], FLAG.MISSING);
  assert.is(c.Ne[3], 1e5 + 3200);
  // samples k = 9..13 are missing: second 5 (t0+5000) has nearest k=8 at t0+4200 (0.8 s) and k=14 at t0+7200 -> none
  assert.ok(Number.isNaN(c.Ne[5]));
  assert.is(c.Flags_Ne[5], FLAG.MISSING);
  // second 6 (t0+6000): nearest is k=14 at t0+7200 (1.2 s) -> none; second 7: k=14 (0.2 s)
  assert.ok(Number.isNaN(c.Ne[6]));
  assert.is(c.Ne[7], 1e5 + 7200);
  assert.is(ma.report.neMatched + ma.report.neUnmatched, 10);
  assert.is(ma.report.neRejected, 1);
  assert.equal(ma.report.productFlagsNe, { 10: 7, 20: 1 });
  // split at midnight for the store
  const days = splitDays(c, 'A', 'real');
  assert.equal(days.map((d) => `${d.day}:${d.Timestamp.length}`), ['2016-02-15:5', '2016-02-16:5']);
  assert.is(days[1].B_N[0], 20005);
});

const HAPI_MAG = [{ name: 'Timestamp' }, { name: 'Latitude' }, { name: 'Longitude' }, { name: 'Radius' }, { name: 'B_NEC', size: [3] }, { name: 'Flags_B' }];
const HAPI_LP = [{ name: 'Timestamp' }, { name: 'Latitude' }, { name: 'Longitude' }, { name: 'Radius' }, { name: 'N_ion' }, { name: 'Flags_N_ion' }];
/** A header-less HAPI CSV line as VirES writes it (CRLF added by the caller). */
const hapiLine = (t: number, ...v: (number | string)[]) => [new Date(t).toISOString(), ...v].join(',');

test('tolerant HAPI CSV: CRLF and .000Z; rows sorted, repeated times dropped (first kept); nan in every float column counted', () => {
  const t0 = Date.UTC(2016, 1, 15, 12);
  const lines = [
    hapiLine(t0 + 2000, 2, 10, 6828000, 20002, 100, -300, 0),
    hapiLine(t0, 'nan', 10, 6828000, 20000, 100, -300, 0),
    hapiLine(t0 + 1000, 1, 'nan', 6828000, 20001, 100, -300, 0),
    hapiLine(t0 + 1000, 1, 10, 6828000, 99999, 99, 99, 0), // repeat of t0 + 1 s: dropped, the first (file order) kept
    hapiLine(t0 + 3000, 3, 10, 'nan', 'nan', 100, 'nan', 0),
    hapiLine(t0 + 4000, 4, 10, 6828000, 20004, 100, -300, 0),
  ];
  const m = parseMagCsv(lines.join('\r\n') + '\r\n', 'm.csv', { hapiParameters: HAPI_MAG });
  assert.equal(Array.from(m.Timestamp), [0, 1, 2, 3, 4].map((k) => t0 + k * 1000));
  assert.equal(Array.from(m.B_N).map((x) => (Number.isNaN(x) ? 'nan' : x)), [20000, 20001, 20002, 'nan', 20004]);
  assert.equal(m.csvReport, { rows: 6, duplicates: 1, reordered: true, leapSeconds: 0, nan: { Latitude: 1, Longitude: 1, Radius: 1, B_NEC_N: 1, B_NEC_C: 1 } });
  // a record without a position (or with a nan component) is flagged missing, the others stay usable
  const { columns, report } = mergeMagLp(m, null);
  assert.equal(Array.from(columns.Flags_B), [FLAG.MISSING, FLAG.MISSING, 0, FLAG.MISSING, 0]);
  assert.is(report.magMissing, 3);
  // EFI LP: nan in N_ion and in the position columns read as NaN and counted
  const lp = parseLpCsv(
    [hapiLine(t0, 1, 10, 6828000, 'nan', 0), hapiLine(t0 + 500, 'nan', 10, 6828000, 150000.5, 0), hapiLine(t0 + 500, 1, 10, 6828000, 1, 0)].join('\r\n') + '\r\n',
    'lp.csv',
    { hapiParameters: HAPI_LP },
  );
  assert.equal(Array.from(lp.Ne).map((x) => (Number.isNaN(x) ? 'nan' : x)), ['nan', 150000.5]);
  assert.equal(lp.csvReport, { rows: 3, duplicates: 1, reordered: false, leapSeconds: 0, nan: { N_ion: 1 } });
  // integer columns are not float: nan there is still an error naming file, line and column
  expectError(() => parseMagCsv(hapiLine(t0, 1, 10, 6828000, 1, 2, 3, 'nan') + '\r\n', 'f.csv', { hapiParameters: HAPI_MAG }), /^f\.csv:1: column 'Flags_B': not a number: 'nan'/);
});

test('leap seconds 2015-06-30 and 2016-12-31: 23:59:60 dropped and counted; a repeated 23:59:59 keeps the first; a missing second is a gap', () => {
  assert.ok(LEAP_SECOND_DAYS.has('2015-06-30') && LEAP_SECOND_DAYS.has('2016-12-31'));
  assert.is(LEAP_SECOND_DAYS.size, 27, 'the 27 leap seconds since 1972 (CDF leap-second table)');
  assert.not.ok(LEAP_SECOND_DAYS.has('2016-06-30'));
  const end15 = Date.UTC(2015, 6, 1); // 2015-07-01T00:00:00Z, just after the leap second
  // a writer that can express the 61st second (not VirES: numpy datetime64 has none): it has no Unix time
  const withLeap = ['2015-06-30T23:59:58.000Z', '2015-06-30T23:59:59.000Z', '2015-06-30T23:59:60.000Z', '2015-07-01T00:00:00.000Z', '2015-07-01T00:00:01.000Z']
    .map((t, k) => `${t},${k},10,6828000,${20000 + k},100,-300,0`)
    .join('\r\n');
  const a = parseMagCsv(withLeap + '\r\n', 'leap.csv', { hapiParameters: HAPI_MAG });
  assert.equal(Array.from(a.Timestamp), [end15 - 2000, end15 - 1000, end15, end15 + 1000]);
  assert.equal(Array.from(a.B_N), [20000, 20001, 20003, 20004], 'the 23:59:60 record is the one dropped, not 00:00:00');
  assert.is(a.csvReport!.leapSeconds, 1);
  assert.is(a.csvReport!.duplicates, 0);
  // EFI at 2 Hz: both half seconds of 23:59:60 dropped
  const lp = parseLpCsv(
    ['2015-06-30T23:59:59.500Z', '2015-06-30T23:59:60.000Z', '2015-06-30T23:59:60.500Z', '2015-07-01T00:00:00.000Z'].map((t, k) => `${t},1,10,6828000,${k + 1},0`).join('\r\n'),
    'lp.csv',
    { hapiParameters: HAPI_LP },
  );
  assert.equal(Array.from(lp.Ne), [1, 4]);
  assert.is(lp.csvReport!.leapSeconds, 2);
  // CDF_EPOCH cannot hold 23:59:60: a product that repeats 23:59:59 (as VirES then prints it) keeps the first record
  const end16 = Date.UTC(2017, 0, 1);
  const repeated = [-2000, -1000, -1000, 0].map((d, k) => hapiLine(end16 + d, k, 10, 6828000, 20000 + k, 100, -300, 0)).join('\r\n');
  const b = parseMagCsv(repeated + '\r\n', 'rep.csv', { hapiParameters: HAPI_MAG });
  assert.equal(Array.from(b.Timestamp), [end16 - 2000, end16 - 1000, end16]);
  assert.equal(Array.from(b.B_N), [20000, 20001, 20003]);
  assert.equal([b.csvReport!.duplicates, b.csvReport!.leapSeconds], [1, 0]);
  // ... and one that leaves the second out has a 1 s gap at midnight and nothing else
  const missing = [-2000, -1000, 1000].map((d, k) => hapiLine(end16 + d, k, 10, 6828000, 20000 + k, 100, -300, 0)).join('\r\n');
  const c = parseMagCsv(missing + '\r\n', 'gap.csv', { hapiParameters: HAPI_MAG });
  assert.equal(Array.from(c.Timestamp), [end16 - 2000, end16 - 1000, end16 + 1000]);
  assert.equal([c.csvReport!.duplicates, c.csvReport!.leapSeconds, c.csvReport!.reordered], [0, 0, false]);
  // 23:59:60 on a day without a leap second is bad input
  expectError(() => parseMagCsv('2016-06-30T23:59:60.000Z,1,10,6828000,1,2,3,0\r\n', 'bad.csv', { hapiParameters: HAPI_MAG }), /^bad\.csv:1: column 'Timestamp': 2016-06-30T23:59:60\.000Z: 23:59:60 on a day without a leap second/);
});

test('exact 0.5 s offset is matched (tie goes to the earlier sample)', () => {
  const t0 = Date.UTC(2016, 1, 15);
  const mag = parseMagCsv(MAG_1HZ(3, t0), 'mag.csv');
  const lp = parseLpCsv(['Timestamp,N_ion'].concat([-500, 500, 1500, 2500].map((d, k) => `${new Date(t0 + d).toISOString()},${k + 1}`)).join('\n'), 'lp.csv');
  const { columns } = mergeMagLp(mag, lp);
  assert.equal(Array.from(columns.Ne), [1, 2, 3]);
});


test('bad input names file, line and column', () => {
  const good = MAG_1HZ(3, Date.UTC(2016, 1, 15));
  expectError(() => parseMagCsv(good.replace(',Radius,', ',R,'), 'm.csv'), /^m\.csv:1: column 'Radius': missing column/);
  expectError(() => parseMagCsv(good.replace(',B_NEC', ',B'), 'm.csv'), /^m\.csv:1: column 'B_NEC': missing column/);
  expectError(() => parseMagCsv(good.replace('{20001;100;-300}', '{20001;1x0;-300}'), 'm.csv'), /^m\.csv:3: column 'B_NEC': component E not a number: '1x0'/);
  expectError(() => parseMagCsv(good.replace('{20002;100;-300}', '{20002;100}'), 'm.csv'), /^m\.csv:4: column 'B_NEC': expected a 3-vector/);
  expectError(() => parseMagCsv(good.replace('6828000', '6828.0'), 'm.csv'), /^m\.csv:2: column 'Radius': 6828 m is not a Swarm orbit radius/);
  expectError(() => parseMagCsv(good.replace('2016-02-15T00:00:01.000Z', '2016-02-15 nonsense'), 'm.csv'), /^m\.csv:3: column 'Timestamp': not an ISO 8601/);
  expectError(() => parseMagCsv(good.replace('2016-02-15T00:00:01.000Z', '2016-02-16T23:59:60.000Z'), 'm.csv'), /^m\.csv:3: column 'Timestamp': 2016-02-16T23:59:60\.000Z: 23:59:60 on a day without a leap second/);
  expectError(() => parseLpCsv('Timestamp,Te\n2016-01-01T00:00:00Z,1\n', 'lp.csv'), /^lp\.csv:1: column 'Ne': missing column: need Ne \(baselines < 07\) or N_ion/);
  expectError(() => parseLpCsv('Timestamp,Ne\n2016-01-01T00:00:00Z,1\n2016-01-01T00:00:00.5Z,abc\n', 'lp.csv'), /^lp\.csv:3: column 'Ne': not a number: 'abc'/);
});

test('parseSwarmTime: fast path agrees with the general parser', () => {
  for (const s of ['2016-01-01T00:28:00Z', '2016-02-29T23:59:59.5Z', '2016-04-16T23:58:36.980Z', '2020-12-31T12:00:00.123456Z']) {
    assert.is(parseSwarmTime(s), Date.parse(s.replace(/(\.\d{3})\d+Z/, '$1Z')) + (s.endsWith('456Z') ? 0.456 : 0));
  }
  assert.is(parseSwarmTime('2016-13-01T00:00:00Z'), null);
});

test('importSwarmCsv: chunks across midnight become one store file per day with Ne merged', () => {
  const tmp = temps.tempDir('swarm-import-');
  const store = new SwarmStore((src) => path.join(tmp, 'store', src));
  const t0 = Date.UTC(2016, 1, 15, 23, 59, 50);
  const all = MAG_1HZ(30, t0).trim().split('\n'); // 23:59:50 .. 00:00:19
  const header = all[0];
  const magA = path.join(tmp, 'mag-a.csv');
  const magB = path.join(tmp, 'mag-b.csv');
  fs.writeFileSync(magA, [header, ...all.slice(1, 6)].join('\n'));
  fs.writeFileSync(magB, [header, ...all.slice(6)].join('\n'));
  const lpLines = (k0: number, k1: number) =>
    ['Timestamp,N_ion,Flags_N_ion'].concat(Array.from({ length: k1 - k0 }, (_, j) => `${new Date(t0 + 100 + (k0 + j) * 500).toISOString()},${k0 + j + 1},10`)).join('\n');
  const lpA = path.join(tmp, 'lp-a.csv');
  const lpB = path.join(tmp, 'lp-b.csv');
  fs.writeFileSync(lpA, lpLines(0, 21)); // up to 00:00:00.1
  fs.writeFileSync(lpB, lpLines(21, 50)); // ends 00:00:14.6: 00:00:15 takes it (0.4 s), seconds 16..19 have no Ne
  const days: string[] = [];
  const s = importSwarmCsv([magA, magB], [lpA, lpB], { satellite: 'A', store, producer: 'test', onDay: (d) => days.push(d) });
  assert.equal(days, ['2016-02-15', '2016-02-16']);
  assert.is(s.records, 30);
  assert.is(s.neMatched, 26);
  assert.is(s.neUnmatched, 4);
  const d1 = store.readDay('real', 'A', '2016-02-15')!;
  const d2 = store.readDay('real', 'A', '2016-02-16')!;
  assert.is(d1.Timestamp.length, 10);
  assert.is(d2.Timestamp.length, 20);
  // MAG second i is t0 + i s; nearest LP sample k = 2i (t0 + 100 + 1000 i ms), value k + 1
  assert.equal(Array.from(d1.Ne), Array.from({ length: 10 }, (_, i) => 2 * i + 1));
  assert.is(d2.Ne[0], 21); // 00:00:00 <- LP sample k = 20 from the first LP file
  assert.is(d2.Ne[14], 49);
  assert.is(d2.Ne[15], 50);
  assert.ok(Number.isNaN(d2.Ne[16]));
  assert.is(d2.Flags_Ne[16], FLAG.MISSING);
  assert.is(store.readMetadata('real', 'A', '2016-02-16')!.producer, 'test');
  // chunks out of order are refused
  assert.throws(() => importSwarmCsv([magB, magA], [], { satellite: 'A', store }), /before the previous chunk's start/);
  assert.throws(() => importSwarmCsv([magA], [], { satellite: 'B', store }), /spacecraft A, importing B/);
});

test('importDownloadedHapi: header-less HAPI CSV files from the download lock, overlapping chunks de-duplicated', () => {
  const tmp = temps.tempDir('hapi-import-');
  const outDir = path.join(tmp, 'downloaded');
  const lockFile = path.join(outDir, 'download-lock.json');
  const store = new SwarmStore((src) => path.join(tmp, 'store', src));
  const cfg = defaultConfig();
  const lock = emptyLock();
  const t0 = Date.UTC(2016, 1, 15, 23, 59, 56);
  const add = (kind: 'swarm-mag' | 'swarm-efi', start: number, stop: number, lines: string[]) => {
    const c = hapiChunk(cfg, kind, start, stop);
    const abs = path.join(outDir, c.file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, lines.join('\n') + '\n');
    lock.files[c.id] = { id: c.id, kind, format: 'hapi-csv', url: c.url, file: c.file, start: new Date(start).toISOString(), stop: new Date(stop).toISOString(), fetchedAt: new Date(0).toISOString(), bytes: fs.statSync(abs).size, sha256: sha256File(abs), rows: lines.length, attempts: 1 };
  };
  // MAG: Timestamp, Latitude, Longitude, Radius, B_NEC (3 columns), Flags_B; two overlapping chunks
  const mag = (i: number) => `${new Date(t0 + i * 1000).toISOString()},${i},10,6828000,${20000 + i},100,-300,${i === 1 ? 255 : 0}`;
  add('swarm-mag', t0, t0 + 5000, [0, 1, 2, 3, 4].map(mag));
  add('swarm-mag', t0 + 3000, t0 + 8000, [3, 4, 5, 6, 7].map(mag));
  // EFI: Timestamp, Latitude, Longitude, Radius, N_ion, Flags_N_ion at 2 Hz
  const efi = Array.from({ length: 16 }, (_, k) => `${new Date(t0 + 100 + k * 500).toISOString()},0,10,6828000,${1000 + k},10`);
  add('swarm-efi', t0, t0 + 8000, efi);
  writeLock(lockFile, lock);
  const s = importDownloadedHapi({ outDir, lockFile, store });
  assert.equal(s.days, ['2016-02-15', '2016-02-16']);
  assert.is(s.records, 8);
  assert.is(s.duplicatesDropped, 2);
  assert.is(s.magInvalid, 1);
  assert.is(s.neMatched, 8);
  const d1 = store.readDay('real', 'A', '2016-02-15')!;
  const d2 = store.readDay('real', 'A', '2016-02-16')!;
  assert.equal(Array.from(d1.B_N), [20000, 20001, 20002, 20003]);
  assert.equal(Array.from(d1.Flags_B), [0, FLAG.PRODUCT_INVALID, 0, 0]);
  assert.equal(Array.from(d2.Ne), [1008, 1010, 1012, 1014]);
  assert.is(store.readMetadata('real', 'A', '2016-02-16')!.producer, 'lib/swarm/import.ts (VirES HAPI CSV)');
  assert.throws(() => importDownloadedHapi({ outDir: path.join(tmp, 'none'), lockFile: path.join(tmp, 'none', 'lock.json'), store }), /no Swarm MAG files in the download lock/);
});

test.run();
