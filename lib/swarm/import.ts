// Import of real Swarm records into the store: MAG LR and EFI LP chunks (files from VirES HAPI/CSV or ESA CDF,
// in time order, of any length) are merged day by day (Ne onto the 1 Hz MAG seconds, lib/swarm/swarm-csv.ts)
// and written as one Arrow file per day, holding at most about two days in memory. Paper section 2.3.
import { defaultConfig } from '../download/plan';
import { listDownloaded } from '../download/run';
import { HapiParameter, LpRecords, MagRecords, mergeMagLp, MergeReport, readLpCsv, readMagCsv, SwarmCsvOptions } from './swarm-csv';
import { dayOfMs, dayStartMs, defaultStore, SwarmStore } from './store';
import { Satellite, SwarmSource } from './types';

export interface ImportOptions {
  satellite: Satellite;
  source?: SwarmSource;
  store?: SwarmStore;
  /** Written into each file's metadata. */
  producer?: string;
  baselines?: Record<string, string>;
  /** Nearest-sample tolerance for Ne, ms (default 500). */
  toleranceMs?: number;
  /** Called after each day is written. */
  onDay?: (day: string, report: MergeReport, file: string) => void;
}

export interface ImportSummary {
  days: string[];
  records: number;
  /** Records dropped because an earlier chunk already had their timestamp (overlapping downloads). */
  duplicatesDropped: number;
  neMatched: number;
  neUnmatched: number;
  magInvalid: number;
}

type Cols = Record<string, Float64Array | null | string>;

/** Records of r with lo <= Timestamp < hi (copies of the numeric columns). */
function sliceRecords<T extends MagRecords | LpRecords>(r: T, lo: number, hi: number): T {
  let i0 = 0;
  while (i0 < r.Timestamp.length && r.Timestamp[i0] < lo) i0++;
  let i1 = i0;
  while (i1 < r.Timestamp.length && r.Timestamp[i1] < hi) i1++;
  const out: Cols = {};
  for (const [k, v] of Object.entries(r)) out[k] = v instanceof Float64Array ? v.slice(i0, i1) : (v as string | null);
  return out as unknown as T;
}

/** Concatenate record pieces of one kind (numeric columns; flags column null if any piece lacks it). */
function concatRecords<T extends MagRecords | LpRecords>(pieces: T[]): T | null {
  if (pieces.length === 0) return null;
  const out: Cols = {};
  for (const [k, v] of Object.entries(pieces[0])) {
    if (v instanceof Float64Array || v === null) {
      if (pieces.some((p) => (p as unknown as Cols)[k] === null)) {
        out[k] = null;
        continue;
      }
      const n = pieces.reduce((s, p) => s + ((p as unknown as Cols)[k] as Float64Array).length, 0);
      const a = new Float64Array(n);
      let off = 0;
      for (const p of pieces) {
        const x = (p as unknown as Cols)[k] as Float64Array;
        a.set(x, off);
        off += x.length;
      }
      out[k] = a;
    } else out[k] = v;
  }
  return out as unknown as T;
}

/**
 * Merge and store day by day. magChunks and lpChunks must each be in time order (checked); they are pulled
 * lazily, so generators that read one file at a time keep memory bounded.
 */
