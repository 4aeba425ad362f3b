// Request planning for `make data` (pure, no I/O): the USGS FDSN event queries (catalog of paper section 2.1),
// the GFZ Kp file (section 2.3, class 2 = Kp>3) and Swarm A MAG LR / EFI LP data (section 2.2) through VirES HAPI
// CSV or ESA's daily CDF ZIPs, cut into chunks that respect each service's per-request limits.
import { PROFILES } from '../core/config';

export type Kind = 'catalog' | 'kp' | 'swarm-mag' | 'swarm-efi';
export const KINDS: readonly Kind[] = ['catalog', 'kp', 'swarm-mag', 'swarm-efi'];
export type SwarmSource = 'hapi' | 'esa';

/** How a downloaded body is checked before it is renamed to its final name (lib/download/validate.ts). */
export type BodyFormat = 'comcat-csv' | 'kp-text' | 'hapi-csv' | 'esa-listing' | 'zip';

export interface HapiProduct {
  /** HAPI dataset id, e.g. SW_OPER_MAGA_LR_1B. */
  dataset: string;
  /** HAPI parameter names, in request order (time is implicit and comes first in every CSV line). */
  parameters: string[];
  /** Columns each parameter occupies in HAPI CSV (vectors: B_NEC has 3); missing names count 1. */
  sizes: Record<string, number>;
  /** Longest time span one request may ask for (service limit), in ms: /info's x_maxTimeSelection when asked. */
  maxSpanMs: number;
  /**
   * The dataset's time range from /info (startDate, stopDate; Unix ms): requests are clipped to it, because
   * VirES answers HAPI 1405 (HTTP 400) to any request that starts before startDate or stops after stopDate
   * (ESA-VirES/VirES-Server hapi/views/data.py). Absent with the built-in defaults (/info not asked).
   */
  startDate?: number;
  stopDate?: number;
  /** /info's modificationDate (the newest product update of the collection), recorded in the download lock. */
  modificationDate?: string | null;
  /** Where parameters, span and dates come from: 'info' (asked /hapi/info this run) or 'defaults' (built in). */
  origin?: 'info' | 'defaults';
}

export interface EsaProduct {
  /** Folder on the dissemination server, e.g. swarm/Level1b/Latest_baselines/MAGx_LR/Sat_A/. */
  folder: string;
  /** Product type prefix of the file names, e.g. SW_OPER_MAGA_LR_1B. */
  product: string;
}

export interface DownloadConfig {
  /** First UTC day (YYYY-MM-DD or ISO time), inclusive. */
  from: string;
  /** Last UTC day (YYYY-MM-DD, inclusive) or ISO time (exclusive). */
  to: string;
  only: Kind[];
  source: SwarmSource;
  /** Catalog query (USGS FDSN event web service, earthquake.usgs.gov/fdsnws/event/1). */
  minMagnitude: number;
  eventType: string;
  /** FDSN event service refuses more than this many rows in one answer. */
  catalogRowLimit: number;
  /** Fixed catalog windows, in calendar months aligned to January (12: one request a year). */
  catalogWindowMonths: number;
  /** No split below this span (a 'too much data' answer for a shorter chunk is an error). */
  minSplitMs: number;
  baseUrls: { fdsn: string; kp: string; hapi: string; esa: string };
  /** File name of the Kp file (the last part of its URL). */
  kpFile: string;
  mag: HapiProduct;
  efi: HapiProduct;
  esaMag: EsaProduct;
  esaEfi: EsaProduct;
}

const DAY = 86_400_000;

