// Tests for lib/download/ingest.ts and the ingest step of scripts/data.ts: HAPI CSV fetched from the local fake
// services (test/download-fake-server.ts, with 1408 splits and a rerun over an overlapping period), ESA daily
// CDF ZIPs placed with their lock entries; store days read back with Ne matched; idempotent reruns; failures.
import { runDataCli, tempDirs } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../lib/core/paths';
import { hapiParametersOf, ingestDownloads, IngestReport, mergePieces, satelliteOf } from '../lib/download/ingest';
import { emptyLock, readLock, sha256File, writeLock } from '../lib/download/lock';
import { defaultConfig, DownloadConfig, esaFileChunk, isoZ } from '../lib/download/plan';
import { runDownloads, RunOptions } from '../lib/download/run';
import { unixMsToEpoch } from '../lib/swarm/cdf';
import { buildCdf } from '../lib/swarm/cdf/writer';
import { FLAG } from '../lib/swarm/flags';
import { MagRecords } from '../lib/swarm/swarm-csv';
import { SwarmStore } from '../lib/swarm/store';
import { FakeServer, makeEsaZip, startFakeServer } from './download-fake-server';
import { writeZip } from './zip-writer';

const DAY = 86_400_000;
const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

function cfgFor(s: FakeServer, over: Partial<DownloadConfig> = {}): DownloadConfig {
  return defaultConfig({
    baseUrls: { fdsn: `${s.base}/fdsnws/event/1`, kp: `${s.base}/kp`, hapi: `${s.base}/hapi`, esa: `${s.base}/esa` },
    only: ['swarm-mag', 'swarm-efi'],
    ...over,
  });
}

function runOpts(dir: string): RunOptions {
  return { outDir: dir, lockFile: path.join(dir, 'download-lock.json'), backoffMs: 1, maxBackoffMs: 2, timeoutMs: 3000, log: () => undefined, forceLogProgress: true, sleep: async () => undefined };
}

/** The fake server's N_ion at time t (test/download-fake-server.ts: 150000 + 2500 sin(i/7), i = t / cadence), as printed. */
const fakeNion = (t: number, cadenceS: number) => Number((150000 + 2500 * Math.sin(t / 1000 / cadenceS / 7)).toFixed(1));

test('helpers: satellite from names, HAPI columns from the request URL, merge of overlapping pieces', () => {
  assert.is(satelliteOf('swarm/hapi/SW_OPER_MAGA_LR_1B/SW_OPER_MAGA_LR_1B_20160101T000000_20160106T000000.csv'), 'A');
  assert.is(satelliteOf('swarm/esa/SW_OPER_EFIB_LP_1B/SW_OPER_EFIB_LP_1B_20160101T000000_20160101T235959_0602.CDF.ZIP'), 'B');
  assert.throws(() => satelliteOf('swarm/x.csv'), /swarm\/x\.csv: cannot tell the Swarm satellite/);
  assert.equal(hapiParametersOf({ file: 'f', url: 'http://h/hapi/data?dataset=SW_OPER_MAGA_LR_1B&parameters=Latitude,Longitude,Radius,B_NEC,Flags_B&start=x' }), [
    { name: 'Timestamp' },
    { name: 'Latitude' },
    { name: 'Longitude' },
    { name: 'Radius' },
    { name: 'B_NEC', size: [3] },
    { name: 'Flags_B' },
  ]);
  assert.throws(() => hapiParametersOf({ file: 'g.csv', url: 'http://h/hapi/data?dataset=X' }), /g\.csv: cannot read the HAPI parameters/);
  const piece = (file: string, ts: number[], v: number, flags: boolean): MagRecords => ({
    file,
    layout: 'hapi-no-header',
    spacecraft: null,
    Timestamp: Float64Array.from(ts),
    Latitude: Float64Array.from(ts, () => v),
    Longitude: Float64Array.from(ts, () => v),
    Radius: Float64Array.from(ts, () => v),
    B_N: Float64Array.from(ts, () => v),
    B_E: Float64Array.from(ts, () => v),
    B_C: Float64Array.from(ts, () => v),
    productFlagsB: flags ? Float64Array.from(ts, () => 255) : null,
    bLayout: 'three-columns',
  });
  const m = mergePieces([piece('a', [0, 1000, 2000, 3000], 1, true), piece('b', [2000, 3000.2, 4000, 5000], 2, false)], 1000, 5000)!;
  assert.equal(Array.from(m.records.Timestamp), [1000, 2000, 3000, 4000]);
  assert.equal(Array.from(m.records.B_N), [1, 1, 1, 2]);
  assert.equal(Array.from(m.records.productFlagsB!), [255, 255, 255, NaN]);
  assert.is(m.duplicates, 2);
  assert.is(m.records.file, 'a + b');
  assert.is(mergePieces([piece('a', [0], 1, true)], 5, 9), null);
});

