// Tests for lib/swarm/esa-cdf.ts: the real VirES MAG LR CDF fixture (bare and zipped) against its decoded oracle;
// MAG LR and EFI LP products written by lib/swarm/cdf/writer.ts across baselines (Ne / N_ion), time types,
// fill values, flags, out-of-order and repeated timestamps; merge into a store; errors naming file and entry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { paths } from '../lib/core/paths';
import { unixMsToEpoch, unixMsToTt2000 } from '../lib/swarm/cdf';
import { buildCdf, CdfWriteVariable } from '../lib/swarm/cdf/writer';
import { parseProductName, readEsaLp, readEsaMag } from '../lib/swarm/esa-cdf';
import { FLAG } from '../lib/swarm/flags';
import { importRecords } from '../lib/swarm/import';
import { SwarmStore } from '../lib/swarm/store';
import { writeZip } from './zip-writer';

const FIX = path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.cdf');
const ORACLE = JSON.parse(fs.readFileSync(FIX.replace('.cdf', '.decoded.json'), 'utf8')) as Record<string, Record<string, number | number[] | string>>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'esa-cdf-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.UTC(2016, 1, 15);
const MAG_NAME = 'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0505';
const EFI06 = 'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0602';
const EFI07 = 'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0701';

/** The oracle JSON holds the doubles printed with at most 15 significant digits: equal at that precision. */
const same = (a: number, b: number) => Number(a.toPrecision(15)) === Number(b.toPrecision(15));

function checkOracle(m: ReturnType<typeof readEsaMag>['records']): void {
  const keys = Object.keys(ORACLE.B_NEC).map(Number).sort((a, b) => a - b);
  assert.equal(Array.from(m.Timestamp), keys);
  keys.forEach((k, i) => {
    const b = ORACLE.B_NEC[k] as number[];
    assert.ok(same(m.B_N[i], b[0]) && same(m.B_E[i], b[1]) && same(m.B_C[i], b[2]), `B_NEC ${i}`);
    assert.ok(same(m.Latitude[i], ORACLE.Latitude[k] as number), `Latitude ${i}`);
    assert.ok(same(m.Longitude[i], ORACLE.Longitude[k] as number), `Longitude ${i}`);
    assert.ok(same(m.Radius[i], ORACLE.Radius[k] as number), `Radius ${i}`);
  });
}

test('real VirES MAG LR CDF (bare and inside a deflate ZIP) equals the decoded oracle', () => {
  const bare = readEsaMag(FIX);
  assert.is(bare.records.Timestamp.length, 192);
  assert.is(bare.records.spacecraft, 'A');
  assert.is(bare.records.productFlagsB, null);
  assert.is(bare.source.entry, null);
  assert.equal(bare.report, { records: 192, badTime: 0, duplicates: 0, reordered: false, fills: {} });
  checkOracle(bare.records);
  const zip = path.join(tmp, 'vires.CDF.ZIP');
  fs.writeFileSync(zip, writeZip([{ name: 'inner/vires-maga.cdf', data: fs.readFileSync(FIX), method: 8 }]));
  const z = readEsaMag(zip);
  assert.is(z.source.entry, 'inner/vires-maga.cdf');
  assert.is(z.records.file, `${zip}!inner/vires-maga.cdf`);
  checkOracle(z.records);
});

test('product names', () => {
  assert.equal(parseProductName(`/x/${MAG_NAME}.CDF.ZIP`), {
    product: MAG_NAME,
    type: 'SW_OPER_MAGA_LR_1B',
    instrument: 'MAG',
    satellite: 'A',
    baseline: '05',
    version: '05',
  });
  assert.is(parseProductName(`${EFI07}_MDR_EFI_LP.cdf`)!.baseline, '07');
  assert.is(parseProductName('vires-maga-lr-1b.cdf'), null);
});

