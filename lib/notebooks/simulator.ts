// The steps of notebook 02-simulator (the embedded default that stands in for the Swarm A data of paper
// section 2.3): one simulated day with and without injection, its summary and ground truth as readable rows,
// the example perturbation to draw, and the stored signal and null runs of the profile (simulated here when
// missing, cached). Loops and choices live here, tested in test/notebook-steps.test.ts; the notebook calls them.
import * as fs from 'fs';
import * as path from 'path';
import { activeProfile, Profile, profileDays, SEEDS } from '../core/config';
import { paths, rel } from '../core/paths';
import { showMarkdown } from '../core/notebook';
import { makeOrbit, nodalPeriodS, ascendingNodeLocalTime, Orbit } from '../simulation/orbit';
import { loadInputs, simulateDay, SimulatedDay, SimulationInputs } from '../simulation/simulate';
import { DEFAULT_SIMULATION_PARAMS, withParams } from '../simulation/params';
import { TruthEntry } from '../simulation/inject';
import { injectionRows, InjectionRow } from '../simulation/figures';
import { simulateProfile, RunSummary } from '../simulation/parallel';

export type Row = Record<string, string | number>;

/** Seeds and the active profile, as one markdown line. */
export function simulatorSetupMarkdown(profile: Profile = activeProfile()): string {
  return `Seeds: \`simulator\` = ${SEEDS.simulator} (signal run), \`nullSimulation\` = ${SEEDS.nullSimulation} (null run). ` +
    `Active profile: **${profile.name}** (${profile.from}..${profile.to} plus ${profile.extraDays.join(', ')}: ${profileDays(profile).length} days).`;
}

export interface OrbitFacts {
  orbit: Orbit;
  nodalPeriodMin: number;
  /** Local-time drift of the ascending node (hours per day, negative: earlier each day). */
  driftHoursPerDay: number;
  /** Days for ascending and descending passes together to cover 24 h of local time. */
  fullCoverageDays: number;
}

/** The simulated orbit's period and local-time drift, measured over ten days from `day`. */
export function orbitFacts(day = '2016-02-15'): OrbitFacts {
  const orbit = makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit);
  const t0 = Date.parse(`${day}T00:00:00Z`);
  const raw = ascendingNodeLocalTime(orbit, t0 + 10 * 86400e3) - ascendingNodeLocalTime(orbit, t0);
  const drift = ((((raw + 12) % 24) + 24) % 24 - 12) / 10;
  return { orbit, nodalPeriodMin: nodalPeriodS(orbit, t0) / 60, driftHoursPerDay: drift, fullCoverageDays: 12 / Math.abs(drift) };
}

export function orbitFactsMarkdown(f: OrbitFacts): string {
  return `Nodal period ${f.nodalPeriodMin.toFixed(2)} min; the ascending node's local time drifts by ${f.driftHoursPerDay.toFixed(3)} h a day, ` +
    `so ascending and descending passes together cover 24 h of local time in ${f.fullCoverageDays.toFixed(0)} days.`;
}

export interface DayPair {
  day: string;
  inputs: SimulationInputs;
  orbit: Orbit;
  /** With the injected precursors. */
  signal: SimulatedDay;
  /** Same seed, nothing injected. */
  quiet: SimulatedDay;
}

/** One day simulated twice with the seed `simulator`: with the injection and with it switched off. */
export function simulateDayPair(day: string): DayPair {
  const inputs = loadInputs();
  const signal = simulateDay(day, inputs, DEFAULT_SIMULATION_PARAMS, 'simulator');
  const quiet = simulateDay(day, inputs, withParams({ injection: { enabled: false } }), 'simulator');
  return { day, inputs, orbit: makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit), signal, quiet };
}

function range(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) continue;
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  return [lo, hi];
}

/** Records, gaps (flag 255), injected packets, plasma bubbles and the day's real Kp and Dst range. */
export function daySummaryRows(p: DayPair): Row[] {
  const d = p.signal.day;
  let gapsB = 0;
  let gapsNe = 0;
  for (let k = 0; k < d.Timestamp.length; k++) {
    if (d.Flags_B[k] === 255) gapsB++;
    if (d.Flags_Ne[k] === 255) gapsNe++;
  }
  const kp = range(p.signal.kp);
  const dst = range(p.signal.dst);
  return [
    { quantity: 'records (1 Hz)', value: d.Timestamp.length },
    { quantity: 'B_NEC gaps (s)', value: gapsB },
    { quantity: 'Ne gaps (s)', value: gapsNe },
    { quantity: 'injected precursor packets', value: p.signal.truth.length },
    { quantity: 'plasma-bubble depletions', value: p.signal.bubbles.length },
    { quantity: 'Kp (real, interpolated between slot centres)', value: `${kp[0].toFixed(2)} .. ${kp[1].toFixed(2)}` },
    { quantity: 'Dst (real, nT)', value: `${dst[0].toFixed(1)} .. ${dst[1].toFixed(1)}` },
  ];
}

