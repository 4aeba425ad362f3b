// Tests for issue 17 (make data checked against the services' own code): /hapi/info before planning (parameter
// check and order, x_maxTimeSelection, startDate/stopDate clipping and 1405 at the edges, modificationDate in the
// lock), offline defaults, the free-disk check, FDSN windows that meet at whole seconds with events kept once by id,
// the ESA listing's {"results"} form with mtimes and ZIPs holding _MDR_*.cdf/.HDR/.EEF, the Kp host move, and HAPI
// CSV with CRLF, `.000Z`, `nan` fills and repeated times read by the tolerant reader. All against the local fake
// services (test/download-fake-server.ts).
import { runDataCli, tempDirs } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig, DownloadConfig, planAll } from '../lib/download/plan';
import { FatalDownloadError, listDownloaded, runDownloads, RunOptions } from '../lib/download/run';
import { readLock } from '../lib/download/lock';
import { applyHapiInfo, HapiInfoError, parseHapiInfo, parseIsoDuration, resolveHapiInfo } from '../lib/download/info';
import { DISK_PARAMS, estimatePlan } from '../lib/download/disk';
import { readDownloadedCatalog } from '../lib/download/catalog';
import { hapiParametersOf, ingestDownloads } from '../lib/download/ingest';
import { FLAG } from '../lib/swarm/flags';
import { SwarmStore } from '../lib/swarm/store';
import { readLpCsv, readMagCsv } from '../lib/swarm/swarm-csv';
import { openZip } from '../lib/swarm/zip';
import { catalogRows, FakeServer, HAPI_DATASETS, hapiInfoJson, startFakeServer, FakeOptions, viresParameterError } from './download-fake-server';

const DAY = 86_400_000;
const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

function cfgFor(s: FakeServer, over: Partial<DownloadConfig> = {}): DownloadConfig {
  return defaultConfig({
    baseUrls: { fdsn: `${s.base}/fdsnws/event/1`, kp: `${s.base}/kp`, hapi: `${s.base}/hapi`, esa: `${s.base}/esa` },
    ...over,
  });
}

function ctx(over: RunOptions = {}): { dir: string; lockFile: string; logs: string[]; opts: RunOptions } {
  const dir = tempDir('safenet-dli-');
  const logs: string[] = [];
  const lockFile = path.join(dir, 'download-lock.json');
  return {
    dir,
    lockFile,
    logs,
    opts: { outDir: dir, lockFile, backoffMs: 1, maxBackoffMs: 2, timeoutMs: 3000, log: (l) => logs.push(l), forceLogProgress: true, sleep: async () => undefined, ...over },
  };
}

