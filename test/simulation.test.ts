// The Swarm A simulator end to end (lib/simulation/simulate.ts): every ground-truth entry is in the output and
// nothing outside its span is perturbed (against a null run of the same seed), the same seed gives the same bytes,
// the background follows the real Kp/Dst, Ne has day/night, EIA and bubbles, gaps are flagged, store round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  dayIsCurrent, loadInputs, simulateAndWriteDay, simulateDay, simulationHash, writeGroundTruth, SimulatedDay, SimulationSeed,
} from '../lib/simulation/simulate';
import { SEEDS } from '../lib/core/config';
import { DEFAULT_SIMULATION_PARAMS, describeParams, withParams, SIMULATION_PARAM_REASONS } from '../lib/simulation/params';
import { packetAt, TRUTH_COLUMNS } from '../lib/simulation/inject';
import { highPass, meanSquare } from '../lib/simulation/signal';
import { SIM_FLAGS } from '../lib/simulation/background';
import { encodeDay, SwarmStore } from '../lib/swarm/store';
import { SWARM_COLUMN_NAMES } from '../lib/swarm/types';
import { kpAt } from '../lib/indices/kp';
import { dstAt, readDstHourly } from '../lib/indices/dst';
import { readKp3Hourly } from '../lib/indices/kp';
import { mainFieldEcef, ecefToNec, dipoleAxis, coefficientsAt, decimalYear } from '../lib/simulation/mainfield';
import { positionsAt, makeOrbit } from '../lib/simulation/orbit';

const inputs = loadInputs();
// more injections than the default, so that one day exercises many packets
const dense = withParams({ injection: { probability: 1 } });
const nullSame = withParams({ injection: { enabled: false, probability: 1 } });
const DAY = '2016-02-15';
const signal = simulateDay(DAY, inputs, dense, 'simulator');
const quiet = simulateDay(DAY, inputs, nullSame, 'simulator');

function bytesOf(s: SimulatedDay): Buffer {
  const meta = { source: 'simulated' as const, satellite: 'A' as const, day: s.day.day, producer: 'test', baselines: {}, records: s.day.Timestamp.length, formatVersion: '1' };
  return Buffer.from(encodeDay(s.day, meta));
}
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

test('every parameter has a reason', () => {
  for (const r of describeParams()) assert.ok(r.reason !== '(no reason given)', `${r.name} has no reason`);
  assert.is(Object.keys(SIMULATION_PARAM_REASONS).length, describeParams().length);
});

test('the case-study day gets injections, each fully described by its ground-truth entry', () => {
  assert.ok(signal.truth.length >= 5, `${signal.truth.length} injections on ${DAY}`);
  for (const e of signal.truth) {
    for (const c of TRUTH_COLUMNS) assert.ok(e[c] !== undefined && e[c] !== null && (typeof e[c] !== 'number' || Number.isFinite(e[c] as number)), `${e.id}.${c}`);
    assert.ok(e.closestKm <= e.radiusKm, `${e.id}: inside the preparation radius`);
    assert.ok(e.leadDays > 0 && e.leadDays <= 15, `${e.id}: lead ${e.leadDays} days`);
    assert.ok(e.frequencyHz >= 0.1 && e.frequencyHz <= 0.5);
    assert.ok(Math.abs(e.radiusKm - Math.pow(10, 0.43 * e.eventMag)) < 1e-6, 'Dobrovolsky radius');
  }
});

test('outside the ground-truth spans the output is identical to a null run of the same seed; inside it is the packet', () => {
  const t = signal.day.Timestamp;
  const inSpan = new Uint8Array(t.length);
  for (const e of signal.truth) for (let k = 0; k < t.length; k++) if (t[k] >= e.tStartMs && t[k] <= e.tEndMs) inSpan[k] = 1;
  let outside = 0;
  for (const c of SWARM_COLUMN_NAMES) {
    const a = signal.day[c] as ArrayLike<number>, b = quiet.day[c] as ArrayLike<number>;
    for (let k = 0; k < t.length; k++) {
      if (inSpan[k]) continue;
      if (!Object.is(a[k], b[k])) assert.unreachable(`${c}[${k}] differs outside every span: ${a[k]} vs ${b[k]}`);
      outside++;
    }
  }
  assert.ok(outside > 0.98 * SWARM_COLUMN_NAMES.length * t.length, `${outside} samples outside the spans`);
  // inside: signal - null equals the packets rebuilt from the table (sum over entries, product for Ne)
  let worst = 0;
  for (let k = 0; k < t.length; k++) {
    if (!inSpan[k] || !Number.isFinite(signal.day.B_E[k])) continue;
    let dN = 0, dE = 0, dC = 0, f = 1;
    for (const e of signal.truth) {
      const p = packetAt(e, t[k]);
      dN += p.dN; dE += p.dE; dC += p.dC; f *= p.neFactor;
    }
    worst = Math.max(worst, Math.abs(signal.day.B_E[k] - quiet.day.B_E[k] - dE), Math.abs(signal.day.B_N[k] - quiet.day.B_N[k] - dN),
      Math.abs(signal.day.B_C[k] - quiet.day.B_C[k] - dC));
    if (Number.isFinite(signal.day.Ne[k])) worst = Math.max(worst, Math.abs(signal.day.Ne[k] / quiet.day.Ne[k] - f) * 1e3);
  }
  assert.ok(worst < 1e-6, `packet rebuilt from the ground truth differs by ${worst}`);
});