test('HAPI end to end: download (with 1408 splits) -> ingest -> store days with Ne matched; rerun unchanged; overlapping rerun', async () => {
  const cadence = 20;
  const s = await startFakeServer({ hapiCadenceS: cadence, hapiMaxSpanMs: { SW_OPER_EFIA_LP_1B: 1 * DAY } });
  try {
    const dir = tempDir('ingest-hapi-');
    const o = runOpts(dir);
    const r = await runDownloads(cfgFor(s, { from: '2016-01-01', to: '2016-01-03' }), o);
    assert.is(r.failed.length, 0);
    assert.ok(r.splits >= 1, 'EFI requests were split');
    const store = new SwarmStore(() => path.join(dir, 'store'));
    const logs: string[] = [];
    const rep = ingestDownloads({ outDir: dir, lockFile: o.lockFile, store, log: (l) => logs.push(l), forceLogProgress: true });
    assert.equal(rep.days.map((d) => `${d.satellite} ${d.day} ${d.status}`), ['A 2016-01-01 written', 'A 2016-01-02 written', 'A 2016-01-03 written']);
    assert.is(rep.written, 3);
    assert.is(rep.failed, 0);
    const perDay = DAY / 1000 / cadence;
    assert.is(rep.records, 3 * perDay);
    assert.is(rep.neMatched, 3 * perDay);
    assert.match(logs[logs.length - 1], /^ingest: 3 day\(s\) written \(12960 records, Ne matched for 12960\), 0 unchanged, 0 empty, 0 failed; store /);
    assert.ok(logs.some((l) => /^ingest Swarm A: 3 day\(s\) from 1 MAG and \d+ EFI file\(s\)/.test(l)));
    for (const day of ['2016-01-01', '2016-01-02', '2016-01-03']) {
      const d = store.readDay('real', 'A', day)!;
      assert.is(d.Timestamp.length, perDay, day);
      assert.is(d.Timestamp[0], Date.parse(`${day}T00:00:00Z`));
      for (const i of [0, 1, 1234, perDay - 1]) {
        assert.is(d.Ne[i], fakeNion(d.Timestamp[i], cadence), `${day} Ne ${i}`);
        assert.is(d.Flags_Ne[i], 0);
        assert.is(d.Flags_B[i], 0);
      }
      assert.ok(d.Radius[5] > 6.3e6 && Number.isFinite(d.B_N[5]));
      const meta = store.readMetadata('real', 'A', day)!;
      assert.match(meta.producer, /^lib\/download\/ingest\.ts v1 \(inputs sha256:[0-9a-f]{64}\)$/);
      assert.equal(meta.baselines, { MAG: 'SW_OPER_MAGA_LR_1B via VirES HAPI', EFI: 'SW_OPER_EFIA_LP_1B via VirES HAPI' });
    }
    // rerun: nothing changed, nothing rewritten
    const mtime = fs.statSync(store.file('real', 'A', '2016-01-02')).mtimeMs;
    const again = ingestDownloads({ outDir: dir, lockFile: o.lockFile, store, log: () => undefined, forceLogProgress: true });
    assert.is(again.unchanged, 3);
    assert.is(again.written, 0);
    assert.is(fs.statSync(store.file('real', 'A', '2016-01-02')).mtimeMs, mtime);
    // a narrower ingest touches only its days
    const one = ingestDownloads({ outDir: dir, lockFile: o.lockFile, store, from: '2016-01-02', to: '2016-01-02', force: true, log: () => undefined, forceLogProgress: true });
    assert.equal(one.days.map((d) => d.day), ['2016-01-02']);
    assert.is(one.written, 1);

    // a later run over a shifted period fetches chunks that overlap the first ones: repeated timestamps dropped
    const r2 = await runDownloads(cfgFor(s, { from: '2016-01-01T12:00:00Z', to: '2016-01-02T12:00:00Z', only: ['swarm-mag'] }), o);
    assert.is(r2.failed.length, 0);
    assert.is(r2.downloaded.length, 1);
    const third = ingestDownloads({ outDir: dir, lockFile: o.lockFile, store, log: () => undefined, forceLogProgress: true });
    assert.equal(third.days.map((d) => `${d.day} ${d.status}`), ['2016-01-01 written', '2016-01-02 written', '2016-01-03 unchanged']);
    assert.is(third.duplicates, perDay);
    assert.is(third.days[0].inputs.filter((f) => f.includes('MAGA')).length, 2);
    assert.is(store.readDay('real', 'A', '2016-01-01')!.Timestamp.length, perDay);
    assert.is(store.readDay('real', 'A', '2016-01-02')!.Timestamp.length, perDay);
  } finally {
    await s.close();
  }
});

