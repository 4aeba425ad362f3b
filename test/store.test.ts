// Tests for lib/swarm/store.ts: round trip of a satellite-day through Arrow IPC with metadata, atomic writes,
// listing, day streaming and time-range queries across midnight, and refusal of bad columns or files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as arrow from 'apache-arrow';
import { allocColumns, SwarmDay } from '../lib/swarm/types';
import { dayStartMs, decodeDay, SwarmStore, timeRangeIndex } from '../lib/swarm/store';
import { rngFor } from '../lib/core/random';
import { execFileSync } from 'child_process';
import { paths } from '../lib/core/paths';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const store = new SwarmStore((source) => path.join(tmp, source));

/** A day of n records, one a second from 00:00 with an offset, values from the test stream. */
function makeDay(day: string, n: number, startSec = 0): SwarmDay {
  const rng = rngFor('test', `store-${day}`);
  const c = allocColumns(n);
  const t0 = dayStartMs(day);
  for (let i = 0; i < n; i++) {
    c.Timestamp[i] = t0 + (startSec + i) * 1000;
    c.Latitude[i] = rng.uniform(-90, 90);
    c.Longitude[i] = rng.uniform(-180, 180);
    c.Radius[i] = 6.8e6 + rng.normal(0, 1000);
    c.B_N[i] = rng.normal(20000, 5000);
    c.B_E[i] = rng.normal(0, 2000);
    c.B_C[i] = rng.normal(30000, 10000);
    c.Ne[i] = i % 17 === 0 ? NaN : rng.uniform(1e3, 1e6);
    c.Flags_B[i] = i % 11 === 0 ? 255 : 0;
    c.Flags_Ne[i] = i % 17 === 0 ? 1 : 0;
  }
  return { ...c, satellite: 'A', day, source: 'simulated' };
}

test('round trip keeps every value, NaN and flag; metadata is stored', () => {
  const d = makeDay('2016-02-15', 5000);
  const f = store.writeDay(d, { producer: 'test/store.test.ts', baselines: { MAG: '0505' } });
  assert.is(f, path.join(tmp, 'simulated', 'A', '2016-02-15.arrow'));
  const r = store.readDayWithMetadata('simulated', 'A', '2016-02-15')!;
  assert.is(r.meta.producer, 'test/store.test.ts');
  assert.equal(r.meta.baselines, { MAG: '0505' });
  assert.is(r.meta.records, 5000);
  assert.is(r.day.day, '2016-02-15');
  assert.is(r.day.satellite, 'A');
  for (const k of ['Timestamp', 'Latitude', 'Longitude', 'Radius', 'B_N', 'B_E', 'B_C', 'Ne', 'Flags_B', 'Flags_Ne'] as const) {
    assert.is(r.day[k].constructor, d[k].constructor, k);
    assert.equal(Array.from(r.day[k]), Array.from(d[k]), k);
  }
  // no temporary file is left beside it; the content digest is
  assert.equal(fs.readdirSync(path.dirname(f)).sort(), ['2016-02-15.arrow', '2016-02-15.arrow.digest.json']);
});

test('the file is standard Arrow IPC: magic bytes, timestamp[ms, UTC], units in field metadata', () => {
  const bytes = fs.readFileSync(store.file('simulated', 'A', '2016-02-15'));
  assert.is(Buffer.from(bytes.subarray(0, 6)).toString('latin1'), 'ARROW1');
  assert.is(Buffer.from(bytes.subarray(bytes.length - 6)).toString('latin1'), 'ARROW1');
  const t = arrow.tableFromIPC(bytes);
  const ts = t.schema.fields.find((f) => f.name === 'Timestamp')!;
  assert.ok(arrow.DataType.isTimestamp(ts.type));
  assert.is((ts.type as arrow.Timestamp).unit, arrow.TimeUnit.MILLISECOND);
  assert.is((ts.type as arrow.Timestamp).timezone, 'UTC');
  assert.is(t.schema.fields.find((f) => f.name === 'B_N')!.metadata.get('unit'), 'nT');
  assert.is(t.schema.metadata.get('safenet.source'), 'simulated');
  assert.is(t.getChild('Timestamp')!.get(0), Date.UTC(2016, 1, 15));
  // the stream reader (another code path of the library) sees the same rows
  const batches = [...arrow.RecordBatchReader.from(bytes)];
  assert.is(batches.reduce((s, b) => s + b.numRows, 0), 5000);
});

