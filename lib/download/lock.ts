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
}

export function emptyLock(): Lock {
  return {
    version: 1,
    description: 'Files fetched by `make data` (scripts/data.ts): URL, time, bytes and sha256 of each; requests split because a service refused them as too large.',
    files: {},
    splits: {},
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
  return l;
}

export function writeLock(file: string, lock: Lock): void {
  const files: Record<string, LockEntry> = {};
  for (const k of Object.keys(lock.files).sort()) files[k] = lock.files[k];
  const splits: Record<string, SplitEntry> = {};
  for (const k of Object.keys(lock.splits).sort()) splits[k] = lock.splits[k];
  writeJsonAtomic(file, { ...lock, files, splits });
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
