// Runs the planned downloads of `make data` (inputs of paper sections 2.1-2.3): resumable (complete files are
// skipped), retried with exponential backoff (Retry-After honoured), split when a service refuses a request as too
// large (HAPI 1408, FDSN row limit), atomic, with progress and a lock file entry written after each file. Before
// planning it asks VirES HAPI /info (lib/download/info.ts) and checks the free disk space (lib/download/disk.ts).
import * as fs from 'fs';
import * as path from 'path';
import { paths } from '../core/paths';
import { progress } from '../core/progress';
import { describeEstimate, DiskEstimate, estimatePlan, formatBytes, freeBytes } from './disk';
import { FetchOptions, fetchToFile, HttpError, TransferError } from './http';
import { HapiInfoError, resolveHapiInfo } from './info';
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
  esaFileChunk,
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
  /** Do not ask /hapi/info: plan with the built-in defaults (said in the log). */
  offline?: boolean;
  /** Idle timeout of one /info request (default 30 s). */
  infoTimeoutMs?: number;
  /** Check the free disk space before the first download (default true). */
  diskCheck?: boolean;
  /** Free bytes of the download folder's file system (default: statfs; tests may replace it). */
  freeBytes?: (dir: string) => number;
  /**
   * Fetch again the HAPI files fetched under another /info modificationDate of their dataset (default false: such
   * files are counted and reported; the modificationDate changes whenever any product of the collection is added
   * or regenerated, so it does not say which of the files changed).
   */
  refetchModified?: boolean;
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
  /** HAPI requests answered 1405 (time outside the dataset's range): skipped, not failed. */
  outside: string[];
  /** What /hapi/info said, or that the defaults were used and why. */
  infoNotes: string[];
  /** Datasets whose /info modificationDate differs from the one recorded by the last run. */
  modified: { dataset: string; before: string | null; now: string | null }[];
  /** Complete HAPI files fetched under another modificationDate (kept unless refetchModified). */
  staleFiles: string[];
  /** ESA files fetched again because the listing shows a new mtime under the same name. */
  relisted: string[];
  /** The disk estimate checked before the first download. */
  disk: DiskEstimate | null;
}

/** A failure that stops the whole run (e.g. HAPI 1407: every request would fail the same way). */
export class FatalDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalDownloadError';
  }
}

