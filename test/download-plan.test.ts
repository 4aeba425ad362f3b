// Tests for lib/download/plan.ts, validate.ts and the pure parts of run.ts/http.ts: request planning for the
// paper's period (counts, coverage, service limits), splitting, ESA listings, body checks, error classification.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  catalogChunk,
  defaultConfig,
  hapiColumns,
  parseEsaListing,
  parseTime,
  period,
  periodDays,
  planAll,
  planCatalog,
  planHapi,
  splitChunk,
  Chunk,
} from '../lib/download/plan';
import { BodyError, BodyInspector, BodySummary, validateBody } from '../lib/download/validate';
import { classify, FatalDownloadError, hapiStatus } from '../lib/download/run';
import { HttpError, parseRetryAfter, TransferError } from '../lib/download/http';
import { createHash } from 'crypto';
import { makeZip } from './download-fake-server';

const DAY = 86_400_000;
const cfg = defaultConfig();

function coverage(chunks: Chunk[], start: number, stop: number, maxSpan: number): void {
  assert.is(chunks[0].start, start);
  assert.is(chunks[chunks.length - 1].stop, stop);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    assert.ok(c.stop! > c.start!, `${c.id} not empty`);
    assert.ok(c.stop! - c.start! <= maxSpan, `${c.id} within the limit`);
    if (i) assert.is(c.start, chunks[i - 1].stop, 'contiguous');
  }
  assert.is(new Set(chunks.map((c) => c.file)).size, chunks.length, 'file names unique');
  assert.is(new Set(chunks.map((c) => c.id)).size, chunks.length, 'ids unique');
}

test("paper period: 7 catalog windows, 1 Kp file, 445 MAG and 890 EFI HAPI requests", () => {
  const { start, stop } = period(cfg);
  assert.is(start, Date.UTC(2014, 3, 1));
  assert.is(stop, Date.UTC(2020, 4, 1), '--to is inclusive');
  assert.is(periodDays(cfg), 2222);
  const plans = planAll(cfg);
  assert.equal(plans.map((p) => [p.kind, p.chunks.length]), [['catalog', 7], ['kp', 1], ['swarm-mag', 445], ['swarm-efi', 890]]);
  coverage(plans[0].chunks, start, stop, 366 * DAY);
  coverage(plans[2].chunks, start, stop, 5 * DAY);
  coverage(plans[3].chunks, start, stop, 2.5 * DAY);
  // grid anchored at 1970-01-01: full chunks start on multiples of the span
  for (const c of plans[2].chunks.slice(1)) assert.is(c.start! % (5 * DAY), 0);
  for (const c of plans[3].chunks.slice(1)) assert.is(c.start! % (2.5 * DAY), 0);
});

test("catalog URL: FDSN query whose endtime is the next window's start (the service reads whole seconds, both ends included)", () => {
  const c = planCatalog(cfg)[0];
  const u = new URL(c.url);
  assert.is(u.origin + u.pathname, 'https://earthquake.usgs.gov/fdsnws/event/1/query');
  assert.is(u.searchParams.get('format'), 'csv');
  assert.is(u.searchParams.get('starttime'), '2014-04-01T00:00:00.000');
  assert.is(u.searchParams.get('endtime'), '2015-01-01T00:00:00.000');
  assert.is(new URL(planCatalog(cfg)[1].url).searchParams.get('starttime'), '2015-01-01T00:00:00.000');
  assert.is(u.searchParams.get('minmagnitude'), '4.8');
  assert.is(u.searchParams.get('eventtype'), 'earthquake');
  assert.is(u.searchParams.get('orderby'), 'time-asc');
  assert.is(c.rowLimit, 20000);
  const six = planCatalog(defaultConfig({ catalogWindowMonths: 6, minMagnitude: 5.5 }));
  assert.is(six.length, 13);
  assert.is(new Date(six[1].start!).toISOString(), '2014-07-01T00:00:00.000Z');
  assert.match(six[0].url, /minmagnitude=5.5/);
});

