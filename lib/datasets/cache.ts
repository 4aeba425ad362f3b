// Dataset cache for the Table 1 datasets (paper section 3.1): build/datasets/<source>-<profile>/dsNN/<content hash>/,
// hashing inputs (catalog, Kp, store days), configuration (Table 1 row, parameters, period) and code; a rebuild
// says which part changed, and all stale datasets are rebuilt together in one streaming pass over the store.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeJsonAtomic } from '../core/atomic';
import { Profile, SEEDS } from '../core/config';
import { paths, rel } from '../core/paths';
import { readComcat } from '../catalog/comcat';
import { readKp3Hourly } from '../indices/kp';
import { SwarmStore, defaultStore, storeFileSha256 } from '../swarm/store';
import { SwarmSource } from '../swarm/types';
import { buildDatasets, datasetSummary, DatasetSummary, prepareEvents, PreparedEvents } from './build';
import { DatasetParams, paramLeaves, Protocol, protocolOf, protocolParams } from './params';
import { configsById, DatasetConfig } from './table1';

/** Sources whose content decides a dataset (relative to the repo root). */
export const CODE_FILES = [
  'lib/datasets/build.ts', 'lib/datasets/nonseismic.ts', 'lib/datasets/params.ts', 'lib/datasets/selection.ts',
  'lib/datasets/splits.ts', 'lib/datasets/table1.ts', 'lib/datasets/windows.ts', 'lib/catalog/decluster.ts',
  'lib/catalog/filters.ts', 'lib/catalog/comcat.ts', 'lib/indices/kp.ts', 'lib/swarm/store.ts', 'lib/core/random.ts',
  'lib/simulation/mainfield.ts', 'data/mainfield/igrf13-coeffs-2010-2025.txt',
];

export interface HashParts {
  inputs: Record<string, string>;
  config: Record<string, string>;
  code: Record<string, string>;
}

export function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
export function fileSha256(file: string): string {
  return sha256(fs.readFileSync(file));
}

/** Flatten a value to leaf path -> JSON. */
function flat(o: unknown, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const leaf of paramLeaves(o, prefix)) {
    const v = leaf.split('.').slice(prefix ? 1 : 0).reduce((x: any, k) => (k === '' ? x : x?.[k]), o);
    out[leaf] = JSON.stringify(v);
  }
  return out;
}

export interface CacheInputs {
  catalogFile: string;
  kpFile: string;
  /** Store day files used: day -> file path. */
  storeFiles: Record<string, string>;
}

/**
 * Hash parts of one dataset. Store files enter by content: the sha256 recorded beside each when it was written,
 * trusted while the file's size, inode and ns times are the recorded ones, else hashed (lib/swarm/store.ts
 * storeFileSha256), so a file rewritten in place with the same size in the same second is seen as changed.
 */
export function hashParts(c: DatasetConfig, p: DatasetParams, period: { from: string; to: string; maxEvents: number | null; source: string }, inp: CacheInputs, codeFiles = CODE_FILES): HashParts {
  const inputs: Record<string, string> = {
    catalog: `${rel(inp.catalogFile)} ${fileSha256(inp.catalogFile)}`,
    kp: `${rel(inp.kpFile)} ${fileSha256(inp.kpFile)}`,
  };
  for (const [day, f] of Object.entries(inp.storeFiles)) inputs[`store ${day}`] = `sha256 ${storeFileSha256(f).sha256}`;
  const { paper: _paper, ...cfg } = c;
  // the seed of the artificial events enters as a value (not config.ts as code, which also holds unrelated settings)
  const config = { ...flat(cfg, 'dataset'), ...flat(p, 'params'), ...flat(period, 'period'), 'seed.nonSeismicEvents': String(SEEDS.nonSeismicEvents) };
  const code: Record<string, string> = {};
  for (const f of codeFiles) {
    const abs = path.join(paths.root, f);
    code[f] = fs.existsSync(abs) ? fileSha256(abs) : 'absent';
  }
  return { inputs, config, code };
}

export function hashOf(parts: HashParts): string {
  const canon = (r: Record<string, string>) => Object.keys(r).sort().map((k) => `${k}=${r[k]}`).join('\n');
  return sha256(`inputs\n${canon(parts.inputs)}\nconfig\n${canon(parts.config)}\ncode\n${canon(parts.code)}`).slice(0, 16);
}