async function withServer(o: FakeOptions, fn: (s: FakeServer) => Promise<void>): Promise<void> {
  const s = await startFakeServer(o);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

test('ISO 8601 durations as VirES writes them; /info read field by field', () => {
  assert.is(parseIsoDuration('P5D'), 5 * DAY);
  assert.is(parseIsoDuration('P2DT12H'), 2.5 * DAY);
  assert.is(parseIsoDuration('PT0.5S'), 500);
  assert.is(parseIsoDuration('PT1H30M'), 5_400_000);
  assert.throws(() => parseIsoDuration('P1Y'), /not an ISO 8601 duration/);
  assert.throws(() => parseIsoDuration('P'), /not an ISO 8601 duration/);
  const url = 'http://h/hapi/info?dataset=SW_OPER_EFIA_LP_1B';
  const info = parseHapiInfo(hapiInfoJson('SW_OPER_EFIA_LP_1B', HAPI_DATASETS.SW_OPER_EFIA_LP_1B), url, 'SW_OPER_EFIA_LP_1B');
  assert.is(info.startDate, Date.UTC(2013, 10, 26));
  assert.is(info.stopDate, Date.UTC(2026, 10, 27, 23, 59, 59, 500));
  assert.is(info.maxSpanMs, 2.5 * DAY);
  assert.is(info.cadence, 'PT0.5S');
  assert.is(info.modificationDate, '2026-11-28T05:40:02.118Z');
  assert.is(info.parameters[0].name, 'Timestamp');
  assert.is(info.parameters.length, 25);
  // without x_maxTimeSelection the span follows VirES's rule: 5 days at 1 s sampling, scaled by the cadence
  const noMax = JSON.parse(hapiInfoJson('SW_OPER_EFIA_LP_1B', HAPI_DATASETS.SW_OPER_EFIA_LP_1B));
  delete noMax.x_maxTimeSelection;
  assert.is(parseHapiInfo(JSON.stringify(noMax), url, 'x').maxSpanMs, 2.5 * DAY);
  // microseconds (VirES format_datetime writes them when not zero): start rounded up, stop down, to whole ms
  const micro = JSON.parse(hapiInfoJson('SW_OPER_EFIA_LP_1B', HAPI_DATASETS.SW_OPER_EFIA_LP_1B));
  micro.startDate = '2013-11-25T11:02:52.000456Z';
  micro.stopDate = '2026-11-27T23:59:59.999999Z';
  const mi = parseHapiInfo(JSON.stringify(micro), url, 'x');
  assert.is(mi.startDate, Date.UTC(2013, 10, 25, 11, 2, 52, 1));
  assert.is(mi.stopDate, Date.UTC(2026, 10, 27, 23, 59, 59, 999));
  const bad = JSON.parse(hapiInfoJson('SW_OPER_EFIA_LP_1B', HAPI_DATASETS.SW_OPER_EFIA_LP_1B));
  bad.stopDate = 'tomorrow';
  assert.throws(() => parseHapiInfo(JSON.stringify(bad), url, 'x'), /info\?dataset=SW_OPER_EFIA_LP_1B: field stopDate: 'tomorrow' is not an ISO 8601 time/);
  assert.throws(() => parseHapiInfo('<html>', url, 'x'), /\/info answer is not JSON/);
});

test("parameters: checked against /info, put in its order, sizes from it; Ne/Flags_Ne and repeats refused with reasons", () => {
  const mag = parseHapiInfo(hapiInfoJson('SW_OPER_MAGA_LR_1B', HAPI_DATASETS.SW_OPER_MAGA_LR_1B), 'u', 'SW_OPER_MAGA_LR_1B');
  const base = defaultConfig().mag;
  const { product, notes } = applyHapiInfo({ ...base, parameters: ['Flags_B', 'B_NEC', 'q_NEC_CRF', 'Latitude', 'F'] }, mag, '--mag-parameters');
  assert.equal(product.parameters, ['Latitude', 'F', 'B_NEC', 'q_NEC_CRF', 'Flags_B']);
  assert.equal(product.sizes, { B_NEC: 3, q_NEC_CRF: 4 });
  assert.is(product.maxSpanMs, 5 * DAY);
  assert.is(product.startDate, Date.UTC(2013, 10, 25, 11, 2, 52));
  assert.is(product.origin, 'info');
  assert.match(notes[0], /Flags_B,B_NEC,q_NEC_CRF,Latitude,F -> Latitude,F,B_NEC,q_NEC_CRF,Flags_B/);
  assert.throws(() => applyHapiInfo({ ...base, parameters: ['B_NEC', 'B_NEC'] }, mag, '--mag-parameters'), /B_NEC is requested twice/);
  const efi = parseHapiInfo(hapiInfoJson('SW_OPER_EFIA_LP_1B', HAPI_DATASETS.SW_OPER_EFIA_LP_1B), 'u', 'SW_OPER_EFIA_LP_1B');
  assert.throws(
    () => applyHapiInfo({ ...defaultConfig().efi, parameters: ['Ne', 'Flags_Ne'] }, efi, '--efi-parameters'),
    (e: Error) => e instanceof HapiInfoError && /paper's Ne .* is N_ion with Flags_N_ion; N_elec .* is a different estimate/.test(e.message),
  );
  // the fake's order check is VirES's algorithm (views/info.py _parse_parameters)
  const order = ['Timestamp', 'Latitude', 'Longitude', 'Radius', 'B_NEC', 'Flags_B'];
  assert.is(viresParameterError('Latitude,B_NEC,Flags_B', order), null);
  assert.is(viresParameterError('Timestamp,Latitude', order), null);
  assert.is(viresParameterError('B_NEC,Latitude', order), 'unexpected position of Latitude parameter');
  assert.is(viresParameterError('Latitude,Ne', order), 'invalid parameter Ne');
  assert.is(viresParameterError('Latitude,Latitude', order), "duplicate parameter 'Latitude'");
});

test('/info reached: plan clipped to startDate (no 1405), span from x_maxTimeSelection; lock records /info and each file its modificationDate', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    // 2013-11-25 starts before SW_OPER_MAGA_LR_1B's startDate 2013-11-25T11:02:52Z
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2013-11-25', to: '2013-11-25' });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    assert.equal(r.outside, []);
    const files = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    assert.equal(files.map((f) => [f.start, f.stop]), [[Date.UTC(2013, 10, 25, 11, 2, 52), Date.UTC(2013, 10, 26)]]);
    assert.match(files[0].url, /start=2013-11-25T11:02:52Z&stop=2013-11-26T00:00:00Z/);
    const lock = readLock(c.lockFile);
    assert.equal(lock.datasets!.SW_OPER_MAGA_LR_1B.modificationDate, '2026-11-28T06:12:31.437Z');
    assert.is(lock.datasets!.SW_OPER_MAGA_LR_1B.maxTimeSelection, 'P5D');
    assert.is(lock.datasets!.SW_OPER_MAGA_LR_1B.parameters[10], 'B_NEC');
    assert.is(lock.files[files[0].file].modificationDate, '2026-11-28T06:12:31.437Z');
    assert.ok(r.infoNotes.some((n) => /SW_OPER_MAGA_LR_1B: \/hapi\/info: 2013-11-25T11:02:52Z\.\.2026-11-27T23:59:59Z, cadence PT1S, x_maxTimeSelection P5D/.test(n)));
    // the collection is updated: noticed and reported; files are kept unless asked to refetch them
    s.datasets.SW_OPER_MAGA_LR_1B.modificationDate = '2026-11-29T06:00:00.000Z';
    const r2 = await runDownloads(cfg, c.opts);
    assert.equal(r2.modified, [{ dataset: 'SW_OPER_MAGA_LR_1B', before: '2026-11-28T06:12:31.437Z', now: '2026-11-29T06:00:00.000Z' }]);
    assert.equal(r2.staleFiles, [files[0].file]);
    assert.is(r2.downloaded.length, 0);
    assert.ok(c.logs.some((l) => /modificationDate is 2026-11-29T06:00:00\.000Z \(last run: 2026-11-28T06:12:31\.437Z\)/.test(l)));
    const r3 = await runDownloads(cfg, { ...c.opts, refetchModified: true });
    assert.equal(r3.downloaded, [files[0].file]);
    assert.is(readLock(c.lockFile).files[files[0].file].modificationDate, '2026-11-29T06:00:00.000Z');
  });
});

