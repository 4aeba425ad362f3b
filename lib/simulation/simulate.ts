// The Swarm A simulator (embedded default standing in for the Swarm data of paper 2.3): one UTC day of 1 Hz records
// (orbit, IGRF-13, Kp/Dst-driven background, Ne, gaps, injected precursors for real events), deterministic by seed
// and day, written to the real-data store with a side file holding the parameter hash and the ground truth.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SEEDS } from '../core/config';
import { paths, rel } from '../core/paths';
import { rngFor } from '../core/random';
import { writeFileAtomicIfChanged, writeJsonAtomic } from '../core/atomic';
import { Catalog, readComcat } from '../catalog/comcat';
import { readKp3Hourly, THREE_HOURS_MS } from '../indices/kp';
import { readDstHourly, HOUR_MS } from '../indices/dst';
import { SwarmStore } from '../swarm/store';
import { SwarmDay } from '../swarm/types';
import { DEFAULT_SIMULATION_PARAMS, SimulationParams } from './params';
import { dayTimes, localSolarTime, makeOrbit, positionsAt } from './orbit';
import { coefficientsAt, decimalYear, dipoleAxis, ecefToNec, mainFieldAlongTrack, MainFieldModel, readIgrfTable } from './mainfield';
import { addMagneticBackground, boundaryState, drawGaps, MAGNETIC_STATES, SIM_FLAGS, SlottedSeries, smoothIndexSeries } from './background';
import { Bubble, electronDensity } from './ionosphere';
import { injectPrecursors, TRUTH_COLUMNS, TruthEntry } from './inject';

/** Bumped whenever the simulator's output for the same parameters changes (invalidates stored days). */
export const SIMULATOR_VERSION = '3';
const DEG = Math.PI / 180;
const DAY_MS = 86_400_000;

/** Which named seed drives the day: the signal run or the null run (leakage audit). */
export type SimulationSeed = 'simulator' | 'nullSimulation';

export interface SimulationInputs {
  catalog: Catalog;
  kp: SlottedSeries;
  dst: SlottedSeries;
  model: MainFieldModel;
  /** sha256 over the input files (part of the parameter hash). */
  digest: string;
  files: string[];
}

function sha256File(f: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
}

export const DEFAULT_INPUT_FILES = { catalog: paths.catalogM50, kp: paths.kp3hourly, dst: paths.dstHourly, igrf: paths.igrf13 };

/** sha256 over the input files (without parsing them). */
export function inputsDigest(files = DEFAULT_INPUT_FILES): string {
  const h = crypto.createHash('sha256');
  for (const f of [files.catalog, files.kp, files.dst, files.igrf]) h.update(sha256File(f));
  return h.digest('hex');
}

/** Read the real catalog, Kp, Dst and the IGRF-13 table shipped with the package. */
export function loadInputs(files = DEFAULT_INPUT_FILES): SimulationInputs {
  const catalog = readComcat(files.catalog);
  const kp = readKp3Hourly(files.kp);
  const dst = readDstHourly(files.dst);
  const model = readIgrfTable(files.igrf);
  const list = [files.catalog, files.kp, files.dst, files.igrf];
  return {
    catalog,
    kp: { time: kp.time, values: kp.Kp, slotMs: THREE_HOURS_MS, name: `Kp (${rel(files.kp)})` },
    dst: { time: dst.time, values: dst.Dst, slotMs: HOUR_MS, name: `Dst (${rel(files.dst)})` },
    model,
    digest: inputsDigest(files),
    files: list.map(rel),
  };
}

/**
 * The simulator's source files whose code decides a simulated day's bytes: their digests are part of the hash, so a
 * changed simulator re-simulates stored days (and says which files changed).
 */
export const SIMULATOR_SOURCES = ['background.ts', 'inject.ts', 'ionosphere.ts', 'mainfield.ts', 'orbit.ts', 'params.ts', 'simulate.ts', '../core/random.ts', '../swarm/store.ts'];

