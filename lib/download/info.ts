// Before `make data` plans its Swarm A requests (inputs of paper section 2.2/2.3: MAG LR B_NEC, EFI LP Ne), it asks
// VirES HAPI `/info` once per dataset and plans from the answer: the requested parameters are checked and put in
// /info's order (VirES refuses any other order with HAPI 1407 "unexpected position of X parameter"), the request span
// is x_maxTimeSelection, the period is clipped to startDate/stopDate (outside them VirES answers 1405), and
// modificationDate goes to the download lock. Where /info cannot be reached (offline) the built-in defaults of
// lib/download/plan.ts are used and the plan says so.
// Sources read: ESA-VirES/VirES-Server vires/hapi/views/info.py (parameter order check, the answer's fields),
// views/data.py (1405/1408), views/common.py (status codes), hapi/dataset.py (MAX_TIME_SELECTION = 5 days at 1 s
// sampling), vires/time_util.py (format_duration: P5D, P2DT12H); HAPI 3.0 specification section 3.6 (info).
import { fetchSmall, FetchOptions, HttpError } from './http';
import { DownloadConfig, HapiProduct } from './plan';

const DAY = 86_400_000;

/** One parameter of an /info answer (the fields the downloader uses). */
export interface HapiInfoParameter {
  name: string;
  type: string;
  /** Dimensions of a vector parameter (B_NEC: [3]); absent for scalars. */
  size?: number[];
  fill?: string | null;
  units?: string | null;
}

/** What /info said about one dataset. */
export interface HapiInfo {
  /** The /info URL asked. */
  url: string;
  dataset: string;
  /** startDate/stopDate as given and as Unix ms. */
  startDateText: string;
  stopDateText: string;
  startDate: number;
  stopDate: number;
  /** Nominal sampling (ISO 8601 duration, e.g. PT1S), when given. */
  cadence: string | null;
  /** x_maxTimeSelection as given (VirES extension, e.g. P5D) and in ms. */
  maxTimeSelection: string | null;
  maxSpanMs: number | null;
  /** modificationDate as given: the collection's newest product update (VirES: Max of its products' `updated`). */
  modificationDate: string | null;
  /** Every parameter, time first, in the dataset's order. */
  parameters: HapiInfoParameter[];
}

/** /info answered, but not in a form the downloader can use, or refused the dataset: the run cannot be planned. */
export class HapiInfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HapiInfoError';
  }
}

/**
 * ISO 8601 duration to ms, in the subset VirES writes (vires/time_util.py format_duration: days, hours, minutes,
 * seconds with a fraction, e.g. P5D, P2DT12H, PT0.5S). Years and months are refused (their length is ambiguous).
 */
export function parseIsoDuration(s: string, what = 'duration'): number {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim().endsWith('T'))
    throw new HapiInfoError(`${what}: '${s}' is not an ISO 8601 duration of days/hours/minutes/seconds (e.g. P5D, P2DT12H, PT1S)`);
  const [d, h, mi, se] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? 0 : Number(x)));
  return Math.round(((d * 24 + h) * 60 + mi) * 60_000 + se * 1000);
}

/**
 * An ISO time to Unix ms, keeping sub-millisecond digits (VirES writes microseconds when they are not zero):
 * `round` 'up' for a start (a request must not begin before it) and 'down' for a stop (nor end after it).
 */