/** A MAG LR product like ESA's: 1 Hz, extra variables; record 5 has Flags_B 255, record 7 a filled B_NEC. */
function magCdf(n: number, opts: { radiusKm?: boolean; drop?: string; timeType?: 'CDF_EPOCH' | 'CDF_TIME_TT2000'; order?: number[] } = {}): Uint8Array {
  const order = opts.order ?? Array.from({ length: n }, (_, i) => i);
  const t = order.map((i) => T0 + i * 1000);
  const timeType = opts.timeType ?? 'CDF_EPOCH';
  const b = order.flatMap((i) => (i === 7 ? [-1e31, -1e31, -1e31] : [20000 + i, -3000 + i / 2, 40000 - i]));
  const vars: CdfWriteVariable[] = [
    { name: 'Timestamp', type: timeType, records: n, values: timeType === 'CDF_EPOCH' ? t.map(unixMsToEpoch) : t.map(unixMsToTt2000) },
    { name: 'SyncStatus', type: 'CDF_UINT1', records: n, values: order.map(() => 0) },
    { name: 'Latitude', type: 'CDF_DOUBLE', records: n, values: order.map((i) => -80 + i * 0.064), attributes: { UNITS: 'deg' } },
    { name: 'Longitude', type: 'CDF_DOUBLE', records: n, values: order.map((i) => 170 - i * 0.01) },
    { name: 'Radius', type: 'CDF_DOUBLE', records: n, values: order.map((i) => (opts.radiusKm ? 6.83e3 : 6.83e6) + i) },
    { name: 'F', type: 'CDF_DOUBLE', records: n, values: order.map((i) => 45000 + i) },
    { name: 'B_NEC', type: 'CDF_DOUBLE', dims: [3], records: n, values: b, gzip: 6, attributes: { UNITS: 'nT', FILLVAL: [-1e31] } },
    { name: 'q_NEC_CRF', type: 'CDF_DOUBLE', dims: [4], records: n, values: order.flatMap(() => [1, 0, 0, 0]) },
    { name: 'Flags_B', type: 'CDF_UINT1', records: n, values: order.map((i) => (i === 5 ? 255 : i % 3)), attributes: { FILLVAL: [255] } },
  ];
  return buildCdf({ variables: vars.filter((v) => v.name !== opts.drop), globalAttributes: { File_Name: [MAG_NAME] } });
}

/** An EFI LP product: 2 Hz, density Ne (baseline < 07) or N_ion (>= 07), or both. */
function lpCdf(n: number, density: ('Ne' | 'N_ion')[], opts: { timeType?: 'CDF_EPOCH' | 'CDF_TIME_TT2000'; repeat?: number } = {}): Uint8Array {
  const idx = Array.from({ length: n }, (_, i) => (opts.repeat !== undefined && i === opts.repeat + 1 ? opts.repeat : i));
  const t = idx.map((i) => T0 + i * 500);
  const timeType = opts.timeType ?? 'CDF_EPOCH';
  const vars: CdfWriteVariable[] = [
    { name: 'Timestamp', type: timeType, records: n, values: timeType === 'CDF_EPOCH' ? t.map(unixMsToEpoch) : t.map(unixMsToTt2000) },
    { name: 'Latitude', type: 'CDF_DOUBLE', records: n, values: idx.map((i) => -80 + i * 0.032) },
    { name: 'Longitude', type: 'CDF_DOUBLE', records: n, values: idx.map(() => 170) },
    { name: 'Radius', type: 'CDF_DOUBLE', records: n, values: idx.map(() => 6.83e6) },
    { name: 'Te', type: 'CDF_DOUBLE', records: n, values: idx.map(() => 1800) },
  ];
  for (const d of density) {
    const offset = d === 'Ne' ? 0 : 0.25;
    vars.push({ name: d, type: 'CDF_DOUBLE', records: n, values: idx.map((i) => (i === 9 ? -1 : 1e5 + 100 * i + offset)), attributes: { UNITS: 'cm^-3', FILLVAL: [-1] } });
    vars.push({ name: `Flags_${d}`, type: 'CDF_UINT2', records: n, values: idx.map((i) => (i % 2 ? 20 : 10)) });
  }
  return buildCdf({ variables: vars });
}

