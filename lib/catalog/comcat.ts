// Reader for USGS ComCat CSV catalogs (the FDSN event service's `format=csv`): typed columns for the
// earthquake catalog the paper selects its seismic events from (paper section 2.1: M>=4.8, 2014-2020).
import * as fs from 'fs';
import Papa from 'papaparse';
import { paths } from '../core/paths';
import { InputFormatError, parseIsoUtc, parseNumber } from '../data/errors';

/** A ComCat catalog as typed columns, one entry per event, in file order. */
export interface Catalog {
  id: string[];
  /** Origin time, Unix ms (UTC). */
  time: Float64Array;
  /** Degrees. */
  latitude: Float64Array;
  longitude: Float64Array;
  /** km below sea level; NaN where ComCat gives none (counted in ComcatReadInfo.missingDepth). */
  depth: Float64Array;
  mag: Float64Array;
  magType: string[];
  /** ComCat event type: 'earthquake', 'explosion', 'volcanic eruption', ... */
  type: string[];
  /** Region description; '' where ComCat gives none. */
  place: string[];
}

/** The columns a ComCat CSV must have (ComCat writes 22; the others are ignored). */
export const COMCAT_REQUIRED_COLUMNS = ['time', 'latitude', 'longitude', 'depth', 'mag', 'magType', 'id', 'type', 'place'] as const;

export interface ComcatReadInfo {
  file: string;
  rows: number;
  /** Rows whose depth was empty (stored as NaN). */
  missingDepth: number;
}

/** Read a ComCat CSV (default: the shipped M>=5.0 2013-2023 catalog). Throws InputFormatError on bad input. */
export function readComcat(file: string = paths.catalogM50): Catalog {
  return readComcatWithInfo(file).catalog;
}

/** As readComcat, with counts of what was read. */
export function readComcatWithInfo(file: string = paths.catalogM50): { catalog: Catalog; info: ComcatReadInfo } {
  const text = fs.readFileSync(file, 'utf8');
  return parseComcat(text, file);
}

/** Parse ComCat CSV text; `file` names the source in error messages. */
export function parseComcat(text: string, file: string): { catalog: Catalog; info: ComcatReadInfo } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false, delimiter: ',' });
  const rows = parsed.data;
  // Line number of each record: records may hold quoted newlines (ComCat's `place`), so count them.
  const lineOf = new Int32Array(rows.length + 1);
  let line = 1;
  for (let r = 0; r < rows.length; r++) {
    lineOf[r] = line;
    let extra = 0;
    for (const f of rows[r]) for (let k = f.indexOf('\n'); k >= 0; k = f.indexOf('\n', k + 1)) extra++;
    line += 1 + extra;
  }
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new InputFormatError({ file, line: e.row !== undefined ? lineOf[e.row] : undefined }, `CSV syntax: ${e.message}`);
  }
  if (rows.length === 0 || (rows.length === 1 && rows[0].length <= 1 && rows[0][0] === '')) {
    throw new InputFormatError({ file, line: 1 }, 'empty file: expected a ComCat CSV header');
  }
  const header = rows[0].map((h) => h.trim());
  const col: Record<string, number> = {};
  for (const name of COMCAT_REQUIRED_COLUMNS) {
    const k = header.indexOf(name);
    if (k < 0) {
      throw new InputFormatError({ file, line: 1, column: name }, `missing column (header has: ${header.join(',')})`);
    }
    col[name] = k;
  }
  // Data rows: drop trailing empty lines only.
  let last = rows.length - 1;
  while (last >= 1 && rows[last].length === 1 && rows[last][0].trim() === '') last--;
  const n = last;
  const cat: Catalog = {
    id: new Array<string>(n),
    time: new Float64Array(n),
    latitude: new Float64Array(n),
    longitude: new Float64Array(n),
    depth: new Float64Array(n),
    mag: new Float64Array(n),
    magType: new Array<string>(n),
    type: new Array<string>(n),
    place: new Array<string>(n),
  };
  let missingDepth = 0;
  for (let r = 1; r <= last; r++) {
    const row = rows[r];
    const ln = lineOf[r];
    if (row.length !== header.length) {
      throw new InputFormatError({ file, line: ln }, `row has ${row.length} fields, header has ${header.length}`);
    }
    const i = r - 1;
    const num = (name: string, lo: number, hi: number): number => {
      const v = parseNumber(row[col[name]]);
      if (v === null) throw new InputFormatError({ file, line: ln, column: name }, `not a number: '${row[col[name]]}'`);
      if (v < lo || v > hi) throw new InputFormatError({ file, line: ln, column: name }, `${v} outside [${lo}, ${hi}]`);
      return v;
    };
    const t = parseIsoUtc(row[col.time]);
    if (t === null) throw new InputFormatError({ file, line: ln, column: 'time' }, `not an ISO 8601 UTC time: '${row[col.time]}'`);
    cat.time[i] = t;
    cat.latitude[i] = num('latitude', -90, 90);
    cat.longitude[i] = num('longitude', -180, 180);
    if (row[col.depth].trim() === '') {
      cat.depth[i] = NaN;
      missingDepth++;
    } else {
      cat.depth[i] = num('depth', -10, 1000);
    }
    cat.mag[i] = num('mag', -2, 10);
    const id = row[col.id].trim();
    if (id === '') throw new InputFormatError({ file, line: ln, column: 'id' }, 'empty event id');
    cat.id[i] = id;
    cat.magType[i] = row[col.magType].trim();
    cat.type[i] = row[col.type].trim();
    if (cat.type[i] === '') throw new InputFormatError({ file, line: ln, column: 'type' }, 'empty event type');
    cat.place[i] = row[col.place];
  }
  return { catalog: cat, info: { file, rows: n, missingDepth } };
}

/** Number of events in a catalog. */
export function catalogSize(cat: Catalog): number {
  return cat.time.length;
}

/** A new catalog holding the events at `index` (in that order). */
export function subsetCatalog(cat: Catalog, index: ArrayLike<number>): Catalog {
  const n = index.length;
  const pickF = (a: Float64Array) => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = a[index[k]];
    return out;
  };
  const pickS = (a: string[]) => Array.from({ length: n }, (_, k) => a[index[k]]);
  return {
    id: pickS(cat.id),
    time: pickF(cat.time),
    latitude: pickF(cat.latitude),
    longitude: pickF(cat.longitude),
    depth: pickF(cat.depth),
    mag: pickF(cat.mag),
    magType: pickS(cat.magType),
    type: pickS(cat.type),
    place: pickS(cat.place),
  };
}

/** Indices of the events that satisfy `keep`, in file order. */
export function whereCatalog(cat: Catalog, keep: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < cat.time.length; i++) if (keep(i)) out.push(i);
  return out;
}

/** Index of the event with this ComCat id, or -1. */
export function findEvent(cat: Catalog, id: string): number {
  return cat.id.indexOf(id);
}