// ---- ESA daily ZIPs placed in a download folder with their lock entries ----

const N_MAG = 600; // 10 minutes at 1 Hz from 00:00 of each day, plus 10 minutes before midnight
function esaMag(day: number, version: string): Buffer {
  const ts = [...Array.from({ length: N_MAG }, (_, i) => day + i * 1000), ...Array.from({ length: N_MAG }, (_, i) => day + DAY - N_MAG * 1000 + i * 1000)];
  const n = ts.length;
  const name = `SW_OPER_MAGA_LR_1B_${stampDay(day)}T000000_${stampDay(day)}T235959_${version}`;
  const cdf = buildCdf({
    variables: [
      { name: 'Timestamp', type: 'CDF_EPOCH', records: n, values: ts.map(unixMsToEpoch) },
      { name: 'Latitude', type: 'CDF_DOUBLE', records: n, values: ts.map((_, i) => -60 + (i % 1000) * 0.06) },
      { name: 'Longitude', type: 'CDF_DOUBLE', records: n, values: ts.map(() => 100) },
      { name: 'Radius', type: 'CDF_DOUBLE', records: n, values: ts.map(() => 6.83e6) },
      { name: 'B_NEC', type: 'CDF_DOUBLE', dims: [3], records: n, values: ts.flatMap((t) => [t / 1e9, 1, 2]), gzip: 1 },
      { name: 'Flags_B', type: 'CDF_UINT1', records: n, values: ts.map((_, i) => (i === 10 ? 255 : 0)) },
    ],
  });
  return makeEsaZip(`${name}.CDF.ZIP`, Buffer.from(cdf)); // _MDR_MAG_LR.cdf, .HDR and .EEF, as ESA's ZIPs hold
}

/** EFI LP at 2 Hz over the whole day, offset by 0.25 s from the MAG seconds; Ne = 1e5 + seconds of day. */
function esaEfi(day: number, version: string): Buffer {
  const n = 2 * 86400;
  const ts = Array.from({ length: n }, (_, i) => day + 250 + i * 500);
  const name = `SW_OPER_EFIA_LP_1B_${stampDay(day)}T000000_${stampDay(day)}T235959_${version}`;
  const cdf = buildCdf({
    variables: [
      { name: 'Timestamp', type: 'CDF_EPOCH', records: n, values: ts.map(unixMsToEpoch) },
      { name: 'Ne', type: 'CDF_DOUBLE', records: n, values: ts.map((t) => 1e5 + (t - day) / 1000) },
      { name: 'Flags_Ne', type: 'CDF_UINT2', records: n, values: ts.map(() => 1) },
    ],
  });
  return makeEsaZip(`${name}.CDF.ZIP`, Buffer.from(cdf));
}

function stampDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Place one ESA daily file into dir and record it in the lock, as runDownloads would. */
function place(dir: string, kind: 'swarm-mag' | 'swarm-efi', day: number, version: string, bytes: Buffer): string {
  const cfg = defaultConfig({ source: 'esa' });
  const product = kind === 'swarm-mag' ? 'SW_OPER_MAGA_LR_1B' : 'SW_OPER_EFIA_LP_1B';
  const c = esaFileChunk(cfg, kind, { name: `${product}_${stampDay(day)}T000000_${stampDay(day)}T235959_${version}.CDF.ZIP`, day, version, mtime: null, size: null });
  const abs = path.join(dir, c.file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, bytes);
  const lockFile = path.join(dir, 'download-lock.json');
  const lock = fs.existsSync(lockFile) ? readLock(lockFile) : emptyLock();
  lock.files[c.file] = {
    id: c.id,
    kind,
    format: 'zip',
    url: c.url,
    file: c.file,
    start: isoZ(c.start!),
    stop: isoZ(c.stop!),
    fetchedAt: new Date().toISOString(),
    bytes: bytes.length,
    sha256: sha256File(abs),
    rows: null,
    attempts: 1,
  };
  writeLock(lockFile, lock);
  return abs;
}

test('ESA end to end: daily MAG and EFI ZIPs -> store days; Ne across midnight from the next day file; idempotent; new version rewrites', () => {
  const dir = tempDir('ingest-esa-');
  const d1 = Date.UTC(2016, 1, 15);
  const d2 = d1 + DAY;
  place(dir, 'swarm-mag', d1, '0505', esaMag(d1, '0505'));
  place(dir, 'swarm-mag', d2, '0505', esaMag(d2, '0505'));
  place(dir, 'swarm-efi', d1, '0602', esaEfi(d1, '0602'));
  // EFI of d2 is missing at first: d2 gets Ne = NaN, flagged missing, but for its first second (00:00:00), whose
  // nearest EFI sample is d1's last (23:59:59.75, within 0.5 s)
  const store = new SwarmStore(() => path.join(dir, 'store'));
  const lockFile = path.join(dir, 'download-lock.json');
  const run = (): IngestReport => ingestDownloads({ outDir: dir, lockFile, store, log: () => undefined, forceLogProgress: true });
  const a = run();
  assert.equal(a.days.map((d) => `${d.day} ${d.status} ${d.records} ${d.neMatched}`), [`2016-02-15 written ${2 * N_MAG} ${2 * N_MAG}`, `2016-02-16 written ${2 * N_MAG} 1`]);
  const day1 = store.readDay('real', 'A', '2016-02-15')!;
  // MAG second k of the day <-> EFI samples at k - 0.25 s and k + 0.25 s: ties go to the earlier one
  assert.is(day1.Ne[3], 1e5 + 2.75);
  assert.is(day1.Flags_Ne[3], 0);
  assert.is(day1.Flags_B[10], FLAG.PRODUCT_INVALID);
  assert.is(day1.Flags_B[11], 0);
  assert.is(day1.B_N[0], d1 / 1e9);
  // last MAG second of d1 (23:59:59) is matched to the EFI sample at 23:59:58.75
  assert.is(day1.Ne[2 * N_MAG - 1], 1e5 + 86398.75);
  const day2 = store.readDay('real', 'A', '2016-02-16')!;
  assert.is(day2.Ne[0], 1e5 + 86399.75);
  assert.ok(Number.isNaN(day2.Ne[1]));
  assert.is(day2.Flags_Ne[1], FLAG.MISSING);
  assert.equal(store.readMetadata('real', 'A', '2016-02-15')!.baselines, {
    MAG: 'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0505',
    EFI: 'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0602',
  });

  // the EFI file of d2 arrives: d2 changes, and d1 is rewritten too (d2's EFI file starts within d1's margin of
  // tolerance + 1 s after midnight, so it is one of d1's inputs) with the same values
  place(dir, 'swarm-efi', d2, '0602', esaEfi(d2, '0602'));
  const b = run();
  assert.equal(b.days.map((d) => `${d.day} ${d.status}`), ['2016-02-15 written', '2016-02-16 written']);
  const day2b = store.readDay('real', 'A', '2016-02-16')!;
  // 00:00:00 lies between d1's 23:59:59.75 and d2's 00:00:00.25: the tie goes to the earlier sample
  assert.is(day2b.Ne[0], 1e5 + 86399.75);
  assert.is(day2b.Ne[1], 1e5 + 0.75);
  assert.is(b.neMatched, 4 * N_MAG);
  assert.equal(Array.from(store.readDay('real', 'A', '2016-02-15')!.Ne), Array.from(day1.Ne));
  const c = run();
  assert.is(c.unchanged, 2);
  assert.is(c.written, 0);
  // a store file deleted by hand is written again, the other day left alone
  fs.rmSync(store.file('real', 'A', '2016-02-16'));
  const d = run();
  assert.equal(d.days.map((x) => `${x.day} ${x.status}`), ['2016-02-15 unchanged', '2016-02-16 written']);
});