/** Why two hash-part sets differ, one line per section that changed (null old: never built). */
export function explainRebuild(old: HashParts | null, now: HashParts): string[] {
  if (!old) return ['not built before'];
  const out: string[] = [];
  for (const section of ['inputs', 'config', 'code'] as const) {
    const a = old[section] ?? {}, b = now[section];
    const changed: string[] = [];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[k] === b[k]) continue;
      changed.push(a[k] === undefined ? `${k} added` : b[k] === undefined ? `${k} removed` : section === 'config' ? `${k}: ${a[k]} -> ${b[k]}` : `${k} changed`);
    }
    if (changed.length) {
      const shown = changed.slice(0, 4).join('; ');
      out.push(`${section}: ${shown}${changed.length > 4 ? `; and ${changed.length - 4} more` : ''}`);
    }
  }
  return out;
}

export interface EnsureOptions {
  source: SwarmSource;
  profile: Profile;
  /** Table 1 ids (default: the profile's). */
  ids?: number[];
  /** 'paper' (default) or 'controlled' (the shortcut controls of lib/datasets/params.ts CONTROLLED_OVERRIDES). */
  protocol?: Protocol;
  /** Explicit parameters (instead of the protocol's). */
  params?: DatasetParams;
  /** Simulated data only: 'signal' (default store) or 'null' (build/store/simulated-null, nothing injected). */
  run?: SimRun;
  force?: boolean;
  catalogFile?: string;
  kpFile?: string;
  store?: SwarmStore;
  root?: string;
  log?: (line: string) => void;
}

export interface EnsuredDataset {
  id: number;
  dir: string;
  hash: string;
  rebuilt: boolean;
  reasons: string[];
  summary: DatasetSummary;
}

interface Pointer {
  hash: string;
  parts: HashParts;
}

export type SimRun = 'signal' | 'null';

/**
 * Folder of a profile's datasets: <source>[-null]-<profile>[-<protocol>] (the paper protocol on the signal run
 * keeps the plain name).
 */
export function datasetsRoot(source: SwarmSource, profile: string, root = paths.datasets, variant: { run?: SimRun; protocol?: Protocol | 'custom' } = {}): string {
  const run = variant.run === 'null' ? '-null' : '';
  const prot = variant.protocol && variant.protocol !== 'paper' ? `-${variant.protocol}` : '';
  return path.join(root, `${source}${run}-${profile}${prot}`);
}

/** The store of a run: the given store for the signal run, build/store/simulated-null for the null run. */
export function storeOfRun(run: SimRun, store: SwarmStore = defaultStore): SwarmStore {
  return run === 'null' ? new SwarmStore(() => paths.storeSimulatedNull) : store;
}