test('MAG LR product in a ZIP: columns, Flags_B kept (255 stays 255), B_NEC FILLVAL -> NaN, satellite from the name', () => {
  const n = 40;
  const zip = path.join(tmp, `${MAG_NAME}.CDF.ZIP`);
  fs.writeFileSync(
    zip,
    writeZip([
      { name: `${MAG_NAME}.HDR`, data: Buffer.from('<Earth_Explorer_Header/>'), method: 8 },
      { name: `${MAG_NAME}_MDR_MAG_LR.cdf`, data: magCdf(n), method: 8 },
    ]),
  );
  const { records: m, source, report } = readEsaMag(zip);
  assert.is(source.entry, `${MAG_NAME}_MDR_MAG_LR.cdf`);
  assert.is(source.name!.baseline, '05');
  assert.is(m.spacecraft, 'A');
  assert.is(m.Timestamp.length, n);
  assert.is(m.Timestamp[3], T0 + 3000);
  assert.is(m.Latitude[10], -80 + 10 * 0.064);
  assert.is(m.Radius[2], 6.83e6 + 2);
  assert.equal([m.B_N[4], m.B_E[4], m.B_C[4]], [20004, -2998, 39996]);
  assert.ok(Number.isNaN(m.B_N[7]) && Number.isNaN(m.B_E[7]) && Number.isNaN(m.B_C[7]));
  assert.equal(report.fills, { B_NEC: 3 });
  assert.is(m.productFlagsB![5], 255);
  assert.is(m.productFlagsB![4], 1);
});

test('MAG LR: TT2000 time, out-of-order and repeated records are sorted and counted', () => {
  const order = [0, 1, 3, 2, 4, 4, 5, 6, 7, 8, 9];
  const f = path.join(tmp, `${MAG_NAME}_MDR_MAG_LR.cdf`);
  fs.writeFileSync(f, magCdf(order.length, { timeType: 'CDF_TIME_TT2000', order }));
  const { records: m, report } = readEsaMag(f);
  assert.equal(Array.from(m.Timestamp), Array.from({ length: 10 }, (_, i) => T0 + i * 1000));
  assert.equal(Array.from(m.B_N.subarray(0, 7)), [20000, 20001, 20002, 20003, 20004, 20005, 20006]);
  assert.is(report.reordered, true);
  assert.is(report.duplicates, 1);
});

test('EFI LP: Ne (baseline 06), N_ion (baseline 07), both (the baseline decides), FILLVAL -> NaN, repeated time dropped', () => {
  const n = 30;
  const f06 = path.join(tmp, `${EFI06}.CDF.ZIP`);
  fs.writeFileSync(f06, writeZip([{ name: `${EFI06}_MDR_EFI_LP.cdf`, data: lpCdf(n, ['Ne']), method: 8 }]));
  const a = readEsaLp(f06);
  assert.is(a.records.densityVariable, 'Ne');
  assert.is(a.records.Ne[4], 1e5 + 400);
  assert.ok(Number.isNaN(a.records.Ne[9]));
  assert.equal(a.report.fills, { Ne: 1 });
  assert.is(a.records.productFlagsNe![3], 20);
  assert.is(a.records.Timestamp[1] - a.records.Timestamp[0], 500);
  assert.is(a.records.spacecraft, 'A');

  const f07 = path.join(tmp, `${EFI07}_MDR_EFI_LP.cdf`);
  fs.writeFileSync(f07, lpCdf(n, ['N_ion'], { timeType: 'CDF_TIME_TT2000', repeat: 12 }));
  const b = readEsaLp(f07);
  assert.is(b.records.densityVariable, 'N_ion');
  assert.is(b.report.duplicates, 1);
  assert.is(b.records.Timestamp.length, n - 1);
  assert.is(b.records.Ne[0], 1e5 + 0.25);

  // both variables: baseline 06 reads Ne, baseline 07 reads N_ion
  const both06 = path.join(tmp, `${EFI06}_MDR_EFI_LP.cdf`);
  fs.writeFileSync(both06, lpCdf(n, ['Ne', 'N_ion']));
  assert.is(readEsaLp(both06).records.densityVariable, 'Ne');
  assert.is(readEsaLp(both06).records.Ne[1], 1e5 + 100);
  const both07 = path.join(tmp, `both-${EFI07}.cdf`);
  fs.writeFileSync(both07, lpCdf(n, ['Ne', 'N_ion']));
  assert.is(readEsaLp(both07).records.densityVariable, 'N_ion');
  assert.is(readEsaLp(both07).records.Ne[1], 1e5 + 100.25);
});