test('every ground-truth entry is visible: band-passed East energy rises in its span (low/mid latitudes)', () => {
  const hs = highPass(signal.day.B_E), hq = highPass(quiet.day.B_E);
  const t0 = signal.day.Timestamp[0];
  let checked = 0;
  for (const e of signal.truth) {
    const a = (e.tStartMs - t0) / 1000, b = (e.tEndMs - t0) / 1000;
    if (e.validSamples < 10) continue;
    const diff = Array.from({ length: b - a + 1 }, (_, i) => hs[a + i] - hq[a + i]);
    assert.ok(meanSquare(diff, 0, diff.length - 1) > 0, `${e.id}: no band-passed difference`);
    const ml = Math.abs(signal.magLat[(a + b) >> 1]);
    if (ml > 50) continue; // auroral variability can hide a few-nT packet; the exact check above still holds
    const ratio = meanSquare(hs, a, b) / meanSquare(hq, a, b);
    assert.ok(ratio > 1.5, `${e.id} (|magLat| ${ml.toFixed(0)}, ${e.amplitudeE.toFixed(2)} nT at ${e.frequencyHz.toFixed(2)} Hz): energy ratio ${ratio.toFixed(2)}`);
    checked++;
  }
  assert.ok(checked >= 3, `only ${checked} low-latitude entries checked`);
});

test('the null setting injects nothing; the same seed gives the same bytes, another seed other bytes', () => {
  assert.is(quiet.truth.length, 0);
  const again = simulateDay(DAY, inputs, dense, 'simulator');
  assert.is(sha(bytesOf(again)), sha(bytesOf(signal)));
  const other = simulateDay(DAY, inputs, nullSame, 'test' as SimulationSeed);
  assert.is.not(sha(bytesOf(other)), sha(bytesOf(quiet)));
  assert.is(other.truth.length, 0);
});

test('the null run (seed nullSimulation) equals the signal run byte for byte outside the ground-truth spans', () => {
  assert.is(SEEDS.nullSimulation, SEEDS.simulator, 'the null run uses the signal run\'s seed');
  const sig = simulateDay(DAY, inputs, DEFAULT_SIMULATION_PARAMS, 'simulator');
  const nul = simulateDay(DAY, inputs, withParams({ injection: { enabled: false } }), 'nullSimulation');
  assert.ok(sig.truth.length > 0, 'the default signal run injects on the case day');
  assert.is(nul.truth.length, 0);
  const t = sig.day.Timestamp;
  const inSpan = new Uint8Array(t.length);
  for (const e of sig.truth) {
    const a = Math.round((e.tStartMs - t[0]) / 1000), b = Math.round((e.tEndMs - t[0]) / 1000);
    for (let k = a; k <= b; k++) inSpan[k] = 1;
  }
  let differInside = 0;
  for (const c of SWARM_COLUMN_NAMES) {
    const a = sig.day[c] as ArrayLike<number>, b = nul.day[c] as ArrayLike<number>;
    const bytesA = Buffer.from(new Float64Array(Array.from(a)).buffer), bytesB = Buffer.from(new Float64Array(Array.from(b)).buffer);
    for (let k = 0; k < t.length; k++) {
      const same = bytesA.compare(bytesB, 8 * k, 8 * k + 8, 8 * k, 8 * k + 8) === 0;
      if (!inSpan[k] && !same) assert.unreachable(`${c}[${k}] differs outside every ground-truth span: ${a[k]} vs ${b[k]}`);
      if (inSpan[k] && !same) differInside++;
    }
  }
  assert.ok(differInside > 0, 'the packets are inside the spans');
});