test('offline (built-in defaults): a chunk before startDate is answered 1405 and skipped; the run goes on', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ offline: true });
    const cfg = cfgFor(s, { only: ['swarm-mag', 'kp'], from: '2013-11-24', to: '2013-12-01' });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    // 5-day grid from 1970: [11-24, 11-26) starts before the dataset: 1405; [11-26, 12-01) and [12-01, 12-02) are fetched; Kp too
    assert.equal(r.outside, ['swarm-mag:SW_OPER_MAGA_LR_1B_20131124T000000_20131126T000000']);
    assert.is(r.downloaded.length, 3);
    assert.ok(r.infoNotes.every((n) => /not asked \(offline\); built-in defaults used/.test(n)));
    assert.ok(c.logs.some((l) => /skipped .*HAPI 1405 Bad request - time outside valid range/.test(l)));
    assert.not.ok(s.requests.some((u) => u.startsWith('/hapi/info')));
    assert.is(readLock(c.lockFile).files[r.downloaded.find((f) => f.endsWith('.csv'))!].modificationDate, null);
  });
});

test('a period wholly outside the dataset plans nothing for it; /info unreachable falls back to the defaults; unknown dataset stops', async () => {
  await withServer({}, async (s) => {
    const info = await resolveHapiInfo(cfgFor(s, { only: ['swarm-mag'], from: '2013-01-01', to: '2013-01-31' }));
    const [p] = planAll(info.cfg);
    assert.is(p.chunks.length, 0);
    assert.match(p.note!, /outside the dataset's 2013-11-25T11:02:52Z\.\.2026-11-27T23:59:59Z: nothing to fetch/);
    // /info answers 503: defaults, said so; the data request then goes ahead
    s.faults.push({ match: '/hapi/info', fault: { type: 'status', status: 503, body: 'maintenance' } });
    const c = ctx();
    const r = await runDownloads(cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' }), c.opts);
    assert.is(r.downloaded.length, 1);
    assert.match(r.infoNotes[0], /SW_OPER_MAGA_LR_1B: \/hapi\/info could not be reached \(HTTP 503 .*maintenance\); built-in defaults used/);
    // /info refuses the dataset id: nothing can be planned
    const bad = cfgFor(s, { only: ['swarm-mag'] });
    bad.mag = { ...bad.mag, dataset: 'SW_OPER_MAGX_LR_1B' };
    const e = await rejects(runDownloads(bad, ctx().opts));
    assert.instance(e, FatalDownloadError);
    assert.match(e.message, /SW_OPER_MAGX_LR_1B: \/info refused the dataset: HTTP 404 HAPI 1406 Bad request - unknown dataset id/);
  });
});

test('free disk: checked before the first download with the estimate; too little stops the run with nothing fetched', async () => {
  await withServer({}, async (s) => {
    const cfg = cfgFor(s, { only: ['swarm-mag', 'swarm-efi'], from: '2016-02-15', to: '2016-02-24' });
    const c = ctx({ freeBytes: () => 100e6 });
    const e = await rejects(runDownloads(cfg, c.opts));
    assert.instance(e, FatalDownloadError);
    // 10 days: MAG 22 GB and EFI 37 GB over the paper's 2222 days
    const expected = (10 * (22e9 + 37e9)) / 2222;
    assert.match(e.message, new RegExp(`need about ${(expected / 1e6).toFixed(1)} MB \\(${((expected * 1.1) / 1e6).toFixed(1)} MB with the margin\\), 100\\.0 MB are free`));
    assert.equal(s.requests.filter((u) => u.startsWith('/hapi/data')), []);
    const ok = ctx({ freeBytes: () => 1e9 });
    const r = await runDownloads(cfg, ok.opts);
    assert.ok(Math.abs(r.disk!.bytes - expected) < 1, `${r.disk!.bytes} vs ${expected}`);
    assert.ok(Math.abs(r.disk!.perKind['swarm-mag']! - (10 * 22e9) / 2222) < 1);
    assert.ok(ok.logs.some((l) => /free at .*: 1\.0 GB/.test(l)));
    // a rerun has nothing left to fetch: the estimate is zero
    const again = await runDownloads(cfg, ok.opts);
    assert.is(again.disk!.bytes, 0);
    // ESA: the daily ZIPs counted per day before the listing names them
    const esa = defaultConfig({ source: 'esa', only: ['swarm-efi'], from: '2016-02-15', to: '2016-02-24' });
    const est = estimatePlan(esa, planAll(esa), () => false);
    assert.ok(Math.abs(est.bytes - (DISK_PARAMS.esaListingBytes + (10 * 28e9) / 2222)) < 1);
  });
});

test('FDSN windows meet at whole seconds: an event in the last second of a window is kept, one at the edge once (by id)', async () => {
  await withServer({}, async (s) => {
    const rows = catalogRows().rows.filter((x) => x.t >= Date.UTC(2016, 0, 1) && x.t < Date.UTC(2017, 0, 1) && x.type === 'earthquake');
    const inside = (x: { t: number }) => x.t > Date.UTC(2016, 0, 2) && x.t < Date.UTC(2016, 11, 30); // 12 h periods within the year's window
    const late = rows.find((x) => inside(x) && x.t % 1000 >= 500)!; // in the last second of a window ending at the next whole second
    const edge = rows.find((x) => inside(x) && x.t % 1000 === 0)!; // exactly at a window edge
    for (const [ev, edgeAt] of [[late, Math.ceil(late.t / 1000) * 1000], [edge, edge.t]] as const) {
      const c = ctx();
      const iso = (t: number) => new Date(t).toISOString();
      const a = edgeAt - 6 * 3_600_000;
      const b = edgeAt + 6 * 3_600_000;
      for (const [from, to] of [[a, edgeAt], [edgeAt, b]])
        assert.is((await runDownloads(cfgFor(s, { only: ['catalog'], from: iso(from), to: iso(to) }), c.opts)).failed.length, 0);
      const files = listDownloaded('catalog', { outDir: c.dir, lockFile: c.lockFile });
      assert.is(files.length, 2);
      assert.is(new URL(files[0].url).searchParams.get('endtime'), new URL(files[1].url).searchParams.get('starttime'));
      const cat = readDownloadedCatalog({ outDir: c.dir, lockFile: c.lockFile });
      const expected = rows.filter((x) => x.t >= a && x.t < b + 1000 && x.t <= Math.floor(b / 1000) * 1000);
      assert.equal(cat.catalog.id, expected.map((x) => x.id));
      assert.ok(cat.catalog.id.includes(ev.id), `${ev.id} at ${iso(ev.t)} kept`);
      assert.is(cat.duplicates, ev === edge ? 1 : 0);
      assert.is(cat.rows, expected.length + cat.duplicates);
    }
  });
});

test("ESA: the listing's {results} with mtimes goes to the lock; a new mtime under the same name refetches that file only; ZIPs hold _MDR_*.cdf, .HDR, .EEF", async () => {
  const esaDays = [{ day: '20160215', versions: ['0602'] }, { day: '20160216', versions: ['0602'] }];
  await withServer({ esaDays }, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['swarm-efi'], source: 'esa', from: '2016-02-15', to: '2016-02-16' });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.downloaded.length, 3);
    const files = listDownloaded('swarm-efi', { outDir: c.dir, lockFile: c.lockFile });
    const lock = readLock(c.lockFile);
    assert.equal(files.map((f) => lock.files[f.file].listingMtime), [1609459200, 1609459200]);
    const z = openZip(files[0].path);
    assert.equal(z.names().sort(), [
      'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0602.EEF',
      'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0602.HDR',
      'SW_OPER_EFIA_LP_1B_20160215T000000_20160215T235959_0602_MDR_EFI_LP.cdf',
    ]);
    s.esaMtimes.set(path.basename(files[1].file), 1700000000);
    const r2 = await runDownloads(cfg, { ...c.opts, force: false });
    assert.equal(r2.relisted, [files[1].file]);
    assert.ok(r2.downloaded.includes(files[1].file));
    assert.not.ok(r2.downloaded.includes(files[0].file));
    assert.is(readLock(c.lockFile).files[files[1].file].listingMtime, 1700000000);
    const z2 = openZip(files[1].path);
    assert.match(Buffer.from(z2.read(z2.names().find((n) => n.endsWith('_MDR_EFI_LP.cdf'))!)).toString('utf8'), /mtime 1700000000/);
  });
});

