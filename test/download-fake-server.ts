// A local stand-in for the services `make data` talks to (USGS FDSN event, GFZ Kp file, VirES HAPI, ESA
// dissemination server), on 127.0.0.1 with a random port, for test/download*.test.ts. It answers from real
// records shipped in the repo (ComCat rows, the official-format Kp excerpt, the VirES MAG CSV fixture re-timed)
// and injects scripted faults: dropped connections, short bodies, 429/500, HAPI errors, stalls.
// It behaves as the services' own code shows (sources read for issue 17):
// - VirES HAPI (ESA-VirES/VirES-Server vires/hapi/views/{info,data,common}.py, hapi/dataset.py, formats/csv.py,
//   data/product_types.json): /info with HAPI, status, x_dataset, x_datasetType, startDate, stopDate, cadence,
//   x_maxTimeSelection (P5D at 1 s, P2DT12H at 0.5 s), modificationDate and every parameter in the product's order
//   (type, x_type, size, units, description, fill: null); /data checks request parameters (1400/1401), refuses
//   unknown, repeated or out-of-order parameters with 1407 (HTTP 404: "unexpected position of X parameter"),
//   times outside startDate/stopDate with 1405, spans over the limit with 1408 (HTTP 400); CSV lines end CRLF,
//   times are datetime64[ms] printed with `.000Z`, NaN is printed `nan` in any float column.
// - USGS FDSN event service (usgs/earthquake-event-ws FDSNEventWebService.class.php): starttime/endtime read to
//   whole seconds, both included; more than the limit is HTTP 400 "exceeds search limit"; no event in CSV is a
//   200 answer with the header only (204 is for QuakeML/XML).
// - ESA dissemination server: `?do=list` answers {"results": [{name, size, mtime, is_dir}]}; each daily ZIP holds
//   the product's _MDR_*.cdf, its .HDR header and an .EEF report.
import { writeZip } from './zip-writer';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { paths } from '../lib/core/paths';