test('MAG + EFI products merge into a store day: Ne matched at each second, flags mapped', () => {
  const mag = path.join(tmp, `m-${MAG_NAME}.CDF.ZIP`);
  fs.writeFileSync(mag, writeZip([{ name: `${MAG_NAME}_MDR_MAG_LR.cdf`, data: magCdf(20), method: 8 }]));
  const lp = path.join(tmp, `l-${EFI06}.CDF.ZIP`);
  fs.writeFileSync(lp, writeZip([{ name: `${EFI06}_MDR_EFI_LP.cdf`, data: lpCdf(40, ['Ne']), method: 0 }]));
  const store = new SwarmStore((s) => path.join(tmp, 'store', s));
  const sum = importRecords([readEsaMag(mag).records], [readEsaLp(lp).records], { satellite: 'A', store });
  assert.equal(sum.days, ['2016-02-15']);
  const d = store.readDay('real', 'A', '2016-02-15')!;
  assert.is(d.Timestamp.length, 20);
  // MAG second i <-> LP sample 2i (same instant)
  assert.is(d.Ne[3], 1e5 + 600);
  assert.is(d.Flags_Ne[3], 0);
  assert.is(d.Flags_B[5], FLAG.PRODUCT_INVALID);
  assert.is(d.Flags_B[7], FLAG.MISSING);
  assert.is(d.Flags_B[6], 0);
  assert.is(sum.neMatched, 20);
});

function throwsMsg(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
}

test('errors name the file and entry: missing variable, wrong units, ambiguous ZIP, corrupt entry, no density', () => {
  const noB = path.join(tmp, 'noB.CDF.ZIP');
  fs.writeFileSync(noB, writeZip([{ name: `${MAG_NAME}_MDR_MAG_LR.cdf`, data: magCdf(5, { drop: 'B_NEC' }) }]));
  throwsMsg(() => readEsaMag(noB), new RegExp(`noB\\.CDF\\.ZIP!${MAG_NAME}_MDR_MAG_LR\\.cdf: not a MAG LR product: variable\\(s\\) B_NEC missing \\(have: Timestamp,`));
  const km = path.join(tmp, 'km.cdf');
  fs.writeFileSync(km, magCdf(5, { radiusKm: true }));
  throwsMsg(() => readEsaMag(km), /km\.cdf: record 0: Radius 6830 m is not a Swarm orbit radius/);
  const two = path.join(tmp, 'two.zip');
  fs.writeFileSync(two, writeZip([{ name: 'a.cdf', data: magCdf(3) }, { name: 'b.cdf', data: magCdf(3) }]));
  throwsMsg(() => readEsaMag(two), /two\.zip: expected one CDF entry \(or one named \*_MDR_MAG_LR\*\), found 2 among: a\.cdf, b\.cdf/);
  const bad = writeZip([{ name: 'x_MDR_MAG_LR.cdf', data: magCdf(5), method: 0 }]);
  bad[30 + 'x_MDR_MAG_LR.cdf'.length + 400] ^= 0x40;
  const badFile = path.join(tmp, 'bad.zip');
  fs.writeFileSync(badFile, bad);
  throwsMsg(() => readEsaMag(badFile), /bad\.zip: entry 'x_MDR_MAG_LR\.cdf': CRC-32 mismatch/);
  const noNe = path.join(tmp, 'nodensity.cdf');
  fs.writeFileSync(noNe, lpCdf(4, []));
  throwsMsg(() => readEsaLp(noNe), /nodensity\.cdf: not an EFI LP product: no density variable \(Ne before baseline 07, N_ion since\) among: Timestamp, Latitude/);
  // a truncated CDF inside a good ZIP: the CDF reader's error names file!entry
  const cut = magCdf(5);
  const cutZip = path.join(tmp, 'cut.zip');
  fs.writeFileSync(cutZip, writeZip([{ name: 'c_MDR_MAG_LR.cdf', data: cut.subarray(0, 600) }]));
  throwsMsg(() => readEsaMag(cutZip), /cut\.zip!c_MDR_MAG_LR\.cdf: /);
});

test.run();
