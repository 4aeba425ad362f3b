// Tests for lib/catalog/comcat.ts: the shipped ComCat catalogs (known rows, the two case-study events) and
// bad input (missing column, bad number, bad time) with errors naming file, line and column.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findEvent, parseComcat, readComcat, readComcatWithInfo, subsetCatalog, whereCatalog } from '../lib/catalog/comcat';
import { paths } from '../lib/core/paths';
import { tempDirs } from './helpers';

/** Temporary folders of this file, removed after its tests. */
const temps = tempDirs();
test.after(temps.cleanup);

test('M>=5.0 catalog: row count, types, the two case-study events', () => {
  const { catalog: c, info } = readComcatWithInfo(paths.catalogM50);
  assert.is(info.rows, 18334);
  assert.is(c.time.length, 18334);
  assert.is(info.missingDepth, 0);
  assert.ok(c.time instanceof Float64Array && c.mag instanceof Float64Array);
  const s = findEvent(c, 'us10004u1y');
  assert.ok(s >= 0);
  assert.is(c.time[s], Date.UTC(2016, 2, 2, 12, 49, 48, 110));
  assert.is(c.latitude[s], -4.9521);
  assert.is(c.longitude[s], 94.3299);
  assert.is(c.depth[s], 24);
  assert.is(c.mag[s], 7.8);
  assert.is(c.magType[s], 'mww');
  assert.is(c.place[s], 'southwest of Sumatra, Indonesia');
  const e = findEvent(c, 'us20005j32');
  assert.is(c.time[e], Date.UTC(2016, 3, 16, 23, 58, 36, 980));
  assert.is(c.latitude[e], 0.3819);
  assert.is(c.longitude[e], -79.9218);
  assert.is(c.depth[e], 20.59);
  assert.is(c.place[e], '27 km SSE of Muisne, Ecuador');
  // README: 10,037 type=earthquake rows fall in 2014-04-01..2020-04-30; place is empty on 236 rows.
  const from = Date.UTC(2014, 3, 1);
  const to = Date.UTC(2020, 4, 1);
  assert.is(whereCatalog(c, (i) => c.type[i] === 'earthquake' && c.time[i] >= from && c.time[i] < to).length, 10037);
  assert.is(c.place.filter((p) => p === '').length, 236);
  let minMag = Infinity;
  for (const m of c.mag) minMag = Math.min(minMag, m);
  assert.is(minMag, 5);
});

test('M>=4.5 2019-2020 catalog: first row and the README count', () => {
  const c = readComcat(paths.catalogM45);
  assert.is(c.id.length, 7150);
  assert.is(c.id[0], 'us6000d4nn');
  assert.is(c.time[0], Date.UTC(2020, 11, 31, 23, 12, 35, 50));
  assert.is(c.depth[0], 85.73);
  const to = Date.UTC(2020, 4, 1); // through 2020-04-30
  assert.is(whereCatalog(c, (i) => c.mag[i] >= 4.8 && c.time[i] < to).length, 1148);
});

test('subsetCatalog picks rows in order', () => {
  const c = readComcat(paths.catalogM45);
  const s = subsetCatalog(c, [2, 0]);
  assert.equal(s.id, [c.id[2], c.id[0]]);
  assert.equal(Array.from(s.mag), [c.mag[2], c.mag[0]]);
});

const HEADER = 'time,latitude,longitude,depth,mag,magType,nst,gap,dmin,rms,net,id,updated,place,type';
const ROW = (t: string, lat: string, depth: string, mag: string) =>
  `${t},${lat},94.3,${depth},${mag},mww,,20,7.0,1.1,us,us1,2022-08-07T10:07:56.151Z,"south of X, Y",earthquake`;

function expectError(text: string, re: RegExp) {
  try {
    parseComcat(text, '/tmp/bad.csv');
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`no error for ${re}`);
}

test('errors: missing column, bad number, missing mag, bad time name file, line and column', () => {
  expectError(HEADER.replace(',mag,', ',magnitude,') + '\n', /^\/tmp\/bad\.csv:1: column 'mag': missing column/);
  const good = ROW('2016-03-02T12:49:48.110Z', '-4.95', '24', '7.8');
  expectError(`${HEADER}\n${good}\n${ROW('2016-03-02T12:49:48.110Z', '-4.9x', '24', '7.8')}\n`, /^\/tmp\/bad\.csv:3: column 'latitude': not a number: '-4\.9x'/);
  expectError(`${HEADER}\n${good}\n${good}\n${ROW('2016-03-02T12:49:48.110Z', '-4.95', '24', '')}\n`, /^\/tmp\/bad\.csv:4: column 'mag': not a number: ''/);
  expectError(`${HEADER}\n${ROW('2016-02-30T12:49:48Z', '-4.95', '24', '7.8')}\n`, /:2: column 'time': not an ISO 8601/);
  expectError(`${HEADER}\n${ROW('2016-03-02T12:49:48Z', '-94.95', '24', '7.8')}\n`, /:2: column 'latitude': -94\.95 outside/);
  expectError(`${HEADER}\n${good},extra\n`, /:2: row has 16 fields, header has 15/);
  expectError('', /empty file/);
});

test('a quoted newline in place keeps line numbers right; empty depth is NaN and counted', () => {
  const r1 = ROW('2016-03-02T12:49:48.110Z', '-4.95', '', '7.8').replace('"south of X, Y"', '"two\nlines"');
  const r2 = ROW('2016-03-02T12:49:48.110Z', '-4.95', '24', 'x');
  const { catalog, info } = parseComcat(`${HEADER}\n${r1}\n`, 'mem.csv');
  assert.ok(Number.isNaN(catalog.depth[0]));
  assert.is(info.missingDepth, 1);
  assert.is(catalog.place[0], 'two\nlines');
  try {
    parseComcat(`${HEADER}\n${r1}\n${r2}\n`, 'mem.csv');
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /^mem\.csv:4: column 'mag'/);
  }
});

test('readComcat names the file for a file on disk', () => {
  const f = path.join(temps.tempDir('comcat-'), 'x.csv');
  fs.writeFileSync(f, HEADER.replace(',id,', ',ident,') + '\n');
  assert.throws(() => readComcat(f), (e: Error) => e.message.startsWith(`${f}:1: column 'id'`));
});

test.run();