export type Fault =
  /** chunked body, socket destroyed after this many body bytes */
  | { type: 'drop'; afterBytes: number }
  /** Content-Length of the whole body, only this many bytes sent, then the connection is closed */
  | { type: 'truncate'; sendBytes: number }
  /** no Content-Length, no chunking: body ends when the connection closes, after this many bytes */
  | { type: 'close-early'; sendBytes: number }
  /** a plain error status */
  | { type: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** accept the request and send nothing for this long */
  | { type: 'stall'; ms: number };

export interface FakeOptions {
  /** Most requests the server answers before refusing (keeps a broken test bounded). */
  maxRequests?: number;
  /** FDSN: the search limit, and whether a window above it gets HTTP 400 (real service) or is cut at the limit. */
  catalogLimit?: number;
  catalogOverLimit?: '400' | 'cut';
  /** HAPI: longest span per dataset (ms) before 1408, seconds between records. */
  hapiMaxSpanMs?: Record<string, number>;
  hapiCadenceS?: number;
  /** Compress HAPI answers when the client accepts gzip. */
  gzipHapi?: boolean;
  /** ESA: days for which the listing names files (YYYYMMDD), with versions. */
  esaDays?: { day: string; versions: string[] }[];
  /** HAPI: per dataset, /info's dates and modificationDate (defaults: HAPI_DATASETS). */
  hapiDatasets?: Record<string, Partial<FakeDataset>>;
  /** HAPI: every nanEvery-th record has `nan` in one float parameter (rotating over the requested ones); 0: none. */
  nanEvery?: number;
  /** HAPI: records whose time is repeated (the record is written twice), as Unix ms. */
  repeatTimes?: number[];
}

/** What the fake's /info says of a dataset. */
export interface FakeDataset {
  startDate: string;
  stopDate: string;
  cadence: string;
  maxTimeSelection: string;
  modificationDate: string;
}

/**
 * The two datasets: SW_OPER_MAGA_LR_1B's startDate as VirES gives it (issue 17); the EFI startDate and both
 * stopDates and modificationDates are values for the tests (the live ones move as products are added).
 */
export const HAPI_DATASETS: Record<string, FakeDataset> = {
  SW_OPER_MAGA_LR_1B: { startDate: '2013-11-25T11:02:52Z', stopDate: '2026-11-27T23:59:59Z', cadence: 'PT1S', maxTimeSelection: 'P5D', modificationDate: '2026-11-28T06:12:31.437Z' },
  SW_OPER_EFIA_LP_1B: { startDate: '2013-11-26T00:00:00Z', stopDate: '2026-11-27T23:59:59.500000Z', cadence: 'PT0.5S', maxTimeSelection: 'P2DT12H', modificationDate: '2026-11-28T05:40:02.118Z' },
};

export interface FakeServer {
  base: string;
  /** Every request path+query received, in order. */
  requests: string[];
  /** Faults still to inject: the first whose `match` occurs in a request URL is used once. */
  faults: { match: string; fault: Fault }[];
  /** /info per dataset (mutable: a test may change modificationDate between runs). */
  datasets: Record<string, FakeDataset>;
  /** ESA listing mtime per file name (Unix seconds; default 1609459200); a test may change one between runs. */
  esaMtimes: Map<string, number>;
  close(): Promise<void>;
}

const CATALOG_FILE = path.join(paths.data, 'catalog', 'usgs-comcat-m5.0-2013-2023.csv');
const KP_FILE = path.join(paths.data, 'indices', 'gfz-Kp_ap_Ap_SN_F107-excerpt-2016-01-30_2016-05-07.txt');
const MAG_CSV = path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv');

/** Parameters of each dataset in the product's order (VirES data/product_types.json), time first: name, x_type, size. */
export const HAPI_PARAMS: Record<string, [string, string, number[]?][]> = {
  SW_OPER_MAGA_LR_1B: [
    ['Timestamp', 'CDF_EPOCH'], ['Latitude', 'float64'], ['Longitude', 'float64'], ['Radius', 'float64'], ['F', 'float64'],
    ['dF_Sun', 'float64'], ['dF_AOCS', 'float64'], ['dF_other', 'float64'], ['F_error', 'float64'], ['B_VFM', 'float64', [3]],
    ['B_NEC', 'float64', [3]], ['dB_Sun', 'float64', [3]], ['dB_AOCS', 'float64', [3]], ['dB_other', 'float64', [3]],
    ['B_error', 'float64', [3]], ['q_NEC_CRF', 'float64', [4]], ['Att_error', 'float64'], ['Flags_F', 'uint8'], ['Flags_B', 'uint8'],
    ['Flags_q', 'uint8'], ['Flags_Platform', 'uint16'], ['ASM_Freq_Dev', 'float64'], ['SyncStatus', 'uint16'],
  ],
  SW_OPER_EFIA_LP_1B: [
    ['Timestamp', 'CDF_EPOCH'], ['Latitude', 'float64'], ['Longitude', 'float64'], ['Radius', 'float64'], ['U_orbit', 'float64'],
    ['N_ion', 'float64'], ['dN_ion', 'float64'], ['N_ion_error', 'float64'], ['N_elec', 'float64'], ['N_elec_error', 'float64'],
    ['T_elec', 'float64'], ['dT_elec', 'float64'], ['T_elec_error', 'float64'], ['Vs', 'float64'], ['Vs_error', 'float64'],
    ['Flags_LP', 'uint8'], ['Flags_N_ion', 'uint8'], ['Flags_N_elec', 'uint8'], ['Flags_T_elec', 'uint8'], ['Flags_Vs', 'uint8'],
    ['Gamma1', 'float64'], ['Gamma2', 'float64'], ['Flagbits1', 'int32'], ['Flagbits2', 'int32'], ['SyncStatus', 'uint16'],
  ],
};

/** /info's JSON for a dataset, in the shape and field order of VirES hapi/views/info.py. */
export function hapiInfoJson(dataset: string, d: FakeDataset): string {
  const params = HAPI_PARAMS[dataset].map(([name, xType, size], i) =>
    i === 0
      ? { name, type: 'isotime', length: 24, x_standard: 'UTC', x_epoch: '0000-01-01T00:00:00Z', x_unit: 'ms', x_type: xType, units: null, description: 'Time stamp', fill: null }
      : {
          name,
          type: xType.startsWith('float') ? 'double' : 'integer',
          x_type: xType,
          ...(size ? { size } : {}),
          units: null,
          description: '',
          fill: null,
        },
  );
  const product = dataset.replace(/^SW_OPER_(MAG|EFI)A_/, 'SW_$1x_');
  return JSON.stringify({
    HAPI: '3.0',
    status: { code: 1200, message: 'OK' },
    x_dataset: dataset,
    x_datasetType: product,
    startDate: d.startDate,
    stopDate: d.stopDate,
    cadence: d.cadence,
    x_maxTimeSelection: d.maxTimeSelection,
    modificationDate: d.modificationDate,
    parameters: params,
  });
}

/** The real ComCat rows (header and lines), with their time, magnitude and type parsed for filtering. */
export function catalogRows(): { header: string; rows: { line: string; t: number; mag: number; type: string; id: string }[] } {
  const lines = fs.readFileSync(CATALOG_FILE, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0];
  const rows = lines.slice(1).map((line) => {
    const f = line.split(',');
    // place is quoted and may hold commas: type is the 9th field from the end
    return { line, t: Date.parse(f[0]), mag: Number(f[4]), type: f[f.length - 8], id: f[11] };
  });
  rows.sort((a, b) => a.t - b.t);
  return { header, rows };
}

function magTrack(): { lat: number; lon: number; r: number; b: [number, number, number] }[] {
  const lines = fs.readFileSync(MAG_CSV, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const m = /^A,[^,]+,([^,]+),([^,]+),([^,]+),[^,]+,\{([^;]+);([^;]+);([^}]+)\}$/.exec(l.trim());
    if (!m) throw new Error(`fixture ${MAG_CSV}: unexpected line '${l}'`);
    return { lat: +m[1], lon: +m[2], r: +m[3], b: [+m[4], +m[5], +m[6]] };
  });
}


