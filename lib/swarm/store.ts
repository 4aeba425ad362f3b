// The Swarm record store: one Arrow IPC file (Feather v2) per source, satellite and UTC day, written
// atomically, read back as typed columns, and streamed day by day for time-range queries. Real readers and
// the simulator write it; dataset building reads it (paper section 2.3: Swarm A 1 Hz B_NEC and Ne).
// Format: Arrow IPC file, one record batch, no compression; Timestamp timestamp[ms, UTC], B/Ne float64 (NaN where
// missing, no validity bitmap), flags uint16, units in field metadata, provenance in schema metadata ('safenet.*').
// Meant for pyarrow.ipc.open_file / pandas.read_feather / DuckDB; pyarrow is not packaged for Debian bookworm, so
// the tests check the files with an independent numpy reader written from the format spec
// (test/fixtures/store/read_arrow_ipc.py) besides apache-arrow's own reader.
import * as fs from 'fs';
import * as path from 'path';
import * as arrow from 'apache-arrow';
import { writeFileAtomic } from '../core/atomic';
import { paths } from '../core/paths';
import { allocColumns, Satellite, SWARM_COLUMN_NAMES, SwarmColumnName, SwarmColumns, SwarmDay, SwarmSource } from './types';

/** Bumped when the file layout changes; readers refuse other versions. */
export const STORE_FORMAT_VERSION = '1';
const DAY_MS = 86400e3;

/** File-level metadata (Arrow schema metadata, keys prefixed 'safenet.'). */
export interface StoreMetadata {
  source: SwarmSource;
  satellite: Satellite;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** What wrote the file, e.g. 'lib/swarm/swarm-csv.ts' or 'lib/simulation/simulator.ts seed 20140401'. */
  producer: string;
  /** Product baselines the day came from, e.g. { MAG: 'SW_OPER_MAGA_LR_1B_..._0505', EFI: '...' } or {}. */
  baselines: Record<string, string>;
  /** Number of records. */
  records: number;
  formatVersion: string;
}

/** Units and descriptions stored as field metadata, so the file explains itself to pandas/pyarrow users. */
const FIELD_INFO: Record<SwarmColumnName, { unit: string; description: string }> = {
  Timestamp: { unit: 'ms since 1970-01-01 UTC', description: 'UTC time of the MAG LR record' },
  Latitude: { unit: 'deg', description: 'geocentric latitude' },
  Longitude: { unit: 'deg', description: 'geocentric longitude' },
  Radius: { unit: 'm', description: 'geocentric radius' },
  B_N: { unit: 'nT', description: 'magnetic field, North component (NEC frame); NaN where missing' },
  B_E: { unit: 'nT', description: 'magnetic field, East component (NEC frame); NaN where missing' },
  B_C: { unit: 'nT', description: 'magnetic field, Centre component (NEC frame); NaN where missing' },
  Ne: { unit: 'cm^-3', description: 'electron density (EFI LP Ne / N_ion) at this second; NaN where missing' },
  Flags_B: { unit: '', description: 'MAG quality, 0 = usable (see lib/swarm/flags.ts)' },
  Flags_Ne: { unit: '', description: 'EFI LP quality, 0 = usable (see lib/swarm/flags.ts)' },
};

function arrowType(name: SwarmColumnName): arrow.DataType {
  if (name === 'Timestamp') return new arrow.TimestampMillisecond('UTC');
  if (name === 'Flags_B' || name === 'Flags_Ne') return new arrow.Uint16();
  return new arrow.Float64();
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Unix ms of 00:00 UTC of a YYYY-MM-DD day; throws on anything else. */
export function dayStartMs(day: string): number {
  const m = DAY_RE.exec(day);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(t).toISOString().slice(0, 10) !== day) throw new Error(`store: '${day}' is not a YYYY-MM-DD day`);
  return t;
}

