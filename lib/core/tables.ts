// Tables a reader looks at in a notebook (catalog counts, Table 1, results): danfojs-node DataFrames, shown as
// HTML inline in a notebook or as text in a terminal. Bulk numbers stay in typed arrays; these are small.
import * as dfd from 'danfojs-node';
import { tslabDisplay } from './notebook';

export type Row = Record<string, string | number | boolean | null>;

/** A DataFrame from plain rows (column order from the first row). */
export function toDataFrame(rows: Row[]): dfd.DataFrame {
  if (rows.length === 0) throw new Error('toDataFrame: no rows');
  return new dfd.DataFrame(rows);
}

function esc(v: unknown): string {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : String(v ?? '');
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** HTML table of a DataFrame (at most maxRows rows). */
export function tableHtml(df: dfd.DataFrame, opts: { title?: string; maxRows?: number } = {}): string {
  const cols = df.columns as string[];
  const values = df.values as unknown[][];
  const max = opts.maxRows ?? 60;
  const body = values
    .slice(0, max)
    .map((r) => `<tr>${r.map((v) => `<td style="text-align:right">${esc(v)}</td>`).join('')}</tr>`)
    .join('');
  const more = values.length > max ? `<p>... ${values.length - max} more rows</p>` : '';
  const title = opts.title ? `<p><b>${esc(opts.title)}</b></p>` : '';
  return `${title}<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>${more}`;
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
