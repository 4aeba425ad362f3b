// Tests for lib/indices (Kp, Dst, ap): known values read off the shipped GFZ and WDC files around the case
// days, agreement of the two Kp formats and of the Kp->ap table with GFZ's published ap, and bad input.
import { expectError } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { paths } from '../lib/core/paths';
import { kpAt, kpLabel, kpMax, parseKpCsv, parseKpOfficial, readKp3Hourly, readKpOfficial } from '../lib/indices/kp';
import { dstAt, dstMin, parseDst, readDstHourly } from '../lib/indices/dst';
import { apAt, apDailyAt, apFromKp, dailyApFrom3Hourly, kpToAp, readAp3HourlyOfficial, readApDaily, roundHalfEven } from '../lib/indices/ap';

const H = 3600e3;
const kp = readKp3Hourly();
const dst = readDstHourly();

test('Kp CSV: 2006-2022 without gaps, values around the case days', () => {
  assert.is(kp.info.days, 6209);
  assert.is(kp.Kp.length, 6209 * 8);
  assert.is(kp.info.missing, 0);
  assert.is(kp.time[0], Date.UTC(2006, 0, 1));
  for (let i = 1; i < kp.time.length; i++) if (kp.time[i] - kp.time[i - 1] !== 3 * H) assert.unreachable(`gap at ${i}`);
  const d15 = Date.UTC(2016, 1, 15);
  assert.equal(Array.from({ length: 8 }, (_, s) => kpAt(kp, d15 + s * 3 * H + 1)), [2.333, 2.333, 3, 1.667, 1.667, 1, 1, 4.333]);
  const d07 = Date.UTC(2016, 3, 7);
  assert.equal(Array.from({ length: 8 }, (_, s) => kpAt(kp, d07 + s * 3 * H + 90 * 60e3)), [2, 1, 0.667, 1.333, 1, 2.333, 4.667, 5.667]);
  assert.is(kpAt(kp, d07 + 21 * H), 5.667); // slot start belongs to the slot
  assert.is(kpAt(kp, d07 + 21 * H - 1), 4.667);
  assert.is(kpMax(kp, d07, d07 + 24 * H), 5.667);
  assert.is(kpMax(kp, d07, d07 + 18 * H), 4.667);
  assert.is(kpLabel(5.667), '6-');
  assert.is(kpLabel(4.333), '4+');
  assert.is(kpLabel(3), '3o');
});

test('kpAt outside the series throws', () => {
  assert.throws(() => kpAt(kp, Date.UTC(2005, 11, 31, 23)), /outside the Kp series/);
  assert.throws(() => kpAt(kp, Date.UTC(2023, 0, 1)), /outside/);
  assert.throws(() => kpAt(kp, NaN), /outside/);
});

test('official GFZ format: same Kp as the CSV on all 99 days; ap equals the Kp->ap table', () => {
  const o = readKpOfficial(paths.kpOfficialExcerpt);
  assert.is(o.info.days, 99);
  assert.is(o.info.format, 'gfz-official');
  assert.is(o.time[0], Date.UTC(2016, 0, 30));
  const i0 = (o.time[0] - kp.time[0]) / (3 * H);
  for (let i = 0; i < o.Kp.length; i++) {
    assert.is(o.time[i], kp.time[i0 + i]);
    assert.is(o.Kp[i], kp.Kp[i0 + i]);
    assert.is(o.ap[i], kpToAp(o.Kp[i]));
  }
  // readKp3Hourly detects the format
  const auto = readKp3Hourly(paths.kpOfficialExcerpt);
  assert.is(auto.info.format, 'gfz-official');
  assert.equal(Array.from(auto.Kp), Array.from(o.Kp));
  // 2016-02-15: ap 9 9 15 6 6 4 4 32, Ap 11
  const j = (Date.UTC(2016, 1, 15) - o.time[0]) / (3 * H);
  assert.equal(Array.from(o.ap.subarray(j, j + 8)), [9, 9, 15, 6, 6, 4, 4, 32]);
  assert.is(o.Ap[j / 8], 11);
  // daily Ap from ap, halves to even, equals GFZ's Ap on every day
  const daily = dailyApFrom3Hourly({ time: o.time, ap: o.ap });
  assert.equal(Array.from(daily.Ap), Array.from(o.Ap));
  const ap3 = readAp3HourlyOfficial();
  assert.is(ap3.ap[j + 7], 32);
});