/** Defaults: the paper's period and the public services (USGS FDSN event service, GFZ Kp files, VirES for Swarm HAPI). */
export function defaultConfig(over: Partial<DownloadConfig> = {}): DownloadConfig {
  const base: DownloadConfig = {
    from: PROFILES.paper.from,
    to: PROFILES.paper.to,
    only: [...KINDS],
    source: 'hapi',
    minMagnitude: 4.8,
    eventType: 'earthquake',
    catalogRowLimit: 20_000,
    catalogWindowMonths: 12,
    minSplitMs: 60_000,
    baseUrls: {
      fdsn: 'https://earthquake.usgs.gov/fdsnws/event/1',
      // GFZ moved the Kp files here; the old host (kp.gfz-potsdam.de) redirects and is announced as deprecated
      kp: 'https://kp.gfz.de/app/files',
      hapi: 'https://vires.services/hapi',
      esa: 'https://swarm-diss.eo.esa.int',
    },
    kpFile: 'Kp_ap_Ap_SN_F107_since_1932.txt',
    mag: {
      dataset: 'SW_OPER_MAGA_LR_1B',
      parameters: ['Latitude', 'Longitude', 'Radius', 'B_NEC', 'Flags_B'],
      sizes: { B_NEC: 3 },
      maxSpanMs: 5 * DAY,
    },
    efi: {
      dataset: 'SW_OPER_EFIA_LP_1B',
      // The paper's Ne is EFI LP's plasma density from the ion current: since baseline 07 ESA publishes it as N_ion
      // (Flags_N_ion), and VirES serves only the latest baseline, so Ne/Flags_Ne are refused (HAPI 1407) there.
      // N_elec (density from the electron current) is a different estimate, not the paper's Ne.
      parameters: ['Latitude', 'Longitude', 'Radius', 'N_ion', 'Flags_N_ion'],
      sizes: {},
      maxSpanMs: 2.5 * DAY,
    },
    esaMag: { folder: 'swarm/Level1b/Latest_baselines/MAGx_LR/Sat_A/', product: 'SW_OPER_MAGA_LR_1B' },
    esaEfi: { folder: 'swarm/Level1b/Latest_baselines/EFIx_LP/Sat_A/', product: 'SW_OPER_EFIA_LP_1B' },
  };
  return { ...base, ...over, baseUrls: { ...base.baseUrls, ...(over.baseUrls ?? {}) } };
}

/** One HTTP request and the file its answer becomes (path relative to the download folder). */
export interface Chunk {
  id: string;
  kind: Kind;
  url: string;
  file: string;
  format: BodyFormat;
  /** Time span the request covers, Unix ms, [start, stop). Absent for whole-file requests (Kp, listings). */
  start?: number;
  stop?: number;
  /** Whether a 'too much data' answer may be met by halving the span. */
  splittable: boolean;
  /** hapi-csv: fields on every line (time + parameter columns). */
  columns?: number;
  /** comcat-csv: a body with this many rows may be cut short by the service: split instead. */
  rowLimit?: number;
}

// ---- time helpers ----

/** Parse a day (YYYY-MM-DD) or an ISO time (UTC when no zone is given) to Unix ms; clear error otherwise. */
export function parseTime(s: string, what: string): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let t: number;
  if (day) t = Date.UTC(+day[1], +day[2] - 1, +day[3]);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s))
    t = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : s + 'Z');
  else t = NaN;
  if (!Number.isFinite(t)) throw new Error(`${what}: '${s}' is not a date (YYYY-MM-DD) or ISO time (YYYY-MM-DDTHH:MM:SSZ)`);
  if (day && new Date(t).toISOString().slice(0, 10) !== s) throw new Error(`${what}: '${s}' is not a valid calendar day`);
  return t;
}

/** The configured period as [start, stop) in Unix ms: a plain day for --to means the whole day is included. */
export function period(cfg: Pick<DownloadConfig, 'from' | 'to'>): { start: number; stop: number } {
  const start = parseTime(cfg.from, '--from');
  const to = parseTime(cfg.to, '--to');
  const stop = /^\d{4}-\d{2}-\d{2}$/.test(cfg.to) ? to + DAY : to;
  if (!(stop > start)) throw new Error(`--to (${cfg.to}) must not be before --from (${cfg.from})`);
  return { start, stop };
}

/** ISO time without milliseconds when they are zero: 2016-02-15T00:00:00Z. */
export function isoZ(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? s.slice(0, 19) + 'Z' : s;
}

/** Compact stamp for file names: 20160215T000000 (milliseconds appended only when non-zero). */
export function stamp(ms: number): string {
  const s = new Date(ms).toISOString();
  const base = s.slice(0, 19).replace(/[-:]/g, '');
  return s.slice(20, 23) === '000' ? base : `${base}${s.slice(20, 23)}`;
}

// ---- catalog (USGS FDSN event service) ----

function fdsnTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '');
}

/**
 * One catalog chunk for [start, stop): endtime is the next window's start, stop itself. The service reads
 * starttime/endtime to whole seconds and includes both ends, so `stop - 1 ms` would become stop - 1 s and lose the
 * events of the last second of every window; with endtime = stop, an event at exactly stop is in both windows and
 * the reader of the windows (lib/download/catalog.ts) keeps it once, by event id (usgs/earthquake-event-ws).
 */
