// `npm run refit-simulator` (scripts/refit-simulator.ts, lib/simulation/calibrate.ts refitFromDays): on a store of
// days made by the simulator itself with known parameters, the refit gives those parameters back (storm field,
// induction, low-latitude noise, polar-cap field, instrument noise from the 0.1-0.5 Hz band power, the orbit's
// phase at each day's first crossing), writes them where `npm run simulate -- --params` reads them; no real days:
// a clear error that names `make data`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadInputs, simulateDay } from '../lib/simulation/simulate';
import { DEFAULT_SIMULATION_PARAMS, withParams } from '../lib/simulation/params';
import { readRefitFile } from '../lib/simulation/calibrate';
import { makeOrbit, positionsAt } from '../lib/simulation/orbit';
import { separationKm } from '../lib/simulation/realism';
import { SwarmStore } from '../lib/swarm/store';
import { tempDirs } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

function runRefit(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'refit-simulator.ts'), ...args], {
      cwd: path.join(__dirname, '..'), env: { ...process.env, FORCE_COLOR: '0' },
    });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

test('refit from simulated "real" days gives the simulator its parameters back; simulate --params reads the file', async () => {
  const dir = tempDir('sim-refit-');
  try {
    const inputs = loadInputs();
    const store = new SwarmStore(() => path.join(dir, 'store'));
    const days = ['2016-01-01', '2016-01-02'];
    for (const d of days) store.writeDay({ ...simulateDay(d, inputs, withParams({ injection: { enabled: false } }), 'simulator').day, source: 'real' }, { producer: 'test' });
    const out = path.join(dir, 'refit.json');
    const r = await runRefit(['--store', path.join(dir, 'store'), '--out', out]);
    assert.is(r.code, 0, r.err + r.out);
    assert.match(r.out, /2 of 2 real days/);
    const p = readRefitFile(out);
    const m = p.magnetic, d = DEFAULT_SIMULATION_PARAMS.magnetic;
    const near = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: refit ${a} vs simulated with ${b}`);
    near(m.stormExternalFactor, d.stormExternalFactor, 0.05, 'stormExternalFactor');
    near(m.stormInductionQ, d.stormInductionQ, 0.15, 'stormInductionQ');
    near(m.polarCapFieldNtPerKp, d.polarCapFieldNtPerKp, 0.2, 'polarCapFieldNtPerKp');
    near(m.instrumentNoiseNt, d.instrumentNoiseNt, 0.3, 'instrumentNoiseNt (0.1-0.5 Hz band power)');
    for (let i = 0; i < d.lowLatSigmaNt.length; i++) near(m.lowLatSigmaNt[i], d.lowLatSigmaNt[i], 0.35, `lowLatSigmaNt[${i}]`);
    near(m.lowLatSmoothRatio, d.lowLatSmoothRatio, 0.25, 'lowLatSmoothRatio');
    // the phase: 2016-01-02's first crossing is added; positions with it stay on the days' own track
    assert.is(p.orbit.extraNodes.length, 1);
    assert.match(p.orbit.extraNodes[0].time, /^2016-01-02T/);
    const day2 = store.readDay('real', 'A', '2016-01-02')!;
    const tr = positionsAt(makeOrbit(p.orbit), [day2.Timestamp[40000]]);
    assert.ok(separationKm(tr.Latitude[0], tr.Longitude[0], tr.Radius[0], day2.Latitude[40000], day2.Longitude[40000], day2.Radius[40000]) < 1);
    const none = await runRefit(['--store', path.join(dir, 'empty'), '--out', out]);
    assert.is(none.code, 1);
    assert.match(none.err, /no real Swarm A days .* run `make data` first/);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ params: { magnetic: { noSuch: 1 } } }));
    try {
      readRefitFile(path.join(dir, 'bad.json'));
      assert.unreachable('unknown parameter accepted');
    } catch (e) {
      assert.match((e as Error).message, /bad\.json: params: .*unknown parameter 'magnetic\.noSuch'/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