/** Bring the requested datasets up to date; stale ones are rebuilt together in one pass. */
export async function ensureDatasets(o: EnsureOptions): Promise<{ datasets: EnsuredDataset[]; events: PreparedEvents | null; seconds: number }> {
  const t0 = Date.now();
  const log = o.log ?? ((s: string) => console.log(s));
  const p = o.params ?? protocolParams(o.protocol ?? 'paper');
  const run: SimRun = o.run ?? 'signal';
  if (run === 'null' && o.source !== 'simulated') throw new Error("datasets: run 'null' exists only for source 'simulated'");
  const store = o.store ?? storeOfRun(run);
  const catalogFile = o.catalogFile ?? paths.catalogM50;
  const kpFile = o.kpFile ?? paths.kp3hourly;
  const ids = o.ids ?? o.profile.datasets;
  const configs = configsById(ids);
  const days = store.listDays(o.source, 'A').filter((d) => d >= o.profile.from && d <= o.profile.to);
  if (days.length === 0) {
    throw new Error(`datasets: the ${o.source} store (${rel(store.rootFor(o.source))}/A) has no day in ${o.profile.from}..${o.profile.to}; ` +
      (o.source === 'simulated' ? 'run the simulator first' : 'run `make data` first'));
  }
  const storeFiles: Record<string, string> = {};
  for (const d of days) storeFiles[d] = store.file(o.source, 'A', d);
  const period = { from: o.profile.from, to: o.profile.to, maxEvents: o.profile.maxEvents, source: o.source };
  // paper and controlled datasets are cached side by side; other parameter sets share the paper folder (the hash
  // still tells them apart and the log says what changed)
  const base = datasetsRoot(o.source, o.profile.name, o.root, { run, protocol: o.protocol ?? (protocolOf(p) === 'controlled' ? 'controlled' : 'paper') });
  const plan = configs.map((c) => {
    const parts = hashParts(c, p, period, { catalogFile, kpFile, storeFiles });
    const hash = hashOf(parts);
    const dsDir = path.join(base, `ds${String(c.id).padStart(2, '0')}`);
    const pointerFile = path.join(dsDir, 'current.json');
    const old: Pointer | null = fs.existsSync(pointerFile) ? JSON.parse(fs.readFileSync(pointerFile, 'utf8')) : null;
    const dir = path.join(dsDir, hash);
    const fresh = !o.force && old?.hash === hash && fs.existsSync(path.join(dir, 'manifest.json'));
    const reasons = fresh ? [] : o.force ? ['forced'] : explainRebuild(old?.parts ?? null, parts);
    if (old?.hash === hash && !fresh && !o.force) reasons.splice(0, reasons.length, 'files missing');
    return { c, parts, hash, dsDir, pointerFile, old, dir, fresh, reasons };
  });
  const stale = plan.filter((x) => !x.fresh);
  for (const x of plan) {
    log(x.fresh ? `${x.c.name}: up to date (${x.hash})` : `${x.c.name}: rebuilding (${x.hash}) because ${x.reasons.join(' | ')}`);
  }
  let events: PreparedEvents | null = null;
  if (stale.length) {
    const cat = readComcat(catalogFile);
    const kp = readKp3Hourly(kpFile);
    events = prepareEvents(cat, { from: o.profile.from, to: o.profile.to }, p, o.profile.maxEvents);
    log(`events: ${events.counts.used} real (declustered with ${events.declusterRule}), ${events.counts.nonSeismicPlaced} artificial` +
      (events.counts.nonSeismicFailed ? `, ${events.counts.nonSeismicFailed} artificial could not be placed` : ''));
    for (const x of stale) fs.rmSync(x.dir, { recursive: true, force: true });
    const built = await buildDatasets({
      days: store.streamDays(o.source, 'A', o.profile.from, o.profile.to), nDays: days.length, events: events.table, kp,
      configs: stale.map((x) => x.c), params: p, outDirs: stale.map((x) => x.dir), log,
    });
    const ev = events.table;
    built.forEach((b, k) => {
      const x = stale[k];
      const used = [...new Set(b.meta.eventIndex)].sort((a, c) => a - c);
      writeJsonAtomic(path.join(x.dir, 'events.json'), {
        note: 'events that own windows; eventIndex.i32 refers to `index`',
        index: used, id: used.map((e) => ev.id[e]), time: used.map((e) => ev.time[e]), latitude: used.map((e) => ev.latitude[e]),
        longitude: used.map((e) => ev.longitude[e]), mag: used.map((e) => ev.mag[e]), seismic: used.map((e) => ev.seismic[e]),
      });
      writeJsonAtomic(path.join(x.dir, 'manifest.json'), {
        ...datasetSummary(b), hash: x.hash, hashParts: x.parts, events: events!.counts, builtAt: new Date().toISOString(),
      });
      // keep only the current hash folder
      for (const d of fs.readdirSync(x.dsDir)) {
        if (d !== x.hash && /^[0-9a-f]{16}$/.test(d)) fs.rmSync(path.join(x.dsDir, d), { recursive: true, force: true });
      }
      writeJsonAtomic(x.pointerFile, { hash: x.hash, parts: x.parts });
    });
  }
  const datasets = plan.map((x) => ({
    id: x.c.id, dir: x.dir, hash: x.hash, rebuilt: !x.fresh, reasons: x.reasons,
    summary: JSON.parse(fs.readFileSync(path.join(x.dir, 'manifest.json'), 'utf8')) as DatasetSummary,
  }));
  return { datasets, events, seconds: (Date.now() - t0) / 1000 };
}