/** YYYY-MM-DD of a Unix-ms instant (UTC). */
export function dayOfMs(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** A store rooted at rootFor(source); the module-level functions use the package's build/store. */
export class SwarmStore {
  constructor(readonly rootFor: (source: SwarmSource) => string = paths.store) {}

  /** Path of one day's file. */
  file(source: SwarmSource, satellite: Satellite, day: string): string {
    dayStartMs(day);
    return path.join(this.rootFor(source), satellite, `${day}.arrow`);
  }

  /**
   * Write one satellite-day atomically (temporary file, then rename). Checks the columns: equal lengths,
   * finite Timestamps strictly increasing and inside the day. Timestamps are stored as Arrow timestamp[ms, UTC]
   * (rounded to whole ms: the store's resolution). Returns the file written.
   */
  writeDay(day: SwarmDay, meta: { producer?: string; baselines?: Record<string, string> } = {}): string {
    const target = this.file(day.source, day.satellite, day.day);
    const bytes = encodeDay(day, {
      source: day.source,
      satellite: day.satellite,
      day: day.day,
      producer: meta.producer ?? 'unspecified',
      baselines: meta.baselines ?? {},
      records: day.Timestamp.length,
      formatVersion: STORE_FORMAT_VERSION,
    });
    writeFileAtomic(target, bytes);
    return target;
  }

  /** One satellite-day, or null when the store has no file for it. */
  readDay(source: SwarmSource, satellite: Satellite, day: string): SwarmDay | null {
    const r = this.readDayWithMetadata(source, satellite, day);
    return r && r.day;
  }

  /** One satellite-day with its file metadata, or null when absent. */
  readDayWithMetadata(source: SwarmSource, satellite: Satellite, day: string): { day: SwarmDay; meta: StoreMetadata } | null {
    const f = this.file(source, satellite, day);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(f);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return decodeDay(bytes, f, { source, satellite, day });
  }

  /** Metadata only (reads the file's schema). */
  readMetadata(source: SwarmSource, satellite: Satellite, day: string): StoreMetadata | null {
    const r = this.readDayWithMetadata(source, satellite, day);
    return r && r.meta;
  }

  /** Days present for a satellite, sorted (YYYY-MM-DD). */
  listDays(source: SwarmSource, satellite: Satellite): string[] {
    const dir = path.join(this.rootFor(source), satellite);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((n) => /^\d{4}-\d{2}-\d{2}\.arrow$/.test(n))
      .map((n) => n.slice(0, 10))
      .sort();
  }

  /**
   * The stored days from..to (inclusive, YYYY-MM-DD) in order, one at a time: at most the current day and
   * the next (read ahead while the caller works) are in memory. Days without a file are skipped.
   */
  async *streamDays(source: SwarmSource, satellite: Satellite, from: string, to: string): AsyncGenerator<SwarmDay> {
    dayStartMs(from);
    dayStartMs(to);
    const days = this.listDays(source, satellite).filter((d) => d >= from && d <= to);
    const load = async (d: string): Promise<SwarmDay> => {
      const f = this.file(source, satellite, d);
      return decodeDay(await fs.promises.readFile(f), f, { source, satellite, day: d }).day;
    };
    let next: Promise<SwarmDay> | null = days.length > 0 ? load(days[0]) : null;
    for (let k = 0; k < days.length; k++) {
      const current = await next!;
      next = k + 1 < days.length ? load(days[k + 1]) : null;
      // Keep a failed read-ahead from becoming an unhandled rejection if the caller stops early.
      next?.catch(() => undefined);
      yield current;
    }
  }

  /**
   * Records with fromMs <= Timestamp < toMs, across day files, as one set of columns (for windows around an
   * event). Missing days contribute nothing.
   */
  async queryRange(source: SwarmSource, satellite: Satellite, fromMs: number, toMs: number): Promise<SwarmColumns> {
    if (!(toMs >= fromMs)) throw new RangeError(`queryRange: empty or invalid range [${fromMs}, ${toMs})`);
    const parts: SwarmColumns[] = [];
    const lastDay = dayOfMs(Math.max(fromMs, toMs - 1));
    for await (const d of this.streamDays(source, satellite, dayOfMs(fromMs), lastDay)) {
      const [i0, i1] = timeRangeIndex(d.Timestamp, fromMs, toMs);
      if (i1 > i0) parts.push(sliceColumns(d, i0, i1));
    }
    return concatColumns(parts);
  }

  /** Synchronous variant of queryRange (reads the needed day files directly). */
  queryRangeSync(source: SwarmSource, satellite: Satellite, fromMs: number, toMs: number): SwarmColumns {
    if (!(toMs >= fromMs)) throw new RangeError(`queryRangeSync: empty or invalid range [${fromMs}, ${toMs})`);
    const parts: SwarmColumns[] = [];
    for (let t = dayStartMs(dayOfMs(fromMs)); t < toMs; t += DAY_MS) {
      const d = this.readDay(source, satellite, dayOfMs(t));
      if (!d) continue;
      const [i0, i1] = timeRangeIndex(d.Timestamp, fromMs, toMs);
      if (i1 > i0) parts.push(sliceColumns(d, i0, i1));
    }
    return concatColumns(parts);
  }
}

/** The package's store (build/store/<source>/<sat>/<day>.arrow). */
export const defaultStore = new SwarmStore();

export function writeDay(day: SwarmDay, meta: { producer?: string; baselines?: Record<string, string> } = {}): string {
  return defaultStore.writeDay(day, meta);
}
export function readDay(source: SwarmSource, satellite: Satellite, day: string): SwarmDay | null {
  return defaultStore.readDay(source, satellite, day);
}
export function listDays(source: SwarmSource, satellite: Satellite): string[] {
  return defaultStore.listDays(source, satellite);
}
export function streamDays(source: SwarmSource, satellite: Satellite, from: string, to: string): AsyncGenerator<SwarmDay> {
  return defaultStore.streamDays(source, satellite, from, to);
}
export function queryRange(source: SwarmSource, satellite: Satellite, fromMs: number, toMs: number): Promise<SwarmColumns> {
  return defaultStore.queryRange(source, satellite, fromMs, toMs);
}

/** [i0, i1): indices of the sorted Timestamps with fromMs <= t < toMs (binary search). */
export function timeRangeIndex(ts: Float64Array, fromMs: number, toMs: number): [number, number] {
  const lower = (x: number) => {
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const i0 = lower(fromMs);
  return [i0, Math.max(i0, lower(toMs))];
}

/** Columns i0..i1-1 (views, no copy). */
export function sliceColumns(c: SwarmColumns, i0: number, i1: number): SwarmColumns {
  const out = {} as Record<SwarmColumnName, Float64Array | Uint16Array>;
  for (const name of SWARM_COLUMN_NAMES) out[name] = c[name].subarray(i0, i1);
  return out as unknown as SwarmColumns;
}

/** Concatenate column sets (copies). */
export function concatColumns(parts: SwarmColumns[]): SwarmColumns {
  const n = parts.reduce((s, p) => s + p.Timestamp.length, 0);
  const out = allocColumns(n);
  let off = 0;
  for (const p of parts) {
    for (const name of SWARM_COLUMN_NAMES) (out[name] as Float64Array | Uint16Array).set(p[name] as never, off);
    off += p.Timestamp.length;
  }
  return out;
}

/** Serialise one day to Arrow IPC file bytes (checks the columns first). */
export function encodeDay(day: SwarmColumns, meta: StoreMetadata): Uint8Array {
  const n = day.Timestamp.length;
  const where = `${meta.source}/${meta.satellite}/${meta.day}`;
  for (const name of SWARM_COLUMN_NAMES) {
    const col = day[name];
    if (!col) throw new Error(`store: ${where}: column ${name} is missing`);
    const want = name === 'Flags_B' || name === 'Flags_Ne' ? Uint16Array : Float64Array;
    if (!(col instanceof want)) throw new Error(`store: ${where}: column ${name} must be a ${want.name}`);
    if (col.length !== n) throw new Error(`store: ${where}: column ${name} has ${col.length} values, Timestamp has ${n}`);
  }
  const t0 = dayStartMs(meta.day);
  const ts = new BigInt64Array(n);
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = Math.round(day.Timestamp[i]);
    if (!Number.isFinite(t) || t < t0 || t >= t0 + DAY_MS) {
      throw new Error(`store: ${where}: record ${i}: Timestamp ${day.Timestamp[i]} is not inside ${meta.day} UTC`);
    }
    if (!(t > prev)) throw new Error(`store: ${where}: record ${i}: Timestamps not strictly increasing (${prev} then ${t})`);
    prev = t;
    ts[i] = BigInt(t);
  }
  const fields = SWARM_COLUMN_NAMES.map(
    (name) => new arrow.Field(name, arrowType(name), false, new Map(Object.entries(FIELD_INFO[name]))),
  );
  const schemaMeta = new Map<string, string>([
    ['safenet.source', meta.source],
    ['safenet.satellite', meta.satellite],
    ['safenet.day', meta.day],
    ['safenet.producer', meta.producer],
    ['safenet.baselines', JSON.stringify(meta.baselines)],
    ['safenet.records', String(n)],
    ['safenet.format_version', meta.formatVersion],
  ]);
  const schema = new arrow.Schema(fields, schemaMeta);
  const children: arrow.Data[] = SWARM_COLUMN_NAMES.map((name) => {
    if (name === 'Timestamp') return arrow.makeData({ type: new arrow.TimestampMillisecond('UTC'), length: n, nullCount: 0, data: ts });
    if (name === 'Flags_B' || name === 'Flags_Ne') return arrow.makeData({ type: new arrow.Uint16(), length: n, nullCount: 0, data: day[name] });
    return arrow.makeData({ type: new arrow.Float64(), length: n, nullCount: 0, data: day[name] });
  });
  const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: n, nullCount: 0, children }));
  return arrow.tableToIPC(new arrow.Table([batch]), 'file');
}

