// The Swarm record store: one Arrow IPC file (Feather v2) per source, satellite and UTC day, written
// atomically, read back as typed columns, and streamed day by day for time-range queries. Real readers and
// the simulator write it; dataset building reads it (paper section 2.3: Swarm A 1 Hz B_NEC and Ne).
// Format: Arrow IPC file, one record batch, no compression; Timestamp timestamp[ms, UTC], B/Ne float64 (NaN where
// missing, no validity bitmap), flags uint16, units in field metadata, provenance in schema metadata ('safenet.*').
// Meant for pyarrow.ipc.open_file / pandas.read_feather / DuckDB; pyarrow is not packaged for Debian bookworm, so
// the tests check the files with an independent numpy reader written from the format spec
// (test/fixtures/store/read_arrow_ipc.py) besides apache-arrow's own reader.
import * as crypto from 'crypto';
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
    // the digest is removed first and written last: a digest beside a file always describes that file
    const digest = digestPath(target);
    fs.rmSync(digest, { force: true });
    writeFileAtomic(target, bytes);
    writeDigest(target, sha256Hex(bytes));
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
    verifyRecordedDigest(f, bytes);
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
      const bytes = await fs.promises.readFile(f);
      verifyRecordedDigest(f, bytes);
      return decodeDay(bytes, f, { source, satellite, day: d }).day;
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

// ---------- content digests ----------
// Each day file gets a digest beside it when written (<day>.arrow.digest.json): its sha256 and the file's
// identity (size, inode, modification and change times in ns). Reads check the content against the sha256;
// caches (lib/datasets/cache.ts) key store files by storeFileSha256, which trusts the recorded sha256 only
// while the file's identity is unchanged and hashes the content otherwise, so a file rewritten in place
// (same size, same second) is never taken as unchanged.

interface RecordedDigest {
  sha256: string;
  file: string;
  bytes: number;
  ino: string;
  mtimeNs: string;
  ctimeNs: string;
}

/** Path of the digest recorded beside a store file. */
export function digestPath(file: string): string {
  return `${file}.digest.json`;
}