export function catalogChunk(cfg: DownloadConfig, start: number, stop: number): Chunk {
  const q = new URLSearchParams({
    format: 'csv',
    starttime: fdsnTime(start),
    endtime: fdsnTime(stop),
    minmagnitude: String(cfg.minMagnitude),
    eventtype: cfg.eventType,
    orderby: 'time-asc',
  });
  const tag = `m${cfg.minMagnitude}-${stamp(start)}-${stamp(stop)}`;
  return {
    id: `catalog:${tag}`,
    kind: 'catalog',
    url: `${cfg.baseUrls.fdsn}/query?${q.toString().replace(/%3A/g, ':')}`,
    file: `catalog/usgs-fdsn-${tag}.csv`,
    format: 'comcat-csv',
    start,
    stop,
    splittable: true,
    rowLimit: cfg.catalogRowLimit,
  };
}

/** Catalog windows: calendar-month grid (default: years from January), clipped to the period. */
export function planCatalog(cfg: DownloadConfig): Chunk[] {
  const { start, stop } = period(cfg);
  const w = cfg.catalogWindowMonths;
  if (!(Number.isInteger(w) && w >= 1)) throw new Error(`catalogWindowMonths must be a whole number >= 1, got ${w}`);
  const d = new Date(start);
  let m = d.getUTCFullYear() * 12 + d.getUTCMonth();
  m -= ((m % w) + w) % w;
  const out: Chunk[] = [];
  let a = start;
  while (a < stop) {
    m += w;
    const b = Math.min(stop, Date.UTC(Math.floor(m / 12), m % 12, 1));
    if (b > a) out.push(catalogChunk(cfg, a, b));
    a = Math.max(a, b);
  }
  return out;
}

// ---- Kp (GFZ) ----

export function planKp(cfg: DownloadConfig): Chunk[] {
  return [
    {
      id: 'kp:gfz',
      kind: 'kp',
      url: `${cfg.baseUrls.kp}/${cfg.kpFile}`,
      file: `indices/${cfg.kpFile}`,
      format: 'kp-text',
      splittable: false,
    },
  ];
}

// ---- Swarm A through VirES HAPI ----

export function hapiProduct(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi'): HapiProduct {
  return kind === 'swarm-mag' ? cfg.mag : cfg.efi;
}

/** Fields on each HAPI CSV line: the time plus every parameter's columns. */
export function hapiColumns(p: HapiProduct): number {
  return 1 + p.parameters.reduce((s, name) => s + (p.sizes[name] ?? 1), 0);
}

export function hapiChunk(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi', start: number, stop: number): Chunk {
  const p = hapiProduct(cfg, kind);
  const q = `dataset=${encodeURIComponent(p.dataset)}&parameters=${p.parameters.map(encodeURIComponent).join(',')}` +
    `&start=${isoZ(start)}&stop=${isoZ(stop)}&format=csv`;
  return {
    id: `${kind}:${p.dataset}_${stamp(start)}_${stamp(stop)}`,
    kind,
    url: `${cfg.baseUrls.hapi}/data?${q}`,
    file: `swarm/hapi/${p.dataset}/${p.dataset}_${stamp(start)}_${stamp(stop)}.csv`,
    format: 'hapi-csv',
    start,
    stop,
    splittable: true,
    columns: hapiColumns(p),
  };
}

/** The period of a HAPI kind clipped to its dataset's startDate/stopDate (when /info gave them); null when empty. */
export function hapiPeriod(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi'): { start: number; stop: number } | null {
  const p = hapiProduct(cfg, kind);
  const r = period(cfg);
  const start = p.startDate !== undefined ? Math.max(r.start, p.startDate) : r.start;
  const stop = p.stopDate !== undefined ? Math.min(r.stop, p.stopDate) : r.stop;
  return stop > start ? { start, stop } : null;
}

/**
 * HAPI chunks on a fixed grid of maxSpan anchored at 1970-01-01 (so that a longer or shifted period reuses the
 * chunks already fetched), clipped to the period and to the dataset's startDate/stopDate.
 */
