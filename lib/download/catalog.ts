// The catalog that `make data` fetched (paper section 2.1: USGS ComCat, M>=4.8, 2014-2020) as one ComCat table:
// the FDSN windows of the download lock read in time order and joined, each event kept once by its id. Windows
// meet at whole seconds and the service includes both ends (endtime = the next window's start, because it reads
// times to whole seconds: usgs/earthquake-event-ws), so an event at a window edge comes in both answers.
// An empty window is a 200 CSV with only the header (204 is for QuakeML/XML), or an empty body from an older run.
import * as fs from 'fs';
import { Catalog, parseComcat, subsetCatalog } from '../catalog/comcat';
import { listDownloaded } from './run';

export interface DownloadedCatalog {
  catalog: Catalog;
  /** Window files read, in time order (relative to the download folder). */
  files: string[];
  /** Rows read over all windows. */
  rows: number;
  /** Rows dropped because an earlier window already had their event id. */
  duplicates: number;
}

/** Join ComCat CSV texts (in time order): events sorted by time, each id once (the first row of an id is kept). */
export function joinCatalogTexts(texts: { file: string; text: string }[]): Omit<DownloadedCatalog, 'files'> {
  const parts: Catalog[] = [];
  for (const { file, text } of texts) {
    if (text.trim() === '') continue; // an empty 204 body
    parts.push(parseComcat(text, file).catalog);
  }
  const all: Catalog = {
    id: parts.flatMap((p) => p.id),
    time: Float64Array.from(parts.flatMap((p) => Array.from(p.time))),
    latitude: Float64Array.from(parts.flatMap((p) => Array.from(p.latitude))),
    longitude: Float64Array.from(parts.flatMap((p) => Array.from(p.longitude))),
    depth: Float64Array.from(parts.flatMap((p) => Array.from(p.depth))),
    mag: Float64Array.from(parts.flatMap((p) => Array.from(p.mag))),
    magType: parts.flatMap((p) => p.magType),
    type: parts.flatMap((p) => p.type),
    place: parts.flatMap((p) => p.place),
  };
  const seen = new Set<string>();
  const keep: number[] = [];
  for (let i = 0; i < all.id.length; i++) {
    if (seen.has(all.id[i])) continue;
    seen.add(all.id[i]);
    keep.push(i);
  }
  keep.sort((a, b) => all.time[a] - all.time[b] || a - b);
  return { catalog: subsetCatalog(all, keep), rows: all.id.length, duplicates: all.id.length - keep.length };
}

/** The downloaded catalog windows (download lock) as one catalog; optional from/to (Unix ms) select windows. */
export function readDownloadedCatalog(opts: { outDir?: string; lockFile?: string; from?: number; to?: number } = {}): DownloadedCatalog {
  const files = listDownloaded('catalog', opts);
  const r = joinCatalogTexts(files.map((f) => ({ file: f.path, text: fs.readFileSync(f.path, 'utf8') })));
  return { ...r, files: files.map((f) => f.file) };
}
