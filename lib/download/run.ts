// Runs the planned downloads of `make data` (inputs of paper sections 2.1-2.3): resumable (complete files are
// skipped), retried with exponential backoff (Retry-After honoured), split when a service refuses a request as too
// large (HAPI 1408, FDSN row limit), atomic, with progress and a lock file entry written after each file.
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../core/paths';
import { progress } from '../core/progress';
import { FetchOptions, fetchToFile, HttpError, TransferError } from './http';
import { isComplete, Lock, LockEntry, readLock, writeLock } from './lock';
import {
  Chunk,
  DownloadConfig,
  esaListingChunk,
  EsaFile,
  isoZ,
  Kind,
  KINDS,
  parseEsaListing,
  planAll,
  planEsaFiles,
  splitChunk,
  esaProduct,
} from './plan';
import { BodyError, validateBody } from './validate';

export interface RunOptions {
  /** Download folder (default paths.downloads) and lock file (default paths.downloadLock). */
  outDir?: string;
  lockFile?: string;
  /** Attempts after the first for one request (default 6). */
  retries?: number;
  /** First backoff delay, doubled at each retry (default 2000 ms), capped at maxBackoffMs (default 120 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured (default 15 min); longer answers wait this long. */
  maxRetryAfterMs?: number;
  /** Idle timeout of one request (default 120 s). */
  timeoutMs?: number;
  /** Requests in flight at once (default 1: the services are shared). */
  concurrency?: number;
  /** Re-hash files whose lock entry matches before skipping them (default false: size and URL). */
  verify?: boolean;
  /** Fetch again even when complete. */
  force?: boolean;
  /** Where messages go (default console.log). */
  log?: (line: string) => void;
  /** Waiting (tests may replace it). */
  sleep?: (ms: number) => Promise<void>;
  /** Force log-mode progress. */
  forceLogProgress?: boolean;
}

export interface RunReport {
  /** Files fetched in this run, relative to the download folder. */
  downloaded: string[];
  /** Requests skipped because their file was complete. */
  skipped: string[];
  /** Requests that failed after all retries (rerun to resume). */
  failed: { id: string; error: string }[];
  /** Requests split in this run. */
  splits: number;
  /** HTTP requests made. */
  requests: number;
  /** Bytes written. */
  bytes: number;
}

/** A failure that stops the whole run (e.g. HAPI 1407: every request would fail the same way). */
export class FatalDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalDownloadError';
  }
}

type Outcome = { action: 'retry'; delayMs: number | null; why: string } | { action: 'split'; why: string } | { action: 'fail'; why: string };

/** HAPI JSON status in an error body: {"HAPI": "3.0", "status": {"code": 1408, "message": "..."}}. */
export function hapiStatus(body: string): { code: number; message: string } | null {
  try {
    const v = JSON.parse(body) as { status?: { code?: unknown; message?: unknown } };
    if (v && v.status && typeof v.status.code === 'number') return { code: v.status.code, message: String(v.status.message ?? '') };
  } catch {
    /* not JSON */
  }
  return null;
}

