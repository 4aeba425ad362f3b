// Tables a reader looks at in a notebook (catalog counts, Table 1, results): danfojs-node DataFrames, shown as
// HTML inline in a notebook or as text in a terminal. Bulk numbers stay in typed arrays; these are small.
import * as dfd from 'danfojs-node';
import { tslabDisplay } from './notebook';

export type Row = Record<string, string | number | boolean | null>;

/** A DataFrame from plain rows (columns: every key in first-seen order; a row without one shows it empty). */
export function toDataFrame(rows: Row[]): dfd.DataFrame {
  if (rows.length === 0) throw new Error('toDataFrame: no rows');
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return new dfd.DataFrame(rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? '']))));
}

/**
 * A number as a reader wants it: integers with thousands separators ("10,037"), others with at most four
 * significant digits and no padding zeros ("0.07", "4.5", "48.4"), large ones rounded to integers.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v === 0) return '0';
  return v.toLocaleString('en-US', { maximumSignificantDigits: 4, useGrouping: false });
}

function esc(v: unknown): string {
  const s = typeof v === 'number' ? formatNumber(v) : String(v ?? '');
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** HTML table of a DataFrame (at most maxRows rows): numbers right-aligned, text left-aligned. */
export function tableHtml(df: dfd.DataFrame, opts: { title?: string; maxRows?: number } = {}): string {
  const cols = df.columns as string[];
  const values = df.values as unknown[][];
  const max = opts.maxRows ?? 60;
  const align = (v: unknown) => (typeof v === 'number' ? 'right' : 'left');
  const body = values
    .slice(0, max)
    .map((r) => `<tr>${r.map((v) => `<td style="text-align:${align(v)}">${esc(v)}</td>`).join('')}</tr>`)
    .join('');
  const more = values.length > max ? `<p>... ${values.length - max} more rows</p>` : '';
  const title = opts.title ? `<p><b>${esc(opts.title)}</b></p>` : '';
  return `${title}<table><thead><tr>${cols.map((c) => `<th style="text-align:left">${esc(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

/** Show a DataFrame (or rows) inline in a notebook, else print it (returns nothing, so a notebook cell ending
 * with it does not also print the DataFrame object). */
export function showTable(data: dfd.DataFrame | Row[], opts: { title?: string; maxRows?: number } = {}): void {
  const df = Array.isArray(data) ? toDataFrame(data) : data;
  const t = tslabDisplay();
  if (t) t.display.html(tableHtml(df, opts));
  else {
    if (opts.title) console.log(opts.title);
    console.log(df.toString());
  }
}