test('an independent reader (Python + numpy, from the Arrow format spec) reads the same file', () => {
  let out: string;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  } catch {
    throw new Error('/usr/bin/python3 with numpy is needed (Debian python3-numpy; `make test` installs it)');
  }
  const f = store.file('simulated', 'A', '2016-02-15');
  out = execFileSync('/usr/bin/python3', [path.join(paths.fixtures, 'store', 'read_arrow_ipc.py'), f], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const py = JSON.parse(out) as { metadata: Record<string, string>; fields: { name: string; type: { kind: string; unit?: string; timezone?: string; bits?: number } }[]; rows: number; columns: Record<string, (number | null)[]> };
  const d = store.readDay('simulated', 'A', '2016-02-15')!;
  assert.is(py.rows, 5000);
  assert.is(py.metadata['safenet.producer'], 'test/store.test.ts');
  assert.equal(py.fields.map((x) => x.name), ['Timestamp', 'Latitude', 'Longitude', 'Radius', 'B_N', 'B_E', 'B_C', 'Ne', 'Flags_B', 'Flags_Ne']);
  assert.equal(py.fields[0].type, { kind: 'timestamp', unit: 'ms', timezone: 'UTC', dtype: '<i8' } as never);
  assert.is(py.fields[8].type.bits, 16);
  for (const k of ['Timestamp', 'B_N', 'Ne', 'Flags_B'] as const) {
    assert.equal(py.columns[k], Array.from(d[k] as ArrayLike<number>, (v) => (Number.isNaN(v) ? null : v)), k);
  }
});

test('listDays, readDay of an absent day, streamDays in order and bounded', async () => {
  store.writeDay(makeDay('2016-02-14', 100, 86400 - 100));
  store.writeDay(makeDay('2016-02-17', 50));
  fs.writeFileSync(path.join(tmp, 'simulated', 'A', '.2016-02-18.arrow.1.tmp'), 'partial');
  assert.equal(store.listDays('simulated', 'A'), ['2016-02-14', '2016-02-15', '2016-02-17']);
  assert.equal(store.listDays('real', 'A'), []);
  assert.is(store.readDay('simulated', 'A', '2016-02-16'), null);
  const seen: string[] = [];
  for await (const d of store.streamDays('simulated', 'A', '2016-02-15', '2016-02-20')) seen.push(`${d.day}:${d.Timestamp.length}`);
  assert.equal(seen, ['2016-02-15:5000', '2016-02-17:50']);
  // early exit from the loop is fine
  for await (const d of store.streamDays('simulated', 'A', '2016-01-01', '2016-12-31')) {
    assert.is(d.day, '2016-02-14');
    break;
  }
});

test('queryRange spans midnight and matches the sync variant', async () => {
  const from = Date.UTC(2016, 1, 14, 23, 59, 30);
  const to = Date.UTC(2016, 1, 15, 0, 0, 10);
  const q = await store.queryRange('simulated', 'A', from, to);
  assert.is(q.Timestamp.length, 30 + 10);
  assert.is(q.Timestamp[0], from);
  assert.is(q.Timestamp[39], to - 1000);
  const s = store.queryRangeSync('simulated', 'A', from, to);
  assert.equal(Array.from(s.B_N), Array.from(q.B_N));
  assert.equal(timeRangeIndex(new Float64Array([1, 2, 3, 5]), 2, 5), [1, 3]);
  assert.equal(timeRangeIndex(new Float64Array([1, 2, 3, 5]), 6, 9), [4, 4]);
});

test('writeDay refuses bad columns; readDay refuses a truncated or mislabeled file', () => {
  const d = makeDay('2016-03-01', 10);
  assert.throws(() => store.writeDay({ ...d, B_E: new Float64Array(9) }), /column B_E has 9 values, Timestamp has 10/);
  const back = makeDay('2016-03-01', 10);
  back.Timestamp[5] = back.Timestamp[4];
  assert.throws(() => store.writeDay(back), /record 5: Timestamps not strictly increasing/);
  assert.throws(() => store.writeDay({ ...d, day: '2016-03-02' }), /Timestamp .* is not inside 2016-03-02/);
  assert.throws(() => store.writeDay({ ...d, day: '2016-02-30' }), /not a YYYY-MM-DD day/);
  assert.throws(() => store.writeDay({ ...d, Flags_B: new Float64Array(10) as unknown as Uint16Array }), /Flags_B must be a Uint16Array/);
  assert.is(store.listDays('simulated', 'A').includes('2016-03-01'), false);
  const f = store.writeDay(d);
  const bytes = fs.readFileSync(f);
  fs.writeFileSync(f, bytes.subarray(0, bytes.length - 40));
  assert.throws(() => store.readDay('simulated', 'A', '2016-03-01'), /2016-03-01\.arrow: content sha256 [0-9a-f]{16}\.\.\. differs from the [0-9a-f]{16}\.\.\. recorded when it was written/);
  fs.rmSync(`${f}.digest.json`);
  assert.throws(() => store.readDay('simulated', 'A', '2016-03-01'), /2016-03-01\.arrow: not a readable Arrow IPC file/);
  assert.throws(() => decodeDay(bytes, 'x.arrow', { source: 'real', satellite: 'A', day: '2016-03-01' }), /holds simulated\/A\/2016-03-01, expected real/);
});

test.run();