let codeCache: Record<string, string> | null = null;
/** sha256 (first 16 hex digits) of each simulator source file, keyed by its path relative to lib/simulation. */
export function simulatorCodeDigests(): Record<string, string> {
  if (!codeCache) {
    const out: Record<string, string> = {};
    for (const f of SIMULATOR_SOURCES) out[f] = sha256File(path.join(__dirname, f)).slice(0, 16);
    codeCache = out;
  }
  return codeCache;
}

/** Everything that determines a simulated day, as stored in its side file (to say why a day is re-simulated). */
export interface SimulationProvenance {
  simulatorVersion: string;
  code: Record<string, string>;
  params: SimulationParams;
  seed: SimulationSeed;
  seedValue: number;
  inputs: string;
}

export function simulationProvenance(params: SimulationParams, seed: SimulationSeed, inputsDigest: string): SimulationProvenance {
  return { simulatorVersion: SIMULATOR_VERSION, code: simulatorCodeDigests(), params, seed, seedValue: SEEDS[seed], inputs: inputsDigest };
}

/** Hash of everything that determines the output (parameters, seed, input data, simulator version and code). */
export function simulationHash(params: SimulationParams, seed: SimulationSeed, inputsDigest: string): string {
  const text = JSON.stringify({ version: SIMULATOR_VERSION, code: simulatorCodeDigests(), params, seed, seedValue: SEEDS[seed], inputs: inputsDigest });
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Dotted names of the parameters that differ between two parameter sets. */
export function changedParams(a: SimulationParams, b: SimulationParams): string[] {
  const out: string[] = [];
  for (const g of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const ga = (a as unknown as Record<string, Record<string, unknown>>)[g] ?? {};
    const gb = (b as unknown as Record<string, Record<string, unknown>>)[g] ?? {};
    for (const k of new Set([...Object.keys(ga), ...Object.keys(gb)])) {
      if (JSON.stringify(ga[k]) !== JSON.stringify(gb[k])) out.push(`${g}.${k}`);
    }
  }
  return out;
}

/**
 * Why a stored day is not current for this provenance (null when it is): not simulated, or which of simulator
 * version, code files, parameters, seed and input files changed.
 */
export function staleReason(root: string, day: string, hash: string, now: SimulationProvenance): string | null {
  const side = sideFilePath(root, day);
  if (!fs.existsSync(path.join(root, 'A', `${day}.arrow`)) || !fs.existsSync(side)) return 'not simulated before';
  let stored: DaySideFile;
  try {
    stored = JSON.parse(fs.readFileSync(side, 'utf8')) as DaySideFile;
  } catch (e) {
    return `side file unreadable (${(e as Error).message})`;
  }
  if (stored.hash === hash) return null;
  const p = stored.provenance;
  if (!p) return `made by simulator v${stored.simulatorVersion ?? '?'} before side files recorded what made them`;
  const why: string[] = [];
  if (p.simulatorVersion !== now.simulatorVersion) why.push(`simulator version ${p.simulatorVersion} -> ${now.simulatorVersion}`);
  const files = Object.keys(now.code).filter((f) => p.code?.[f] !== now.code[f]);
  if (files.length) why.push(`simulator code changed (${files.join(', ')})`);
  const params = changedParams(p.params, now.params);
  if (params.length) why.push(`parameters changed (${params.length > 6 ? params.slice(0, 6).join(', ') + `, ... ${params.length - 6} more` : params.join(', ')})`);
  if (p.seed !== now.seed || p.seedValue !== now.seedValue) why.push(`seed ${p.seed}=${p.seedValue} -> ${now.seed}=${now.seedValue}`);
  if (p.inputs !== now.inputs) why.push('input files changed (catalog, Kp, Dst or IGRF)');
  return why.length ? why.join('; ') : 'hash differs';
}

export interface SimulatedDay {
  day: SwarmDay;
  truth: TruthEntry[];
  bubbles: Bubble[];
  /** Per-sample context useful to figures and tests. */
  magLat: Float64Array;
  localTime: Float64Array;
  kp: Float64Array;
  dst: Float64Array;
}

/** The next UTC day (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return new Date(Date.parse(day + 'T00:00:00Z') + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Simulate one UTC day of Swarm A. Random streams: rngFor(seed, day) forked per component, and
 * rngFor(seed, 'boundary', day) for the noise states at 00 UT (shared with the previous day, for continuity).
 */
export function simulateDay(day: string, inputs: SimulationInputs, params: SimulationParams = DEFAULT_SIMULATION_PARAMS, seed: SimulationSeed = 'simulator'): SimulatedDay {
  const orbit = makeOrbit(params.orbit);
  const times = dayTimes(day);
  const n = times.length;
  const tr = positionsAt(orbit, times);
  const ecef = mainFieldAlongTrack(inputs.model, orbit, tr, params.mainField.gridStepS, params.mainField.maxDegree);
  const B_N = new Float64Array(n), B_E = new Float64Array(n), B_C = new Float64Array(n);
  ecefToNec(tr, ecef, B_N, B_E, B_C);

  const midYear = decimalYear(times[0] + DAY_MS / 2);
  const dipole = dipoleAxis(coefficientsAt(inputs.model, midYear));
  const magLat = new Float64Array(n);
  const localTime = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const d = tr.unit[3 * k] * dipole[0] + tr.unit[3 * k + 1] * dipole[1] + tr.unit[3 * k + 2] * dipole[2];
    magLat[k] = Math.asin(Math.max(-1, Math.min(1, d))) / DEG;
    localTime[k] = localSolarTime(times[k], tr.Longitude[k]);
  }
  const kp = smoothIndexSeries(inputs.kp, times);
  const dst = smoothIndexSeries(inputs.dst, times);

  const rng = rngFor(seed, day);
  const start = boundaryState(rngFor(seed, 'boundary', day), MAGNETIC_STATES + 1);
  const end = boundaryState(rngFor(seed, 'boundary', nextDay(day)), MAGNETIC_STATES + 1);
  const radiusKm = new Float64Array(n);
  for (let k = 0; k < n; k++) radiusKm[k] = tr.Radius[k] / 1000;
  addMagneticBackground(params.magnetic, { times, unit: tr.unit, radiusKm, magLat, localTime, kp, dst, dipole }, rng.fork('magnetic'), start, end, B_N, B_E, B_C);

  const y0 = Date.UTC(new Date(times[0]).getUTCFullYear(), 0, 1);
  const { Ne, bubbles } = electronDensity(
    params.ionosphere,
    { times, latitude: tr.Latitude, magLat, localTime, dayOfYear: 1 + (times[0] - y0) / DAY_MS, year: decimalYear(times[0]) },
    rng.fork('ionosphere'), start[MAGNETIC_STATES], end[MAGNETIC_STATES], params.magnetic.dayBridgeS,
  );

  const truth = injectPrecursors(params.injection, inputs.catalog, day, tr, { B_N, B_E, B_C, Ne }, rng.fork('inject'));

  const gaps = drawGaps(params.gaps, n, rng.fork('gaps'));
  const Flags_B = new Uint16Array(n), Flags_Ne = new Uint16Array(n);
  for (let k = 0; k < n; k++) {
    if (gaps.magGap[k]) {
      B_N[k] = B_E[k] = B_C[k] = NaN;
      Flags_B[k] = SIM_FLAGS.gap;
    } else if (gaps.magFlag[k]) Flags_B[k] = SIM_FLAGS.suspect;
    if (gaps.neGap[k]) {
      Ne[k] = NaN;
      Flags_Ne[k] = SIM_FLAGS.gap;
    } else if (gaps.neFlag[k]) Flags_Ne[k] = SIM_FLAGS.suspect;
  }
  for (const e of truth) {
    const a = Math.round((e.tStartMs - times[0]) / 1000), b = Math.round((e.tEndMs - times[0]) / 1000);
    let v = 0;
    for (let k = a; k <= b; k++) if (!gaps.magGap[k]) v++;
    e.validSamples = v;
  }
  return {
    day: {
      satellite: 'A', day, source: 'simulated',
      Timestamp: tr.Timestamp, Latitude: tr.Latitude, Longitude: tr.Longitude, Radius: tr.Radius,
      B_N, B_E, B_C, Ne, Flags_B, Flags_Ne,
    },
    truth, bubbles, magLat, localTime, kp, dst,
  };
}