test('HAPI URLs: dataset, parameters, ISO start/stop, CSV; columns per line', () => {
  const [mag] = planHapi(cfg, 'swarm-mag');
  assert.is(
    mag.url,
    'https://vires.services/hapi/data?dataset=SW_OPER_MAGA_LR_1B&parameters=Latitude,Longitude,Radius,B_NEC,Flags_B&start=2014-04-01T00:00:00Z&stop=2014-04-05T00:00:00Z&format=csv',
  );
  assert.is(mag.columns, 8);
  assert.is(hapiColumns(cfg.efi), 6);
  const efi = planHapi(cfg, 'swarm-efi');
  assert.match(efi[1].url, /dataset=SW_OPER_EFIA_LP_1B&parameters=Latitude,Longitude,Radius,N_ion,Flags_N_ion&start=2014-04-02T12:00:00Z&stop=2014-04-05T00:00:00Z/);
});

test('splitting halves a chunk on whole seconds, rebuilds its URL, and refuses below the minimum', () => {
  const c = planHapi(cfg, 'swarm-efi')[1];
  const [a, b] = splitChunk(cfg, c);
  assert.is(a.start, c.start);
  assert.is(a.stop, b.start);
  assert.is(b.stop, c.stop);
  assert.is(a.stop! - a.start!, 1.25 * DAY);
  assert.match(a.url, /start=2014-04-02T12:00:00Z&stop=2014-04-03T18:00:00Z/);
  const odd = catalogChunk(cfg, 0, 3001);
  const [x, y] = splitChunk(defaultConfig({ minSplitMs: 1000 }), odd);
  assert.is(x.stop, 1000);
  assert.is(y.stop, 3001);
  assert.throws(() => splitChunk(cfg, catalogChunk(cfg, 0, 100_000)), /shorter than 60000 ms/);
  assert.throws(() => splitChunk(cfg, planAll(cfg)[1].chunks[0]), /cannot be split/);
});

test('dates: bad days, reversed periods and ISO times', () => {
  assert.throws(() => parseTime('2016-02-30', '--from'), /--from: '2016-02-30' is not a valid calendar day/);
  assert.throws(() => parseTime('15/02/2016', '--to'), /not a date/);
  assert.is(parseTime('2016-02-15T12:00:00Z', 'x'), Date.UTC(2016, 1, 15, 12));
  assert.is(parseTime('2016-02-15T12:00', 'x'), Date.UTC(2016, 1, 15, 12));
  assert.throws(() => period({ from: '2016-02-15', to: '2016-02-14' }), /must not be before/);
  assert.equal(period({ from: '2016-02-15T00:00:00Z', to: '2016-02-15T06:00:00Z' }), { start: Date.UTC(2016, 1, 15), stop: Date.UTC(2016, 1, 15, 6) });
});

test('ESA listing: latest baseline per day, other products ignored; plan without a listing counts days', () => {
  const listing = JSON.stringify({
    files: [
      { name: 'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0505.CDF.ZIP' },
      { name: 'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0602.CDF.ZIP' },
      { name: 'SW_OPER_MAGA_LR_1B_20160216T000000_20160216T235959_0505.CDF.ZIP' },
      { name: 'SW_OPER_MAGB_LR_1B_20160216T000000_20160216T235959_0602.CDF.ZIP' },
      { name: 'SW_OPER_MAGA_LR_1B_20160216T000000_20160216T235959_0505.HDR' },
    ],
  });
  const f = parseEsaListing(listing, 'SW_OPER_MAGA_LR_1B');
  assert.equal(f.map((x) => [new Date(x.day).toISOString().slice(0, 10), x.version, x.mtime]), [['2016-02-15', '0602', null], ['2016-02-16', '0505', null]]);
  // the server's own form: {"results": [{name, size, mtime, is_dir}]}: mtime and size kept for the lock
  const results = JSON.stringify({
    results: [
      { name: 'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0505.CDF.ZIP', is_dir: false, size: 9000, mtime: 1500000000 },
      { name: 'SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0602.CDF.ZIP', is_dir: false, size: '9100', mtime: 1600000000 },
      { name: 'SW_OPER_MAGA_LR_1B_20160216T000000_20160216T235959_0602.CDF.ZIP', is_dir: true, size: 0, mtime: 1 },
      { name: 'SW_OPER_MAGA_LR_1B_20160217T000000_20160217T235959_0602.CDF.ZIP', is_dir: false, mtime: '2021-03-04 05:06:07' },
    ],
  });
  assert.equal(parseEsaListing(results, 'SW_OPER_MAGA_LR_1B').map((x) => [x.name.slice(19, 27), x.version, x.size, x.mtime]), [
    ['20160215', '0602', 9100, 1600000000],
    ['20160217', '0602', null, '2021-03-04 05:06:07'],
  ]);
  const esa = defaultConfig({ source: 'esa', only: ['swarm-mag', 'swarm-efi'] });
  const p = planAll(esa);
  assert.equal(p.map((x) => [x.kind, x.chunks.length, x.pendingDaily]), [['swarm-mag', 1, 2222], ['swarm-efi', 1, 2222]]);
  assert.is(
    p[0].chunks[0].url,
    'https://swarm-diss.eo.esa.int/?do=list&maxfiles=10000&pos=0&file=swarm%2FLevel1b%2FLatest_baselines%2FMAGx_LR%2FSat_A%2F',
  );
  const withList = planAll(defaultConfig({ source: 'esa', only: ['swarm-mag'], from: '2016-02-16', to: '2016-02-20' }), { 'swarm-mag': f });
  assert.is(withList[0].chunks.length, 2);
  assert.is(
    withList[0].chunks[1].url,
    'https://swarm-diss.eo.esa.int/?do=download&file=swarm%2FLevel1b%2FLatest_baselines%2FMAGx_LR%2FSat_A%2FSW_OPER_MAGA_LR_1B_20160216T000000_20160216T235959_0505.CDF.ZIP',
  );
});

