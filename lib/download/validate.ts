// Completeness checks for downloaded bodies before they get their final names (`make data`, inputs of paper
// sections 2.1-2.3): ComCat CSV, GFZ Kp text, VirES HAPI CSV, the ESA listing and ESA's zipped CDF products.
// A body that fails is never renamed; the caller retries (truncated), splits (row limit) or stops (bad format).
import { createHash, Hash } from 'crypto';
import Papa from 'papaparse';
import { Transform, TransformCallback } from 'stream';
import type { Chunk } from './plan';

/** What the streaming inspector saw of a body (the bytes as written to disk). */
export interface BodySummary {
  bytes: number;
  sha256: string;
  /** Number of '\n' bytes. */
  newlines: number;
  /** The text before the first '\n' (at most 4 KiB). */
  firstLine: string;
  /** The last bytes of the body (up to TAIL_BYTES). */
  tail: Buffer;
}

export const TAIL_BYTES = 70 * 1024;
const FIRST_LINE_MAX = 4096;

/** A pass-through stream that hashes, counts and keeps the head line and tail of what flows through it. */
export class BodyInspector extends Transform {
  private hash: Hash = createHash('sha256');
  private bytes = 0;
  private newlines = 0;
  private head = '';
  private headDone = false;
  private tailBufs: Buffer[] = [];
  private tailLen = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines++;
    if (!this.headDone) {
      const nl = chunk.indexOf(10);
      const part = chunk.subarray(0, nl === -1 ? Math.min(chunk.length, FIRST_LINE_MAX) : nl).toString('utf8');
      this.head = (this.head + part).slice(0, FIRST_LINE_MAX);
      if (nl !== -1 || this.head.length >= FIRST_LINE_MAX) this.headDone = true;
    }
    this.tailBufs.push(chunk);
    this.tailLen += chunk.length;
    while (this.tailBufs.length > 1 && this.tailLen - this.tailBufs[0].length >= TAIL_BYTES) {
      this.tailLen -= this.tailBufs[0].length;
      this.tailBufs.shift();
    }
    cb(null, chunk);
  }

  summary(): BodySummary {
    const all = Buffer.concat(this.tailBufs);
    return {
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
      newlines: this.newlines,
      firstLine: this.head.replace(/\r$/, ''),
      tail: all.subarray(Math.max(0, all.length - TAIL_BYTES)),
    };
  }
}