test('Kp->ap table and apAt', () => {
  assert.is(kpToAp(0), 0);
  assert.is(kpToAp(0.333), 2);
  assert.is(kpToAp(2.667), 12);
  assert.is(kpToAp(3), 15);
  assert.is(kpToAp(4.333), 32);
  assert.is(kpToAp(9), 400);
  assert.ok(Number.isNaN(kpToAp(NaN)));
  assert.throws(() => kpToAp(2.5), /not one of/);
  assert.throws(() => kpToAp(9.333), /not one of/);
  assert.is(apAt(kp, Date.UTC(2016, 3, 7, 22)), 67);
  assert.is(roundHalfEven(2.5), 2);
  assert.is(roundHalfEven(3.5), 4);
  assert.is(roundHalfEven(3.4), 3);
});

test('daily Ap CSV equals the mean of the table ap (halves to even) on all 6,209 days', () => {
  const apd = readApDaily();
  assert.is(apd.Ap.length, 6209);
  const ours = dailyApFrom3Hourly(apFromKp(kp));
  assert.equal(Array.from(ours.time), Array.from(apd.time));
  let diff = 0;
  for (let j = 0; j < apd.Ap.length; j++) if (ours.Ap[j] !== apd.Ap[j]) diff++;
  assert.is(diff, 0);
  assert.is(apDailyAt(apd, Date.UTC(2016, 1, 15, 12)), 11);
});

test('Dst: 2006-2022 hourly, known values', () => {
  assert.is(dst.info.days, 6209);
  assert.is(dst.info.missing, 0);
  assert.is(dst.Dst.length, 6209 * 24);
  assert.ok(dst.info.provisional > 0); // 2021-2022 lines carry 'PP'
  // 2016-02-15: hour 24 (23-24 UT) is -24 nT; 2016-04-07: hours 21..24 are -55 -61 -59 -60
  assert.is(dstAt(dst, Date.UTC(2016, 1, 15, 23, 30)), -24);
  assert.is(dstAt(dst, Date.UTC(2016, 1, 15, 0, 0)), -11);
  assert.equal([20, 21, 22, 23].map((h) => dstAt(dst, Date.UTC(2016, 3, 7, h, 10))), [-55, -61, -59, -60]);
  // St Patrick's Day storm 2015: minimum -234 nT at 22-23 UT on 2015-03-17 in this file
  assert.is(dstMin(dst, Date.UTC(2015, 2, 17), Date.UTC(2015, 2, 18)), -234);
  assert.is(dstAt(dst, Date.UTC(2015, 2, 17, 22, 59)), -234);
  assert.throws(() => dstAt(dst, Date.UTC(2023, 0, 1)), /outside the Dst series/);
});


