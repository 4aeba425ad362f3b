// A local stand-in for the services `make data` talks to (USGS FDSN event, GFZ Kp file, VirES HAPI, ESA
// dissemination server), on 127.0.0.1 with a random port, for test/download*.test.ts. It answers from real
// records shipped in the repo (ComCat rows, the official-format Kp excerpt, the VirES MAG CSV fixture re-timed)
// and injects scripted faults: dropped connections, short bodies, 429/500, HAPI errors, stalls.
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
}

export interface FakeServer {
  base: string;
  /** Every request path+query received, in order. */
  requests: string[];
  /** Faults still to inject: the first whose `match` occurs in a request URL is used once. */
  faults: { match: string; fault: Fault }[];
  close(): Promise<void>;
}

const CATALOG_FILE = path.join(paths.data, 'catalog', 'usgs-comcat-m5.0-2013-2023.csv');
const KP_FILE = path.join(paths.data, 'indices', 'gfz-Kp_ap_Ap_SN_F107-excerpt-2016-01-30_2016-05-07.txt');
const MAG_CSV = path.join(paths.fixtures, 'swarm', 'vires-maga-lr-1b-2016-01-01-pt10s.csv');

export const HAPI_PARAMS: Record<string, string[]> = {
  SW_OPER_MAGA_LR_1B: ['Latitude', 'Longitude', 'Radius', 'B_NEC', 'Flags_B', 'F'],
  SW_OPER_EFIA_LP_1B: ['Latitude', 'Longitude', 'Radius', 'N_ion', 'Flags_N_ion', 'T_elec'],
};

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


/** A one-entry ZIP (stored) holding `name` with `data`: the shape of ESA's *.CDF.ZIP products. */
export function makeZip(name: string, data: Buffer): Buffer {
  return writeZip([{ name: name, data: data, method: 0 }]);
}

function hapiError(code: number, message: string): string {
  return JSON.stringify({ HAPI: '3.0', status: { code, message } });
}