test('Kp: default host is kp.gfz.de; the old host redirects and the file is fetched', async () => {
  assert.is(defaultConfig().baseUrls.kp, 'https://kp.gfz.de/app/files');
  await withServer({}, async (s) => {
    const c = ctx();
    const r = await runDownloads(cfgFor(s, { only: ['kp'], baseUrls: { fdsn: '', kp: `${s.base}/kp-old`, hapi: '', esa: '' } }), c.opts);
    assert.is(r.failed.length, 0);
    assert.equal(s.requests, ['/kp-old/Kp_ap_Ap_SN_F107_since_1932.txt', '/kp/Kp_ap_Ap_SN_F107_since_1932.txt']);
    assert.is(fs.readFileSync(path.join(c.dir, r.downloaded[0]), 'utf8').split('\n').length - 1, 104);
  });
});

test('HAPI CSV as VirES writes it (CRLF, .000Z, nan in any float column, a repeated time) is read: sorted, deduplicated, counted', async () => {
  const t0 = Date.UTC(2016, 1, 15);
  await withServer({ hapiCadenceS: 600, nanEvery: 7, repeatTimes: [t0 + 50 * 600_000] }, async (s) => {
    const c = ctx();
    const r = await runDownloads(cfgFor(s, { only: ['swarm-mag', 'swarm-efi'], from: '2016-02-15', to: '2016-02-15' }), c.opts);
    assert.is(r.failed.length, 0);
    const [magFile] = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    const [efiFile] = listDownloaded('swarm-efi', { outDir: c.dir, lockFile: c.lockFile });
    assert.is(magFile.rows, 145, '144 records + the repeated one');
    const text = fs.readFileSync(magFile.path, 'utf8');
    assert.ok(text.split('\n').slice(0, -1).every((l) => l.endsWith('\r')), 'CRLF');
    assert.match(text, /^2016-02-15T00:00:00\.000Z,/);
    const mag = readMagCsv(magFile.path, { hapiParameters: hapiParametersOf(magFile) });
    assert.is(mag.Timestamp.length, 144);
    // records i = 0, 7, 14, ... (i = time / cadence) carry nan in one float parameter, rotating over Latitude,
    // Longitude, Radius, B_NEC (the requested floats; Flags_B is an integer)
    const i0 = t0 / 600_000;
    const expected: Record<string, number> = {};
    for (let i = i0; i < i0 + 144; i++) {
      if (i % 7 !== 0) continue;
      const p = ['Latitude', 'Longitude', 'Radius', 'B_NEC'][Math.floor(i / 7) % 4];
      for (const k of p === 'B_NEC' ? ['B_NEC_N', 'B_NEC_E', 'B_NEC_C'] : [p]) expected[k] = (expected[k] ?? 0) + 1;
    }
    assert.equal(mag.csvReport, { rows: 145, duplicates: 1, reordered: false, leapSeconds: 0, nan: expected });
    assert.is(Number.isNaN(mag.Latitude[0]) || Number.isNaN(mag.Longitude[0]) || Number.isNaN(mag.Radius[0]) || Number.isNaN(mag.B_N[0]), i0 % 7 === 0);
    const lp = readLpCsv(efiFile.path, { hapiParameters: hapiParametersOf(efiFile) });
    assert.is(lp.Timestamp.length, 144);
    assert.ok((lp.csvReport!.nan.N_ion ?? 0) > 0, 'nan in N_ion read as NaN');
    // into the store: every MAG record with a nan is flagged missing, the repeat is gone, the reader's repairs are logged
    const store = new SwarmStore(() => path.join(c.dir, 'store'));
    const logs: string[] = [];
    const ing = ingestDownloads({ outDir: c.dir, lockFile: c.lockFile, store, log: (l) => logs.push(l), forceLogProgress: true });
    assert.is(ing.written, 1);
    const day = store.readDay('real', 'A', '2016-02-15')!;
    assert.is(day.Timestamp.length, 144);
    let nanRecords = 0;
    for (let i = i0; i < i0 + 144; i++) if (i % 7 === 0) nanRecords++;
    assert.is(Array.from(day.Flags_B).filter((f) => f & FLAG.MISSING).length, nanRecords);
    assert.ok(ing.readerNotes.some((n) => n.startsWith(`${magFile.file}: 145 rows; 1 repeated time(s) dropped (first kept); nan read as NaN: `)), ing.readerNotes.join('\n'));
    assert.ok(logs.some((l) => l.startsWith('ingest: swarm/hapi/SW_OPER_EFIA_LP_1B/')));
  });
});