/** Why a body was refused: 'incomplete' (retry), 'too-many-rows' (split the request) or 'invalid' (stop). */
export class BodyError extends Error {
  constructor(readonly reason: 'incomplete' | 'too-many-rows' | 'invalid', message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

/** The last complete line of the body (the caller has checked that the body ends with a newline). */
function lastLine(s: BodySummary): string {
  const text = s.tail.toString('utf8');
  const body = text.endsWith('\r\n') ? text.slice(0, -2) : text.slice(0, -1);
  return body.slice(body.lastIndexOf('\n') + 1);
}

const COMCAT_HEAD = ['time', 'latitude', 'longitude', 'depth', 'mag', 'magType'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/;

/** Fields of one CSV line (papaparse, as every CSV in the package; HAPI strings may be quoted). */
function csvFields(line: string): string[] {
  const r = Papa.parse<string[]>(line, { header: false });
  return r.data[0] ?? [];
}

/**
 * Check a complete body for its chunk; returns the number of data rows (null for binary files).
 * Throws BodyError. `where` names the request in messages; readAll gives the whole body (small listings only).
 */
export function validateBody(c: Chunk, s: BodySummary, where: string, readAll?: () => Buffer): number | null {
  const endsNl = s.tail.length > 0 && s.tail[s.tail.length - 1] === 10;
  switch (c.format) {
    case 'comcat-csv': {
      if (s.bytes === 0) return 0; // FDSN answers 204 No Content (empty) when nothing matches
      const head = s.firstLine.split(',').map((x) => x.trim());
      if (!COMCAT_HEAD.every((h, i) => head[i] === h))
        throw new BodyError('invalid', `${where}: not a ComCat CSV: first line '${s.firstLine.slice(0, 120)}' lacks the columns ${COMCAT_HEAD.join(',')}`);
      if (!endsNl) throw new BodyError('incomplete', `${where}: CSV does not end with a newline (cut short)`);
      const rows = s.newlines - 1;
      const last = lastLine(s);
      if (rows > 0 && !ISO_TIME.test(last.split(',')[0]))
        throw new BodyError('incomplete', `${where}: last CSV row '${last.slice(0, 80)}' does not start with a time`);
      if (c.rowLimit !== undefined && rows >= c.rowLimit)
        throw new BodyError('too-many-rows', `${where}: ${rows} rows reach the service limit of ${c.rowLimit}; the window may be cut`);
      return rows;
    }
    case 'kp-text': {
      if (!s.firstLine.startsWith('#')) throw new BodyError('invalid', `${where}: not the GFZ Kp text file: first line '${s.firstLine.slice(0, 80)}' is not a '#' header`);
      if (!endsNl) throw new BodyError('incomplete', `${where}: Kp file does not end with a newline (cut short)`);
      const last = lastLine(s);
      const f = last.trim().split(/\s+/);
      if (!/^\d{4}$/.test(f[0]) || f.length < 26)
        throw new BodyError('incomplete', `${where}: last line '${last.slice(0, 80)}' is not a complete Kp day line (YYYY MM DD ... 28 fields)`);
      return s.newlines; // lines, the '#' header included
    }
    case 'hapi-csv': {
      if (s.bytes === 0) return 0; // HAPI: no data in the interval (status 1201) gives an empty CSV body
      if (!endsNl) throw new BodyError('incomplete', `${where}: HAPI CSV does not end with a newline (cut short)`);
      for (const [name, line] of [['first', s.firstLine], ['last', lastLine(s)]] as const) {
        const f = csvFields(line.replace(/\r$/, ''));
        if (c.columns !== undefined && f.length !== c.columns)
          throw new BodyError(name === 'last' ? 'incomplete' : 'invalid', `${where}: ${name} HAPI CSV line has ${f.length} fields, expected ${c.columns}: '${line.slice(0, 120)}'`);
        const t = Date.parse(f[0].endsWith('Z') ? f[0] : f[0] + 'Z');
        if (!ISO_TIME.test(f[0]) || !Number.isFinite(t))
          throw new BodyError(name === 'last' ? 'incomplete' : 'invalid', `${where}: ${name} HAPI CSV line does not start with an ISO time: '${line.slice(0, 120)}'`);
        if (c.start !== undefined && c.stop !== undefined && (t < c.start - 1000 || t >= c.stop + 1000))
          throw new BodyError('invalid', `${where}: ${name} HAPI CSV time ${f[0]} is outside the requested span`);
      }
      return s.newlines;
    }
    case 'esa-listing': {
      const text = (readAll ? readAll() : s.tail).toString('utf8');
      if (!readAll && s.bytes > s.tail.length) throw new Error(`${where}: listing too long to check from its tail`);
      try {
        JSON.parse(text);
      } catch (e) {
        throw new BodyError('incomplete', `${where}: listing is not complete JSON (${(e as Error).message})`);
      }
      return null;
    }
    case 'zip': {
      // End-of-central-directory record: signature 0x06054b50 within the last 22 + 65535 bytes.
      const t = s.tail;
      for (let i = t.length - 22; i >= 0 && i >= t.length - 22 - 65535; i--) {
        if (t.readUInt32LE(i) === 0x06054b50) {
          const commentLen = t.readUInt16LE(i + 20);
          if (i + 22 + commentLen === t.length) return null;
        }
      }
      throw new BodyError('incomplete', `${where}: ZIP has no end-of-central-directory record (cut short or not a ZIP)`);
    }
  }
}