test('leap second 2016-12-31 in an ESA CDF_EPOCH product: a repeated 23:59:59 keeps the first record; a missing one is a gap', () => {
  const dir = tempDir('ingest-leap-');
  const day = Date.UTC(2016, 11, 31);
  const end = day + DAY;
  // CDF_EPOCH has no 23:59:60: the inserted second comes as a repeated 23:59:59 (second copy B_N = 999)
  const ts = [end - 4000, end - 3000, end - 2000, end - 1000, end - 1000];
  const name = `SW_OPER_MAGA_LR_1B_20161231T000000_20161231T235959_0505`;
  const cdf = buildCdf({
    variables: [
      { name: 'Timestamp', type: 'CDF_EPOCH', records: ts.length, values: ts.map(unixMsToEpoch) },
      { name: 'Latitude', type: 'CDF_DOUBLE', records: ts.length, values: ts.map(() => 10) },
      { name: 'Longitude', type: 'CDF_DOUBLE', records: ts.length, values: ts.map(() => 100) },
      { name: 'Radius', type: 'CDF_DOUBLE', records: ts.length, values: ts.map(() => 6.83e6) },
      { name: 'B_NEC', type: 'CDF_DOUBLE', dims: [3], records: ts.length, values: ts.flatMap((_, i) => [i === 4 ? 999 : i, 1, 2]) },
      { name: 'Flags_B', type: 'CDF_UINT1', records: ts.length, values: ts.map(() => 0) },
    ],
  });
  place(dir, 'swarm-mag', day, '0505', makeEsaZip(`${name}.CDF.ZIP`, Buffer.from(cdf)));
  const store = new SwarmStore(() => path.join(dir, 'store'));
  const r = ingestDownloads({ outDir: dir, lockFile: path.join(dir, 'download-lock.json'), store, log: () => undefined, forceLogProgress: true });
  assert.is(r.written, 1);
  const d = store.readDay('real', 'A', '2016-12-31')!;
  assert.equal(Array.from(d.Timestamp), [end - 4000, end - 3000, end - 2000, end - 1000]);
  assert.equal(Array.from(d.B_N), [0, 1, 2, 3], 'the first 23:59:59 is kept, the repeat dropped');
});

test('a damaged input fails its days with a message naming file and entry; other days are written; EFI-only days reported', () => {
  const dir = tempDir('ingest-bad-');
  const d1 = Date.UTC(2016, 1, 15);
  place(dir, 'swarm-mag', d1, '0505', esaMag(d1, '0505'));
  // the second day's ZIP cut short (as a download that went wrong outside make data would leave it)
  const cut = esaMag(d1 + DAY, '0505').subarray(0, 5000);
  place(dir, 'swarm-mag', d1 + DAY, '0505', cut);
  place(dir, 'swarm-efi', d1 + 3 * DAY, '0602', esaEfi(d1 + 3 * DAY, '0602'));
  const logs: string[] = [];
  const store = new SwarmStore(() => path.join(dir, 'store'));
  const r = ingestDownloads({ outDir: dir, lockFile: path.join(dir, 'download-lock.json'), store, log: (l) => logs.push(l), forceLogProgress: true });
  assert.equal(r.days.map((d) => `${d.day} ${d.status}`), ['2016-02-15 written', '2016-02-16 failed']);
  assert.match(r.days[1].error!, /SW_OPER_MAGA_LR_1B_20160216T000000_20160216T235959_0505\.CDF\.ZIP: end-of-central-directory record not found \(the archive is truncated\)/);
  assert.ok(logs.some((l) => /^ingest FAILED Swarm A 2016-02-16: .*\.CDF\.ZIP: end-of-central-directory/.test(l)));
  assert.equal(r.efiOnlyDays, ['A 2016-02-18']);
  assert.match(logs[logs.length - 1], /1 day\(s\) written .* 1 failed; 1 day\(s\) with EFI but no MAG data \(not stored\)/);
  assert.ok(store.readDay('real', 'A', '2016-02-15'));
  assert.is(store.readDay('real', 'A', '2016-02-16'), null);
});