function parseIsoTime(v: unknown, where: string, round: 'up' | 'down'): { text: string; ms: number } {
  if (typeof v !== 'string') throw new HapiInfoError(`${where}: expected an ISO time string, got ${JSON.stringify(v)}`);
  const m = /^(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  const whole = m ? Date.parse(`${m[1].length === 10 ? `${m[1]}T00:00:00` : m[1]}${m[3] ?? 'Z'}`) : NaN;
  if (!m || !Number.isFinite(whole)) throw new HapiInfoError(`${where}: '${v}' is not an ISO 8601 time`);
  const frac = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return { text: v, ms: whole + (round === 'up' ? Math.ceil(frac - 1e-9) : Math.floor(frac + 1e-9)) };
}

/** Read an /info answer; errors name the URL and the field. */
export function parseHapiInfo(body: string, url: string, dataset: string): HapiInfo {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(body) as Record<string, unknown>;
  } catch (e) {
    throw new HapiInfoError(`${url}: /info answer is not JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HapiInfoError(`${url}: /info answer is not a JSON object`);
  const status = v.status as { code?: unknown; message?: unknown } | undefined;
  if (status && typeof status.code === 'number' && status.code !== 1200)
    throw new HapiInfoError(`${url}: /info answered HAPI ${status.code} ${String(status.message ?? '')}`);
  const start = parseIsoTime(v.startDate, `${url}: field startDate`, 'up');
  const stop = parseIsoTime(v.stopDate, `${url}: field stopDate`, 'down');
  if (!(stop.ms > start.ms)) throw new HapiInfoError(`${url}: stopDate ${stop.text} is not after startDate ${start.text}`);
  if (!Array.isArray(v.parameters) || v.parameters.length === 0) throw new HapiInfoError(`${url}: field parameters: expected a non-empty list`);
  const parameters: HapiInfoParameter[] = v.parameters.map((p: unknown, i: number) => {
    const q = p as Record<string, unknown>;
    if (!q || typeof q.name !== 'string' || typeof q.type !== 'string')
      throw new HapiInfoError(`${url}: field parameters[${i}]: expected an object with string name and type`);
    const out: HapiInfoParameter = { name: q.name, type: q.type };
    if (q.size !== undefined) {
      if (!Array.isArray(q.size) || !q.size.every((n) => Number.isInteger(n) && n > 0))
        throw new HapiInfoError(`${url}: field parameters[${i}].size (${q.name}): expected a list of positive integers`);
      out.size = q.size as number[];
    }
    if (q.fill !== undefined) out.fill = q.fill === null ? null : String(q.fill);
    if (q.units !== undefined) out.units = q.units === null ? null : String(q.units);
    return out;
  });
  if (parameters[0].type !== 'isotime') throw new HapiInfoError(`${url}: field parameters[0] (${parameters[0].name}): the first parameter must be the isotime, got type ${parameters[0].type}`);
  const cadence = typeof v.cadence === 'string' ? v.cadence : null;
  const maxTimeSelection = typeof v.x_maxTimeSelection === 'string' ? v.x_maxTimeSelection : null;
  let maxSpanMs: number | null = null;
  if (maxTimeSelection !== null) maxSpanMs = parseIsoDuration(maxTimeSelection, `${url}: field x_maxTimeSelection`);
  else if (cadence !== null) maxSpanMs = 5 * DAY * (parseIsoDuration(cadence, `${url}: field cadence`) / 1000); // VirES: 5 days at 1 s sampling, scaled by the sampling
  const md = v.modificationDate;
  return {
    url,
    dataset,
    startDateText: start.text,
    stopDateText: stop.text,
    startDate: start.ms,
    stopDate: stop.ms,
    cadence,
    maxTimeSelection,
    maxSpanMs,
    modificationDate: typeof md === 'string' ? md : null,
    parameters,
  };
}

/**
 * The product planned from /info: requested parameters checked (a name /info does not list is an error that names
 * what /info lists) and put in /info's order; sizes from /info; span from x_maxTimeSelection; dates from
 * startDate/stopDate. Returns the product and notes (reorderings, dropped time parameter) for the plan.
 */
export function applyHapiInfo(p: HapiProduct, info: HapiInfo, option: string): { product: HapiProduct; notes: string[] } {
  const notes: string[] = [];
  const timeName = info.parameters[0].name;
  const index = new Map(info.parameters.map((q, i) => [q.name, i]));
  const seen = new Set<string>();
  for (const n of p.parameters) {
    if (seen.has(n)) throw new HapiInfoError(`${info.dataset}: parameter ${n} is requested twice (${option}); VirES refuses duplicates with HAPI 1407`);
    seen.add(n);
  }
  let requested = p.parameters;
  if (requested.includes(timeName)) {
    requested = requested.filter((n) => n !== timeName);
    notes.push(`${timeName} dropped from the request: the time comes first on every line anyway`);
  }
  const missing = requested.filter((n) => !index.has(n));
  if (missing.length) {
    const efiHint = missing.some((n) => n === 'Ne' || n === 'Flags_Ne')
      ? ` VirES serves only the latest EFI LP baseline, where the paper's Ne (density from the ion current) is N_ion with Flags_N_ion; ` +
        `N_elec (density from the electron current) is a different estimate.`
      : '';
    throw new HapiInfoError(
      `${info.dataset}: /info (${info.url}) does not list ${missing.join(', ')} (${option}).${efiHint} ` +
        `Its parameters, in order: ${info.parameters.slice(1).map((q) => q.name).join(',')}`,
    );
  }
  const ordered = [...requested].sort((a, b) => index.get(a)! - index.get(b)!);
  if (ordered.join(',') !== requested.join(','))
    notes.push(`parameters put in /info's order (VirES answers HAPI 1407 to any other): ${requested.join(',')} -> ${ordered.join(',')}`);
  const sizes: Record<string, number> = {};
  for (const n of ordered) {
    const q = info.parameters[index.get(n)!];
    const k = q.size ? q.size.reduce((a, b) => a * b, 1) : 1;
    if (k !== 1) sizes[n] = k;
  }
  const product: HapiProduct = {
    ...p,
    parameters: ordered,
    sizes,
    maxSpanMs: info.maxSpanMs ?? p.maxSpanMs,
    startDate: info.startDate,
    stopDate: info.stopDate,
    modificationDate: info.modificationDate,
    origin: 'info',
  };
  return { product, notes };
}

export function infoUrl(cfg: DownloadConfig, dataset: string): string {
  return `${cfg.baseUrls.hapi}/info?dataset=${encodeURIComponent(dataset)}`;
}

export interface HapiInfoResult {
  /** The configuration to plan with (/info applied where it answered, defaults marked elsewhere). */
  cfg: DownloadConfig;
  /** Lines for the plan and the log: what /info said, what was changed, or that the defaults are used and why. */
  notes: string[];
  infos: Partial<Record<'swarm-mag' | 'swarm-efi', HapiInfo>>;
  /** Kinds whose /info could not be reached (defaults used). */
  unreached: ('swarm-mag' | 'swarm-efi')[];
}

export interface HapiInfoOptions {
  /** Do not ask: use the built-in defaults (and say so). */
  offline?: boolean;
  /** Idle timeout of one /info request (default 30 s). */
  timeoutMs?: number;
}

function defaultsNote(p: HapiProduct, why: string): string {
  return (
    `${p.dataset}: ${why}; built-in defaults used: parameters ${p.parameters.join(',')} in that order, ` +
    `${+(p.maxSpanMs / DAY).toFixed(6)} days a request, no clipping to the dataset's range (a request outside it is ` +
    `answered HAPI 1405 and skipped), no modificationDate recorded`
  );
}

/**
 * Ask /info for each selected Swarm kind (HAPI source only) and apply it. An /info that cannot be reached (network
 * fault, timeout, HTTP 5xx/429) leaves that kind on the built-in defaults, said in the notes; an /info that answers
 * but refuses the dataset, or lacks a requested parameter, is a HapiInfoError (the run cannot be planned).
 */
export async function resolveHapiInfo(cfg: DownloadConfig, opts: HapiInfoOptions = {}): Promise<HapiInfoResult> {
  const out: HapiInfoResult = { cfg: { ...cfg, mag: { ...cfg.mag }, efi: { ...cfg.efi } }, notes: [], infos: {}, unreached: [] };
  const kinds = (['swarm-mag', 'swarm-efi'] as const).filter((k) => cfg.only.includes(k));
  if (cfg.source !== 'hapi') return out;
  const fetchOpts: FetchOptions = { timeoutMs: opts.timeoutMs ?? 30_000 };
  for (const kind of kinds) {
    const key = kind === 'swarm-mag' ? 'mag' : 'efi';
    const option = `--${key}-parameters`;
    const p = out.cfg[key];
    if (opts.offline) {
      out.cfg[key] = { ...p, origin: 'defaults' };
      out.unreached.push(kind);
      out.notes.push(defaultsNote(p, '/hapi/info not asked (offline)'));
      continue;
    }
    const url = infoUrl(cfg, p.dataset);
    let body: string;
    try {
      body = (await fetchSmall(url, fetchOpts)).body;
    } catch (e) {
      if (e instanceof HttpError && e.status >= 400 && e.status < 500 && e.status !== 429 && e.status !== 408) {
        let hapi = '';
        try {
          const s = (JSON.parse(e.body) as { status?: { code?: number; message?: string } }).status;
          if (s && typeof s.code === 'number') hapi = ` HAPI ${s.code} ${s.message ?? ''}`;
        } catch {
          /* not a HAPI status body */
        }
        throw new HapiInfoError(`${p.dataset}: /info refused the dataset: HTTP ${e.status}${hapi} from ${url}`);
      }
      out.cfg[key] = { ...p, origin: 'defaults' };
      out.unreached.push(kind);
      out.notes.push(defaultsNote(p, `/hapi/info could not be reached (${(e as Error).message.slice(0, 200)})`));
      continue;
    }
    const info = parseHapiInfo(body, url, p.dataset);
    const { product, notes } = applyHapiInfo(p, info, option);
    out.cfg[key] = product;
    out.infos[kind] = info;
    out.notes.push(
      `${p.dataset}: /hapi/info: ${info.startDateText}..${info.stopDateText}, cadence ${info.cadence ?? '?'}, ` +
        `x_maxTimeSelection ${info.maxTimeSelection ?? '(none)'} (${+(product.maxSpanMs / DAY).toFixed(6)} days a request), ` +
        `modificationDate ${info.modificationDate ?? '(none)'}; parameters ${product.parameters.join(',')}` +
        (Object.keys(product.sizes).length ? ` (${Object.entries(product.sizes).map(([n, k]) => `${n}: ${k} columns`).join(', ')})` : ''),
    );
    for (const n of notes) out.notes.push(`${p.dataset}: ${n}`);
  }
  return out;
}