test('real Kp and Dst drive the day: Kp at slot centres, storm field = Dst along the dipole axis with its induced part', () => {
  const m = DEFAULT_SIMULATION_PARAMS.magnetic;
  for (const day of ['2016-02-15', '2016-04-07']) {
    const s = day === DAY ? quiet : simulateDay(day, inputs, nullSame, 'simulator');
    const kp = readKp3Hourly();
    const dst = readDstHourly();
    const t = s.day.Timestamp;
    for (let slot = 0; slot < 8; slot++) {
      const k = slot * 10800 + 5400; // centre of a 3-hour slot
      assert.ok(Math.abs(s.kp[k] - kpAt(kp, t[k])) < 1e-9, `${day} Kp slot ${slot}`);
    }
    for (let h = 0; h < 24; h++) assert.ok(Math.abs(s.dst[h * 3600 + 1800] - dstAt(dst, t[h * 3600 + 1800])) < 1e-9, `${day} Dst hour ${h}`);
    // residual to the exact main field against the model's storm field (N x f(1+Qk), C x f(1-2Qk), E x stormEastFactor
    // of Dst along the dipole axis), regressed over low latitudes: slopes near 1
    const tr = positionsAt(makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit), t);
    const ecef = mainFieldEcef(inputs.model, tr);
    const N = new Float64Array(t.length), E = new Float64Array(t.length), C = new Float64Array(t.length);
    ecefToNec(tr, ecef, N, E, C);
    const d = dipoleAxis(coefficientsAt(inputs.model, decimalYear(t[43200])));
    let sxy = 0, sxx = 0, c = 0;
    for (let k = 0; k < t.length; k += 5) {
      if (Math.abs(s.magLat[k]) > 40 || !Number.isFinite(s.day.B_N[k])) continue;
      const x = tr.unit[3 * k], y = tr.unit[3 * k + 1], z = tr.unit[3 * k + 2];
      const cp = Math.hypot(x, y), cl = x / cp, sl = y / cp;
      const nd = -z * cl * d[0] - z * sl * d[1] + cp * d[2];
      const cd = -cp * cl * d[0] - cp * sl * d[1] - z * d[2];
      const q = m.stormInductionQ * (6371.2 / (tr.Radius[k] / 1000)) ** 3;
      const D = m.stormExternalFactor * s.dst[k];
      for (const [res, model] of [[s.day.B_N[k] - N[k], D * (1 + q) * nd], [s.day.B_C[k] - C[k], D * (1 - 2 * q) * cd]]) {
        sxy += res * model;
        sxx += model * model;
      }
      c++;
    }
    const slope = sxy / sxx;
    assert.ok(c > 1000 && Math.abs(slope - 1) < 0.15, `${day}: residual / storm-field model slope ${slope.toFixed(3)} over ${c} samples`);
  }
});

test('days join continuously at 00 UT (independent days, bridged noise states)', () => {
  const next = simulateDay('2016-02-16', inputs, nullSame, 'simulator');
  const orbit = makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit);
  const times = [...Array.from(quiet.day.Timestamp.subarray(86400 - 600)), next.day.Timestamp[0], next.day.Timestamp[1]];
  const tr = positionsAt(orbit, times);
  const N = new Float64Array(times.length), E = new Float64Array(times.length), C = new Float64Array(times.length);
  ecefToNec(tr, mainFieldEcef(inputs.model, tr), N, E, C);
  const series = (col: 'B_N' | 'B_E' | 'B_C', ref: Float64Array) =>
    times.map((_, i) => (i < 600 ? quiet.day[col][86400 - 600 + i] : next.day[col][i - 600]) - ref[i]);
  for (const [col, ref] of [['B_N', N], ['B_E', E], ['B_C', C]] as const) {
    const r = series(col, ref);
    if (r.some((v) => !Number.isFinite(v))) continue; // a gap at midnight: nothing to compare
    let ss = 0;
    for (let i = 1; i < 600; i++) ss += (r[i] - r[i - 1]) ** 2;
    const rms = Math.sqrt(ss / 599);
    const step = Math.abs(r[600] - r[599]);
    assert.ok(step < 6 * rms + 0.5, `${col} residual step at 00 UT ${step.toFixed(3)} nT vs rms 1-s step ${rms.toFixed(3)}`);
  }
  const a = Math.log10(quiet.day.Ne[86399]), b = Math.log10(next.day.Ne[0]);
  if (Number.isFinite(a) && Number.isFinite(b)) assert.ok(Math.abs(a - b) < 0.1, `Ne step at 00 UT ${Math.abs(a - b)} dex`);
});

test('natural variability is stronger at high magnetic latitude', () => {
  const hp = highPass(quiet.day.B_E);
  let lo = 0, nl = 0, hi = 0, nh = 0;
  for (let k = 0; k < hp.length; k++) {
    if (!Number.isFinite(hp[k])) continue;
    const m = Math.abs(quiet.magLat[k]);
    if (m < 40) { lo += hp[k] ** 2; nl++; } else if (m > 60 && m < 75) { hi += hp[k] ** 2; nh++; }
  }
  assert.ok(hi / nh > 20 * (lo / nl), `high-latitude band power ${(hi / nh).toFixed(2)} vs low ${(lo / nl).toFixed(3)}`);
});

