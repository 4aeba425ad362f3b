// Fuzz test of the CDF reader (lib/swarm/cdf, issue 16): 400 seeded mutants of the 12 shipped CDF files, half of
// them field-level (MaxRec, VXRhead, NumElems, sRecords, VXR Nentries/First/Last, CCR uSize set to hostile
// values), half byte-level (truncation, bit flips, boundary integers, garbage, cut or repeated chunks), each read
// in a child process under a 1 GiB data limit with a per-mutant timeout. Every outcome must be a clean decode or
// a CdfError naming the file: no other exception, no timeout, no killed child.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDirs } from './helpers';
import { countOutcomes, failures, runFuzz } from './fuzz-harness';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

export const CDF_MUTANTS = 400;

test(`CDF reader: ${CDF_MUTANTS} seeded mutants of the shipped files decode cleanly or fail with a named CdfError`, async () => {
  const jobs = Array.from({ length: CDF_MUTANTS }, (_, index) => ({ target: 'cdf', index }));
  const run = await runFuzz(jobs, { dir: tempDir('fuzz-cdf-') });
  const counts = countOutcomes(run.outcomes, 'cdf');
  const fieldLevel = run.outcomes.filter((o) => / -> /.test(o.what ?? '')).length;
  console.log(`fuzz cdf: ${CDF_MUTANTS} mutants (${fieldLevel} field-level) in ${run.seconds.toFixed(1)} s, ${run.children} children: ${JSON.stringify(counts)}`);
  assert.ok(run.capEnforced, 'the memory cap is in force in the children');
  assert.equal(failures(run.outcomes), []);
  assert.ok(fieldLevel > CDF_MUTANTS / 3, `field-level mutants: ${fieldLevel}`);
  assert.ok((counts.named ?? 0) > CDF_MUTANTS / 2, 'most mutants are refused');
});

test.run();