test('bad Kp input: missing column, bad number, missing value, wrong sum', () => {
  const hdr = 'Date,K_00,K_03,K_06,K_09,K_12,K_15,K_18,K_21,Kp_Sum';
  expectError(() => parseKpCsv(hdr.replace('K_12', 'K12') + '\n', 'kp.csv'), /^kp\.csv:1: column 'K_12': missing column/);
  expectError(() => parseKpCsv(`${hdr}\n2016-01-01,1,1,1,1,1,1,1,1,8\n2016-01-02,1,1,1,x,1,1,1,1,8\n`, 'kp.csv'), /^kp\.csv:3: column 'K_09': not a number: 'x'/);
  expectError(() => parseKpCsv(`${hdr}\n2016-01-01,1,1,1,1,1,1,1,1,9\n`, 'kp.csv'), /^kp\.csv:2: column 'Kp_Sum'/);
  expectError(() => parseKpCsv(`${hdr}\n2016-01-01,1,1,1,1,1,1,1,1.5,8.5\n`, 'kp.csv'), /multiple of 1\/3/);
  expectError(() => parseKpCsv(`${hdr}\n2016-01-01,1,1,1,1,1,1,1,-1,7\n`, 'kp.csv'), /^kp\.csv:2: column 'K_21': missing Kp/);
  const nan = parseKpCsv(`${hdr}\n2016-01-01,1,1,1,1,1,1,1,-1,7\n\n2016-01-02,1,1,1,1,1,1,1,1,8\n`, 'kp.csv', { missing: 'nan' });
  assert.is(nan.info.missing, 1);
  assert.ok(Number.isNaN(nan.Kp[7]));
  assert.is(nan.Kp.length, 16);
  expectError(() => parseKpCsv(`${hdr}\n2016-01-02,1,1,1,1,1,1,1,1,8\n2016-01-01,1,1,1,1,1,1,1,1,8\n`, 'kp.csv'), /out of order/);
});

test('bad official-format input names the line and column', () => {
  const good = '2016 02 15 30726 30726.5 2490 10  2.333  2.333  3.000  1.667  1.667  1.000  1.000  4.333    9    9   15    6    6    4    4   32    11  50    107.3    104.7 2';
  const missing = good.replace('4.333', '-1.000').replace('   32 ', '   -1 ');
  expectError(() => parseKpOfficial(`#hdr\n${good}\n${missing}\n`, 'gfz.txt'), /^gfz\.txt:3: column 'Kp8': missing Kp/);
  const o = parseKpOfficial(`#hdr\n${missing}\n`, 'gfz.txt', { missing: 'nan' });
  assert.is(o.info.missing, 1);
  assert.ok(Number.isNaN(o.ap[7]));
  expectError(() => parseKpOfficial(`#hdr\n${good.replace('3.000', '3.0x0')}\n`, 'gfz.txt'), /^gfz\.txt:2: column 'Kp3': not a number/);
  expectError(() => parseKpOfficial(`#hdr\n2016 02 15 1 2\n`, 'gfz.txt'), /^gfz\.txt:2: 5 columns/);
});

test('bad Dst input: shifted column, bad number, missing 9999', () => {
  const good = 'DST1602*15  X220   0 -11 -11 -10  -8 -11 -11  -8  -6  -5  -3  -3  -5  -7  -8  -5  -6  -7  -5  -2  -2  -3  -7 -18 -24  -8';
  const d = parseDst(good + '\n', 'dst.dat');
  assert.is(d.Dst[23], -24);
  assert.is(d.time[0], Date.UTC(2016, 1, 15));
  expectError(() => parseDst(`${good}\n${good.replace('DST1602*15', 'DST1602*16').replace(' -24', ' -2x')}\n`, 'dst.dat'), /^dst\.dat:2: column 'hour 24 \(characters 113-116\)': not a number/);
  expectError(() => parseDst(good.replace(' -24  -8', ' -24 -18') + '\n', 'dst.dat'), /^dst\.dat:1: column 'daily mean'/);
  expectError(() => parseDst(good.replace(' -11 -10', '9999 -10') + '\n', 'dst.dat'), /^dst\.dat:1: column 'hour 2': missing Dst/);
  const nan = parseDst(good.replace(' -11 -10', '9999 -10') + '\n', 'dst.dat', { missing: 'nan' });
  assert.is(nan.info.missing, 1);
  assert.ok(Number.isNaN(nan.Dst[1]));
  expectError(() => parseDst(' ' + good + '\n', 'dst.dat'), /^dst\.dat:1: column '1-3': expected 'DST'/);
});

test.run();