test('Ne: day above night, EIA crests above the magnetic equator by day, bubbles at night', () => {
  const s = quiet;
  const day: number[] = [], night: number[] = [], crest: number[] = [], eq: number[] = [];
  for (let k = 0; k < s.day.Ne.length; k++) {
    const v = s.day.Ne[k], lt = s.localTime[k], m = s.magLat[k];
    if (!Number.isFinite(v) || Math.abs(m) > 40) continue;
    if (lt > 11 && lt < 17) day.push(v);
    if (lt > 1 && lt < 5) night.push(v);
    if (lt > 13 && lt < 20 && Math.abs(Math.abs(m) - 15) < 2) crest.push(v);
    if (lt > 13 && lt < 20 && Math.abs(m) < 2) eq.push(v);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
  assert.ok(med(day) > 5 * med(night), `day ${med(day)} night ${med(night)}`);
  assert.ok(med(crest) > 1.3 * med(eq), `crest ${med(crest)} equator ${med(eq)}`);
  // a day whose night node is in the bubble local-time window, bubbles on every crossing
  const b = simulateDay('2014-05-20', inputs, withParams({ ionosphere: { bubbleProbability: 1 }, injection: { enabled: false } }), 'simulator');
  assert.ok(b.bubbles.length >= 10, `${b.bubbles.length} bubbles`);
  const flat = simulateDay('2014-05-20', inputs, withParams({ ionosphere: { bubbleProbability: 0 }, injection: { enabled: false } }), 'simulator');
  let deep = 0;
  for (const bb of b.bubbles) {
    const k = Math.round((bb.centreMs - b.day.Timestamp[0]) / 1000);
    if (k < 0 || k >= 86400 || !Number.isFinite(b.day.Ne[k])) continue;
    if (Math.log10(flat.day.Ne[k] / b.day.Ne[k]) > 0.25) deep++;
  }
  assert.ok(deep >= 0.8 * b.bubbles.length - 2, `${deep} of ${b.bubbles.length} bubbles deplete Ne by > 0.25 dex`);
});

test('gaps are NaN with the gap flag; flagged records keep values; rates are small', () => {
  const d = quiet.day;
  let gaps = 0, neGaps = 0, flagged = 0;
  for (let k = 0; k < d.Timestamp.length; k++) {
    assert.is(Number.isNaN(d.B_N[k]), d.Flags_B[k] === SIM_FLAGS.gap);
    assert.is(Number.isNaN(d.Ne[k]), d.Flags_Ne[k] === SIM_FLAGS.gap);
    if (d.Flags_B[k] === SIM_FLAGS.gap) gaps++;
    if (d.Flags_Ne[k] === SIM_FLAGS.gap) neGaps++;
    if (d.Flags_B[k] === SIM_FLAGS.suspect) { flagged++; assert.ok(Number.isFinite(d.B_E[k])); }
  }
  assert.ok(gaps / 86400 < 0.1 && neGaps / 86400 < 0.2, `gap fractions ${gaps / 86400}, ${neGaps / 86400}`);
});

test('store round trip: written day reads back, side file marks it current, ground truth written as CSV and JSON', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-store-'));
  try {
    const hash = simulationHash(dense, 'simulator', inputs.digest);
    const w1 = simulateAndWriteDay(DAY, inputs, dense, 'simulator', root, hash);
    const bytes1 = fs.readFileSync(w1.file);
    assert.ok(dayIsCurrent(root, DAY, hash));
    assert.not.ok(dayIsCurrent(root, DAY, simulationHash(DEFAULT_SIMULATION_PARAMS, 'simulator', inputs.digest)));
    simulateAndWriteDay(DAY, inputs, dense, 'simulator', root, hash);
    assert.ok(bytes1.equals(fs.readFileSync(w1.file)), 'same seed, same file bytes');
    const back = new SwarmStore(() => root).readDay('simulated', 'A', DAY)!;
    assert.is(back.Timestamp.length, 86400);
    assert.ok(Object.is(back.B_E[1234], signal.day.B_E[1234]));
    const gt = writeGroundTruth(root, [DAY], { profile: 'test' });
    assert.is(gt.rows, signal.truth.length);
    const csv = fs.readFileSync(gt.csv, 'utf8').trim().split('\n');
    assert.is(csv.length, 1 + signal.truth.length);
    assert.is(csv[0], TRUTH_COLUMNS.join(','));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
