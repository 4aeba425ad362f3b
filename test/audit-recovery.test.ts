// Injection recovery's re-injection (lib/audit/recovery.ts): running only the injection step on a null-run day gives,
// byte for byte, the day a full simulation with the same (scaled) amplitudes gives, through the store's Arrow round
// trip too; amplitude 0 is the null run itself; the ground truth's spans do not depend on the amplitude.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadInputs, simulateDay } from '../lib/simulation/simulate';
import { withParams } from '../lib/simulation/params';
import { SwarmStore } from '../lib/swarm/store';
import { SWARM_COLUMN_NAMES, SwarmDay } from '../lib/swarm/types';
import { amplitudeParams, ReinjectedStore, reinjectDay } from '../lib/audit/recovery';

const inputs = loadInputs();
// a day of the smoke period with packets (2016-02-15, the Sumatra case day)
const DAY = '2016-02-15';
const nullDay = simulateDay(DAY, inputs, withParams({ injection: { enabled: false } }), 'nullSimulation');

function bytes(d: SwarmDay): Buffer {
  return Buffer.concat(SWARM_COLUMN_NAMES.map((c) => {
    const a = d[c] as Float64Array | Uint16Array;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  }));
}

test('re-injecting a null day at amplitude 1 gives the signal day byte for byte', () => {
  const full = simulateDay(DAY, inputs, amplitudeParams(1), 'simulator');
  assert.ok(full.truth.length > 0, 'the day has packets');
  const re = reinjectDay(nullDay.day, inputs.catalog, amplitudeParams(1));
  assert.ok(bytes(re.day).equals(bytes(full.day)));
  assert.equal(re.truth, full.truth);
  // the null day itself is not changed
  assert.ok(bytes(nullDay.day).equals(bytes(simulateDay(DAY, inputs, withParams({ injection: { enabled: false } }), 'nullSimulation').day)));
});

test('at amplitude 2.5 too, through the store (Arrow file) of the null run; spans as at amplitude 1, amplitudes scaled', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-recovery-'));
  try {
    const store = new SwarmStore(() => dir);
    store.writeDay(nullDay.day);
    const full = simulateDay(DAY, inputs, amplitudeParams(2.5), 'simulator');
    const view = new ReinjectedStore(store, amplitudeParams(2.5), inputs.catalog);
    const re = view.readDay('simulated', 'A', DAY)!;
    assert.ok(bytes(re).equals(bytes(full.day)), 'byte for byte after the store round trip');
    assert.is(view.packets, full.truth.length);
    const one = simulateDay(DAY, inputs, amplitudeParams(1), 'simulator').truth;
    assert.equal(full.truth.map((e) => [e.tStartMs, e.tEndMs]), one.map((e) => [e.tStartMs, e.tEndMs]));
    full.truth.forEach((e, k) => assert.ok(Math.abs(e.amplitudeE - 2.5 * one[k].amplitudeE) < 1e-12 * one[k].amplitudeE));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('amplitude 0 is the null run; a negative amplitude is refused', () => {
  const re = reinjectDay(nullDay.day, inputs.catalog, amplitudeParams(0));
  assert.is(re.truth.length, 0);
  assert.ok(bytes(re.day).equals(bytes(nullDay.day)));
  assert.throws(() => amplitudeParams(-1), /amplitude must be/);
});

test.run();