/** A one-entry ZIP (stored) holding `name` with `data`. */
export function makeZip(name: string, data: Buffer): Buffer {
  return writeZip([{ name: name, data: data, method: 0 }]);
}

/**
 * An ESA daily product ZIP as the dissemination server has it: the product's CDF (<base>_MDR_MAG_LR.cdf or
 * <base>_MDR_EFI_LP.cdf), its XML header <base>.HDR and a report <base>.EEF, deflated.
 */
export function makeEsaZip(zipName: string, cdf: Buffer): Buffer {
  const base = zipName.replace(/\.CDF\.ZIP$/i, '');
  const mdr = /_MAG[ABC]_LR_/.test(base) ? '_MDR_MAG_LR' : /_EFI[ABC]_LP_/.test(base) ? '_MDR_EFI_LP' : '_MDR';
  const hdr = `<?xml version="1.0" encoding="UTF-8"?>\n<Earth_Explorer_Header><Fixed_Header><File_Name>${base}</File_Name></Fixed_Header></Earth_Explorer_Header>\n`;
  const eef = `<?xml version="1.0" encoding="UTF-8"?>\n<Earth_Explorer_File><Earth_Explorer_Header/><Data_Block type="xml"><Report>${base}: processing report</Report></Data_Block></Earth_Explorer_File>\n`;
  return writeZip([
    { name: `${base}${mdr}.cdf`, data: cdf, method: 8 },
    { name: `${base}.HDR`, data: Buffer.from(hdr), method: 8 },
    { name: `${base}.EEF`, data: Buffer.from(eef), method: 8 },
  ]);
}

