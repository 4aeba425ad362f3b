// Tests for lib/download/run.ts + http.ts against a local fake of the services (test/download-fake-server.ts):
// real answers, resumption, and faults (dropped connection, short body, 429/500, HAPI 1408/1407, stall). After
// every fault no partial or temporary file remains, a rerun completes, and the lock's sha256 equals the file's.
import { runDataCli, tempDirs } from './helpers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { defaultConfig, DownloadConfig } from '../lib/download/plan';
import { FatalDownloadError, listDownloaded, runDownloads, RunOptions, dryRun } from '../lib/download/run';
import { readLock } from '../lib/download/lock';
import { catalogRows, FakeServer, startFakeServer, FakeOptions } from './download-fake-server';

const DAY = 86_400_000;

function cfgFor(s: FakeServer, over: Partial<DownloadConfig> = {}): DownloadConfig {
  return defaultConfig({
    baseUrls: { fdsn: `${s.base}/fdsnws/event/1`, kp: `${s.base}/kp`, hapi: `${s.base}/hapi`, esa: `${s.base}/esa` },
    ...over,
  });
}

interface Ctx {
  dir: string;
  lockFile: string;
  logs: string[];
  sleeps: number[];
  opts: RunOptions;
}

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

function ctx(over: RunOptions = {}): Ctx {
  const dir = tempDir('safenet-dl-');
  const logs: string[] = [];
  const sleeps: number[] = [];
  const lockFile = path.join(dir, 'download-lock.json');
  return {
    dir,
    lockFile,
    logs,
    sleeps,
    opts: {
      outDir: dir,
      lockFile,
      backoffMs: 1,
      maxBackoffMs: 4,
      timeoutMs: 3000,
      log: (l) => logs.push(l),
      forceLogProgress: true,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...over,
    },
  };
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Nothing corrupt remains: no temporary file, and every data file is in the lock with its size and sha256. */
function assertClean(c: Ctx): void {
  const files = walk(c.dir).filter((f) => f !== c.lockFile);
  const tmp = files.filter((f) => f.endsWith('.tmp'));
  assert.equal(tmp, [], 'no temporary files');
  const lock = readLock(c.lockFile);
  for (const f of files) {
    const rel = path.relative(c.dir, f);
    const e = lock.files[rel];
    assert.ok(e, `${rel} is recorded in the lock`);
    assert.is(e.bytes, fs.statSync(f).size, `${rel} size`);
    assert.is(e.sha256, sha(f), `${rel} sha256`);
  }
}

async function withServer(o: FakeOptions, fn: (s: FakeServer) => Promise<void>): Promise<void> {
  const s = await startFakeServer(o);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

test('catalog: one window from real ComCat rows, lock matches, rerun skips it', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['catalog'], from: '2016-01-01', to: '2016-12-31' });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    assert.is(r.downloaded.length, 1);
    const file = path.join(c.dir, r.downloaded[0]);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const cat = catalogRows();
    const expected = cat.rows.filter((x) => x.t >= Date.UTC(2016, 0, 1) && x.t < Date.UTC(2017, 0, 1) && x.type === 'earthquake' && x.mag >= 4.8);
    assert.ok(expected.length > 1000);
    assert.is(lines.length - 1, expected.length);
    assert.is(lines[0], cat.header);
    assert.is(readLock(c.lockFile).files[r.downloaded[0]].rows, expected.length);
    assertClean(c);
    const n = s.requests.length;
    const r2 = await runDownloads(cfg, c.opts);
    assert.is(r2.downloaded.length, 0);
    assert.is(r2.skipped.length, 1);
    assert.is(s.requests.length, n, 'no request on rerun');
  });
});

test('catalog: an empty window (FDSN CSV: 200 with the header only) is a complete file with 0 rows', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    const r = await runDownloads(cfgFor(s, { only: ['catalog'], from: '2016-01-01', to: '2016-01-31', minMagnitude: 9.5 }), c.opts);
    assert.is(r.failed.length, 0);
    const [f] = listDownloaded('catalog', { outDir: c.dir, lockFile: c.lockFile });
    assert.is(f.rows, 0);
    assert.is(f.bytes, catalogRows().header.length + 1);
    assertClean(c);
  });
});