/** What to do after an error of one request. */
export function classify(c: Chunk, e: unknown, cfg: DownloadConfig): Outcome {
  if (e instanceof HttpError) {
    const hapi = c.format === 'hapi-csv' ? hapiStatus(e.body) : null;
    if (hapi && hapi.code === 1408) return { action: 'split', why: `HAPI 1408 ${hapi.message}` };
    if (hapi && hapi.code === 1407) {
      const p = c.kind === 'swarm-mag' ? cfg.mag : cfg.efi;
      throw new FatalDownloadError(
        `${c.id}: HAPI 1407 (unknown dataset parameter) from ${e.url}: ${hapi.message}. ` +
          `Requested parameters of ${p.dataset}: ${p.parameters.join(',')}; the dataset's parameters are listed at ` +
          `${cfg.baseUrls.hapi}/info?dataset=${p.dataset}. Older EFI LP baselines name the density Ne/Flags_Ne ` +
          `(newer: N_ion/Flags_N_ion): pass --${c.kind === 'swarm-mag' ? 'mag' : 'efi'}-parameters to choose.`,
      );
    }
    if (c.format === 'comcat-csv' && e.status === 400 && /exceeds search limit/i.test(e.body))
      return { action: 'split', why: 'FDSN: matching events exceed the search limit' };
    if (e.status === 429) return { action: 'retry', delayMs: e.retryAfterMs, why: 'HTTP 429 too many requests' };
    if (e.status >= 500 || e.status === 408) return { action: 'retry', delayMs: e.retryAfterMs, why: `HTTP ${e.status}` };
    if (hapi) throw new FatalDownloadError(`${c.id}: HAPI ${hapi.code} from ${e.url}: ${hapi.message}`);
    if (e.status === 401 || e.status === 403) throw new FatalDownloadError(`${c.id}: HTTP ${e.status} (access refused) from ${e.url}`);
    return { action: 'fail', why: e.message };
  }
  if (e instanceof BodyError) {
    if (e.reason === 'incomplete') return { action: 'retry', delayMs: null, why: e.message };
    if (e.reason === 'too-many-rows') return { action: 'split', why: e.message };
    return { action: 'fail', why: e.message };
  }
  if (e instanceof TransferError) return { action: 'retry', delayMs: null, why: e.message };
  if (e instanceof FatalDownloadError) throw e;
  // anything else (file system): not retried
  return { action: 'fail', why: (e as Error).message ?? String(e) };
}

/** Remove temporary files an interrupted earlier run left (lib/core/atomic names: .<name>.<pid>.<n>.tmp). */
export function removeStaleTemporaries(dir: string): string[] {
  const removed: string[] = [];
  if (!fs.existsSync(dir)) return removed;
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) removed.push(...removeStaleTemporaries(p));
    else if (/^\..+\.\d+\.\d+\.tmp$/.test(ent.name)) {
      fs.rmSync(p, { force: true });
      removed.push(p);
    }
  }
  return removed;
}