function sha256Hex(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function identity(file: string): Omit<RecordedDigest, 'sha256' | 'file'> {
  const st = fs.statSync(file, { bigint: true });
  return { bytes: Number(st.size), ino: String(st.ino), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

function writeDigest(file: string, sha256: string): void {
  const d: RecordedDigest = { sha256, file: path.basename(file), ...identity(file) };
  writeFileAtomic(digestPath(file), JSON.stringify(d) + '\n');
}

function readDigest(file: string): RecordedDigest | null {
  let text: string;
  try {
    text = fs.readFileSync(digestPath(file), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const d = JSON.parse(text) as RecordedDigest;
    if (typeof d.sha256 === 'string' && /^[0-9a-f]{64}$/.test(d.sha256)) return d;
  } catch {
    // reported below
  }
  throw new Error(`store: ${digestPath(file)}: not a store digest (expected JSON with a sha256); remove it to have the file hashed again`);
}

/** Refuse bytes read from a store file whose recorded sha256 they do not match. */
function verifyRecordedDigest(file: string, bytes: Uint8Array): void {
  const d = readDigest(file);
  if (!d) return;
  const sha = sha256Hex(bytes);
  if (sha !== d.sha256) {
    throw new Error(`store: ${file}: content sha256 ${sha.slice(0, 16)}... differs from the ${d.sha256.slice(0, 16)}... recorded when it was written (rewritten outside the store, or damaged); write the day again (make data / the simulator)`);
  }
}

const computed = new Map<string, { key: string; sha256: string }>();

/**
 * sha256 of a store file's content: the digest recorded when the file was written while the file's identity
 * (size, inode, mtime and ctime in ns) is still the one recorded, else computed from the bytes (and kept for
 * this process while the identity holds). `recorded` says which.
 */
export function storeFileSha256(file: string): { sha256: string; recorded: boolean } {
  const id = identity(file);
  const d = readDigest(file);
  if (d && d.bytes === id.bytes && d.ino === id.ino && d.mtimeNs === id.mtimeNs && d.ctimeNs === id.ctimeNs) {
    return { sha256: d.sha256, recorded: true };
  }
  const key = JSON.stringify(id);
  const memo = computed.get(file);
  if (memo && memo.key === key) return { sha256: memo.sha256, recorded: false };
  const sha256 = sha256Hex(fs.readFileSync(file));
  computed.set(file, { key, sha256 });
  return { sha256, recorded: false };
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
  checkIpcFileLayout(bytes, file);
  let table: arrow.Table;
  try {
    // read the one record batch by its footer block: apache-arrow's whole-file iterator (tableFromIPC) loops
    // forever on a block whose message is not a record batch (found by test/fuzz-readers.test.ts)
    const reader = arrow.RecordBatchReader.from(bytes).open() as arrow.RecordBatchFileReader;
    if (!reader.isFile() || reader.numRecordBatches !== 1) throw new Error(`${reader.numRecordBatches} record batches, a store file has one`);
    const batch = reader.readRecordBatch(0);
    if (!batch) throw new Error('its record batch block does not hold a record batch message');
    table = new arrow.Table([batch]);
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
    baselines: parseBaselines(get('baselines'), file),
    records: Number(get('records')),
    formatVersion: get('format_version'),
  };
  if (meta.formatVersion !== STORE_FORMAT_VERSION) {
    throw new Error(`store: ${file}: format version ${meta.formatVersion}, this code reads ${STORE_FORMAT_VERSION}`);
  }
  if (expect && (meta.source !== expect.source || meta.satellite !== expect.satellite || meta.day !== expect.day)) {
    throw new Error(`store: ${file}: holds ${meta.source}/${meta.satellite}/${meta.day}, expected ${expect.source}/${expect.satellite}/${expect.day}`);
  }
  try {
    dayStartMs(meta.day);
  } catch {
    throw new Error(`store: ${file}: metadata 'safenet.day' is '${meta.day}', not a YYYY-MM-DD day`);
  }
  const n = table.numRows;
  if (n !== meta.records) throw new Error(`store: ${file}: ${n} rows, metadata says ${meta.records} (truncated?)`);
  const cols = {} as Record<SwarmColumnName, Float64Array | Uint16Array>;
  for (const name of SWARM_COLUMN_NAMES) {
    const v = table.getChild(name);
    if (!v) throw new Error(`store: ${file}: column ${name} missing`);
    if (name === 'Timestamp') {
      if (!(v.type instanceof arrow.TimestampMillisecond || (v.type instanceof arrow.Timestamp && v.type.unit === arrow.TimeUnit.MILLISECOND))) {
        throw new Error(`store: ${file}: column Timestamp is ${v.type}, expected timestamp[ms]`);
      }
      cols.Timestamp = timestampColumn(v, n, file);
    } else {
      const a = v.toArray() as Float64Array | Uint16Array;
      const want = name === 'Flags_B' || name === 'Flags_Ne' ? Uint16Array : Float64Array;
      if (!(a instanceof want)) throw new Error(`store: ${file}: column ${name} is ${v.type}, expected ${want.name}`);
      if (a.length !== n) throw new Error(`store: ${file}: column ${name} holds ${a.length} values for ${n} rows`);
      cols[name] = a;
    }
  }
  // what encodeDay guarantees, checked again on read: Timestamps strictly increasing inside the day
  const t0 = dayStartMs(meta.day);
  const ts = cols.Timestamp as Float64Array;
  for (let i = 0; i < n; i++) {
    if (!(ts[i] >= t0 && ts[i] < t0 + DAY_MS) || (i > 0 && !(ts[i] > ts[i - 1]))) {
      throw new Error(`store: ${file}: record ${i}: Timestamp ${ts[i]} is not inside ${meta.day} UTC or not after the previous one`);
    }
  }
  return { day: { ...(cols as unknown as SwarmColumns), satellite: meta.satellite, day: meta.day, source: meta.source }, meta };
}

function parseBaselines(text: string, file: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // reported below
  }
  throw new Error(`store: ${file}: metadata 'safenet.baselines' is not a JSON object: '${text.slice(0, 80)}'`);
}

/**
 * Bounds-checked reading of one FlatBuffers region (the Arrow footer, or one message's metadata): every table,
 * vtable, string and vector must lie inside [lo, hi). apache-arrow reads FlatBuffers without such checks, so a
 * damaged vector length made it loop for minutes (found by test/fuzz-readers.test.ts).
 */
class FbRegion {
  constructor(
    private readonly dv: DataView,
    private readonly lo: number,
    private readonly hi: number,
    private readonly bad: (what: string) => never,
  ) {}
  private inside(p: number, len: number): boolean {
    return Number.isSafeInteger(p) && len >= 0 && p >= this.lo && p + len <= this.hi;
  }
  u32(p: number, what: string): number {
    if (!this.inside(p, 4)) this.bad(`${what} lies outside its FlatBuffers region`);
    return this.dv.getUint32(p, true);
  }
  /** A table at p: returns its position after checking its vtable. */
  table(p: number, what: string): { pos: number; vt: number; vtLen: number; objLen: number } {
    if (!this.inside(p, 4)) this.bad(`${what} table lies outside its region`);
    const vt = p - this.dv.getInt32(p, true);
    if (!this.inside(vt, 4)) this.bad(`${what} vtable lies outside its region`);
    const vtLen = this.dv.getUint16(vt, true);
    const objLen = this.dv.getUint16(vt + 2, true);
    if (vtLen < 4 || !this.inside(vt, vtLen) || !this.inside(p, objLen)) this.bad(`${what} vtable or table size out of bounds`);
    return { pos: p, vt, vtLen, objLen };
  }
  /** Absolute position of field id of a table, or 0 when absent. */
  field(t: { pos: number; vt: number; vtLen: number; objLen: number }, id: number, size: number, what: string): number {
    if (4 + 2 * id + 2 > t.vtLen) return 0;
    const fo = this.dv.getUint16(t.vt + 4 + 2 * id, true);
    if (fo === 0) return 0;
    if (fo + size > t.objLen) this.bad(`${what} lies outside its table`);
    return t.pos + fo;
  }
  /** Target of an offset field (uoffset). */
  ref(p: number, what: string): number {
    return p + this.u32(p, what);
  }
  /** A vector field: element count and first element, all elements inside the region. */
  vector(t: { pos: number; vt: number; vtLen: number; objLen: number }, id: number, elemSize: number, what: string): { count: number; at: number } {
    const f = this.field(t, id, 4, what);
    if (!f) return { count: 0, at: 0 };
    const v = this.ref(f, what);
    const count = this.u32(v, what);
    if (!this.inside(v + 4, count * elemSize)) this.bad(`${what}: ${count} elements do not fit the region`);
    return { count, at: v + 4 };
  }
  /** A vector of tables: the tables' positions, each checked. */
  tables(t: { pos: number; vt: number; vtLen: number; objLen: number }, id: number, what: string): { pos: number; vt: number; vtLen: number; objLen: number }[] {
    const v = this.vector(t, id, 4, what);
    const out = [];
    for (let i = 0; i < v.count; i++) out.push(this.table(this.ref(v.at + 4 * i, what), `${what}[${i}]`));
    return out;
  }
  string(t: { pos: number; vt: number; vtLen: number; objLen: number }, id: number, what: string): void {
    this.vector(t, id, 1, what);
  }
  i64(p: number): number {
    return Number(this.dv.getBigInt64(p, true));
  }
}

/**
 * Check the Arrow IPC file before apache-arrow reads it: magic at both ends, the footer inside the file, its
 * schema's fields and metadata bounded, no dictionary batches and exactly one record batch (what encodeDay
 * writes) whose message is a RecordBatch with bounded nodes and buffers that lie inside its body.
 */
function checkIpcFileLayout(bytes: Uint8Array, file: string): void {
  const n = bytes.length;
  const bad = (what: string): never => {
    throw new Error(`store: ${file}: not a readable Arrow IPC file (${what})`);
  };
  const magic = (at: number) => at >= 0 && at + 6 <= n && Buffer.from(bytes.buffer, bytes.byteOffset + at, 6).toString('latin1') === 'ARROW1';
  if (n < 8 + 10 || !magic(0) || !magic(n - 6)) bad('no ARROW1 magic at both ends');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  const footerLen = dv.getInt32(n - 10, true);
  const footer = n - 10 - footerLen;
  if (!(footerLen > 0) || footer < 8) bad(`footer length ${footerLen} does not fit the file's ${n} bytes`);
  const fb = new FbRegion(dv, footer, n - 10, (w) => bad(`footer: ${w}`));
  const root = fb.table(fb.ref(footer, 'footer root'), 'Footer');
  const schemaAt = fb.field(root, 1, 4, 'Footer.schema');
  if (!schemaAt) bad('footer has no schema');
  const keyValues = (r: FbRegion, t: ReturnType<FbRegion['table']>, id: number, what: string) => {
    for (const kv of r.tables(t, id, what)) {
      r.string(kv, 0, `${what} key`);
      r.string(kv, 1, `${what} value`);
    }
  };
  const fieldTable = (f: ReturnType<FbRegion['table']>, depth: number, what: string): void => {
    if (depth > 8) bad(`${what}: fields nested deeper than 8`);
    fb.string(f, 0, `${what}.name`);
    const typeAt = fb.field(f, 3, 4, `${what}.type`);
    if (typeAt) fb.table(fb.ref(typeAt, `${what}.type`), `${what}.type`);
    const dictAt = fb.field(f, 4, 4, `${what}.dictionary`);
    if (dictAt) bad(`${what}: dictionary-encoded field in a store file`);
    fb.tables(f, 5, `${what}.children`).forEach((c, i) => fieldTable(c, depth + 1, `${what}.children[${i}]`));
    keyValues(fb, f, 6, `${what}.custom_metadata`);
  };
  const schema = fb.table(fb.ref(schemaAt, 'Footer.schema'), 'Schema');
  fb.tables(schema, 1, 'Schema.fields').forEach((f, i) => fieldTable(f, 0, `Schema.fields[${i}]`));
  keyValues(fb, schema, 2, 'Schema.custom_metadata');
  fb.vector(schema, 3, 8, 'Schema.features');
  keyValues(fb, root, 4, 'Footer.custom_metadata');
  if (fb.vector(root, 2, 24, 'dictionary batches').count !== 0) bad('dictionary batches in a store file');
  const rb = fb.vector(root, 3, 24, 'record batches');
  if (rb.count !== 1) bad(`${rb.count} record batches, a store file has one`);
  const offset = fb.i64(rb.at);
  const metaLen = dv.getInt32(rb.at + 8, true);
  const bodyLen = fb.i64(rb.at + 16);
  if (!(offset >= 8 && metaLen >= 8 && bodyLen >= 0 && offset + metaLen + bodyLen <= footer)) {
    bad(`record batch block (offset ${offset}, metadata ${metaLen} bytes, body ${bodyLen} bytes) lies outside the data before the footer (byte ${footer})`);
  }
  // the message: continuation marker, metadata length, Message table with a RecordBatch header
  if (dv.getInt32(offset, true) !== -1 || dv.getInt32(offset + 4, true) > metaLen - 8 || dv.getInt32(offset + 4, true) <= 0) {
    bad(`record batch message at byte ${offset}: no continuation marker or a bad metadata length`);
  }
  const mfb = new FbRegion(dv, offset + 8, offset + 8 + dv.getInt32(offset + 4, true), (w) => bad(`record batch message at byte ${offset}: ${w}`));
  const msg = mfb.table(mfb.ref(offset + 8, 'Message root'), 'Message');
  const typeAt = mfb.field(msg, 1, 1, 'Message.header_type');
  if (!typeAt || dv.getUint8(typeAt) !== 3) bad(`record batch block at byte ${offset} does not hold a RecordBatch message`);
  const bodyAt = mfb.field(msg, 3, 8, 'Message.bodyLength');
  if (!bodyAt || mfb.i64(bodyAt) !== bodyLen) bad(`record batch message body length differs from its footer block (${bodyLen} bytes)`);
  keyValues(mfb, msg, 4, 'Message.custom_metadata');
  const headerAt = mfb.field(msg, 2, 4, 'Message.header');
  if (!headerAt) bad('record batch message without a header');
  const batch = mfb.table(mfb.ref(headerAt, 'RecordBatch'), 'RecordBatch');
  mfb.vector(batch, 1, 16, 'RecordBatch.nodes');
  const buffers = mfb.vector(batch, 2, 16, 'RecordBatch.buffers');
  for (let i = 0; i < buffers.count; i++) {
    const o = mfb.i64(buffers.at + 16 * i);
    const len = mfb.i64(buffers.at + 16 * i + 8);
    if (!(o >= 0 && len >= 0 && o + len <= bodyLen)) bad(`record batch buffer ${i} (offset ${o}, ${len} bytes) lies outside the ${bodyLen}-byte body`);
  }
  if (mfb.field(batch, 3, 4, 'RecordBatch.compression')) bad('compressed record batch in a store file');
  mfb.vector(batch, 4, 8, 'RecordBatch.variadicBufferCounts');
}

/** Arrow timestamp[ms] (int64) -> Float64Array of Unix ms, reading the int64s as two 32-bit halves (fast). */
function timestampColumn(v: arrow.Vector, n: number, file: string): Float64Array {
  const out = new Float64Array(n);
  let off = 0;
  for (const chunk of v.data) {
    const vals = chunk.values as BigInt64Array;
    if (!(vals instanceof BigInt64Array) || vals.length < chunk.offset + chunk.length || off + chunk.length > n) {
      throw new Error(`store: ${file}: column Timestamp holds fewer values than its ${chunk.length} rows`);
    }
    if (chunk.offset !== 0 || vals.byteOffset % 4 !== 0) {
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
