// Injection recovery of the model audit (issue 15; serves the reading of paper sections 2.2 and 4): the same
// simulated Swarm A days with the injected precursors scaled by an amplitude a (0 = the null run, 1 = the signal
// run), everything else fixed, and SafeNet of DataSet 03's tuned configuration trained on each (no new search).
//
// What is simulated: nothing new. The null run already holds every day's background (orbit, main field, noise,
// Ne, gaps) with the signal run's seed; the packets are drawn from their own random streams (one per event and
// pass, lib/simulation/inject.ts), so re-running only the injection step on a null day with the amplitudes scaled
// gives, byte for byte, the day a full simulation with those amplitudes would give (test/audit-recovery.test.ts).
// The re-injected days are never written: a store view (ReinjectedStore) re-injects each null day as the dataset
// builder streams it, so each amplitude costs one pass of the dataset builder, not a 2.1 GB simulated year.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../core/atomic';
import { Profile } from '../core/config';
import { paths, rel } from '../core/paths';
import { rngFor } from '../core/random';
import { Catalog } from '../catalog/comcat';
import { ensureDatasets, EnsuredDataset, storeOfRun } from '../datasets/cache';
import { DatasetParams } from '../datasets/params';
import { SwarmStore } from '../swarm/store';
import { Satellite, SwarmDay, SwarmSource } from '../swarm/types';
import { SIM_FLAGS } from '../simulation/background';
import { injectPrecursors, TruthEntry } from '../simulation/inject';
import { dayTimes, makeOrbit, positionsAt } from '../simulation/orbit';
import { DEFAULT_SIMULATION_PARAMS, SimulationParams, withParams } from '../simulation/params';
import { SimulationSeed, simulatorCodeDigests } from '../simulation/simulate';

/** The simulation parameters with the injected amplitudes (magnetic and Ne) scaled by a; a = 0 injects nothing. */
export function amplitudeParams(a: number, base: SimulationParams = DEFAULT_SIMULATION_PARAMS): SimulationParams {
  if (!(a >= 0 && Number.isFinite(a))) throw new Error(`amplitudeParams: amplitude must be a finite number >= 0, got ${a}`);
  if (a === 0) return withParams({ injection: { enabled: false } }, base);
  return withParams({ injection: { enabled: true, amplitudeEastNt: base.injection.amplitudeEastNt * a, neRelative: base.injection.neRelative * a } }, base);
}

/**
 * The injection step of lib/simulation/simulate.ts simulateDay run on a stored null-run day (same seed, nothing
 * injected): copies of its columns with the packets of `params` added, and the ground truth. Gaps stay gaps (NaN
 * plus a packet is NaN, as when the full simulation blanks a gap after injecting).
 */
export function reinjectDay(nullDay: SwarmDay, catalog: Catalog, params: SimulationParams, seed: SimulationSeed = 'simulator'): { day: SwarmDay; truth: TruthEntry[] } {
  const times = dayTimes(nullDay.day);
  if (times.length !== nullDay.Timestamp.length || times[0] !== nullDay.Timestamp[0]) {
    throw new Error(`reinjectDay ${nullDay.day}: ${nullDay.Timestamp.length} records, not the simulator's ${times.length} 1 Hz samples of the day`);
  }
  const tr = positionsAt(makeOrbit(params.orbit), times);
  const day: SwarmDay = { ...nullDay, B_N: nullDay.B_N.slice(), B_E: nullDay.B_E.slice(), B_C: nullDay.B_C.slice(), Ne: nullDay.Ne.slice() };
  const truth = injectPrecursors(params.injection, catalog, nullDay.day, tr, { B_N: day.B_N, B_E: day.B_E, B_C: day.B_C, Ne: day.Ne }, rngFor(seed, nullDay.day).fork('inject'));
  for (const e of truth) {
    const a = Math.round((e.tStartMs - times[0]) / 1000), b = Math.round((e.tEndMs - times[0]) / 1000);
    let v = 0;
    for (let k = a; k <= b; k++) if (nullDay.Flags_B[k] !== SIM_FLAGS.gap) v++;
    e.validSamples = v;
  }
  return { day, truth };
}

/**
 * A read-only view of the null run's store whose days come back re-injected at one amplitude. Its files (and so
 * the dataset cache's input hashes) are the null run's; the amplitude is told apart by the datasets' folder and a
 * marker (recoveryDataset).
 */
export class ReinjectedStore extends SwarmStore {
  packets = 0;
  days = 0;
  constructor(readonly base: SwarmStore, readonly params: SimulationParams, readonly catalog: Catalog) {
    super(base.rootFor);
  }

  override readDay(source: SwarmSource, satellite: Satellite, day: string): SwarmDay | null {
    const d = this.base.readDay(source, satellite, day);
    return d && this.reinject(d);
  }

  override async *streamDays(source: SwarmSource, satellite: Satellite, from: string, to: string): AsyncGenerator<SwarmDay> {
    for await (const d of this.base.streamDays(source, satellite, from, to)) yield this.reinject(d);
  }

  private reinject(d: SwarmDay): SwarmDay {
    const r = reinjectDay(d, this.catalog, this.params);
    this.days++;
    this.packets += r.truth.length;
    return r.day;
  }
}

/** Sources whose content decides a re-injected dataset besides the dataset cache's own list. */
export const RECOVERY_CODE_FILES = ['lib/audit/recovery.ts'];

export interface RecoveryDataset {
  amplitude: number;
  dataset: EnsuredDataset;
  /** Days re-injected and packets injected in this call (0 when the dataset was reused). */
  days: number;
  packets: number;
}

/**
 * DataSet `id` under dataset parameters `dp` built from the null run re-injected at amplitude a (a > 0), cached
 * under build/datasets/audit-recovery/amplitude-<a>/; rebuilt when the amplitude's parameters, the simulator's code
 * or this file change (a marker beside the datasets), or when the dataset cache's own hash changes.
 */
export async function recoveryDataset(profile: Profile, a: number, id: number, dp: DatasetParams, o: { catalog: Catalog; base?: SimulationParams; log?: (l: string) => void; root?: string }): Promise<RecoveryDataset> {
  if (!(a > 0)) throw new Error(`recoveryDataset: amplitude ${a}: use the null run's dataset for 0`);
  const params = amplitudeParams(a, o.base);
  const root = path.join(o.root ?? path.join(paths.datasets, 'audit-recovery'), `amplitude-${a}`);
  const marker = path.join(root, 'reinjection.json');
  const key = {
    amplitude: a, injection: params.injection, simulatorCode: simulatorCodeDigests(),
    code: Object.fromEntries(RECOVERY_CODE_FILES.map((f) => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(paths.root, f))).digest('hex').slice(0, 16)])),
  };
  const old = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : null;
  const force = old !== JSON.stringify(key);
  const store = new ReinjectedStore(storeOfRun('null'), params, o.catalog);
  const log = o.log ?? (() => undefined);
  if (force && old) log(`amplitude ${a}: re-injection settings or code changed; rebuilding`);
  const built = await ensureDatasets({ source: 'simulated', profile, ids: [id], protocol: 'controlled', params: dp, store, root, force, log });
  fs.mkdirSync(root, { recursive: true });
  writeFileAtomic(marker, JSON.stringify(key));
  log(`amplitude ${a}: DataSet ${String(id).padStart(2, '0')} ${built.datasets[0].rebuilt ? `built from ${store.days} re-injected null days (${store.packets} packets)` : 'reused'} in ${rel(built.datasets[0].dir)}`);
  return { amplitude: a, dataset: built.datasets[0], days: store.days, packets: store.packets };
}