function summarize(body: Buffer | string): BodySummary {
  const insp = new BodyInspector();
  const buf = Buffer.from(body);
  // feed in small pieces so head/tail bookkeeping across chunks is exercised
  for (let i = 0; i < buf.length; i += 7) insp._transform(buf.subarray(i, i + 7), 'utf8', () => {});
  return insp.summary();
}

test('BodyInspector: sha256, bytes, newlines, first line and tail over many pieces', () => {
  const text = 'head,line\n' + Array.from({ length: 20000 }, (_, i) => `row ${i}`).join('\n') + '\n';
  const s = summarize(text);
  assert.is(s.sha256, createHash('sha256').update(text).digest('hex'));
  assert.is(s.bytes, Buffer.byteLength(text));
  assert.is(s.newlines, 20001);
  assert.is(s.firstLine, 'head,line');
  assert.ok(s.tail.toString().endsWith('row 19999\n'));
  assert.ok(s.tail.length <= 70 * 1024);
});

const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof BodyError ? `${e.reason}: ${e.message}` : `other: ${(e as Error).message}`;
  }
  return 'ok';
};

test('body checks: ComCat CSV, HAPI CSV, Kp text, ZIP', () => {
  const cat = planCatalog(defaultConfig({ catalogRowLimit: 3 }))[0];
  const head = 'time,latitude,longitude,depth,mag,magType,nst\n';
  const row = '2014-04-02T01:02:03.456Z,1,2,10,5.1,mww,\n';
  assert.is(validateBody(cat, summarize(head + row + row), 'w'), 2);
  assert.is(validateBody(cat, summarize(''), 'w'), 0);
  assert.match(reason(() => validateBody(cat, summarize(head + row + row + row), 'w')), /^too-many-rows/);
  assert.match(reason(() => validateBody(cat, summarize(head + row + row.slice(0, 20)), 'w')), /^incomplete: w: CSV does not end/);
  assert.match(reason(() => validateBody(cat, summarize('<html>oops</html>\n'), 'w')), /^invalid: w: not a ComCat CSV/);

  const mag = planHapi(defaultConfig({ from: '2016-02-15', to: '2016-02-15' }), 'swarm-mag')[0];
  const line = (t: string) => `${t},1.5,-100.2,6828390.61,23432.07,2929.11,7001.07,0\n`;
  assert.is(validateBody(mag, summarize(line('2016-02-15T00:00:00Z') + line('2016-02-15T00:00:01Z')), 'h'), 2);
  assert.match(reason(() => validateBody(mag, summarize(line('2016-02-15T00:00:00Z') + '2016-02-15T00:00:01Z,1.5,-100.2\n'), 'h')), /^incomplete: h: last HAPI CSV line has 3 fields, expected 8/);
  assert.match(reason(() => validateBody(mag, summarize(line('2016-03-15T00:00:00Z')), 'h')), /^invalid: .*outside the requested span/);
  assert.match(reason(() => validateBody(mag, summarize('{"HAPI":"3.0"}\n'), 'h')), /^invalid/);

  const kp = planAll(defaultConfig({ only: ['kp'] }))[0].chunks[0];
  const kpLine = '2016 01 30 30710 30710.5 2489 21  0.333  0.000  0.333  0.333  0.333  0.667  0.000  0.667    2    0    2    2    2    3    0    3     2  36    105.1    102.0 2\n';
  assert.is(validateBody(kp, summarize('#YYY MM DD\n' + kpLine), 'k'), 2);
  assert.match(reason(() => validateBody(kp, summarize('#YYY MM DD\n' + kpLine.slice(0, 60) + '\n'), 'k')), /^incomplete/);

  const zipChunk: Chunk = { id: 'z', kind: 'swarm-mag', url: 'u', file: 'f', format: 'zip', splittable: false };
  const zip = makeZip('x.cdf', Buffer.alloc(5000, 7));
  assert.is(validateBody(zipChunk, summarize(zip), 'z'), null);
  assert.match(reason(() => validateBody(zipChunk, summarize(zip.subarray(0, zip.length - 5)), 'z')), /^incomplete: z: ZIP has no end-of-central-directory/);
});

