// HTML building blocks of build/report.html (issue 15 item 5, the reviewer's one page): every piece of text goes
// through `esc` (text read from CSV or JSON files can never become markup), numbers are formatted for reading, and
// links are relative paths whose segments are percent-encoded. No external resources: the page is self-contained.
import { formatNumber } from '../core/tables';

/** Text as HTML (element content and quoted attribute values): & < > " ' escaped. */
export function esc(v: unknown): string {
  const s = typeof v === 'number' ? formatNumber(v) : v === null || v === undefined ? '' : String(v);
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A metric value (3 decimals, a real minus sign), or an em dash when there is none. */
export function fmt3(v: number | null | undefined): string {
  if (v === null || v === undefined) return '\u2014';
  if (!Number.isFinite(v)) throw new Error(`report: a metric value is ${v}`);
  const s = v.toFixed(3);
  return s === '-0.000' ? '0.000' : s.replace(/^-/, '\u2212');
}

/** A signed difference (+0.012 / -0.300), or an em dash. */
export function signed3(v: number | null | undefined): string {
  if (v === null || v === undefined) return '\u2014';
  return (v > 0 ? '+' : '') + fmt3(v);
}

/** A relative link target from path segments (each percent-encoded; '/' separators kept), as an attribute value. */
export function hrefOf(relPath: string): string {
  if (relPath.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(relPath)) throw new Error(`report: link '${relPath}' is not a relative path`);
  return esc(relPath.split(/[\\/]/).map(encodeURIComponent).join('/'));
}

export type Cell = string | number | null | { html: string; cls?: string };

/** A table: header cells are text; body cells are text or numbers (escaped) or prepared HTML ({ html }). */
export function table(header: string[], rows: Cell[][], opts: { cls?: string; caption?: string } = {}): string {
  const cell = (c: Cell, tag: 'td' | 'th') => {
    if (c !== null && typeof c === 'object') return `<${tag}${c.cls ? ` class="${esc(c.cls)}"` : ''}>${c.html}</${tag}>`;
    return `<${tag}${typeof c === 'number' ? ' class="num"' : ''}>${esc(c ?? '\u2014')}</${tag}>`;
  };
  const cap = opts.caption ? `<caption>${esc(opts.caption)}</caption>` : '';
  return `<table${opts.cls ? ` class="${esc(opts.cls)}"` : ''}>${cap}<thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n')}</tbody></table>`;
}

/** Rows of records as a table: the columns are every key in first-seen order. */
export function recordsTable(rows: Record<string, string | number | boolean | null>[], opts: { caption?: string } = {}): string {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return table(cols, rows.map((r) => cols.map((c) => {
    const v = r[c];
    return typeof v === 'boolean' ? (v ? 'yes' : 'no') : v ?? null;
  })), opts);
}

/** A paragraph of text. */
export function p(text: string, cls?: string): string {
  return `<p${cls ? ` class="${esc(cls)}"` : ''}>${esc(text)}</p>`;
}

/** The page's style sheet (inline; system fonts only). */
export const STYLE = `
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #ccc; padding-bottom: .2em; margin-top: 2em; } h3 { margin-top: 1.4em; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: .85em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: .3em 0; }
td.metric { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.metric .ci { font-size: .9em; } td.metric .paper { color: #555; } td.metric .diff { color: #555; font-size: .9em; }
.banner { background: #fff3cd; border: 2px solid #d39e00; padding: .6em 1em; font-size: 1.1em; font-weight: bold; }
.banner.real { background: #e7f5e7; border-color: #3c8c3c; }
.missing { color: #8a1f11; font-style: italic; }
.verdict-yes { color: #8a1f11; font-weight: bold; } .verdict-no { color: #1d6b1d; font-weight: bold; }
code, .hash { font-family: 'DejaVu Sans Mono', monospace; font-size: .8em; }
td .hash { word-break: break-all; } td.hashcell { min-width: 280px; } td.path { word-break: break-all; min-width: 160px; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: .9em; color: #333; }
nav ul { columns: 2; }
`;