export function importRecords(magChunks: Iterable<MagRecords>, lpChunks: Iterable<LpRecords>, options: ImportOptions): ImportSummary {
  const store = options.store ?? defaultStore;
  const source = options.source ?? 'real';
  const tol = options.toleranceMs ?? 500;
  const summary: ImportSummary = { days: [], records: 0, duplicatesDropped: 0, neMatched: 0, neUnmatched: 0, magInvalid: 0 };
  const lpIt = lpChunks[Symbol.iterator]();
  let lpDone = false;
  let lpBuf: LpRecords[] = [];
  let lpLast = -Infinity;
  let lpFirst = -Infinity;
  const pullLpUntil = (t: number) => {
    while (!lpDone && lpLast < t) {
      const nx = lpIt.next();
      if (nx.done) {
        lpDone = true;
        break;
      }
      const r = trimChunk(nx.value, lpFirst, lpLast, 'EFI LP');
      if (!r) continue;
      lpFirst = nx.value.Timestamp[0];
      lpLast = r.Timestamp[r.Timestamp.length - 1];
      lpBuf.push(r);
    }
  };
  /**
   * Chunks must come sorted by start time; overlapping chunks (downloads of different periods) are allowed:
   * records at or before the last timestamp already taken are dropped and counted.
   */
  const trimChunk = <T extends MagRecords | LpRecords>(r: T, prevFirst: number, prevLast: number, what: string): T | null => {
    if (r.Timestamp.length === 0) return null;
    if (r.Timestamp[0] < prevFirst) {
      throw new Error(`import: ${r.file}: ${what} chunk starts at ${new Date(r.Timestamp[0]).toISOString()}, before the previous chunk's start (chunks must be sorted by start time)`);
    }
    if (r.Timestamp[0] > prevLast) return r;
    const kept = sliceRecords(r, prevLast + 1e-3, Infinity);
    summary.duplicatesDropped += r.Timestamp.length - kept.Timestamp.length;
    return kept.Timestamp.length > 0 ? kept : null;
  };
  let magBuf: MagRecords[] = [];
  let magLast = -Infinity;
  let magFirst = -Infinity;
  const flushDaysBefore = (limit: number) => {
    // write every complete day whose end is <= limit
    while (magBuf.length > 0) {
      const first = magBuf.find((p) => p.Timestamp.length > 0);
      if (!first) {
        magBuf = [];
        return;
      }
      const day = dayOfMs(first.Timestamp[0]);
      const start = dayStartMs(day);
      const end = start + 86400e3;
      if (end > limit) return;
      const mag = concatRecords(magBuf.map((p) => sliceRecords(p, start, end)))!;
      magBuf = magBuf.map((p) => sliceRecords(p, end, Infinity)).filter((p) => p.Timestamp.length > 0);
      pullLpUntil(end + tol);
      const lp = concatRecords(lpBuf.map((p) => sliceRecords(p, start - tol, end + tol + 1)));
      lpBuf = lpBuf.map((p) => sliceRecords(p, end - tol, Infinity)).filter((p) => p.Timestamp.length > 0);
      const { columns, report } = mergeMagLp(mag, lp, tol);
      const file = store.writeDay({ ...columns, satellite: options.satellite, day, source }, { producer: options.producer ?? 'lib/swarm/import.ts', baselines: options.baselines ?? {} });
      summary.days.push(day);
      summary.records += report.records;
      summary.neMatched += report.neMatched;
      summary.neUnmatched += report.neUnmatched;
      summary.magInvalid += report.magInvalid;
      options.onDay?.(day, report, file);
    }
  };
  for (const chunk of magChunks) {
    if (chunk.spacecraft !== null && chunk.spacecraft !== options.satellite) throw new Error(`import: ${chunk.file}: spacecraft ${chunk.spacecraft}, importing ${options.satellite}`);
    const m = trimChunk(chunk, magFirst, magLast, 'MAG');
    if (!m) continue;
    magFirst = chunk.Timestamp[0];
    magLast = m.Timestamp[m.Timestamp.length - 1];
    magBuf.push(m);
    // days that end before this chunk's first record are complete
    flushDaysBefore(dayStartMs(dayOfMs(m.Timestamp[0])));
  }
  flushDaysBefore(Infinity);
  return summary;
}

/** HAPI parameter lists (Timestamp first) of a downloader product: name order and vector sizes. */
export function hapiParameters(product: { parameters: string[]; sizes: Record<string, number> }): HapiParameter[] {
  return [{ name: 'Timestamp' }, ...product.parameters.map((name) => (product.sizes[name] && product.sizes[name] > 1 ? { name, size: [product.sizes[name]] } : { name }))];
}

/**
 * Import what `make data` fetched from VirES HAPI (the lock's swarm-mag and swarm-efi CSV files, sorted by
 * start) into the real store for Swarm A. ESA CDF ZIPs are not handled here (they need lib/swarm/cdf.ts and
 * an unzip step): their presence is reported as an error rather than ignored.
 */
export function importDownloadedHapi(options: Partial<ImportOptions> & { outDir?: string; lockFile?: string; from?: number; to?: number } = {}): ImportSummary {
  const cfg = defaultConfig();
  const sel = { outDir: options.outDir, lockFile: options.lockFile, from: options.from, to: options.to };
  const mag = listDownloaded('swarm-mag', sel);
  const efi = listDownloaded('swarm-efi', sel);
  const other = [...mag, ...efi].filter((f) => f.format !== 'hapi-csv');
  if (other.length > 0) {
    throw new Error(`import: ${other.length} downloaded Swarm files are not HAPI CSV (e.g. ${other[0].file}); convert ESA CDF products with lib/swarm/cdf.ts`);
  }
  if (mag.length === 0) throw new Error('import: no Swarm MAG files in the download lock: run `make data` first');
  return importSwarmCsv(
    mag.map((f) => f.path),
    efi.map((f) => f.path),
    {
      satellite: 'A',
      producer: 'lib/swarm/import.ts (VirES HAPI CSV)',
      ...options,
      csv: { hapiParameters: hapiParameters(cfg.mag) },
      lpCsv: { hapiParameters: hapiParameters(cfg.efi) },
    },
  );
}

/** Import VirES CSV files (MAG and EFI LP, each list in time order) into the store. */
export function importSwarmCsv(magFiles: string[], lpFiles: string[], options: ImportOptions & { csv?: SwarmCsvOptions; lpCsv?: SwarmCsvOptions }): ImportSummary {
  function* mags() {
    for (const f of magFiles) yield readMagCsv(f, options.csv);
  }
  function* lps() {
    for (const f of lpFiles) yield readLpCsv(f, options.lpCsv ?? options.csv);
  }
  return importRecords(mags(), lps(), options);
}

// CLI: npx tsx lib/swarm/import.ts  (after `make data`: the VirES HAPI files of the lock -> build/store/real/A)
if (require.main === module) {
  try {
    const s = importDownloadedHapi({
      onDay: (day, r) => console.log(`${day}: ${r.records} records, Ne matched ${r.neMatched}, unmatched ${r.neUnmatched}, MAG invalid ${r.magInvalid}`),
    });
    console.log(`imported ${s.days.length} days, ${s.records} records (${s.duplicatesDropped} repeated records dropped)`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