/** HTTP status of a HAPI status code, as VirES maps them (vires/hapi/views/common.py). */
const HAPI_HTTP: Record<number, number> = { 1400: 400, 1401: 400, 1402: 400, 1403: 400, 1404: 400, 1405: 400, 1406: 404, 1407: 404, 1408: 400, 1409: 400, 1410: 400 };
const HAPI_TEXT: Record<number, string> = {
  1400: 'Bad request - user input error',
  1401: 'Bad request - unknown API parameter name',
  1402: 'Bad request - error in start time',
  1403: 'Bad request - error in stop time',
  1404: 'Bad request - start time equal to or after stop time',
  1405: 'Bad request - time outside valid range',
  1406: 'Bad request - unknown dataset id',
  1407: 'Bad request - unknown dataset parameter',
  1408: 'Bad request - too much time or data requested',
  1409: 'Bad request - unsupported output format',
};

function hapiError(code: number, detail?: string): { status: number; body: string } {
  const message = detail ? `${HAPI_TEXT[code]} - ${detail}` : HAPI_TEXT[code];
  return { status: HAPI_HTTP[code], body: JSON.stringify({ HAPI: '3.0', status: { code, message } }) };
}

/** VirES's check of a `parameters=` list (views/info.py _parse_parameters): null when fine, else the 1407 detail. */
export function viresParameterError(requested: string, order: string[]): string | null {
  if (!requested.trim()) return 'blank parameter list';
  const list = requested.split(',');
  for (const p of list) if (!order.includes(p)) return `invalid parameter ${p}`;
  if (new Set(list).size < list.length) return `duplicate parameter '${list.find((p, i) => list.indexOf(p) !== i)}'`;
  let k = 0;
  for (const name of order) {
    if (name === list[k]) k++;
    if (k === list.length) return null;
  }
  return `unexpected position of ${list[k]} parameter`;
}