/** Parse Arrow IPC file bytes written by encodeDay; `file` names the source in errors. */
export function decodeDay(
  bytes: Uint8Array,
  file: string,
  expect?: { source: SwarmSource; satellite: Satellite; day: string },
): { day: SwarmDay; meta: StoreMetadata } {
  let table: arrow.Table;
  try {
    table = arrow.tableFromIPC(bytes);
  } catch (e) {
    throw new Error(`store: ${file}: not a readable Arrow IPC file (${(e as Error).message})`);
  }
  const m = table.schema.metadata;
  const get = (k: string) => {
    const v = m.get(`safenet.${k}`);
    if (v === undefined) throw new Error(`store: ${file}: metadata 'safenet.${k}' missing`);
    return v;
  };
  const meta: StoreMetadata = {
    source: get('source') as SwarmSource,
    satellite: get('satellite') as Satellite,
    day: get('day'),
    producer: get('producer'),
    baselines: JSON.parse(get('baselines')) as Record<string, string>,
    records: Number(get('records')),
    formatVersion: get('format_version'),
  };
  if (meta.formatVersion !== STORE_FORMAT_VERSION) {
    throw new Error(`store: ${file}: format version ${meta.formatVersion}, this code reads ${STORE_FORMAT_VERSION}`);
  }
  if (expect && (meta.source !== expect.source || meta.satellite !== expect.satellite || meta.day !== expect.day)) {
    throw new Error(`store: ${file}: holds ${meta.source}/${meta.satellite}/${meta.day}, expected ${expect.source}/${expect.satellite}/${expect.day}`);
  }
  const n = table.numRows;
  if (n !== meta.records) throw new Error(`store: ${file}: ${n} rows, metadata says ${meta.records} (truncated?)`);
  const cols = {} as Record<SwarmColumnName, Float64Array | Uint16Array>;
  for (const name of SWARM_COLUMN_NAMES) {
    const v = table.getChild(name);
    if (!v) throw new Error(`store: ${file}: column ${name} missing`);
    if (name === 'Timestamp') {
      cols.Timestamp = timestampColumn(v, n);
    } else {
      const a = v.toArray() as Float64Array | Uint16Array;
      const want = name === 'Flags_B' || name === 'Flags_Ne' ? Uint16Array : Float64Array;
      if (!(a instanceof want)) throw new Error(`store: ${file}: column ${name} is ${v.type}, expected ${want.name}`);
      cols[name] = a;
    }
  }
  return { day: { ...(cols as unknown as SwarmColumns), satellite: meta.satellite, day: meta.day, source: meta.source }, meta };
}

/** Arrow timestamp[ms] (int64) -> Float64Array of Unix ms, reading the int64s as two 32-bit halves (fast). */
function timestampColumn(v: arrow.Vector, n: number): Float64Array {
  const out = new Float64Array(n);
  let off = 0;
  for (const chunk of v.data) {
    const vals = chunk.values as BigInt64Array;
    if (chunk.offset !== 0 || vals.length < chunk.length) {
      for (let i = 0; i < chunk.length; i++) out[off + i] = Number(vals[chunk.offset + i]);
      off += chunk.length;
      continue;
    }
    const w = new Int32Array(vals.buffer as ArrayBuffer, vals.byteOffset, vals.length * 2);
    // little-endian: low word then high word; Unix ms fit in 53 bits
    for (let i = 0; i < chunk.length; i++) out[off + i] = (w[2 * i] >>> 0) + w[2 * i + 1] * 4294967296;
    off += chunk.length;
  }
  return out;
}