/** The ground truth of a day, one row per injected packet, in readable units. */
export function groundTruthRows(truth: TruthEntry[]): Row[] {
  return truth.map((e) => ({
    packet: e.id, event: e.eventId, M: e.eventMag, 'lead (days)': Math.round(e.leadDays * 100) / 100,
    'closest approach (km)': Math.round(e.closestKm), 'Dobrovolsky radius (km)': Math.round(e.radiusKm),
    'start (UT)': e.tStart.slice(11, 19), 'end (UT)': e.tEnd.slice(11, 19), 'LT (h)': Math.round(e.localTimeH * 10) / 10,
    'f (Hz)': Math.round(e.frequencyHz * 1000) / 1000, 'B_E amplitude (nT)': Math.round(e.amplitudeE * 100) / 100,
    'Ne relative change': Math.round(e.neRelative * 1000) / 1000,
  }));
}

/** The packet to draw: the largest East amplitude at |magnetic latitude| < 50 deg with more than 10 valid samples. */
export function pickInjection(signal: SimulatedDay): TruthEntry {
  if (signal.truth.length === 0) throw new Error(`no packet was injected on ${signal.day.Timestamp.length ? new Date(signal.day.Timestamp[0]).toISOString().slice(0, 10) : 'this day'}`);
  const t0 = signal.day.Timestamp[0];
  const mid = (e: TruthEntry) => Math.min(signal.magLat.length - 1, Math.max(0, Math.round(((e.tStartMs + e.tEndMs) / 2 - t0) / 1000)));
  const candidates = signal.truth.filter((e) => Math.abs(signal.magLat[mid(e)]) < 50 && e.validSamples > 10);
  return (candidates.length ? candidates : signal.truth).reduce((a, b) => (b.amplitudeE > a.amplitudeE ? b : a));
}

export interface InjectionExample {
  entry: TruthEntry;
  rows: InjectionRow[];
  span: { from: number; to: number };
  title: string;
  subtitle: string;
}

/** The figure data of the chosen packet against the null run of the same seed (lib/simulation/figures). */
export function injectionExample(p: DayPair): InjectionExample {
  const entry = pickInjection(p.signal);
  const inj = injectionRows(p.signal, p.quiet, entry, p.inputs.model, p.orbit);
  return {
    entry, rows: inj.rows, span: inj.span,
    title: `Injected precursor before ${entry.eventId} (M${entry.eventMag})`,
    subtitle: `${entry.tStart.slice(0, 19).replace('T', ' ')} to ${entry.tEnd.slice(11, 19)} UT, ${entry.frequencyHz.toFixed(2)} Hz, ` +
      `${entry.amplitudeE.toFixed(2)} nT East, ${entry.leadDays.toFixed(1)} days before the event`,
  };
}

/**
 * The profile's stored runs, simulated now where missing (days already current are skipped): the signal run
 * (build/store/simulated) and the null run (build/store/simulated-null), one readable row each.
 */
export async function ensureStoredRuns(profile: Profile = activeProfile(), log?: (l: string) => void): Promise<Row[]> {
  const lines: string[] = [];
  const quietLog = log ?? ((l: string) => lines.push(l));
  const runs: [string, RunSummary][] = [
    ['signal (precursors injected)', await simulateProfile(profile, { log: quietLog })],
    ['null (nothing injected)', await simulateProfile(profile, { null: true, log: quietLog })],
  ];
  return runs.map(([name, r]) => storedRunRow(name, r.root));
}

/** One row from a run's simulation-run.json. */
export function storedRunRow(name: string, root: string): Row {
  const f = path.join(root, 'simulation-run.json');
  if (!fs.existsSync(f)) return { run: name, store: rel(root), days: 0, note: 'no run yet' };
  const s = JSON.parse(fs.readFileSync(f, 'utf8'));
  return {
    run: name, store: rel(root), days: s.days, seed: `${s.seed} = ${s.seedValue}`, 'parameter hash': String(s.hash).slice(0, 12),
    'ground-truth entries': s.truth, 'days simulated by the last run': s.simulated,
    'records/s (last run)': s.simulated > 0 ? Math.round(s.recordsPerSecond) : '-',
  };
}

/** Where the stored runs live (for the notebook's text). */
export function storeRoots(): { signal: string; null: string } {
  return { signal: rel(paths.store('simulated')), null: rel(paths.storeSimulatedNull) };
}

/** Show the setup line (seeds, profile). */
export function showSimulatorSetup(profile: Profile = activeProfile()): void {
  showMarkdown(simulatorSetupMarkdown(profile));
}
