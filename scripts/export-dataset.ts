// CLI: export one Table 1 dataset (built or reused through the cache) for numpy/pandas/PyTorch: windows.csv, x.npy
// and README.txt (lib/datasets/export.ts). Issue 10; paper section 3.1.
// Usage: npm run export-dataset -- --profile P --dataset 03 [--null] [--protocol paper|controlled] [--source simulated|real] --out DIR
import * as fs from 'fs';
import * as path from 'path';
import { activeProfile, PROFILES, ProfileName } from '../lib/core/config';
import { loadDataset } from '../lib/datasets/build';
import { ensureDatasets, storeOfRun } from '../lib/datasets/cache';
import { exportDataset } from '../lib/datasets/export';
import { Protocol, PROTOCOLS } from '../lib/datasets/params';
import { packetFlags, readGroundTruthSpans } from '../lib/audit/groundtruth';
import { AUDIT_PARAMS } from '../lib/audit/params';

function usage(msg: string): never {
  console.error(`export-dataset: ${msg}\nusage: export-dataset --profile smoke|default|paper --dataset N [--null] [--protocol paper|controlled] [--source simulated|real] --out DIR`);
  process.exit(2);
}

async function main() {
  const a = process.argv.slice(2);
  let profile = activeProfile();
  let id: number | null = null, out: string | null = null;
  let protocol: Protocol = 'paper';
  let run: 'signal' | 'null' = 'signal';
  let source: 'simulated' | 'real' = 'simulated';
  for (let i = 0; i < a.length; i++) {
    const val = () => a[++i] ?? usage(`${a[i - 1]} needs a value`);
    if (a[i] === '--profile') {
      const n = val() as ProfileName;
      if (!PROFILES[n]) usage(`unknown profile '${n}'`);
      profile = PROFILES[n];
    } else if (a[i] === '--dataset') {
      const v = val();
      id = Number(v);
      if (!Number.isInteger(id) || id < 1 || id > 17) usage(`--dataset: '${v}' is not a dataset number 1..17`);
    } else if (a[i] === '--protocol') {
      const p = val() as Protocol;
      if (!PROTOCOLS.includes(p)) usage(`--protocol must be one of ${PROTOCOLS.join(', ')}, got '${p}'`);
      protocol = p;
    } else if (a[i] === '--null') run = 'null';
    else if (a[i] === '--source') {
      const s = val();
      if (s !== 'simulated' && s !== 'real') usage(`--source must be simulated or real, got '${s}'`);
      source = s;
    } else if (a[i] === '--out') out = val();
    else usage(`unknown argument '${a[i]}'`);
  }
  if (id === null) usage('--dataset is required');
  if (!out) usage('--out is required');
  if (run === 'null' && source !== 'simulated') usage('--null needs --source simulated');
  const r = await ensureDatasets({ source, profile, ids: [id], protocol, run });
  const d = r.datasets[0];
  const ds = loadDataset(d.dir);
  const events = JSON.parse(fs.readFileSync(path.join(d.dir, 'events.json'), 'utf8'));
  let packet: Uint8Array | null = null;
  if (source === 'simulated') {
    // where the signal run put packets (the null run has none; the flag says where they would be)
    const gt = path.join(storeOfRun('signal').rootFor('simulated'), 'ground-truth.json');
    if (fs.existsSync(gt)) packet = packetFlags(ds.meta.startTime, ds.manifest.shape[1], readGroundTruthSpans(gt), AUDIT_PARAMS.packetMinOverlapS);
    else console.warn(`export-dataset: ${gt} not found; column 'packet' left empty`);
  }
  const e = exportDataset(ds, events, packet, out, { dataset: id, protocol, run, profile: profile.name, hash: d.hash });
  console.log(`export-dataset: DataSet ${String(id).padStart(2, '0')} ${protocol} ${run}: ${e.windows} windows, x.npy ${e.shape.join('x')} -> ${out}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