for (const mode of ['400', 'cut'] as const) {
  test(`catalog: windows above the row limit are halved (service answers ${mode === '400' ? 'HTTP 400 exceeds search limit' : 'exactly the limit'}); no event lost or repeated`, async () => {
    await withServer({ catalogLimit: 400, catalogOverLimit: mode }, async (s) => {
      const c = ctx();
      const cfg = cfgFor(s, { only: ['catalog'], from: '2016-01-01', to: '2016-12-31', catalogRowLimit: 400 });
      const r = await runDownloads(cfg, c.opts);
      assert.is(r.failed.length, 0);
      assert.ok(r.splits >= 2, `splits ${r.splits}`);
      const files = listDownloaded('catalog', { outDir: c.dir, lockFile: c.lockFile });
      assert.is(files[0].start, Date.UTC(2016, 0, 1));
      assert.is(files[files.length - 1].stop, Date.UTC(2017, 0, 1));
      for (let i = 1; i < files.length; i++) assert.is(files[i].start, files[i - 1].stop, 'windows are contiguous');
      const ids = files.flatMap((f) => fs.readFileSync(f.path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[11]));
      const expected = catalogRows().rows.filter((x) => x.t >= Date.UTC(2016, 0, 1) && x.t < Date.UTC(2017, 0, 1) && x.type === 'earthquake');
      assert.is(ids.length, expected.length);
      assert.is(new Set(ids).size, ids.length, 'no repeated event');
      assert.equal(ids, expected.map((x) => x.id));
      assertClean(c);
      // rerun: the recorded splits lead straight to the halves, nothing is fetched
      const n = s.requests.length;
      const r2 = await runDownloads(cfg, c.opts);
      assert.is(r2.requests, 0);
      assert.is(s.requests.length, n);
      assert.is(r2.skipped.length, files.length);
    });
  });
}

test('Kp: connection dropped mid-file leaves nothing; rerun completes with matching sha256', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ retries: 0 });
    const cfg = cfgFor(s, { only: ['kp'] });
    s.faults.push({ match: '/kp/', fault: { type: 'drop', afterBytes: 5000 } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 1);
    assert.match(r.failed[0].error, /gave up after 1 attempts/);
    assert.not.ok(fs.existsSync(path.join(c.dir, 'indices', 'Kp_ap_Ap_SN_F107_since_1932.txt')));
    assertClean(c);
    const r2 = await runDownloads(cfg, c.opts);
    assert.is(r2.failed.length, 0);
    const f = path.join(c.dir, 'indices', 'Kp_ap_Ap_SN_F107_since_1932.txt');
    assert.is(readLock(c.lockFile).files['indices/Kp_ap_Ap_SN_F107_since_1932.txt'].sha256, sha(f));
    assert.is(fs.readFileSync(f, 'utf8').split('\n').length - 1, 104);
    assertClean(c);
  });
});

test('truncated body (Content-Length larger than sent) is refused; retried within the run', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ retries: 0 });
    const cfg = cfgFor(s, { only: ['kp'] });
    s.faults.push({ match: '/kp/', fault: { type: 'truncate', sendBytes: 9000 } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 1);
    assert.ok(/9000|closed|aborted/.test(r.failed[0].error), r.failed[0].error);
    assertClean(c);
    assert.is(walk(c.dir).filter((f) => f !== c.lockFile).length, 0);
    // same fault, retries allowed: the run itself recovers
    const c2 = ctx({ retries: 2 });
    s.faults.push({ match: '/kp/', fault: { type: 'truncate', sendBytes: 100 } });
    const r2 = await runDownloads(cfg, c2.opts);
    assert.is(r2.failed.length, 0);
    assert.is(r2.requests, 2);
    assertClean(c2);
  });
});

test('HTTP 429 (Retry-After: 0) and 500 before success: retried with the right delays', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ retries: 3, backoffMs: 3, maxBackoffMs: 100 });
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' });
    s.faults.push({ match: '/hapi/data', fault: { type: 'status', status: 429, headers: { 'retry-after': '0' }, body: 'slow down' } });
    s.faults.push({ match: '/hapi/data', fault: { type: 'status', status: 500, body: 'internal error' } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    assert.is(r.requests, 3);
    assert.equal(c.sleeps, [0, 6], 'Retry-After 0 honoured, then backoff 3 ms * 2');
    assert.ok(c.logs.some((l) => /HTTP 429/.test(l)));
    assert.ok(c.logs.some((l) => /HTTP 500/.test(l)));
    const files = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    assert.is(files.length, 1);
    assert.is(files[0].rows, 144, 'one day at the fake 10-minute cadence');
    const first = fs.readFileSync(files[0].path, 'utf8').split('\n')[0].split(',');
    assert.is(first.length, 8, 'time + Latitude,Longitude,Radius,B_NEC(3),Flags_B');
    assert.is(first[0], '2016-02-15T00:00:00.000Z', 'VirES prints datetime64[ms]');
    assert.ok(fs.readFileSync(files[0].path, 'utf8').endsWith('\r\n'), 'CRLF line ends');
    assertClean(c);
  });
});

