// The download lock file (paths.downloadLock): for each file `make data` fetched, its URL, time, bytes and
// sha256, and the requests that were split because the service refused them as too large. It is what
// data-manifest.json's downloaded entries point at for the inputs of paper sections 2.1-2.3.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeJsonAtomic } from '../core/atomic';
import type { BodyFormat, Kind } from './plan';

export interface LockEntry {
  id: string;
  kind: Kind;
  format: BodyFormat;
  url: string;
  /** Path relative to the download folder. */
  file: string;
  /** Span covered, ISO UTC [start, stop); null for whole files. */
  start: string | null;
  stop: string | null;
  fetchedAt: string;
  bytes: number;
  sha256: string;
  /** Data rows (CSV) or lines (Kp text); null for binary files. */
  rows: number | null;
  attempts: number;
  /** HAPI files: the dataset's /info modificationDate when the file was fetched (null: /info not reached). */
  modificationDate?: string | null;
  /** ESA files: the listing's mtime of the file when it was fetched (a new mtime under the same name refetches it). */
  listingMtime?: string | number | null;
}

/** What /hapi/info said about a dataset at the last run that reached it. */
export interface DatasetEntry {
  url: string;
  checkedAt: string;
  startDate: string;
  stopDate: string;
  cadence: string | null;
  maxTimeSelection: string | null;
  modificationDate: string | null;
  /** Every parameter of the dataset, in /info's order. */
  parameters: string[];
  /** Columns of each vector parameter (product of /info's size), e.g. {"B_NEC": 3, "q_NEC_CRF": 4}. */
  sizes?: Record<string, number>;
}

export interface SplitEntry {
  reason: string;
  at: string;
  children: string[];
}

export interface Lock {
  version: 1;
  description: string;
  files: Record<string, LockEntry>;
  splits: Record<string, SplitEntry>;
  /** HAPI datasets by id: /info at the last run that reached it (absent in locks of older runs). */
  datasets?: Record<string, DatasetEntry>;
}

export function emptyLock(): Lock {
  return {
    version: 1,
    description:
      'Files fetched by `make data` (scripts/data.ts): URL, time, bytes and sha256 of each (HAPI files: the dataset modificationDate; ESA files: the listing mtime); requests split because a service refused them as too large; what /hapi/info said of each dataset.',
    files: {},
    splits: {},
    datasets: {},
  };
}

/** Read the lock (an empty one when the file does not exist); a damaged lock is an error naming the file. */
export function readLock(file: string): Lock {
  if (!fs.existsSync(file)) return emptyLock();
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: download lock is not valid JSON (${(e as Error).message}); move it away to start afresh`);
  }
  const l = v as Lock;
  if (!l || l.version !== 1 || typeof l.files !== 'object' || typeof l.splits !== 'object')
    throw new Error(`${file}: not a version-1 download lock (fields version, files, splits)`);
  if (l.datasets !== undefined && (typeof l.datasets !== 'object' || l.datasets === null || Array.isArray(l.datasets)))
    throw new Error(`${file}: field datasets of the download lock must be an object`);
  if (!l.datasets) l.datasets = {};
  return l;
}

export function writeLock(file: string, lock: Lock): void {
  const files: Record<string, LockEntry> = {};
  for (const k of Object.keys(lock.files).sort()) files[k] = lock.files[k];
  const splits: Record<string, SplitEntry> = {};
  for (const k of Object.keys(lock.splits).sort()) splits[k] = lock.splits[k];
  const datasets: Record<string, DatasetEntry> = {};
  for (const k of Object.keys(lock.datasets ?? {}).sort()) datasets[k] = lock.datasets![k];
  writeJsonAtomic(file, { ...lock, files, splits, datasets });
}

export function sha256File(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * Whether a request's file is already complete: the file exists, the lock has an entry for it with the same URL
 * and the same size (and, with verify, the same sha256).
 */
export function isComplete(lock: Lock, outDir: string, file: string, url: string, verify: boolean): boolean {
  const e = lock.files[file];
  if (!e || e.url !== url) return false;
  const abs = path.join(outDir, file);
  let size: number;
  try {
    size = fs.statSync(abs).size;
  } catch {
    return false;
  }
  if (size !== e.bytes) return false;
  return !verify || sha256File(abs) === e.sha256;
}