export async function startFakeServer(opts: FakeOptions = {}): Promise<FakeServer> {
  const maxRequests = opts.maxRequests ?? 200;
  const cat = catalogRows();
  const track = magTrack();
  const kpText = fs.readFileSync(KP_FILE);
  const cadence = opts.hapiCadenceS ?? 600;
  const requests: string[] = [];
  const faults: { match: string; fault: Fault }[] = [];

  function hapiBody(dataset: string, params: string[], start: number, stop: number): string {
    const out: string[] = [];
    let i = Math.ceil(start / 1000 / cadence);
    for (let t = i * cadence * 1000; t < stop; t += cadence * 1000, i++) {
      const p = track[i % track.length];
      const f: string[] = [new Date(t).toISOString().replace('.000Z', 'Z')];
      for (const name of params) {
        if (name === 'Latitude') f.push(String(p.lat));
        else if (name === 'Longitude') f.push(String(p.lon));
        else if (name === 'Radius') f.push(String(p.r));
        else if (name === 'B_NEC') f.push(p.b.map(String).join(','));
        else if (name === 'F') f.push(Math.hypot(...p.b).toFixed(4));
        else if (name === 'N_ion') f.push((150000 + 2500 * Math.sin(i / 7)).toFixed(1));
        else if (name === 'T_elec') f.push('1850.0');
        else f.push('0'); // flags: 0 = usable
      }
      out.push(f.join(','));
    }
    void dataset;
    return out.length ? out.join('\n') + '\n' : '';
  }

  type Answer = { status: number; headers: Record<string, string>; body: Buffer };

  function answer(req: http.IncomingMessage): Answer {
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams;
    const text = (status: number, s: string, type = 'text/plain') => ({ status, headers: { 'content-type': type }, body: Buffer.from(s) });
    if (u.pathname === '/fdsnws/event/1/query') {
      const start = Date.parse((q.get('starttime') ?? '') + 'Z');
      const end = Date.parse((q.get('endtime') ?? '') + 'Z');
      const minMag = Number(q.get('minmagnitude') ?? '0');
      const type = q.get('eventtype');
      if (!Number.isFinite(start) || !Number.isFinite(end) || q.get('format') !== 'csv' || q.get('orderby') !== 'time-asc')
        return text(400, 'Error 400: Bad Request\n\nBad starttime/endtime/format\n');
      const rows = cat.rows.filter((r) => r.t >= start && r.t <= end && r.mag >= minMag && (!type || r.type === type));
      const limit = opts.catalogLimit ?? 20000;
      if (rows.length > limit && (opts.catalogOverLimit ?? '400') === '400')
        return text(400, `Error 400: Bad Request\n\n${rows.length} matching events exceeds search limit of ${limit}. Modify the search to match fewer events.\n`);
      if (rows.length === 0) return { status: 204, headers: {}, body: Buffer.alloc(0) };
      return text(200, [cat.header, ...rows.slice(0, limit).map((r) => r.line)].join('\n') + '\n', 'text/csv');
    }
    if (u.pathname === '/kp/Kp_ap_Ap_SN_F107_since_1932.txt') return { status: 200, headers: { 'content-type': 'text/plain' }, body: kpText };
    if (u.pathname === '/hapi/data') {
      const dataset = q.get('dataset') ?? '';
      const known = HAPI_PARAMS[dataset];
      if (!known) return text(404, hapiError(1406, 'Bad request - unknown dataset id'), 'application/json');
      const params = (q.get('parameters') ?? '').split(',');
      const bad = params.filter((p) => !known.includes(p));
      if (bad.length) return text(404, hapiError(1407, `Bad request - unknown dataset parameter ${bad.join(',')}`), 'application/json');
      const start = Date.parse(q.get('start') ?? '');
      const stop = Date.parse(q.get('stop') ?? '');
      if (!(stop > start)) return text(400, hapiError(1404, 'Bad request - start time equal to or after stop time'), 'application/json');
      const max = opts.hapiMaxSpanMs?.[dataset];
      if (max !== undefined && stop - start > max)
        return text(400, hapiError(1408, 'Bad request - too much time or data requested'), 'application/json');
      const body = Buffer.from(hapiBody(dataset, params, start, stop));
      if (opts.gzipHapi && /gzip/.test(String(req.headers['accept-encoding'] ?? '')))
        return { status: 200, headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: gzipSync(body) };
      return { status: 200, headers: { 'content-type': 'text/csv' }, body };
    }
    if (u.pathname === '/esa/' && q.get('do') === 'list') {
      const folder = q.get('file') ?? '';
      const product = folder.includes('MAGx_LR') ? 'SW_OPER_MAGA_LR_1B' : folder.includes('EFIx_LP') ? 'SW_OPER_EFIA_LP_1B' : null;
      if (!product) return text(404, '{"error":"no such folder"}', 'application/json');
      const files = (opts.esaDays ?? []).flatMap(({ day, versions }) =>
        versions.map((v) => ({ name: `${product}_${day}T000000_${day}T235959_${v}.CDF.ZIP`, size: 1000, date: '2021-01-01 00:00:00' })),
      );
      return text(200, JSON.stringify({ path: folder, files }), 'application/json');
    }
    if (u.pathname === '/esa/' && q.get('do') === 'download') {
      const file = q.get('file') ?? '';
      const name = file.split('/').pop() ?? '';
      const m = /^(SW_OPER_\w+?)_(\d{8})T\d{6}_\d{8}T\d{6}_(\w{4})\.CDF\.ZIP$/.exec(name);
      if (!m) return text(404, 'not found');
      const inner = name.replace(/\.CDF\.ZIP$/, '_MDR.cdf');
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: makeZip(inner, Buffer.from(`CDF bytes of ${inner}\n`.repeat(50))) };
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
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
