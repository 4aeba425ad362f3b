// The data manifest (data-manifest.json): loads it, validates it against data/data-manifest.schema.json,
// verifies bytes and sha256 of every shipped file, and checks that every file in data/ and the Swarm/CDF
// fixture folders is accounted for. Serves the provenance of the paper's inputs (sections 2.1-2.3).
// CLI: npx tsx lib/data/manifest.ts [--check | --refresh-checksums]
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeJsonAtomic } from '../core/atomic';
import { paths, ROOT } from '../core/paths';
import { Schema, validate } from './json-schema';

export type Role = 'shipped' | 'downloaded';

export interface ManifestInput {
  id: string;
  description: string;
  role: Role;
  kind: 'data' | 'test-fixture' | 'licence' | 'provenance';
  source: { url?: string; query?: string; repository?: string; commit?: string; path?: string; retrieved?: string; note?: string };
  licence: string;
  licenceFile?: string;
  citation: string;
  /** Relative to the repository root (for downloads: where the lock's files go, a folder). */
  localPath: string;
  bytes?: number;
  sha256?: string;
  recipe?: {
    command: string;
    service: string;
    requests: string;
    urlTemplate?: string;
    alternative?: string;
    period?: { from: string; to: string };
    localDir: string;
    lockKind: 'catalog' | 'kp' | 'swarm-mag' | 'swarm-efi';
  };
  paperSection: string;
  usedBy?: string[];
}

export interface Manifest {
  manifestVersion: 1;
  description: string;
  downloadLock: string;
  inputs: ManifestInput[];
  packageMade: { localPath: string; madeBy: string; description: string }[];
}

/** Folders whose every file must be accounted for (relative to the root). */
export const ACCOUNTED_FOLDERS = ['data', 'test/fixtures/cdf', 'test/fixtures/swarm'];
/** Not inputs: the schema itself and the download folder (not in git). */
const NOT_INPUTS = new Set(['data/data-manifest.schema.json']);
const NOT_INPUT_DIRS = ['data/downloaded/'];

/** Load and validate the manifest; throws with every schema violation listed. */
export function loadManifest(file: string = paths.manifest, schemaFile: string = paths.manifestSchema): Manifest {
  const read = (f: string) => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8')) as unknown;
    } catch (e) {
      throw new Error(`${path.relative(ROOT, f) || f}: ${(e as Error).message}`);
    }
  };
  const m = read(file);
  const schema = read(schemaFile) as Schema;
  const errs = validate(m, schema);
  if (errs.length > 0) {
    throw new Error(`${path.relative(ROOT, file)} does not match ${path.relative(ROOT, schemaFile)}:\n` + errs.map((e) => `  ${e.path}: ${e.message}`).join('\n'));
  }
  const man = m as Manifest;
  const ids = new Set<string>();
  for (const e of man.inputs) {
    if (ids.has(e.id)) throw new Error(`${path.relative(ROOT, file)}: duplicate id '${e.id}'`);
    ids.add(e.id);
  }
  return man;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface FileCheck {
  id: string;
  localPath: string;
  ok: boolean;
  problem?: string;
}

/** Check bytes and sha256 of every shipped entry against the files on disk. */
export function verifyShipped(m: Manifest, root: string = ROOT): FileCheck[] {
  return m.inputs
    .filter((e) => e.role === 'shipped')
    .map((e) => {
      const f = path.join(root, e.localPath);
      if (!fs.existsSync(f)) return { id: e.id, localPath: e.localPath, ok: false, problem: 'file missing' };
      const bytes = fs.statSync(f).size;
      if (bytes !== e.bytes) return { id: e.id, localPath: e.localPath, ok: false, problem: `bytes ${bytes}, manifest says ${e.bytes}` };
      const sha = sha256File(f);
      if (sha !== e.sha256) return { id: e.id, localPath: e.localPath, ok: false, problem: `sha256 ${sha}, manifest says ${e.sha256}` };
      return { id: e.id, localPath: e.localPath, ok: true };
    });
}

/** Every file under the accounted folders (relative, sorted), skipping the schema and downloads. */
export function accountableFiles(root: string = ROOT): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = `${rel}/${ent.name}`;
      if (ent.isDirectory()) {
        if (!NOT_INPUT_DIRS.includes(`${r}/`)) walk(r);
      } else if (!NOT_INPUTS.has(r)) out.push(r);
    }
  };
  for (const d of ACCOUNTED_FOLDERS) walk(d);
  return [...new Set(out)].sort();
}

/** Files without an entry, and entries (shipped or package-made) without a file. */
export function coverage(m: Manifest, root: string = ROOT): { unlisted: string[]; missing: string[] } {
  const listed = new Set([...m.inputs.filter((e) => e.role === 'shipped').map((e) => e.localPath), ...m.packageMade.map((p) => p.localPath)]);
  const files = accountableFiles(root);
  const present = new Set(files);
  return { unlisted: files.filter((f) => !listed.has(f)), missing: [...listed].filter((f) => !present.has(f)).sort() };
}

/** Rows for a provenance table (notebook 01). */
export function manifestRows(m: Manifest): Record<string, string | number>[] {
  return m.inputs.map((e) => ({
    id: e.id,
    role: e.role,
    kind: e.kind,
    section: e.paperSection,
    path: e.localPath,
    bytes: e.bytes ?? '',
    sha256: e.sha256 ? `${e.sha256.slice(0, 12)}...` : '(lock file)',
    source: e.source.url ?? e.source.query ?? e.source.repository ?? '',
    licence: e.licence,
  }));
}

/** Rewrite bytes and sha256 of shipped entries from the files on disk (after an intentional data update). */
export function refreshChecksums(file: string = paths.manifest): number {
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  let changed = 0;
  for (const e of m.inputs) {
    if (e.role !== 'shipped') continue;
    const f = path.join(ROOT, e.localPath);
    const bytes = fs.statSync(f).size;
    const sha = sha256File(f);
    if (bytes !== e.bytes || sha !== e.sha256) changed++;
    e.bytes = bytes;
    e.sha256 = sha;
  }
  writeJsonAtomic(file, m);
  return changed;
}

if (require.main === module) {
  const arg = process.argv[2] ?? '--check';
  if (arg === '--refresh-checksums') {
    console.log(`updated ${refreshChecksums()} entries`);
  } else if (arg === '--check') {
    const m = loadManifest();
    const bad = verifyShipped(m).filter((c) => !c.ok);
    const cov = coverage(m);
    for (const b of bad) console.log(`FAIL ${b.localPath}: ${b.problem}`);
    for (const u of cov.unlisted) console.log(`UNLISTED ${u}: add an entry to data-manifest.json`);
    for (const u of cov.missing) console.log(`MISSING ${u}: listed in data-manifest.json but not on disk`);
    const n = m.inputs.length;
    console.log(`${n} inputs (${m.inputs.filter((e) => e.role === 'shipped').length} shipped, ${m.inputs.filter((e) => e.role === 'downloaded').length} downloaded); ${bad.length + cov.unlisted.length + cov.missing.length} problems`);
    process.exit(bad.length + cov.unlisted.length + cov.missing.length > 0 ? 1 : 0);
  } else {
    console.error('usage: npx tsx lib/data/manifest.ts [--check | --refresh-checksums]');
    process.exit(2);
  }
}