/** Where a run writes: the simulated store, or the separate null store. */
export function storeRootFor(seed: SimulationSeed, injectionEnabled: boolean): string {
  return seed === 'nullSimulation' || !injectionEnabled ? paths.storeSimulatedNull : paths.store('simulated');
}

export function storeFor(root: string): SwarmStore {
  return new SwarmStore(() => root);
}

/**
 * The null run's store (nothing injected; leakage audit): days are read with source 'simulated', e.g.
 * simulatedNullStore().readDay('simulated', 'A', day); the signal run is the package's default store.
 */
export function simulatedNullStore(): SwarmStore {
  return storeFor(paths.storeSimulatedNull);
}

/** Side file of a stored day: the hash it was made with and its ground truth. */
export interface DaySideFile {
  day: string;
  hash: string;
  seed: SimulationSeed;
  seedValue: number;
  simulatorVersion: string;
  records: number;
  /** What made the day (absent in side files of older simulators). */
  provenance?: SimulationProvenance;
  truth: TruthEntry[];
}

export function sideFilePath(root: string, day: string): string {
  return path.join(root, 'A', `${day}.sim.json`);
}

/** True when the day is stored with the same hash (so it can be skipped). */
export function dayIsCurrent(root: string, day: string, hash: string): boolean {
  const side = sideFilePath(root, day);
  if (!fs.existsSync(side) || !fs.existsSync(path.join(root, 'A', `${day}.arrow`))) return false;
  try {
    return (JSON.parse(fs.readFileSync(side, 'utf8')) as DaySideFile).hash === hash;
  } catch {
    return false;
  }
}

