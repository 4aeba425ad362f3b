// Text metrics for Vega in Node (every figure of the package): without a browser canvas Vega estimates a text's
// width from its length, which for DejaVu Sans (the figures' font) is up to 20 % short, so labels it thinks fit
// are cut, overlap or run off the canvas once resvg draws them. This measures each character's advance in the real
// font with resvg (the renderer of the PNGs), once, and gives Vega widths that match what is drawn; layout,
// truncation and the figure check (lib/figures/check.ts) then see the figure as the reader does.
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';

export const METRICS_FONT = 'DejaVu Sans';
const SIZE = 100;
/** Summed single-character advances miss resvg's kerning and shaping by up to ~2 %: err on the wide side. */
export const WIDTH_MARGIN = 1.03;
const cache = new Map<string, number>();

function inkWidth(text: string, bold: boolean): number {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200"><text x="10" y="150" font-family="${METRICS_FONT}" font-size="${SIZE}"${bold ? ' font-weight="bold"' : ''} xml:space="preserve">${esc}</text></svg>`;
  const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: METRICS_FONT, sansSerifFamily: METRICS_FONT } });
  const b = r.getBBox();
  return b ? b.width : 0;
}

/** Advance of one character at font size 100 (measured as the ink width of "x?x" less that of "xx"). */
export function charAdvance(ch: string, bold = false): number {
  const key = `${bold ? 'b' : 'n'}${ch}`;
  let w = cache.get(key);
  if (w === undefined) {
    const base = cache.get(bold ? 'b:xx' : 'n:xx') ?? inkWidth('xx', bold);
    cache.set(bold ? 'b:xx' : 'n:xx', base);
    w = Math.max(0, inkWidth(`x${ch}x`, bold) - base);
    cache.set(key, w);
  }
  return w;
}

/** Width in pixels of a text in DejaVu Sans at the given size. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += charAdvance(ch, bold);
  return (w * fontSize * WIDTH_MARGIN) / SIZE;
}

function isBold(weight: unknown): boolean {
  if (weight == null) return false;
  if (typeof weight === 'number') return weight >= 600;
  return /bold|[6-9]00/.test(String(weight));
}

let installed = false;

/** Make Vega measure text with textWidth (idempotent); called before any figure is laid out. */
export function installTextMetrics(): void {
  if (installed) return;
  const tm = (vega as any).textMetrics;
  const measure = (item: any, text: unknown) => {
    const s = text == null ? '' : String(text);
    return textWidth(s, item.fontSize ?? 11, isBold(item.fontWeight));
  };
  tm.width = measure;
  tm.estimateWidth = measure;
  installed = true;
}