test('error classification: retry, split, fail, fatal', () => {
  const [mag] = planHapi(cfg, 'swarm-mag');
  const [cat] = planCatalog(cfg);
  const hapi = (code: number) => JSON.stringify({ HAPI: '3.0', status: { code, message: `m${code}` } });
  assert.equal(hapiStatus(hapi(1408)), { code: 1408, message: 'm1408' });
  assert.is(hapiStatus('Error 400'), null);
  assert.equal(classify(mag, new HttpError('u', 400, hapi(1408), null), cfg), { action: 'split', why: 'HAPI 1408 m1408' });
  assert.throws(
    () => classify(mag, new HttpError('u', 404, hapi(1407), null), cfg),
    (e: Error) => e instanceof FatalDownloadError && /1407.*not in the order of https:\/\/vires\.services\/hapi\/info\?dataset=SW_OPER_MAGA_LR_1B.*N_ion.*N_elec is a different estimate/.test(e.message),
  );
  assert.equal(classify(mag, new HttpError('u', 400, hapi(1405), null), cfg), { action: 'outside', why: 'HAPI 1405 m1405' });
  assert.equal(classify(mag, new HttpError('u', 429, 'x', 0), cfg), { action: 'retry', delayMs: 0, why: 'HTTP 429 too many requests' });
  assert.equal(classify(mag, new HttpError('u', 503, 'x', null), cfg), { action: 'retry', delayMs: null, why: 'HTTP 503' });
  assert.is(classify(cat, new HttpError('u', 400, 'Error 400: Bad Request\n\n21000 matching events exceeds search limit of 20000.', null), cfg).action, 'split');
  assert.is(classify(cat, new HttpError('u', 400, 'Bad starttime', null), cfg).action, 'fail');
  assert.is(classify(cat, new TransferError('reset'), cfg).action, 'retry');
  assert.is(classify(cat, new BodyError('incomplete', 'x'), cfg).action, 'retry');
  assert.is(classify(cat, new BodyError('too-many-rows', 'x'), cfg).action, 'split');
  assert.throws(() => classify(mag, new HttpError('u', 403, '', null), cfg), /access refused/);
});

test('Retry-After: seconds and HTTP dates', () => {
  assert.is(parseRetryAfter('0'), 0);
  assert.is(parseRetryAfter('120'), 120_000);
  assert.is(parseRetryAfter(undefined), null);
  assert.is(parseRetryAfter('soon'), null);
  const now = Date.UTC(2020, 0, 1, 0, 0, 0);
  assert.is(parseRetryAfter('Wed, 01 Jan 2020 00:00:30 GMT', now), 30_000);
  assert.is(parseRetryAfter('Tue, 31 Dec 2019 23:00:00 GMT', now), 0);
});

test.run();