test('a 500 on every try fails the chunk only; the others complete; a rerun completes it', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ retries: 1 });
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2016-02-11', to: '2016-02-19' });
    // chunks on the 5-day grid: [02-11, 02-14), [02-14, 02-19), [02-19, 02-20)
    for (let i = 0; i < 2; i++) s.faults.push({ match: 'start=2016-02-14', fault: { type: 'status', status: 503 } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 1);
    assert.match(r.failed[0].id, /20160214T000000_20160219T000000/);
    assert.is(r.downloaded.length, 2);
    assertClean(c);
    const r2 = await runDownloads(cfg, c.opts);
    assert.is(r2.failed.length, 0);
    assert.is(r2.downloaded.length, 1);
    assert.is(r2.skipped.length, 2);
    const files = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    assert.equal(files.map((f) => [f.start, f.stop]), [
      [Date.UTC(2016, 1, 11), Date.UTC(2016, 1, 14)],
      [Date.UTC(2016, 1, 14), Date.UTC(2016, 1, 19)],
      [Date.UTC(2016, 1, 19), Date.UTC(2016, 1, 20)],
    ]);
    assertClean(c);
  });
});

test('HAPI 1408 too much data: the chunk is halved until accepted; rerun makes no request', async () => {
  await withServer({ hapiMaxSpanMs: { SW_OPER_EFIA_LP_1B: 0.7 * DAY } }, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['swarm-efi'], from: '2016-02-15', to: '2016-02-16' });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    const lock = readLock(c.lockFile);
    assert.ok(Object.keys(lock.splits).length >= 2);
    assert.ok(Object.values(lock.splits).every((x) => /1408/.test(x.reason)));
    const files = listDownloaded('swarm-efi', { outDir: c.dir, lockFile: c.lockFile });
    assert.is(files[0].start, Date.UTC(2016, 1, 15));
    assert.is(files[files.length - 1].stop, Date.UTC(2016, 1, 17));
    for (let i = 1; i < files.length; i++) assert.is(files[i].start, files[i - 1].stop);
    for (const f of files) assert.ok((f.stop ?? 0) - (f.start ?? 0) <= 0.7 * DAY);
    const rows = files.reduce((n, f) => n + (f.rows ?? 0), 0);
    assert.is(rows, 2 * 144);
    assertClean(c);
    const data = () => s.requests.filter((u) => u.startsWith('/hapi/data')).length;
    const n = data();
    const r2 = await runDownloads(cfg, c.opts);
    assert.is(data(), n, 'no data request on rerun (only /info is asked)');
    assert.is(r2.skipped.length, files.length);
  });
});

test('EFI Ne/Flags_Ne: /info does not list them; the run stops before any data request, naming N_ion and N_elec', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['swarm-efi'], from: '2016-02-15', to: '2016-02-15' });
    cfg.efi = { ...cfg.efi, parameters: ['Latitude', 'Longitude', 'Radius', 'Ne', 'Flags_Ne'] };
    let err: unknown = null;
    try {
      await runDownloads(cfg, c.opts);
    } catch (e) {
      err = e;
    }
    assert.instance(err, FatalDownloadError);
    const msg = (err as Error).message;
    assert.match(msg, /does not list Ne, Flags_Ne \(--efi-parameters\)/);
    assert.match(msg, /paper's Ne .* is N_ion with Flags_N_ion/);
    assert.match(msg, /N_elec .* is a different estimate/);
    assert.match(msg, /Latitude,Longitude,Radius,U_orbit,N_ion,/, 'lists what /info has, in order');
    assert.not.match(msg, /fall back|older baselines/i);
    assert.equal(s.requests.map((u) => u.split('?')[0]), ['/hapi/info'], 'no data request');
    assert.equal(walk(c.dir).filter((f) => !f.endsWith('download-lock.json')), []);
  });
});

