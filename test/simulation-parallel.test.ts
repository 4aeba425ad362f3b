// Day-parallel simulation (lib/simulation/parallel.ts): two worker processes write the same bytes as one process,
// a second run skips the days already current, and the ground-truth table gathers every day's entries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { simulateDaysParallel } from '../lib/simulation/parallel';
import { loadInputs, sideFilePath, simulateAndWriteDay, simulationHash, simulationProvenance, simulatorCodeDigests, staleReason } from '../lib/simulation/simulate';
import { DEFAULT_SIMULATION_PARAMS, withParams } from '../lib/simulation/params';

const days = ['2016-02-15', '2016-02-16'];

test('two workers give the same files as one process; a rerun skips; ground truth gathered', async () => {
  const par = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-par-'));
  const seq = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-seq-'));
  try {
    const lines: string[] = [];
    const s1 = await simulateDaysParallel({ days, params: DEFAULT_SIMULATION_PARAMS, seed: 'simulator', root: par, workers: 2, log: (l) => lines.push(l) });
    assert.is(s1.simulated, 2);
    assert.is(s1.workers, 2);
    assert.is(s1.records, 2 * 86400);
    assert.ok(lines.some((l) => /records\/s/.test(l)), 'progress prints records/s');
    const inputs = loadInputs();
    const hash = simulationHash(DEFAULT_SIMULATION_PARAMS, 'simulator', inputs.digest);
    assert.is(s1.hash, hash);
    let truth = 0;
    for (const d of days) {
      const w = simulateAndWriteDay(d, inputs, DEFAULT_SIMULATION_PARAMS, 'simulator', seq, hash);
      truth += w.truth;
      const a = fs.readFileSync(path.join(par, 'A', `${d}.arrow`));
      const b = fs.readFileSync(path.join(seq, 'A', `${d}.arrow`));
      assert.ok(a.equals(b), `${d}: worker and in-process bytes differ`);
    }
    assert.is(s1.truth, truth);
    const gt = JSON.parse(fs.readFileSync(path.join(par, 'ground-truth.json'), 'utf8'));
    assert.is(gt.truth.length, truth);
    const s2 = await simulateDaysParallel({ days, params: DEFAULT_SIMULATION_PARAMS, seed: 'simulator', root: par, workers: 2, log: () => undefined });
    assert.is(s2.simulated, 0);
    assert.is(s2.skipped, 2);
  } finally {
    fs.rmSync(par, { recursive: true, force: true });
    fs.rmSync(seq, { recursive: true, force: true });
  }
});

test('a stored day says why it is re-simulated: parameters, seed, simulator code, or an older side file', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-stale-'));
  try {
    const inputs = loadInputs();
    const day = '2016-02-15';
    const p0 = DEFAULT_SIMULATION_PARAMS;
    const h0 = simulationHash(p0, 'simulator', inputs.digest);
    assert.is(staleReason(root, day, h0, simulationProvenance(p0, 'simulator', inputs.digest)), 'not simulated before');
    simulateAndWriteDay(day, inputs, p0, 'simulator', root, h0);
    assert.is(staleReason(root, day, h0, simulationProvenance(p0, 'simulator', inputs.digest)), null);
    const p1 = withParams({ magnetic: { instrumentNoiseNt: 0.2 }, orbit: { decayKmPerYear: -4 } });
    const h1 = simulationHash(p1, 'simulator', inputs.digest);
    assert.is.not(h1, h0);
    assert.is(staleReason(root, day, h1, simulationProvenance(p1, 'simulator', inputs.digest)), 'parameters changed (orbit.decayKmPerYear, magnetic.instrumentNoiseNt)');
    // a changed source file of the simulator: the side file's digest of orbit.ts no longer matches
    const side = JSON.parse(fs.readFileSync(sideFilePath(root, day), 'utf8'));
    side.provenance.code['orbit.ts'] = '0000000000000000';
    side.hash = 'older';
    fs.writeFileSync(sideFilePath(root, day), JSON.stringify(side));
    assert.is(staleReason(root, day, h0, simulationProvenance(p0, 'simulator', inputs.digest)), 'simulator code changed (orbit.ts)');
    assert.ok(Object.keys(simulatorCodeDigests()).includes('background.ts'));
    delete side.provenance;
    fs.writeFileSync(sideFilePath(root, day), JSON.stringify(side));
    assert.match(staleReason(root, day, h0, simulationProvenance(p0, 'simulator', inputs.digest))!, /before side files recorded what made them/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
