// Fuzz tests of the other readers of untrusted input (issue 16): VirES CSV (lib/swarm/swarm-csv.ts), ComCat CSV
// (lib/catalog/comcat.ts), Kp/ap/Dst files (lib/indices), ZIP archives (lib/swarm/zip.ts, with the CDF inside),
// ESA MAG LR and EFI LP products (lib/swarm/esa-cdf.ts, bare and zipped) and Arrow store files (lib/swarm/store.ts). Seeded mutants of shipped files or excerpts, run together in two
// child processes under a 1 GiB data limit with a per-mutant timeout; every outcome must be a clean decode or
// the reader's named error (InputFormatError, ZipError/CdfError, 'store: <file>:'), one test per reader.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDirs } from './helpers';
import { countOutcomes, failures, FuzzRun, runFuzz } from './fuzz-harness';

const { tempDir, cleanup } = tempDirs();

/** Mutants per reader. */
export const READER_MUTANTS: Record<string, number> = { 'swarm-csv': 200, comcat: 200, 'kp-dst': 200, zip: 200, 'esa-mag': 200, 'esa-lp': 150, store: 200 };

let run: FuzzRun;
test.before(async () => {
  const jobs = Object.entries(READER_MUTANTS).flatMap(([target, n]) => Array.from({ length: n }, (_, index) => ({ target, index })));
  run = await runFuzz(jobs, { dir: tempDir('fuzz-readers-') });
  console.log(`fuzz readers: ${jobs.length} mutants in ${run.seconds.toFixed(1)} s, ${run.children} children`);
});
test.after(cleanup);

test('the memory cap is in force in the fuzz children', () => {
  assert.ok(run.capEnforced);
});

for (const [target, n] of Object.entries(READER_MUTANTS)) {
  test(`${target}: ${n} seeded mutants decode cleanly or fail with a named error`, () => {
    const mine = run.outcomes.filter((o) => o.target === target);
    assert.is(mine.length, n);
    console.log(`fuzz ${target}: ${JSON.stringify(countOutcomes(run.outcomes, target))}`);
    assert.equal(failures(mine), []);
    assert.ok(mine.some((o) => o.outcome === 'named'), 'some mutants are refused');
  });
}

test.run();