test('HAPI 1407 from the data endpoint (offline plan, parameters out of order) stops the run; online the order is fixed by /info', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ offline: true });
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' });
    cfg.mag = { ...cfg.mag, parameters: ['B_NEC', 'Latitude', 'Longitude', 'Radius', 'Flags_B'] };
    let err: unknown = null;
    try {
      await runDownloads(cfg, c.opts);
    } catch (e) {
      err = e;
    }
    assert.instance(err, FatalDownloadError);
    const msg = (err as Error).message;
    assert.match(msg, /HAPI 1407 .*unexpected position of Latitude parameter/);
    assert.match(msg, /not in the order of .*\/info\?dataset=SW_OPER_MAGA_LR_1B/);
    assert.match(msg, /built-in defaults/);
    assert.not.match(msg, /older baselines|fall back/i);
    assert.is(s.requests.length, 1, 'no /info offline, no retry of a bad request');
    // online: /info puts the list in its order and the same request succeeds
    const c2 = ctx();
    const r = await runDownloads(cfg, c2.opts);
    assert.is(r.failed.length, 0);
    assert.ok(c2.logs.some((l) => /put in \/info's order .*B_NEC,Latitude,Longitude,Radius,Flags_B -> Latitude,Longitude,Radius,B_NEC,Flags_B/.test(l)), c2.logs.join('\n'));
    const [f] = listDownloaded('swarm-mag', { outDir: c2.dir, lockFile: c2.lockFile });
    assert.match(f.url, /parameters=Latitude,Longitude,Radius,B_NEC,Flags_B&/);
    assertClean(c2);
  });
});

test('body cut mid-line on a connection-delimited answer is refused by the CSV check, then retried', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ retries: 0 });
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' });
    s.faults.push({ match: '/hapi/data', fault: { type: 'close-early', sendBytes: 1234 } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 1);
    assert.match(r.failed[0].error, /newline|fields/);
    assertClean(c);
    const r2 = await runDownloads(cfg, c.opts);
    assert.is(r2.failed.length, 0);
    assertClean(c);
  });
});

test('gzip-encoded HAPI answers are stored decompressed, hashed as stored', async () => {
  await withServer({ gzipHapi: true }, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['swarm-mag'], from: '2016-02-15', to: '2016-02-15' });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    const [f] = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    const text = fs.readFileSync(f.path, 'utf8');
    assert.ok(text.startsWith('2016-02-15T00:00:00.000Z,'));
    assert.is(f.rows, 144);
    assertClean(c);
  });
});

test('a stalled server hits the idle timeout and the request is retried', async () => {
  await withServer({}, async (s) => {
    const c = ctx({ timeoutMs: 150, retries: 2 });
    const cfg = cfgFor(s, { only: ['kp'] });
    s.faults.push({ match: '/kp/', fault: { type: 'stall', ms: 2000 } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    assert.is(r.requests, 2);
    assert.ok(c.logs.some((l) => /no data .* for 150 ms/.test(l)), c.logs.join('\n'));
    assertClean(c);
  });
});

test('ESA source: listing picks the latest baseline per day; a truncated ZIP is retried; dry-run reads the listing', async () => {
  const esaDays = [
    { day: '20160214', versions: ['0505'] },
    { day: '20160215', versions: ['0505', '0602'] },
    { day: '20160216', versions: ['0602'] },
    { day: '20160217', versions: ['0602'] },
  ];
  await withServer({ esaDays }, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['swarm-mag'], source: 'esa', from: '2016-02-15', to: '2016-02-16' });
    const before = dryRun(cfg, { outDir: c.dir, lockFile: c.lockFile });
    assert.equal(before.counts.map((x) => [x.kind, x.requests, x.pendingDaily]), [['swarm-mag', 1, 2]]);
    assert.is(before.total, 3);
    s.faults.push({ match: 'do=download', fault: { type: 'close-early', sendBytes: 700 } });
    const r = await runDownloads(cfg, c.opts);
    assert.is(r.failed.length, 0);
    const files = listDownloaded('swarm-mag', { outDir: c.dir, lockFile: c.lockFile });
    assert.equal(files.map((f) => path.basename(f.file)), [
      'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0602.CDF.ZIP',
      'SW_OPER_MAGA_LR_1B_20160216T000000_20160216T235959_0602.CDF.ZIP',
    ]);
    assert.ok(c.logs.some((l) => /end-of-central-directory/.test(l)));
    assertClean(c);
    const after = dryRun(cfg, { outDir: c.dir, lockFile: c.lockFile });
    assert.equal(after.counts.map((x) => [x.requests, x.complete, x.pendingDaily]), [[3, 3, 0]]);
  });
});