test('vector parameters beyond B_NEC: sizes from /info plan the columns, go to the lock, and let ingest read the files', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' });
    cfg.mag = { ...cfg.mag, parameters: ['Latitude', 'Longitude', 'Radius', 'B_VFM', 'B_NEC', 'q_NEC_CRF', 'Flags_B'] };
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    const [f] = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    assert.is(fs.readFileSync(f.path, 'utf8').split('\r\n')[0].split(',').length, 1 + 3 + 3 + 3 + 4 + 1);
    assert.equal(readLock(c.lockFile).datasets!.SW_OPER_MAGA_LR_1B.sizes, { B_VFM: 3, B_NEC: 3, dB_Sun: 3, dB_AOCS: 3, dB_other: 3, B_error: 3, q_NEC_CRF: 4 });
    const store = new SwarmStore(() => path.join(c.dir, 'store'));
    const ing = ingestDownloads({ outDir: c.dir, lockFile: c.lockFile, store, log: () => undefined, forceLogProgress: true });
    assert.is(ing.failed, 0);
    const day = store.readDay('real', 'A', '2016-02-15')!;
    assert.is(day.Timestamp.length, 144);
    // B_NEC is the fixture's (the fake serves the real VirES MAG track): not shifted by the 3 B_VFM columns before it
    const plain = ctx();
    await runDownloads(cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' }), plain.opts);
    const [g] = listDownloaded('swarm-mag', { outDir: plain.dir, lockFile: plain.lockFile });
    const ref = readMagCsv(g.path, { hapiParameters: hapiParametersOf(g) });
    assert.equal(Array.from(day.B_N), Array.from(ref.B_N));
    assert.equal(Array.from(day.B_C), Array.from(ref.B_C));
  });
});