test('the real VirES MAG LR CDF fixture, zipped as an ESA daily file, lands in the store with its values', () => {
  const fixture = path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.cdf');
  const oracle = JSON.parse(fs.readFileSync(fixture.replace('.cdf', '.decoded.json'), 'utf8')) as Record<string, Record<string, number | number[]>>;
  const dir = tempDir('ingest-real-');
  const day = Date.UTC(2016, 0, 1);
  place(dir, 'swarm-mag', day, '0505', writeZip([{ name: 'SW_OPER_MAGA_LR_1B_20160101T000000_20160101T235959_0505_MDR_MAG_LR.cdf', data: fs.readFileSync(fixture) }]));
  const store = new SwarmStore(() => path.join(dir, 'store'));
  const r = ingestDownloads({ outDir: dir, lockFile: path.join(dir, 'download-lock.json'), store, log: () => undefined, forceLogProgress: true });
  assert.is(r.written, 1);
  const d = store.readDay('real', 'A', '2016-01-01')!;
  const keys = Object.keys(oracle.B_NEC).map(Number).sort((x, y) => x - y);
  assert.equal(Array.from(d.Timestamp), keys);
  const same = (x: number, y: number) => Number(x.toPrecision(15)) === Number(y.toPrecision(15));
  keys.forEach((k, i) => {
    const b = oracle.B_NEC[k] as number[];
    assert.ok(same(d.B_N[i], b[0]) && same(d.B_E[i], b[1]) && same(d.B_C[i], b[2]), `B_NEC ${i}`);
    assert.ok(same(d.Latitude[i], oracle.Latitude[k] as number) && same(d.Radius[i], oracle.Radius[k] as number), `position ${i}`);
    assert.ok(Number.isNaN(d.Ne[i]) && d.Flags_Ne[i] === FLAG.MISSING && d.Flags_B[i] === 0, `flags ${i}`);
  });
});

const cli = runDataCli;

test('CLI: make data imports after downloading (store beside --out), --ingest-only, --no-ingest', async () => {
  const s = await startFakeServer({ hapiCadenceS: 60 });
  try {
    const dir = tempDir('dcli-');
    const base = ['--from', '2016-03-01', '--to', '2016-03-01', '--out', dir, '--hapi-url', `${s.base}/hapi`, '--backoff-ms', '1'];
    const noIngest = await cli([...base, '--only', 'swarm-mag', '--no-ingest']);
    assert.is(noIngest.code, 0, noIngest.err + noIngest.out);
    assert.not.match(noIngest.out, /ingest/);
    assert.not.ok(fs.existsSync(path.join(dir, 'store')));
    const full = await cli([...base, '--only', 'swarm-mag,swarm-efi']);
    assert.is(full.code, 0, full.err + full.out);
    assert.match(full.out, /ingest: 1 day\(s\) written \(1440 records, Ne matched for 1440\), 0 unchanged, 0 empty, 0 failed; store .*dcli-.*\/store\/real/);
    const store = new SwarmStore(() => path.join(dir, 'store', 'real'));
    const d = store.readDay('real', 'A', '2016-03-01')!;
    assert.is(d.Timestamp.length, 1440);
    assert.is(d.Ne[100], fakeNion(d.Timestamp[100], 60));
    const only = await cli([...base, '--ingest-only']);
    assert.is(only.code, 0, only.err + only.out);
    assert.match(only.out, /ingest: 0 day\(s\) written .* 1 unchanged/);
    assert.not.match(only.out, /make data:/);
    const both = await cli([...base, '--ingest-only', '--no-ingest']);
    assert.is(both.code, 2);
    assert.match(both.err, /--no-ingest and --ingest-only exclude each other/);
    assert.is(s.requests.filter((u) => u.startsWith('/hapi/data')).length, 2);
    // /info once per dataset and run that downloads (MAG; then MAG and EFI); --ingest-only asks nothing
    assert.is(s.requests.filter((u) => u.startsWith('/hapi/info')).length, 3);
  } finally {
    await s.close();
  }
});

test.run();
