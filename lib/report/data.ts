// "The data used" of build/report.html (issue 15 item 5; paper sections 2.1-2.3 and 3.1): whether the Swarm A input
// is real or simulated, the period, the store's days with one combined sha256 (per run), the events and windows of
// every built dataset with its content hash, and the shipped inputs' checksums from data-manifest.json.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Profile } from '../core/config';
import { loadManifest, ManifestInput } from '../data/manifest';
import { datasetsRoot, SimRun } from '../datasets/cache';
import { Protocol } from '../datasets/params';
import { SwarmStore, storeFileSha256 } from '../swarm/store';
import { CURRENT_POINTER_SCHEMA, DATASET_MANIFEST_SCHEMA, DatasetManifest, readChecked, ReportPaths } from './inputs';

export type Source = 'real' | 'simulated';

export interface StoreDigest {
  source: Source;
  run: SimRun;
  folder: string;
  days: number;
  first: string | null;
  last: string | null;
  /** sha256 of the lines "<day> <sha256 of the day file>\n" in day order: one fingerprint of the run's input. */
  combined: string | null;
  /** sha256 of ground-truth.json (simulated signal run: the injected packets), when present. */
  groundTruth: string | null;
}

/** The store's days of the profile (period and extra days) and their combined sha256. */
export function storeDigest(root: string, source: Source, run: SimRun, profile: Profile): StoreDigest {
  const store = new SwarmStore(() => root);
  const inProfile = (d: string) => (d >= profile.from && d <= profile.to) || profile.extraDays.includes(d);
  const days = store.listDays(source, 'A').filter(inProfile);
  const h = crypto.createHash('sha256');
  for (const d of days) h.update(`${d} ${storeFileSha256(store.file(source, 'A', d)).sha256}\n`);
  const gt = path.join(root, 'ground-truth.json');
  return {
    source, run, folder: root, days: days.length, first: days[0] ?? null, last: days[days.length - 1] ?? null,
    combined: days.length ? h.digest('hex') : null,
    groundTruth: fs.existsSync(gt) ? crypto.createHash('sha256').update(fs.readFileSync(gt)).digest('hex') : null,
  };
}

/** Which Swarm A input the build used: real when the real store holds days of the profile's period (as the notebooks choose). */
export function chooseSource(rp: ReportPaths, profile: Profile, table2Sources: string[]): Source | null {
  if (table2Sources.includes('real')) return 'real';
  if (table2Sources.includes('simulated')) return 'simulated';
  const inPeriod = (s: Source) => new SwarmStore(rp.store).listDays(s, 'A').some((d) => d >= profile.from && d <= profile.to);
  return inPeriod('real') ? 'real' : inPeriod('simulated') ? 'simulated' : null;
}

export interface DatasetEntry {
  variant: string;
  run: SimRun;
  protocol: Protocol;
  manifest: DatasetManifest;
  file: string;
}

/** The built datasets of a source and profile: every run x protocol folder, each dataset's current manifest. */
export function builtDatasets(rp: ReportPaths, source: Source, profile: Profile): DatasetEntry[] {
  const out: DatasetEntry[] = [];
  const runs: SimRun[] = source === 'simulated' ? ['signal', 'null'] : ['signal'];
  for (const run of runs) {
    for (const protocol of ['paper', 'controlled'] as Protocol[]) {
      const root = datasetsRoot(source, profile.name, rp.datasets, { run, protocol });
      if (!fs.existsSync(root)) continue;
      for (const ds of fs.readdirSync(root).filter((d) => /^ds\d\d$/.test(d)).sort()) {
        const ptr = readChecked<{ hash: string }>(path.join(root, ds, 'current.json'), CURRENT_POINTER_SCHEMA, 'dataset pointer', rp.build);
        if (!ptr) continue;
        const file = path.join(root, ds, ptr.hash, 'manifest.json');
        const manifest = readChecked<DatasetManifest>(file, DATASET_MANIFEST_SCHEMA, 'dataset manifest', rp.build);
        if (!manifest) continue;
        out.push({ variant: path.basename(root), run, protocol, manifest, file });
      }
    }
  }
  return out;
}

/** The shipped inputs (data-manifest.json) with bytes and sha256, and the download entries. */
export function manifestInputs(): ManifestInput[] {
  return loadManifest().inputs;
}