/** Execute every selected kind of cfg: the whole `make data`. */
export async function runDownloads(cfg: DownloadConfig, opts: RunOptions = {}): Promise<RunReport> {
  const outDir = opts.outDir ?? paths.downloads;
  const lockFile = opts.lockFile ?? paths.downloadLock;
  const log = opts.log ?? ((l: string) => console.log(l));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries = opts.retries ?? 6;
  const backoff = opts.backoffMs ?? 2000;
  const maxBackoff = opts.maxBackoffMs ?? 120_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 900_000;
  const fetchOpts: FetchOptions = { timeoutMs: opts.timeoutMs ?? 120_000 };
  const verify = opts.verify ?? false;
  const force = opts.force ?? false;
  fs.mkdirSync(outDir, { recursive: true });
  for (const p of removeStaleTemporaries(outDir)) log(`removed a temporary file of an interrupted run: ${p}`);
  const lock: Lock = readLock(lockFile);
  const report: RunReport = { downloaded: [], skipped: [], failed: [], splits: 0, requests: 0, bytes: 0 };

  /** Fetch one request into its file (no retries); lock entry written on success. */
  async function fetchOnce(c: Chunk, attempt: number): Promise<LockEntry> {
    report.requests++;
    const target = path.join(outDir, c.file);
    const r = await fetchToFile(c.url, target, fetchOpts, (s, tmp) =>
      validateBody(c, s, `${c.id} (${c.url})`, () => fs.readFileSync(tmp)),
    );
    const e: LockEntry = {
      id: c.id,
      kind: c.kind,
      format: c.format,
      url: c.url,
      file: c.file,
      start: c.start !== undefined ? isoZ(c.start) : null,
      stop: c.stop !== undefined ? isoZ(c.stop) : null,
      fetchedAt: new Date().toISOString(),
      bytes: r.summary.bytes,
      sha256: r.summary.sha256,
      rows: r.checked,
      attempts: attempt + 1,
    };
    lock.files[c.file] = e;
    writeLock(lockFile, lock);
    report.downloaded.push(c.file);
    report.bytes += e.bytes;
    return e;
  }

  /** One request with retries, splitting into halves when refused as too large; resolves when all is on disk. */
  async function runChunk(c: Chunk): Promise<void> {
    if (!force && isComplete(lock, outDir, c.file, c.url, verify)) {
      report.skipped.push(c.file);
      return;
    }
    const known = lock.splits[c.id];
    if (known && c.splittable) {
      const halves = splitChunk(cfg, c);
      for (const h of halves) await runChunk(h);
      return;
    }
    for (let attempt = 0; ; attempt++) {
      let outcome: Outcome;
      try {
        await fetchOnce(c, attempt);
        return;
      } catch (e) {
        outcome = classify(c, e, cfg);
      }
      if (outcome.action === 'split') {
        if (!c.splittable) outcome = { action: 'fail', why: `${outcome.why} (this request cannot be split)` };
        else {
          let halves: [Chunk, Chunk];
          try {
            halves = splitChunk(cfg, c);
          } catch (e) {
            report.failed.push({ id: c.id, error: `${outcome.why}; ${(e as Error).message}` });
            log(`FAILED ${c.id}: ${outcome.why}; ${(e as Error).message}`);
            return;
          }
          log(`split ${c.id} in two: ${outcome.why}`);
          report.splits++;
          lock.splits[c.id] = { reason: outcome.why, at: new Date().toISOString(), children: halves.map((h) => h.id) };
          writeLock(lockFile, lock);
          for (const h of halves) await runChunk(h);
          return;
        }
      }
      if (outcome.action === 'fail' || attempt >= retries) {
        const why = outcome.action === 'fail' ? outcome.why : `gave up after ${attempt + 1} attempts; last: ${outcome.why}`;
        report.failed.push({ id: c.id, error: why });
        log(`FAILED ${c.id}: ${why}`);
        return;
      }
      const exp = Math.min(maxBackoff, backoff * 2 ** attempt);
      const delay = outcome.delayMs !== null ? Math.min(maxRetryAfter, outcome.delayMs) : exp;
      log(`retry ${attempt + 1}/${retries} of ${c.id} in ${(delay / 1000).toFixed(delay < 1000 ? 3 : 1)} s: ${outcome.why}`);
      await sleep(delay);
    }
  }

  /** Run chunks with bounded concurrency; a fatal error stops new work and is rethrown. */
  async function runAll(chunks: Chunk[], label: string): Promise<void> {
    if (chunks.length === 0) return;
    const prog = progress(label, chunks.length, { forceLog: opts.forceLogProgress, log: opts.log });
    let next = 0;
    let fatal: unknown = null;
    const worker = async () => {
      while (fatal === null && next < chunks.length) {
        const c = chunks[next++];
        const before = report.bytes;
        try {
          await runChunk(c);
        } catch (e) {
          fatal = e;
          break;
        }
        prog.tick(1, `${c.file}${report.bytes > before ? ` (${((report.bytes - before) / 1e6).toFixed(1)} MB)` : ' (complete, skipped)'}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, chunks.length)) }, worker));
    if (fatal !== null) throw fatal;
    prog.done();
  }

  // ESA source: each Swarm kind's listing first (fetched when missing), then its daily files.
  const listings: Partial<Record<'swarm-mag' | 'swarm-efi', EsaFile[]>> = {};
  if (cfg.source === 'esa') {
    for (const kind of ['swarm-mag', 'swarm-efi'] as const) {
      if (!cfg.only.includes(kind)) continue;
      const lc = esaListingChunk(cfg, kind);
      await runChunk(lc);
      const file = path.join(outDir, lc.file);
      if (fs.existsSync(file) && lock.files[lc.file]) listings[kind] = parseEsaListing(fs.readFileSync(file, 'utf8'), esaProduct(cfg, kind).product);
      else log(`${kind}: no listing, so no daily files can be named`);
    }
  }
  for (const kp of planAll(cfg, listings)) {
    const chunks = kp.chunks.filter((c) => c.format !== 'esa-listing');
    if (cfg.source === 'esa' && kp.kind !== 'catalog' && kp.kind !== 'kp' && listings[kp.kind as 'swarm-mag'] && chunks.length === 0)
      log(`${kp.kind}: the listing names no file in the period`);
    await runAll(chunks, `download ${kp.kind}`);
  }
  return report;
}

export interface DownloadedFile {
  kind: Kind;
  /** Absolute path. */
  path: string;
  /** Relative to the download folder. */
  file: string;
  format: LockEntry['format'];
  url: string;
  /** Span covered, Unix ms [start, stop); null for whole files (Kp). */
  start: number | null;
  stop: number | null;
  bytes: number;
  sha256: string;
  rows: number | null;
}

/**
 * The downloaded files of one kind (for the converters that write the store and the readers): those the lock
 * records whose file is present with the recorded size, sorted by start time. HAPI CSV files of runs with
 * different periods may overlap in time (the converter drops repeated timestamps); ESA listings are left out.
 * Optional from/to (Unix ms) keep files that overlap [from, to).
 */
export function listDownloaded(
  kind: Kind,
  opts: { outDir?: string; lockFile?: string; from?: number; to?: number } = {},
): DownloadedFile[] {
  if (!KINDS.includes(kind)) throw new Error(`unknown kind '${kind}'; known: ${KINDS.join(', ')}`);
  const outDir = opts.outDir ?? paths.downloads;
  const lock = readLock(opts.lockFile ?? paths.downloadLock);
  const out: DownloadedFile[] = [];
  for (const e of Object.values(lock.files)) {
    if (e.kind !== kind || e.format === 'esa-listing') continue;
    const abs = path.join(outDir, e.file);
    let size = -1;
    try {
      size = fs.statSync(abs).size;
    } catch {
      continue;
    }
    if (size !== e.bytes) continue;
    const start = e.start !== null ? Date.parse(e.start) : null;
    const stop = e.stop !== null ? Date.parse(e.stop) : null;
    if (opts.from !== undefined && stop !== null && stop <= opts.from) continue;
    if (opts.to !== undefined && start !== null && start >= opts.to) continue;
    out.push({ kind, path: abs, file: e.file, format: e.format, url: e.url, start, stop, bytes: e.bytes, sha256: e.sha256, rows: e.rows });
  }
  return out.sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || a.file.localeCompare(b.file));
}

export interface DryRunCount {
  kind: Kind;
  /** Requests planned now (for ESA: the listing, plus the daily files when a listing is already on disk). */
  requests: number;
  /** Of those, already complete (would be skipped). */
  complete: number;
  /** ESA without a listing on disk: daily files expected after the listing (one per day of the period). */
  pendingDaily: number;
  note: string;
}

/**
 * What `make data --dry-run` shows: every request that would be made (URL and file), marked when its file is
 * already complete, and the count per kind and in total. Makes no request; reads the lock and any ESA listing
 * already on disk.
 */
export function dryRun(cfg: DownloadConfig, opts: { outDir?: string; lockFile?: string } = {}): { lines: string[]; counts: DryRunCount[]; total: number } {
  const outDir = opts.outDir ?? paths.downloads;
  const lock = readLock(opts.lockFile ?? paths.downloadLock);
  const listings: Partial<Record<'swarm-mag' | 'swarm-efi', EsaFile[]>> = {};
  if (cfg.source === 'esa')
    for (const kind of ['swarm-mag', 'swarm-efi'] as const) {
      const lc = esaListingChunk(cfg, kind);
      const f = path.join(outDir, lc.file);
      if (cfg.only.includes(kind) && isComplete(lock, outDir, lc.file, lc.url, false))
        listings[kind] = parseEsaListing(fs.readFileSync(f, 'utf8'), esaProduct(cfg, kind).product);
    }
  const lines: string[] = [];
  const counts: DryRunCount[] = [];
  for (const kp of planAll(cfg, listings)) {
    lines.push(`# ${kp.kind}: ${kp.chunks.length} request${kp.chunks.length === 1 ? '' : 's'}${kp.note ? ` (${kp.note})` : ''}`);
    let complete = 0;
    for (const c of kp.chunks) {
      const done = isComplete(lock, outDir, c.file, c.url, false);
      if (done) complete++;
      lines.push(`GET ${c.url}\n    -> ${c.file}${done ? '  [complete, skipped]' : ''}`);
    }
    if (kp.pendingDaily) lines.push(`    + ${kp.pendingDaily} daily CDF ZIP downloads named by the listing (one per day of the period)`);
    counts.push({ kind: kp.kind, requests: kp.chunks.length, complete, pendingDaily: kp.pendingDaily ?? 0, note: kp.note ?? '' });
  }
  const total = counts.reduce((s, c) => s + c.requests + c.pendingDaily, 0);
  return { lines, counts, total };
}
