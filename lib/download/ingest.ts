// The last step of `make data`: the downloaded Swarm MAG LR and EFI LP files (VirES HAPI CSV or ESA daily CDF
// ZIPs, as the download lock records them) into the Swarm store, one file per satellite and UTC day, with Ne
// merged onto the 1 Hz MAG seconds (paper section 2.3). Idempotent: each day records the sha256 of its inputs.
import { createHash } from 'crypto';
import { paths, rel } from '../core/paths';
import { progress } from '../core/progress';
import { readEsaLp, readEsaMag } from '../swarm/esa-cdf';
import { importRecords } from '../swarm/import';
import { defaultStore, dayOfMs, dayStartMs, SwarmStore } from '../swarm/store';
import { CsvReadReport, HapiParameter, LpRecords, MagRecords, readLpCsv, readMagCsv } from '../swarm/swarm-csv';
import { Satellite } from '../swarm/types';
import { defaultConfig } from './plan';
import { Lock, readLock } from './lock';
import { DownloadedFile, listDownloaded } from './run';

const DAY = 86_400_000;
/** Bumped when what ingest writes for the same inputs changes (forces a rewrite of every day). */
export const INGEST_VERSION = '1';
const PRODUCER = 'lib/download/ingest.ts';

export interface IngestOptions {
  /** First day (YYYY-MM-DD, or Unix ms: its day) and last day (YYYY-MM-DD inclusive, or Unix ms exclusive). Default: every downloaded day. */
  from?: string | number;
  to?: string | number;
  /** Download folder and lock (defaults: paths.downloads, paths.downloadLock). */
  outDir?: string;
  lockFile?: string;
  /** Store to write (default: the package's, paths.store('real')). */
  store?: SwarmStore;
  /** Rewrite days even when their inputs are unchanged. */
  force?: boolean;
  /** Ne nearest-sample tolerance, ms (default 500, as lib/swarm/import.ts). */
  toleranceMs?: number;
  log?: (line: string) => void;
  forceLogProgress?: boolean;
}

export interface IngestDay {
  satellite: Satellite;
  day: string;
  status: 'written' | 'unchanged' | 'empty' | 'failed';
  records: number;
  neMatched: number;
  /** MAG / EFI records dropped because another input file already had that timestamp. */
  duplicates: number;
  /** Input files (relative to the download folder). */
  inputs: string[];
  error?: string;
}

export interface IngestReport {
  days: IngestDay[];
  written: number;
  unchanged: number;
  /** Days whose MAG inputs hold no record in the day. */
  empty: number;
  failed: number;
  records: number;
  neMatched: number;
  duplicates: number;
  /** Days with EFI files but no MAG file (nothing to write: MAG sets the 1 Hz timeline). */
  efiOnlyDays: string[];
  /** What the tolerant CSV reader repaired in a file (sorted rows, repeated times, 23:59:60, nan), one line a file. */
  readerNotes: string[];
}

