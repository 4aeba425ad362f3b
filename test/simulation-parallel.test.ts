// Day-parallel simulation (lib/simulation/parallel.ts): two worker processes write the same bytes as one process,
// a second run skips the days already current, and the ground-truth table gathers every day's entries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { simulateDaysParallel } from '../lib/simulation/parallel';
import { loadInputs, simulateAndWriteDay, simulationHash } from '../lib/simulation/simulate';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';

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

test.run();