export function planHapi(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi'): Chunk[] {
  const clipped = hapiPeriod(cfg, kind);
  if (!clipped) return [];
  const { start, stop } = clipped;
  const span = hapiProduct(cfg, kind).maxSpanMs;
  if (!(span >= 1000)) throw new Error(`${kind}: maximum span per request must be at least 1 s, got ${span} ms`);
  const out: Chunk[] = [];
  let a = start;
  while (a < stop) {
    const b = Math.min(stop, (Math.floor(a / span) + 1) * span);
    out.push(hapiChunk(cfg, kind, a, b));
    a = b;
  }
  return out;
}

/** Halve a chunk's span (HAPI 1408 'too much data', FDSN 'exceeds search limit'); whole seconds kept. */
export function splitChunk(cfg: DownloadConfig, c: Chunk): [Chunk, Chunk] {
  if (!c.splittable || c.start === undefined || c.stop === undefined) throw new Error(`${c.id} cannot be split`);
  const span = c.stop - c.start;
  if (span / 2 < cfg.minSplitMs)
    throw new Error(`${c.id}: the service refuses it as too large, and halves would be shorter than ${cfg.minSplitMs} ms`);
  const mid = c.start + Math.max(1000, Math.floor(span / 2000) * 1000);
  const make = (a: number, b: number) =>
    c.kind === 'catalog' ? catalogChunk(cfg, a, b) : hapiChunk(cfg, c.kind as 'swarm-mag' | 'swarm-efi', a, b);
  return [make(c.start, mid), make(mid, c.stop)];
}

// ---- Swarm A through ESA's dissemination server (daily zipped CDF) ----

export function esaProduct(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi'): EsaProduct {
  return kind === 'swarm-mag' ? cfg.esaMag : cfg.esaEfi;
}

/** The folder listing request (JSON); its answer names the daily files with their baselines. */
export function esaListingChunk(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi'): Chunk {
  const p = esaProduct(cfg, kind);
  return {
    id: `${kind}:listing:${p.product}`,
    kind,
    url: `${cfg.baseUrls.esa}/?do=list&maxfiles=10000&pos=0&file=${encodeURIComponent(p.folder)}`,
    file: `swarm/esa/${p.product}/listing.json`,
    format: 'esa-listing',
    splittable: false,
  };
}

export interface EsaFile {
  name: string;
  /** UTC day the file covers (start of its validity), Unix ms. */
  day: number;
  /** 4-character baseline and version, e.g. 0505. */
  version: string;
  /**
   * The listing's modification time of the file, as the listing gives it (null when the listing has none): recorded
   * in the download lock, so that a file regenerated under the same name is noticed and fetched again.
   */
  mtime: string | number | null;
  /** The listing's size of the file in bytes (null when not given). */
  size: number | null;
}

/** One entry of the ESA listing's JSON answer {"results": [{"name", "size", "mtime", "is_dir", ...}]}. */
interface EsaListingEntry {
  name?: unknown;
  size?: unknown;
  mtime?: unknown;
  is_dir?: unknown;
}

/**
 * Daily product files named in a listing answer: the dissemination server's JSON {"results": [{name, size, mtime,
 * ...}]} (the form its `?do=list` answers with), or, failing that, any text that quotes the names (no mtime then).
 * For each day the highest baseline/version is kept. Names look like
 * SW_OPER_MAGA_LR_1B_20160215T000000_20160215T235959_0505.CDF.ZIP.
 */
export function parseEsaListing(text: string, product: string): EsaFile[] {
  const re = new RegExp(`^${product}_(\\d{8})T(\\d{6})_(\\d{8})T(\\d{6})_(\\w{4})\\.CDF\\.ZIP$`, 'i');
  const found: { name: string; mtime: string | number | null; size: number | null }[] = [];
  let entries: EsaListingEntry[] | null = null;
  try {
    const v = JSON.parse(text) as { results?: unknown };
    if (v && Array.isArray(v.results)) entries = v.results as EsaListingEntry[];
  } catch {
    /* not JSON: scan the text for names */
  }
  if (entries) {
    for (const e of entries) {
      if (!e || typeof e.name !== 'string' || e.is_dir === true) continue;
      const name = e.name.split('/').pop()!;
      const mtime = typeof e.mtime === 'string' || typeof e.mtime === 'number' ? e.mtime : null;
      const size = typeof e.size === 'number' && Number.isFinite(e.size) ? e.size : typeof e.size === 'string' && /^\d+$/.test(e.size) ? Number(e.size) : null;
      found.push({ name, mtime, size });
    }
  } else {
    const any = new RegExp(`${product}_\\d{8}T\\d{6}_\\d{8}T\\d{6}_\\w{4}\\.CDF\\.ZIP`, 'gi');
    for (const m of text.matchAll(any)) found.push({ name: m[0], mtime: null, size: null });
  }
  const best = new Map<number, EsaFile>();
  for (const f0 of found) {
    const m = re.exec(f0.name);
    if (!m) continue;
    const d = m[1];
    const day = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8));
    const f: EsaFile = { name: f0.name, day, version: m[5], mtime: f0.mtime, size: f0.size };
    const old = best.get(day);
    if (!old || f.version.localeCompare(old.version) > 0) best.set(day, f);
  }
  return [...best.values()].sort((a, b) => a.day - b.day);
}