/** Simulate one day and write it (Arrow file, then the side file as the commit mark). */
export function simulateAndWriteDay(day: string, inputs: SimulationInputs, params: SimulationParams, seed: SimulationSeed, root: string, hash: string): { records: number; truth: number; file: string } {
  const sim = simulateDay(day, inputs, params, seed);
  const file = storeFor(root).writeDay(sim.day, {
    producer: `lib/simulation/simulate.ts v${SIMULATOR_VERSION} seed ${seed}=${SEEDS[seed]} hash ${hash.slice(0, 16)}`,
    baselines: {},
  });
  const side: DaySideFile = {
    day, hash, seed, seedValue: SEEDS[seed], simulatorVersion: SIMULATOR_VERSION, records: sim.day.Timestamp.length,
    provenance: simulationProvenance(params, seed, inputs.digest), truth: sim.truth,
  };
  writeJsonAtomic(sideFilePath(root, day), side);
  return { records: side.records, truth: sim.truth.length, file };
}

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Ground-truth table as CSV text (TRUTH_COLUMNS order). */
export function truthToCsv(rows: TruthEntry[]): string {
  const lines = [TRUTH_COLUMNS.join(',')];
  for (const r of rows) lines.push(TRUTH_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/** Collect the ground truth of the given days from their side files and write ground-truth.{json,csv} atomically (when changed). */
export function writeGroundTruth(root: string, days: string[], meta: Record<string, unknown>): { rows: number; json: string; csv: string } {
  const rows: TruthEntry[] = [];
  for (const d of days) {
    const f = sideFilePath(root, d);
    if (!fs.existsSync(f)) throw new Error(`ground truth: ${rel(f)} is missing (day ${d} not simulated)`);
    rows.push(...(JSON.parse(fs.readFileSync(f, 'utf8')) as DaySideFile).truth);
  }
  rows.sort((a, b) => a.tStartMs - b.tStartMs || a.id.localeCompare(b.id));
  const json = path.join(root, 'ground-truth.json');
  const csv = path.join(root, 'ground-truth.csv');
  // unchanged tables are not rewritten (their mtime stays: the notebook cache sees no change in a rerun)
  writeFileAtomicIfChanged(json, JSON.stringify({ ...meta, columns: TRUTH_COLUMNS, rows: rows.length, truth: rows }, null, 2) + '\n');
  writeFileAtomicIfChanged(csv, truthToCsv(rows));
  return { rows: rows.length, json, csv };
}