test('temporary files of an interrupted run are removed at start', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    fs.mkdirSync(path.join(c.dir, 'indices'), { recursive: true });
    const stale = path.join(c.dir, 'indices', '.Kp_ap_Ap_SN_F107_since_1932.txt.4242.0.tmp');
    fs.writeFileSync(stale, 'half a file');
    const r = await runDownloads(cfgFor(s, { only: ['kp'] }), c.opts);
    assert.is(r.failed.length, 0);
    assert.not.ok(fs.existsSync(stale));
    assertClean(c);
  });
});

test('a file changed on disk after download is fetched again (size mismatch; --verify catches same-size edits)', async () => {
  await withServer({}, async (s) => {
    const c = ctx();
    const cfg = cfgFor(s, { only: ['kp'] });
    await runDownloads(cfg, c.opts);
    const f = path.join(c.dir, 'indices', 'Kp_ap_Ap_SN_F107_since_1932.txt');
    const orig = fs.readFileSync(f);
    fs.writeFileSync(f, orig.subarray(0, 100));
    const r2 = await runDownloads(cfg, c.opts);
    assert.is(r2.downloaded.length, 1);
    const edited = Buffer.from(orig);
    edited[200] = edited[200] === 0x31 ? 0x32 : 0x31;
    fs.writeFileSync(f, edited);
    const r3 = await runDownloads(cfg, c.opts);
    assert.is(r3.skipped.length, 1, 'same size, not verified: skipped');
    const r4 = await runDownloads(cfg, { ...c.opts, verify: true });
    assert.is(r4.downloaded.length, 1);
    assert.equal(fs.readFileSync(f), orig);
    assertClean(c);
  });
});

const cli = runDataCli;

test('CLI: --dry-run --offline for the paper period prints the requests, their counts and the disk estimate; nothing is contacted', async () => {
  const r = await cli(['--dry-run', '--offline']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /SW_OPER_MAGA_LR_1B: \/hapi\/info not asked \(offline\); built-in defaults used: parameters Latitude,Longitude,Radius,B_NEC,Flags_B/);
  assert.match(r.out, /SW_OPER_EFIA_LP_1B: .*built-in defaults used: .*2\.5 days a request/);
  assert.match(r.out, /swarm-mag\s+22\.0 GB\n/);
  assert.match(r.out, /swarm-efi\s+37\.0 GB\n/);
  assert.match(r.out, /total\s+59\.0 GB; with a 1\.1x margin 64\.9 GB must be free/);
  assert.match(r.out, /free at .*: [\d.]+ [kMG]?B/);
  const gets = r.out.split('\n').filter((l) => l.startsWith('GET '));
  assert.is(gets.length, 1343);
  assert.match(r.out, /catalog\s+7\n/);
  assert.match(r.out, /kp\s+1\n/);
  assert.match(r.out, /swarm-mag\s+445\n/);
  assert.match(r.out, /swarm-efi\s+890\n/);
  assert.match(r.out, /total\s+1343\n/);
  const bad = await cli(['--only', 'catalog,quakes']);
  assert.is(bad.code, 2);
  assert.match(bad.err, /unknown kind\(s\) 'quakes'/);
});

test('CLI: fetches from configurable base URLs into --out, lists the files, resumes', async () => {
  await withServer({}, async (s) => {
    const dir = tempDir('safenet-cli-');
    const args = ['--only', 'catalog,kp,swarm-mag', '--from', '2016-02-15', '--to', '2016-02-16', '--out', dir,
      '--fdsn-url', `${s.base}/fdsnws/event/1`, '--kp-url', `${s.base}/kp`, '--hapi-url', `${s.base}/hapi`, '--backoff-ms', '1'];
    s.faults.push({ match: '/hapi/data', fault: { type: 'status', status: 500 } });
    const r = await cli(args);
    assert.is(r.code, 0, r.err + r.out);
    assert.match(r.out, /data: 3 file\(s\) fetched .* 4 request\(s\), 0 split\(s\)\), 0 already complete, 0 failed/);
    const again = await cli(args);
    assert.match(again.out, /data: 0 file\(s\) fetched .* 3 already complete, 0 failed/);
    const list = await cli([...args, '--list']);
    assert.match(list.out, /# swarm-mag: 1 file\(s\)\nswarm\/hapi\/SW_OPER_MAGA_LR_1B\/SW_OPER_MAGA_LR_1B_20160215T000000_20160217T000000.csv  \d+ bytes  sha256 [0-9a-f]{64}  288 rows/);
    const lock = readLock(path.join(dir, 'download-lock.json'));
    assert.is(Object.keys(lock.files).length, 3);
  });
});

test.run();
