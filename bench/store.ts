// Benchmark of the Swarm store (lib/swarm/store.ts): writes N full 1 Hz days (86,400 records each) to a
// temporary store, then streams them back with streamDays and prints the read throughput in records/s and
// the time a year of 1 Hz data would take. Issue 3 target: >= 5 million records/s (a year in < 7 s).
// Usage: npx tsx bench/store.ts [--days N] (default 14; files are read from the OS page cache, i.e. warm).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rngFor } from '../lib/core/random';
import { dayOfMs, dayStartMs, SwarmStore } from '../lib/swarm/store';
import { allocColumns } from '../lib/swarm/types';

const argDays = process.argv.indexOf('--days');
const nDays = argDays >= 0 ? Number(process.argv[argDays + 1]) : 14;
const PER_DAY = 86400;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
const store = new SwarmStore((s) => path.join(tmp, s));

try {
  const rng = rngFor('bench', 'store');
  const c = allocColumns(PER_DAY);
  for (let i = 0; i < PER_DAY; i++) {
    c.Latitude[i] = rng.uniform(-90, 90);
    c.Longitude[i] = rng.uniform(-180, 180);
    c.Radius[i] = 6.8e6;
    c.B_N[i] = rng.normal(2e4, 5e3);
    c.B_E[i] = rng.normal(0, 2e3);
    c.B_C[i] = rng.normal(3e4, 1e4);
    c.Ne[i] = rng.uniform(1e3, 1e6);
  }
  const first = dayStartMs('2016-01-01');
  const tw = process.hrtime.bigint();
  let bytes = 0;
  for (let d = 0; d < nDays; d++) {
    const t0 = first + d * 86400e3;
    for (let i = 0; i < PER_DAY; i++) c.Timestamp[i] = t0 + i * 1000;
    const f = store.writeDay({ ...c, satellite: 'A', day: dayOfMs(t0), source: 'simulated' }, { producer: 'bench/store.ts' });
    bytes += fs.statSync(f).size;
  }
  const writeS = Number(process.hrtime.bigint() - tw) / 1e9;

  const run = async () => {
    const t = process.hrtime.bigint();
    let n = 0;
    let check = 0;
    for await (const day of store.streamDays('simulated', 'A', '2016-01-01', '2016-12-31')) {
      n += day.Timestamp.length;
      check += day.B_N[day.B_N.length - 1] + day.Timestamp[0] * 0;
    }
    return { n, s: Number(process.hrtime.bigint() - t) / 1e9, check };
  };
  (async () => {
    await run(); // warm-up (JIT)
    const r = await run();
    const rate = r.n / r.s;
    const yearRecords = 366 * PER_DAY;
    console.log(`store benchmark: ${nDays} days x ${PER_DAY} records, ${(bytes / nDays / 1e6).toFixed(2)} MB per day file`);
    console.log(`write: ${((nDays * PER_DAY) / writeS / 1e6).toFixed(2)} million records/s (${writeS.toFixed(2)} s, atomic)`);
    console.log(`read (streamDays, warm page cache): ${(rate / 1e6).toFixed(2)} million records/s, ${((bytes / r.s) / 1e6).toFixed(0)} MB/s`);
    console.log(`a year of 1 Hz (${yearRecords} records) would stream in ${(yearRecords / rate).toFixed(2)} s (target < 7 s; >= 5 million records/s)`);
    fs.rmSync(tmp, { recursive: true, force: true });
  })().catch((e) => {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  });
} catch (e) {
  fs.rmSync(tmp, { recursive: true, force: true });
  throw e;
}