type Outcome =
  | { action: 'retry'; delayMs: number | null; why: string }
  | { action: 'split'; why: string }
  | { action: 'fail'; why: string }
  | { action: 'outside'; why: string };

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
    if (hapi && hapi.code === 1405) return { action: 'outside', why: `HAPI 1405 ${hapi.message}` };
    if (hapi && hapi.code === 1407) {
      const p = c.kind === 'swarm-mag' ? cfg.mag : cfg.efi;
      throw new FatalDownloadError(
        `${c.id}: HAPI 1407 (unknown dataset parameter) from ${e.url}: ${hapi.message}. ` +
          `Requested parameters of ${p.dataset}: ${p.parameters.join(',')}; VirES also refuses known parameters that ` +
          `are not in the order of ${cfg.baseUrls.hapi}/info?dataset=${p.dataset} (make data orders them by /info when it ` +
          `reaches it${p.origin === 'defaults' ? '; this run used the built-in defaults' : ''}). VirES serves only the ` +
          `latest product baseline: the paper's Ne is N_ion (Flags_N_ion) there; N_elec is a different estimate.`,
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

/** ESA listings already complete on disk (per Swarm kind), for planning before they are fetched again. */
function listingsOnDisk(cfg: DownloadConfig, lock: Lock, outDir: string): Partial<Record<'swarm-mag' | 'swarm-efi', EsaFile[]>> {
  const listings: Partial<Record<'swarm-mag' | 'swarm-efi', EsaFile[]>> = {};
  if (cfg.source !== 'esa') return listings;
  for (const kind of ['swarm-mag', 'swarm-efi'] as const) {
    const lc = esaListingChunk(cfg, kind);
    if (cfg.only.includes(kind) && isComplete(lock, outDir, lc.file, lc.url, false))
      listings[kind] = parseEsaListing(fs.readFileSync(path.join(outDir, lc.file), 'utf8'), esaProduct(cfg, kind).product);
  }
  return listings;
}

/**
 * Whether a request's file is complete and current: complete in the lock (isComplete), and for an ESA daily file
 * the listing's mtime (when the listing gives one) equals the one recorded at fetch time.
 */
function upToDate(lock: Lock, outDir: string, c: Chunk, verify: boolean, listingMtime: Map<string, string | number | null>): boolean {
  if (!isComplete(lock, outDir, c.file, c.url, verify)) return false;
  if (c.format === 'zip') {
    const now = listingMtime.get(c.file);
    const then = lock.files[c.file].listingMtime;
    if (now !== undefined && now !== null && then !== undefined && then !== null && String(now) !== String(then)) return false;
  }
  return true;
}

/** Execute every selected kind of cfg: the whole `make data`. */
export async function runDownloads(cfg0: DownloadConfig, opts: RunOptions = {}): Promise<RunReport> {
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
  const report: RunReport = {
    downloaded: [], skipped: [], failed: [], splits: 0, requests: 0, bytes: 0,
    outside: [], infoNotes: [], modified: [], staleFiles: [], relisted: [], disk: null,
  };

  // /hapi/info first: parameters in its order, its span, its date range; modificationDate to the lock
  let cfg: DownloadConfig;
  try {
    const info = await resolveHapiInfo(cfg0, { offline: opts.offline, timeoutMs: opts.infoTimeoutMs });
    cfg = info.cfg;
    report.infoNotes = info.notes;
    for (const n of info.notes) log(n);
    for (const inf of Object.values(info.infos)) {
      if (!inf) continue;
      const before = lock.datasets![inf.dataset];
      if (before && before.modificationDate !== inf.modificationDate) {
        report.modified.push({ dataset: inf.dataset, before: before.modificationDate, now: inf.modificationDate });
        log(
          `${inf.dataset}: /info modificationDate is ${inf.modificationDate} (last run: ${before.modificationDate}): products were added or ` +
            `regenerated since; ${opts.refetchModified ? 'files fetched before are fetched again' : 'files fetched before are kept (--refetch-modified fetches them again)'}`,
        );
      }
      lock.datasets![inf.dataset] = {
        url: inf.url,
        checkedAt: new Date().toISOString(),
        startDate: inf.startDateText,
        stopDate: inf.stopDateText,
        cadence: inf.cadence,
        maxTimeSelection: inf.maxTimeSelection,
        modificationDate: inf.modificationDate,
        parameters: inf.parameters.map((q) => q.name),
        sizes: Object.fromEntries(inf.parameters.filter((q) => q.size && q.size.reduce((a, b) => a * b, 1) > 1).map((q) => [q.name, q.size!.reduce((a, b) => a * b, 1)])),
      };
    }
    if (Object.keys(info.infos).length) writeLock(lockFile, lock);
  } catch (e) {
    if (e instanceof HapiInfoError) throw new FatalDownloadError(e.message);
    throw e;
  }
  const currentModification = (c: Chunk): string | null | undefined =>
    c.format === 'hapi-csv' ? (c.kind === 'swarm-mag' ? cfg.mag : cfg.efi).modificationDate : undefined;
  const listingMtime = new Map<string, string | number | null>();
  const done = (c: Chunk): boolean => {
    if (!upToDate(lock, outDir, c, verify, listingMtime)) return false;
    const now = currentModification(c);
    const then = lock.files[c.file].modificationDate;
    if (now !== undefined && now !== null && then !== undefined && then !== now) {
      if (!report.staleFiles.includes(c.file)) report.staleFiles.push(c.file);
      if (opts.refetchModified) return false;
    }
    return true;
  };

  // free disk before the first download (ESA: daily files counted per day until the listing names them)
  if (opts.diskCheck ?? true) {
    const est = estimatePlan(cfg, planAll(cfg, listingsOnDisk(cfg, lock, outDir)), (c) => !force && done(c));
    report.disk = est;
    const free = (opts.freeBytes ?? freeBytes)(outDir);
    for (const l of describeEstimate(est, free, outDir)) log(l);
    if (free < est.needed)
      throw new FatalDownloadError(
        `not enough free disk space at ${outDir}: the remaining downloads need about ${formatBytes(est.bytes)} ` +
          `(${formatBytes(est.needed)} with the margin), ${formatBytes(free)} are free; free space, choose another --out, ` +
          `a shorter --from/--to, or skip the check with --no-disk-check`,
      );
  }

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
    if (c.format === 'hapi-csv') e.modificationDate = currentModification(c) ?? null;
    if (c.format === 'zip') e.listingMtime = listingMtime.get(c.file) ?? null;
    lock.files[c.file] = e;
    writeLock(lockFile, lock);
    report.downloaded.push(c.file);
    report.bytes += e.bytes;
    return e;
  }

  /** One request with retries, splitting into halves when refused as too large; resolves when all is on disk. */
  async function runChunk(c: Chunk, fresh = false): Promise<void> {
    if (!force && !fresh && done(c)) {
      report.skipped.push(c.file);
      return;
    }
    if (!force && c.format === 'zip' && isComplete(lock, outDir, c.file, c.url, verify)) {
      report.relisted.push(c.file);
      log(`${c.file}: the listing shows mtime ${listingMtime.get(c.file)} (fetched at ${lock.files[c.file].listingMtime}): regenerated, fetched again`);
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
      if (outcome.action === 'outside') {
        report.outside.push(c.id);
        log(`skipped ${c.id}: ${outcome.why} (the dataset has no data there; /info's startDate/stopDate clip the plan when it is reached)`);
        return;
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
      // the listing is asked afresh at every run: it is how a file regenerated under the same name (new mtime) is seen
      const lc = esaListingChunk(cfg, kind);
      await runChunk(lc, true);
      const file = path.join(outDir, lc.file);
      if (fs.existsSync(file) && lock.files[lc.file]) {
        listings[kind] = parseEsaListing(fs.readFileSync(file, 'utf8'), esaProduct(cfg, kind).product);
        for (const f of listings[kind]!) listingMtime.set(esaFileChunk(cfg, kind, f).file, f.mtime);
      } else log(`${kind}: no listing, so no daily files can be named`);
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
 * already complete, the count per kind and in total, and the disk estimate of what is still to fetch. Makes no
 * request; reads the lock and any ESA listing already on disk. cfg is planned as given: the CLI applies /hapi/info
 * (lib/download/info.ts) first, or marks the built-in defaults.
 */
export function dryRun(
  cfg: DownloadConfig,
  opts: { outDir?: string; lockFile?: string; now?: number } = {},
): { lines: string[]; counts: DryRunCount[]; total: number; disk: DiskEstimate } {
  const outDir = opts.outDir ?? paths.downloads;
  const lock = readLock(opts.lockFile ?? paths.downloadLock);
  const listings = listingsOnDisk(cfg, lock, outDir);
  const lines: string[] = [];
  const counts: DryRunCount[] = [];
  const plans = planAll(cfg, listings);
  const listingMtime = new Map<string, string | number | null>();
  for (const [kind, l] of Object.entries(listings)) for (const f of l ?? []) listingMtime.set(esaFileChunk(cfg, kind as 'swarm-mag', f).file, f.mtime);
  const done = (c: Chunk) => upToDate(lock, outDir, c, false, listingMtime);
  for (const kp of plans) {
    lines.push(`# ${kp.kind}: ${kp.chunks.length} request${kp.chunks.length === 1 ? '' : 's'}${kp.note ? ` (${kp.note})` : ''}`);
    let complete = 0;
    for (const c of kp.chunks) {
      const d = done(c);
      if (d) complete++;
      lines.push(`GET ${c.url}\n    -> ${c.file}${d ? '  [complete, skipped]' : ''}`);
    }
    if (kp.pendingDaily) lines.push(`    + ${kp.pendingDaily} daily CDF ZIP downloads named by the listing (one per day of the period)`);
    counts.push({ kind: kp.kind, requests: kp.chunks.length, complete, pendingDaily: kp.pendingDaily ?? 0, note: kp.note ?? '' });
  }
  const total = counts.reduce((s, c) => s + c.requests + c.pendingDaily, 0);
  return { lines, counts, total, disk: estimatePlan(cfg, plans, done, opts.now) };
}