test('CLI: make data --dry-run prints the /info-derived plan and the disk estimate', async () => {
  await withServer({}, async (s) => {
    const dir = tempDir('safenet-dlcli-');
    const r = await runDataCli(['--dry-run', '--only', 'swarm-mag,swarm-efi', '--from', '2013-11-20', '--to', '2013-12-31', '--out', dir,
      '--hapi-url', `${s.base}/hapi`, '--mag-parameters', 'B_NEC,Flags_B,Latitude,Longitude,Radius']);
    assert.is(r.code, 0, r.err + r.out);
    assert.match(r.out, /\/info: SW_OPER_MAGA_LR_1B: \/hapi\/info: 2013-11-25T11:02:52Z\.\.2026-11-27T23:59:59Z, cadence PT1S, x_maxTimeSelection P5D \(5 days a request\), modificationDate 2026-11-28T06:12:31\.437Z; parameters Latitude,Longitude,Radius,B_NEC,Flags_B \(B_NEC: 3 columns\)/);
    assert.match(r.out, /\/info: SW_OPER_MAGA_LR_1B: parameters put in \/info's order/);
    assert.match(r.out, /# swarm-mag: 9 requests \(SW_OPER_MAGA_LR_1B Latitude,Longitude,Radius,B_NEC,Flags_B, at most 5 days a request \(from \/hapi\/info\); clipped to the dataset's range: 2013-11-25T11:02:52Z\.\.2014-01-01T00:00:00Z\)/);
    assert.match(r.out, /start=2013-11-25T11:02:52Z&stop=2013-11-26T00:00:00Z/);
    assert.match(r.out, /disk estimate/);
    // MAG from the clipped start: 36.5 days at 22 GB per 2222 days
    const magMB = (((Date.UTC(2014, 0, 1) - Date.UTC(2013, 10, 25, 11, 2, 52)) / DAY) * (22e9 / 2222)) / 1e6;
    assert.match(r.out, new RegExp(`swarm-mag\\s+${magMB.toFixed(1)} MB`));
    assert.equal(s.requests.map((u) => u.split('?')[0]), ['/hapi/info', '/hapi/info'], 'only /info is asked');
    // an out-of-reach service: the defaults, said so, and still a plan and an estimate
    const off = await runDataCli(['--dry-run', '--summary', '--only', 'swarm-efi', '--from', '2016-01-01', '--to', '2016-01-10', '--out', dir, '--hapi-url', 'http://127.0.0.1:9/hapi']);
    assert.is(off.code, 0, off.err);
    assert.match(off.out, /SW_OPER_EFIA_LP_1B: \/hapi\/info could not be reached .*built-in defaults used/);
    assert.match(off.out, /swarm-efi\s+5\n/); // the 2.5-day grid from 1970 (2015-12-31T00, 2016-01-02T12, ...) cuts the 10 days into 5 requests
    assert.match(off.out, /swarm-efi\s+166\.5 MB/);
  });
});

test.run();
