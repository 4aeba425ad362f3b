// Input errors that name where the bad input is (file, line, column/field), shared by every reader of real
// data (catalog, indices, Swarm CSV, manifest). Serves the package's "clear errors" standard (paper section 2).
import { rel } from '../core/paths';

/** Where in an input a problem was found; every part is optional but the file. */
export interface InputLocation {
  file: string;
  /** 1-based line number in the file (header is line 1 for CSV files). */
  line?: number;
  /** Column or field name. */
  column?: string;
}

/** A malformed or incomplete input file; the message starts with `file:line: column 'x':`. */
export class InputFormatError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  constructor(where: InputLocation, message: string) {
    const parts = [displayPath(where.file)];
    if (where.line !== undefined) parts.push(String(where.line));
    const col = where.column !== undefined ? ` column '${where.column}':` : '';
    super(`${parts.join(':')}:${col} ${message}`);
    this.name = 'InputFormatError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

function displayPath(file: string): string {
  // Repository files are shown relative to the root; anything else (temporary test files) as given.
  const r = rel(file);
  return r.startsWith('..') ? file : r;
}

/** Strict decimal number: rejects '', '1.2.3', '12abc', 'NaN' (Number() would accept some of these). */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal number or return null when the text is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER_RE.test(t)) return null;
  return Number(t);
}

/**
 * ISO 8601 UTC instant (YYYY-MM-DDTHH:MM:SS[.fff][Z]) -> Unix ms; null when malformed. A trailing 'Z' or no
 * zone is taken as UTC; other offsets are rejected (every input of this package is UTC).
 */
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|\+00:00)?$/;
export function parseIsoUtc(text: string): number | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? 0 : Number(m[i])));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const t = Date.UTC(y, mo - 1, d, h, mi, s) + frac;
  // Reject dates that roll over (2016-02-30).
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  return t;
}

/** Unix ms of 00:00 UTC of a YYYY-MM-DD date; null when malformed. */
export function parseDayUtc(text: string): number | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? parseIsoUtc(text.trim()) : null;
}

/** YYYY-MM-DD of a Unix-ms instant (UTC). */
export function dayOf(tMs: number): string {
  return new Date(tMs).toISOString().slice(0, 10);
}
