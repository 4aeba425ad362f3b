// One HTTP(S) GET streamed to a temporary file, checked, then renamed (atomic download for `make data`, inputs
// of paper sections 2.1-2.3). Node's http/https with an idle timeout, redirects, gzip; errors are classified so
// the caller can retry (transfer faults, 429, 5xx), split (too much data) or stop (bad request).
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { Transform, TransformCallback } from 'stream';
import { pipeline } from 'stream/promises';
import { createGunzip, gunzipSync } from 'zlib';
import { withAtomicPath } from '../core/atomic';
import { BodyInspector, BodySummary } from './validate';

/** The server answered with a status other than 2xx (body kept, up to 64 KiB, for HAPI/FDSN error codes). */
export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`HTTP ${status} from ${url}${body ? `: ${body.trim().slice(0, 300)}` : ''}`);
    this.name = 'HttpError';
  }
}

/** The transfer failed part-way (connection reset or closed early, idle timeout, body shorter than announced). */
export class TransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferError';
  }
}

export interface FetchOptions {
  /** Give up when the connection is idle this long (connect, headers or body), ms. */
  timeoutMs: number;
  maxRedirects?: number;
  userAgent?: string;
}

export interface FetchResult<T> {
  status: number;
  /** URL after redirects. */
  finalUrl: string;
  /** Announced Content-Length (bytes on the wire), when given. */
  contentLength: number | null;
  /** Bytes on the wire (compressed when the server used gzip). */
  wireBytes: number;
  /** What was written to disk. */
  summary: BodySummary;
  /** The check's result. */
  checked: T;
}

/** Retry-After: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | null {
  if (v === undefined) return null;
  const s = (Array.isArray(v) ? v[0] : v).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(parseFloat(s) * 1000);
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : null;
}

function get(url: string, opts: FetchOptions): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new Error(`not a URL: '${url}'`));
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      reject(new Error(`unsupported protocol in '${url}'`));
      return;
    }
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(
      u,
      {
        headers: { 'user-agent': opts.userAgent ?? 'safenet-repro-data/0.1 (node)', 'accept-encoding': 'gzip' },
        timeout: opts.timeoutMs,
        agent: false,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new TransferError(`no data from ${url} for ${opts.timeoutMs} ms`)));
    req.on('error', (e) => reject(e instanceof TransferError ? e : new TransferError(`${url}: ${(e as Error).message}`)));
  });
}

async function readSmall(res: http.IncomingMessage, max = 65536): Promise<string> {
  const bufs: Buffer[] = [];
  let n = 0;
  try {
    for await (const b of res as AsyncIterable<Buffer>) {
      if (n < max) bufs.push(b.subarray(0, max - n));
      n += b.length;
    }
  } catch {
    /* an error body cut short is still informative */
  }
  const raw = Buffer.concat(bufs);
  const gz = /gzip/i.test(String(res.headers['content-encoding'] ?? ''));
  if (gz) {
    try {
      return gunzipSync(raw).toString('utf8');
    } catch {
      return raw.toString('utf8');
    }
  }
  return raw.toString('utf8');
}

class Counter extends Transform {
  n = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.n += chunk.length;
    cb(null, chunk);
  }
}

/**
 * GET with redirects followed (at most opts.maxRedirects, default 5); a non-2xx final answer throws HttpError with
 * its body and Retry-After. Returns the open 2xx response, the URL that gave it and its status.
 */
async function getOk(url: string, opts: FetchOptions): Promise<{ res: http.IncomingMessage; finalUrl: string; status: number }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await get(current, opts);
    const st = res.statusCode ?? 0;
    if (st >= 300 && st < 400 && res.headers.location) {
      res.resume();
      if (hop >= (opts.maxRedirects ?? 5)) throw new HttpError(current, st, `more than ${opts.maxRedirects ?? 5} redirects`, null);
      current = new URL(res.headers.location, current).toString();
      continue;
    }
    if (st < 200 || st >= 300) throw new HttpError(current, st, await readSmall(res), parseRetryAfter(res.headers['retry-after']));
    return { res, finalUrl: current, status: st };
  }
}

/**
 * GET url into target: the body streams to a temporary file beside target; `check` sees what was written (and
 * may read the temporary file) and throws to refuse it; only then is the file renamed to target. Nothing is left
 * under either name when anything fails.
 */
export async function fetchToFile<T>(
  url: string,
  target: string,
  opts: FetchOptions,
  check: (summary: BodySummary, tmpPath: string) => T,
): Promise<FetchResult<T>> {
  const { res, finalUrl: current, status } = await getOk(url, opts);
  const cl = res.headers['content-length'];
  const contentLength = cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : null;
  const gz = /gzip/i.test(String(res.headers['content-encoding'] ?? ''));
  return withAtomicPath(target, async (tmp) => {
    const counter = new Counter();
    const inspector = new BodyInspector();
    // open synchronously: the temporary file exists before any byte arrives, so a failure can always remove it
    const out = fs.createWriteStream(tmp, { fd: fs.openSync(tmp, 'w') });
    try {
      if (gz) await pipeline(res, counter, createGunzip(), inspector, out);
      else await pipeline(res, counter, inspector, out);
    } catch (e) {
      // let the file descriptor close before the caller removes the temporary file
      if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
      const msg = (e as Error).message;
      throw new TransferError(`${current}: transfer failed after ${counter.n}${contentLength !== null ? ` of ${contentLength}` : ''} bytes (${msg})`);
    }
    if (!res.complete)
      throw new TransferError(`${current}: connection closed before the body was complete (${counter.n} bytes)`);
    if (contentLength !== null && counter.n !== contentLength)
      throw new TransferError(`${current}: received ${counter.n} bytes, Content-Length announced ${contentLength}`);
    const summary = inspector.summary();
    const checked = check(summary, tmp);
    return { status, finalUrl: current, contentLength, wireBytes: counter.n, summary, checked };
  });
}

/**
 * GET a small document into memory (HAPI /info, at most maxBytes): redirects followed; a non-2xx answer throws
 * HttpError with its body, a transfer fault TransferError, a body longer than maxBytes an Error naming the URL.
 */
export async function fetchSmall(url: string, opts: FetchOptions, maxBytes = 1 << 20): Promise<{ status: number; finalUrl: string; body: string }> {
  const { res, finalUrl: current, status } = await getOk(url, opts);
  const bufs: Buffer[] = [];
  let n = 0;
  try {
    for await (const b of res as AsyncIterable<Buffer>) {
      n += b.length;
      if (n > maxBytes) {
        res.destroy();
        throw new Error(`${current}: answer longer than ${maxBytes} bytes`);
      }
      bufs.push(b);
    }
  } catch (e) {
    if (e instanceof Error && e.message.includes('answer longer than')) throw e;
    throw new TransferError(`${current}: transfer failed after ${n} bytes (${(e as Error).message})`);
  }
  if (!res.complete) throw new TransferError(`${current}: connection closed before the body was complete (${n} bytes)`);
  const raw = Buffer.concat(bufs);
  const gz = /gzip/i.test(String(res.headers['content-encoding'] ?? ''));
  let body: string;
  try {
    body = (gz ? gunzipSync(raw) : raw).toString('utf8');
  } catch (e) {
    throw new TransferError(`${current}: gzip body could not be decoded (${(e as Error).message})`);
  }
  return { status, finalUrl: current, body };
}