export function esaFileChunk(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi', f: EsaFile): Chunk {
  const p = esaProduct(cfg, kind);
  return {
    id: `${kind}:esa:${f.name}`,
    kind,
    url: `${cfg.baseUrls.esa}/?do=download&file=${encodeURIComponent(p.folder + f.name)}`,
    file: `swarm/esa/${p.product}/${f.name}`,
    format: 'zip',
    start: f.day,
    stop: f.day + DAY,
    splittable: false,
  };
}

/** The daily files of a listing that fall in the configured period. */
export function planEsaFiles(cfg: DownloadConfig, kind: 'swarm-mag' | 'swarm-efi', listing: EsaFile[]): Chunk[] {
  const { start, stop } = period(cfg);
  return listing.filter((f) => f.day + DAY > start && f.day < stop).map((f) => esaFileChunk(cfg, kind, f));
}

/** Number of UTC days the period touches (the number of daily ESA files, when none is missing). */
export function periodDays(cfg: DownloadConfig): number {
  const { start, stop } = period(cfg);
  return Math.ceil(stop / DAY) - Math.floor(start / DAY);
}

// ---- whole plan ----

export interface KindPlan {
  kind: Kind;
  /** Requests known now. */
  chunks: Chunk[];
  /** ESA source without a listing yet: how many daily downloads are expected after it (one per day). */
  pendingDaily?: number;
  note?: string;
}

/**
 * The requests for every selected kind. With source 'esa' and no listing at hand, a Swarm kind plans its listing
 * request and counts one daily file per day of the period (names come from the listing).
 */
export function planAll(
  cfg: DownloadConfig,
  listings: Partial<Record<'swarm-mag' | 'swarm-efi', EsaFile[]>> = {},
): KindPlan[] {
  const out: KindPlan[] = [];
  for (const kind of KINDS) {
    if (!cfg.only.includes(kind)) continue;
    if (kind === 'catalog')
      out.push({ kind, chunks: planCatalog(cfg), note: `M>=${cfg.minMagnitude}, ${cfg.catalogWindowMonths}-month windows, halved when a window reaches ${cfg.catalogRowLimit} rows` });
    else if (kind === 'kp') out.push({ kind, chunks: planKp(cfg) });
    else if (cfg.source === 'hapi') {
      const p = hapiProduct(cfg, kind);
      const clipped = hapiPeriod(cfg, kind);
      const full = period(cfg);
      const from = p.origin === 'info' ? 'from /hapi/info' : 'built-in defaults, /hapi/info not asked';
      let clip = '';
      if (!clipped) clip = `; the period lies outside the dataset's ${isoZ(p.startDate!)}..${isoZ(p.stopDate!)}: nothing to fetch`;
      else if (clipped.start !== full.start || clipped.stop !== full.stop) clip = `; clipped to the dataset's range: ${isoZ(clipped.start)}..${isoZ(clipped.stop)}`;
      out.push({
        kind,
        chunks: planHapi(cfg, kind),
        note: `${p.dataset} ${p.parameters.join(',')}, at most ${+(p.maxSpanMs / DAY).toFixed(6)} days a request (${from})${clip}`,
      });
    } else {
      const listing = listings[kind];
      const listChunk = esaListingChunk(cfg, kind);
      if (listing) out.push({ kind, chunks: [listChunk, ...planEsaFiles(cfg, kind, listing)], note: 'daily CDF ZIPs named by the listing' });
      else out.push({ kind, chunks: [listChunk], pendingDaily: periodDays(cfg), note: 'daily CDF ZIPs; names (baselines) come from the listing' });
    }
  }
  return out;
}