/** One line for a CSV file whose reading sorted, dropped or read nan (null when it read the file as it was). */
export function describeCsvReport(file: string, r: CsvReadReport | undefined): string | null {
  if (!r) return null;
  const nan = Object.entries(r.nan).map(([k, n]) => `${k} ${n}`);
  const parts = [
    r.reordered ? 'rows sorted by time' : '',
    r.duplicates ? `${r.duplicates} repeated time(s) dropped (first kept)` : '',
    r.leapSeconds ? `${r.leapSeconds} record(s) at 23:59:60 (leap second) dropped` : '',
    nan.length ? `nan read as NaN: ${nan.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `${file}: ${r.rows} rows; ${parts.join('; ')}` : null;
}

/** Satellite of a Swarm product or HAPI dataset named in a path (SW_OPER_MAGA_..., SW_OPER_EFIB_...). */
export function satelliteOf(file: string): Satellite {
  const m = /SW_[A-Z0-9]{4}_(?:MAG|EFI)([ABC])_/i.exec(file);
  if (!m) throw new Error(`${file}: cannot tell the Swarm satellite from the name (expected SW_OPER_MAGx_... or SW_OPER_EFIx_...)`);
  return m[1].toUpperCase() as Satellite;
}

/** The HAPI CSV columns of a download, from its request URL (time first, then the parameters in request order). */
/**
 * The HAPI CSV columns of a download, from its request URL (time first, then the parameters in request order).
 * Vector sizes come from `sizes` (what /hapi/info said, as the download lock records it per dataset) and, for
 * the default parameters, from the built-in defaults (B_NEC: 3).
 */
export function hapiParametersOf(f: Pick<DownloadedFile, 'url' | 'file'>, infoSizes: Record<string, number> = {}): HapiParameter[] {
  let names: string[];
  try {
    const p = new URL(f.url).searchParams.get('parameters');
    if (!p) throw new Error('no parameters');
    names = p.split(',').filter(Boolean);
  } catch (e) {
    throw new Error(`${f.file}: cannot read the HAPI parameters from its URL '${f.url}' (${(e as Error).message})`);
  }
  const cfg = defaultConfig();
  const sizes: Record<string, number> = { ...cfg.mag.sizes, ...cfg.efi.sizes, ...infoSizes };
  return [{ name: 'Timestamp' }, ...names.map((name) => (sizes[name] && sizes[name] > 1 ? { name, size: [sizes[name]] } : { name }))];
}

/** Vector sizes of a HAPI download's dataset as the lock's /info record gives them (empty when not recorded). */
function lockSizes(lock: Lock, f: Pick<DownloadedFile, 'url'>): Record<string, number> {
  let dataset: string | null = null;
  try {
    dataset = new URL(f.url).searchParams.get('dataset');
  } catch {
    /* the URL is checked by hapiParametersOf */
  }
  return (dataset && lock.datasets?.[dataset]?.sizes) || {};
}

function readMag(f: DownloadedFile, sizes: Record<string, number> = {}): MagRecords {
  if (f.format === 'hapi-csv') return readMagCsv(f.path, { hapiParameters: hapiParametersOf(f, sizes) });
  if (f.format === 'zip') return readEsaMag(f.path).records;
  throw new Error(`${f.file}: format ${f.format} is not a Swarm MAG data file`);
}

function readLp(f: DownloadedFile, sizes: Record<string, number> = {}): LpRecords {
  if (f.format === 'hapi-csv') return readLpCsv(f.path, { hapiParameters: hapiParametersOf(f, sizes) });
  if (f.format === 'zip') return readEsaLp(f.path).records;
  throw new Error(`${f.file}: format ${f.format} is not a Swarm EFI data file`);
}

function dayBound(v: string | number | undefined, end: boolean): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`ingest: ${end ? 'to' : 'from'} ${v} is not a time`);
    return end ? Math.ceil(v / DAY) * DAY : Math.floor(v / DAY) * DAY;
  }
  return dayStartMs(v) + (end ? DAY : 0);
}

/** Fingerprint of a day's inputs (sorted kind, file, sha256) with the ingest version and tolerance. */
export function inputsDigest(mag: DownloadedFile[], efi: DownloadedFile[], toleranceMs: number): string {
  const lines = [`ingest ${INGEST_VERSION} tolerance ${toleranceMs}`];
  for (const f of [...mag, ...efi].map((x) => `${x.kind} ${x.file} ${x.sha256}`).sort()) lines.push(f);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** A path relative to the repository when inside it, else as given. */
function shown(p: string): string {
  const r = rel(p);
  return r.startsWith('..') ? p : r;
}

function digestOfProducer(producer: string): string | null {
  const m = /inputs sha256:([0-9a-f]{64})/.exec(producer);
  return m ? m[1] : null;
}

type Rec = MagRecords | LpRecords;

/**
 * Records of several files with lo <= Timestamp < hi, in time order, each timestamp (rounded to the store's
 * whole ms) once: the first file in `pieces` order wins where files overlap. Per-record columns missing from a
 * piece (product flags) are NaN for its records.
 */
export function mergePieces<T extends Rec>(pieces: T[], lo: number, hi: number): { records: T; duplicates: number } | null {
  const cols = new Set<string>();
  for (const p of pieces) for (const [k, v] of Object.entries(p)) if (v instanceof Float64Array) cols.add(k);
  const sel: { piece: number; i: number; t: number }[] = [];
  pieces.forEach((p, pi) => {
    const ts = p.Timestamp;
    for (let i = 0; i < ts.length; i++) if (ts[i] >= lo && ts[i] < hi) sel.push({ piece: pi, i, t: Math.round(ts[i]) });
  });
  if (sel.length === 0) return null;
  sel.sort((a, b) => a.t - b.t || a.piece - b.piece || a.i - b.i);
  const keep: typeof sel = [];
  let last = -Infinity;
  for (const s of sel) {
    if (s.t === last) continue;
    keep.push(s);
    last = s.t;
  }
  const out: Record<string, unknown> = { ...pieces[0] };
  for (const k of cols) {
    const a = new Float64Array(keep.length);
    for (let j = 0; j < keep.length; j++) {
      const src = (pieces[keep[j].piece] as unknown as Record<string, Float64Array | null>)[k];
      a[j] = src ? src[keep[j].i] : NaN;
    }
    out[k] = a;
  }
  out.file = [...new Set(keep.map((s) => pieces[s.piece].file))].join(' + ');
  return { records: out as unknown as T, duplicates: sel.length - keep.length };
}

function overlaps(f: DownloadedFile, lo: number, hi: number): boolean {
  return (f.start ?? -Infinity) < hi && (f.stop ?? Infinity) > lo;
}

function productLabel(files: DownloadedFile[]): string {
  const names = new Set<string>();
  for (const f of files) {
    const base = f.file.split('/').pop() ?? f.file;
    if (f.format === 'zip') names.add(base.replace(/\.CDF\.ZIP$/i, ''));
    else {
      const m = /(SW_[A-Z0-9]{4}_[A-Z]{3}[ABC]_[A-Z0-9]{2}_[A-Z0-9]{2})/.exec(base);
      names.add(`${m ? m[1] : base} via VirES HAPI`);
    }
  }
  return [...names].join(' ');
}

/**
 * Import the downloaded swarm-mag and swarm-efi files into the store, day by day. A day is rewritten only when
 * the sha256 list of its input files (or INGEST_VERSION) changed since it was written, or with `force`.
 * A file that cannot be read fails the days it covers (reported), not the whole run.
 */
export function ingestDownloads(opts: IngestOptions = {}): IngestReport {
  const log = opts.log ?? ((l: string) => console.log(l));
  const store = opts.store ?? defaultStore;
  const tol = opts.toleranceMs ?? 500;
  const lo = dayBound(opts.from, false);
  const hi = dayBound(opts.to, true);
  const where = { outDir: opts.outDir, lockFile: opts.lockFile, from: lo, to: hi };
  const lock = readLock(opts.lockFile ?? paths.downloadLock);
  const magAll = listDownloaded('swarm-mag', where);
  const efiAll = listDownloaded('swarm-efi', where);
  const report: IngestReport = { days: [], written: 0, unchanged: 0, empty: 0, failed: 0, records: 0, neMatched: 0, duplicates: 0, efiOnlyDays: [], readerNotes: [] };
  const noSpan = [...magAll, ...efiAll].filter((f) => f.start === null || f.stop === null);
  if (noSpan.length) throw new Error(`ingest: lock entries without a time span: ${noSpan.map((f) => f.file).join(', ')}`);

  if (magAll.length === 0 && efiAll.length === 0)
    log(`ingest: no Swarm MAG or EFI file in the download lock ${shown(opts.lockFile ?? paths.downloadLock)}${lo !== undefined || hi !== undefined ? ' for the period' : ''} (run make data first)`);
  const sats = [...new Set([...magAll, ...efiAll].map((f) => satelliteOf(f.file)))].sort() as Satellite[];
  for (const sat of sats) {
    const mag = magAll.filter((f) => satelliteOf(f.file) === sat);
    const efi = efiAll.filter((f) => satelliteOf(f.file) === sat);
    const daySet = (files: DownloadedFile[]) => {
      const s = new Set<string>();
      for (const f of files)
        for (let t = Math.floor(Math.max(f.start!, lo ?? -Infinity) / DAY) * DAY; t < Math.min(f.stop!, hi ?? Infinity); t += DAY) s.add(dayOfMs(t));
      return s;
    };
    const days = [...daySet(mag)].sort();
    const magDays = new Set(days);
    for (const d of [...daySet(efi)].sort()) if (!magDays.has(d)) report.efiOnlyDays.push(`${sat} ${d}`);
    if (days.length === 0) continue;
    log(`ingest Swarm ${sat}: ${days.length} day(s) from ${mag.length} MAG and ${efi.length} EFI file(s) into ${shown(store.rootFor('real'))}/${sat}`);
    const prog = progress(`ingest Swarm ${sat}`, days.length, { log: opts.log, forceLog: opts.forceLogProgress });
    const cache = new Map<string, Rec | Error>();
    const get = (f: DownloadedFile, kind: 'mag' | 'efi'): Rec => {
      let r = cache.get(f.path);
      if (r === undefined) {
        try {
          r = kind === 'mag' ? readMag(f, lockSizes(lock, f)) : readLp(f, lockSizes(lock, f));
          const note = describeCsvReport(f.file, r.csvReport);
          if (note && !report.readerNotes.includes(note)) {
            report.readerNotes.push(note);
            log(`ingest: ${note}`);
          }
        } catch (e) {
          r = e instanceof Error ? e : new Error(String(e));
        }
        cache.set(f.path, r);
      }
      if (r instanceof Error) throw r;
      return r;
    };
    for (const day of days) {
      const t0 = dayStartMs(day);
      const t1 = t0 + DAY;
      // files that end before this day (minus the Ne tolerance) are not needed again: days go in order
      for (const f of [...mag, ...efi]) if (f.stop! <= t0 - tol - 1000) cache.delete(f.path);
      const dMag = mag.filter((f) => overlaps(f, t0, t1));
      const dEfi = efi.filter((f) => overlaps(f, t0 - tol - 1000, t1 + tol + 1000));
      const inputs = [...dMag, ...dEfi].map((f) => f.file);
      const digest = inputsDigest(dMag, dEfi, tol);
      const entry: IngestDay = { satellite: sat, day, status: 'written', records: 0, neMatched: 0, duplicates: 0, inputs };
      let note: string;
      try {
        const old = opts.force ? null : store.readMetadata('real', sat, day);
        if (old && digestOfProducer(old.producer) === digest) {
          entry.status = 'unchanged';
          entry.records = old.records;
          report.unchanged++;
          note = `${day} unchanged`;
        } else {
          const m = mergePieces(dMag.map((f) => get(f, 'mag') as MagRecords), t0, t1);
          if (!m) {
            entry.status = 'empty';
            report.empty++;
            note = `${day}: no MAG record in ${inputs.length} file(s)`;
          } else {
            const l = dEfi.length ? mergePieces(dEfi.map((f) => get(f, 'efi') as LpRecords), t0 - tol - 1000, t1 + tol + 1000) : null;
            const magRec: MagRecords = { ...m.records, spacecraft: sat };
            for (const f of dMag) {
              const sc = (get(f, 'mag') as MagRecords).spacecraft;
              if (sc !== null && sc !== sat) throw new Error(`${f.file}: spacecraft ${sc} in a file named for Swarm ${sat}`);
            }
            const lpRecs = l ? [{ ...l.records, spacecraft: sat }] : [];
            const s = importRecords([magRec], lpRecs, {
              satellite: sat,
              source: 'real',
              store,
              toleranceMs: tol,
              producer: `${PRODUCER} v${INGEST_VERSION} (inputs sha256:${digest})`,
              baselines: { MAG: productLabel(dMag), ...(dEfi.length ? { EFI: productLabel(dEfi) } : {}) },
            });
            if (s.days.length !== 1 || s.days[0] !== day) throw new Error(`import wrote days [${s.days.join(', ')}], expected ${day}`);
            entry.records = s.records;
            entry.neMatched = s.neMatched;
            entry.duplicates = m.duplicates + (l ? l.duplicates : 0);
            report.written++;
            report.records += s.records;
            report.neMatched += s.neMatched;
            report.duplicates += entry.duplicates;
            note = `${day}: ${s.records} records, Ne matched ${s.neMatched}${entry.duplicates ? `, ${entry.duplicates} repeated timestamps dropped` : ''}`;
          }
        }
      } catch (e) {
        entry.status = 'failed';
        entry.error = (e as Error).message;
        report.failed++;
        note = `${day} FAILED`;
        log(`ingest FAILED Swarm ${sat} ${day}: ${entry.error}`);
      }
      report.days.push(entry);
      prog.tick(1, note);
    }
    prog.done();
  }
  log(
    `ingest: ${report.written} day(s) written (${report.records} records, Ne matched for ${report.neMatched}), ` +
      `${report.unchanged} unchanged, ${report.empty} empty, ${report.failed} failed` +
      `${report.duplicates ? `; ${report.duplicates} repeated timestamps of overlapping files dropped` : ''}` +
      `${report.efiOnlyDays.length ? `; ${report.efiOnlyDays.length} day(s) with EFI but no MAG data (not stored)` : ''}; store ${shown(store.rootFor('real'))}`,
  );
  return report;
}