export async function startFakeServer(opts: FakeOptions = {}): Promise<FakeServer> {
  const maxRequests = opts.maxRequests ?? 200;
  const cat = catalogRows();
  const track = magTrack();
  const kpText = fs.readFileSync(KP_FILE);
  const cadence = opts.hapiCadenceS ?? 600;
  const requests: string[] = [];
  const faults: { match: string; fault: Fault }[] = [];

  const datasets: Record<string, FakeDataset> = {};
  for (const [k, v] of Object.entries(HAPI_DATASETS)) datasets[k] = { ...v, ...(opts.hapiDatasets?.[k] ?? {}) };
  const esaMtimes = new Map<string, number>();

  function hapiBody(dataset: string, params: string[], start: number, stop: number): string {
    const out: string[] = [];
    const spec = new Map(HAPI_PARAMS[dataset].map(([n, x, size]) => [n, { float: x.startsWith('float'), size: size ? size.reduce((a, b) => a * b, 1) : 1 }]));
    const floats = params.filter((n) => spec.get(n)!.float);
    const repeats = new Set(opts.repeatTimes ?? []);
    let i = Math.ceil(start / 1000 / cadence);
    for (let t = i * cadence * 1000; t < stop; t += cadence * 1000, i++) {
      const p = track[i % track.length];
      // VirES prints datetime64[ms]: always three decimals and Z
      const f: string[] = [new Date(t).toISOString()];
      const nanParam = opts.nanEvery && i % opts.nanEvery === 0 && floats.length ? floats[Math.floor(i / opts.nanEvery) % floats.length] : null;
      for (const name of params) {
        const k = spec.get(name)!.size;
        if (name === nanParam) f.push(Array(k).fill('nan').join(','));
        else if (name === 'Latitude') f.push(String(p.lat));
        else if (name === 'Longitude') f.push(String(p.lon));
        else if (name === 'Radius') f.push(String(p.r));
        else if (name === 'B_NEC') f.push(p.b.map(String).join(','));
        else if (name === 'F') f.push(Math.hypot(...p.b).toFixed(4));
        else if (name === 'N_ion') f.push((150000 + 2500 * Math.sin(i / 7)).toFixed(1));
        else if (name === 'N_elec') f.push((140000 + 2500 * Math.sin(i / 7)).toFixed(1));
        else if (name === 'T_elec') f.push('1850.0');
        else f.push(Array(k).fill(spec.get(name)!.float ? '0.0' : '0').join(',')); // flags: 0 = usable
      }
      out.push(f.join(','));
      if (repeats.has(t)) out.push(f.join(','));
    }
    // HAPI CSV as VirES writes it (Python csv, HapiCsvDialect): lines end with CRLF
    return out.length ? out.join('\r\n') + '\r\n' : '';
  }

  type Answer = { status: number; headers: Record<string, string>; body: Buffer };

  function answer(req: http.IncomingMessage): Answer {
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams;
    const text = (status: number, s: string, type = 'text/plain') => ({ status, headers: { 'content-type': type }, body: Buffer.from(s) });
    if (u.pathname === '/fdsnws/event/1/query') {
      // the service reads times to whole seconds and includes both ends
      const start = Math.floor(Date.parse((q.get('starttime') ?? '') + 'Z') / 1000) * 1000;
      const end = Math.floor(Date.parse((q.get('endtime') ?? '') + 'Z') / 1000) * 1000;
      const minMag = Number(q.get('minmagnitude') ?? '0');
      const type = q.get('eventtype');
      if (!Number.isFinite(start) || !Number.isFinite(end) || q.get('format') !== 'csv' || q.get('orderby') !== 'time-asc')
        return text(400, 'Error 400: Bad Request\n\nBad starttime/endtime/format\n');
      const rows = cat.rows.filter((r) => r.t >= start && r.t <= end && r.mag >= minMag && (!type || r.type === type));
      const limit = opts.catalogLimit ?? 20000;
      if (rows.length > limit && (opts.catalogOverLimit ?? '400') === '400')
        return text(400, `Error 400: Bad Request\n\n${rows.length} matching events exceeds search limit of ${limit}. Modify the search to match fewer events.\n`);
      if (rows.length === 0) return text(200, cat.header + '\n', 'text/csv'); // CSV: header only (204 is for XML)
      return text(200, [cat.header, ...rows.slice(0, limit).map((r) => r.line)].join('\n') + '\n', 'text/csv');
    }
    if (u.pathname === '/kp/Kp_ap_Ap_SN_F107_since_1932.txt') return { status: 200, headers: { 'content-type': 'text/plain' }, body: kpText };
    // the old GFZ host: redirects to the new one
    if (u.pathname.startsWith('/kp-old/')) return { status: 301, headers: { location: u.pathname.replace('/kp-old/', '/kp/') }, body: Buffer.alloc(0) };
    const json = (e: { status: number; body: string }) => text(e.status, e.body, 'application/json');
    const checkAllowed = (allowed: string[], required: string[]) => {
      for (const k of q.keys()) if (!allowed.includes(k)) return json(hapiError(1401, `unexpected request parameter '${k}'`));
      for (const k of required) if (!q.has(k)) return json(hapiError(1400, `missing mandatory request parameter '${k}'`));
      return null;
    };
    if (u.pathname === '/hapi/info') {
      const bad = checkAllowed(['dataset', 'id', 'parameters'], []);
      if (bad) return bad;
      const dataset = q.get('dataset') ?? q.get('id') ?? '';
      if (!HAPI_PARAMS[dataset]) return json(hapiError(1406));
      if (q.has('parameters')) {
        const err = viresParameterError(q.get('parameters')!, HAPI_PARAMS[dataset].map((x) => x[0]));
        if (err) return json(hapiError(1407, err));
      }
      return text(200, hapiInfoJson(dataset, datasets[dataset]), 'application/json');
    }
    if (u.pathname === '/hapi/data') {
      const bad = checkAllowed(['dataset', 'id', 'start', 'time.min', 'stop', 'time.max', 'parameters', 'include', 'format'], ['dataset', 'start', 'stop']);
      if (bad) return bad;
      const dataset = q.get('dataset') ?? '';
      const known = HAPI_PARAMS[dataset];
      if (!known) return json(hapiError(1406));
      const order = known.map((x) => x[0]);
      const err = viresParameterError(q.get('parameters') ?? '', order);
      if (err) return json(hapiError(1407, err));
      const params = (q.get('parameters') ?? '').split(',').filter((p) => p !== order[0]);
      const start = Date.parse(q.get('start') ?? '');
      const stop = Date.parse(q.get('stop') ?? '');
      if (!Number.isFinite(start)) return json(hapiError(1402));
      if (!Number.isFinite(stop)) return json(hapiError(1403));
      if (!(stop > start)) return json(hapiError(1404));
      const d = datasets[dataset];
      if (start < Date.parse(d.startDate) || stop > Date.parse(d.stopDate)) return json(hapiError(1405));
      const max = opts.hapiMaxSpanMs?.[dataset];
      if (max !== undefined && stop - start > max) return json(hapiError(1408));
      if ((q.get('format') ?? 'csv') !== 'csv') return json(hapiError(1409));
      const body = Buffer.from(hapiBody(dataset, params, start, stop));
      if (opts.gzipHapi && /gzip/.test(String(req.headers['accept-encoding'] ?? '')))
        return { status: 200, headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: gzipSync(body) };
      return { status: 200, headers: { 'content-type': 'text/csv' }, body };
    }
    if (u.pathname === '/esa/' && q.get('do') === 'list') {
      const folder = q.get('file') ?? '';
      const product = folder.includes('MAGx_LR') ? 'SW_OPER_MAGA_LR_1B' : folder.includes('EFIx_LP') ? 'SW_OPER_EFIA_LP_1B' : null;
      if (!product) return text(404, '{"error":"no such folder"}', 'application/json');
      const results = (opts.esaDays ?? []).flatMap(({ day, versions }) =>
        versions.map((v) => {
          const name = `${product}_${day}T000000_${day}T235959_${v}.CDF.ZIP`;
          return { name, is_dir: false, size: 1000, mtime: esaMtimes.get(name) ?? 1609459200 };
        }),
      );
      return text(200, JSON.stringify({ results }), 'application/json');
    }
    if (u.pathname === '/esa/' && q.get('do') === 'download') {
      const file = q.get('file') ?? '';
      const name = file.split('/').pop() ?? '';
      const m = /^(SW_OPER_\w+?)_(\d{8})T\d{6}_\d{8}T\d{6}_(\w{4})\.CDF\.ZIP$/.exec(name);
      if (!m) return text(404, 'not found');
      const mtime = esaMtimes.get(name) ?? 1609459200;
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: makeEsaZip(name, Buffer.from(`CDF bytes of ${name} (mtime ${mtime})\n`.repeat(50))) };
    }
    return text(404, 'not found');
  }

  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (requests.length > maxRequests) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end(`fake server: more than ${maxRequests} requests`);
      return;
    }
    const fi = faults.findIndex((f) => (req.url ?? '').includes(f.match));
    const fault = fi >= 0 ? faults.splice(fi, 1)[0].fault : null;
    if (fault?.type === 'status') {
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...(fault.headers ?? {}) });
      res.end(fault.body ?? `status ${fault.status}`);
      return;
    }
    if (fault?.type === 'stall') {
      setTimeout(() => res.socket?.destroy(), fault.ms);
      return;
    }
    const a = answer(req);
    if (!fault) {
      res.writeHead(a.status, { ...a.headers, 'content-length': String(a.body.length) });
      res.end(a.body);
    } else if (fault.type === 'drop') {
      res.writeHead(a.status, a.headers); // chunked
      res.write(a.body.subarray(0, fault.afterBytes), () => setTimeout(() => res.socket?.destroy(), 5));
    } else if (fault.type === 'truncate') {
      res.writeHead(a.status, { ...a.headers, 'content-length': String(a.body.length) });
      res.write(a.body.subarray(0, fault.sendBytes), () => setTimeout(() => res.socket?.end(), 5));
    } else if (fault.type === 'close-early') {
      // HTTP/1.1 body delimited by the connection closing (no length, no chunks): written on the raw socket
      const head = `HTTP/1.1 ${a.status} OK\r\n${Object.entries(a.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}connection: close\r\n\r\n`;
      const sock = res.socket!;
      sock.write(head);
      sock.end(a.body.subarray(0, fault.sendBytes));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    faults,
    datasets,
    esaMtimes,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
