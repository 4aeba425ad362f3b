// Figure output for every figure of the package (paper Figures 1-9 and our own): a Vega-Lite spec with its data
// inlined becomes figures/<name>.vl.json, .svg (vega's SVG renderer) and .png (resvg, DejaVu Sans), and is shown
// inline in a notebook. Figures drawn from simulated data say so in their title (honesty standard).
import * as fs from 'fs';
import * as path from 'path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { inspect } from 'util';
import { paths, rel } from '../core/paths';
import { writeFileAtomic } from '../core/atomic';
import { tslabDisplay } from '../core/notebook';
import { installTextMetrics } from './metrics';

export const FIGURE_FONT = 'DejaVu Sans';
export const SIMULATED_MARK = '(simulated data)';
/** PNGs above this size are shown inline at scale 1 (files keep the full scale): keeps notebooks' HTML small. */
export const INLINE_PNG_MAX_BYTES = 400_000;

export type VegaLiteSpec = Record<string, any>;

export interface FigureOptions {
  /** True when any data in the figure comes from the simulator: the title then says so. */
  simulated: boolean;
  /** Output folder (default figures/). */
  dir?: string;
  /** PNG scale factor (default 2). */
  scale?: number;
  /** Show inline when running in a notebook (default true). */
  show?: boolean;
}

export interface SavedFigure {
  name: string;
  vlJson: string;
  svgPath: string;
  pngPath: string;
}

function titleText(t: unknown): string {
  if (t == null) return '';
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.join(' ');
  if (typeof t === 'object' && 'text' in (t as any)) return titleText((t as any).text);
  return String(t);
}

/** Return a copy of the spec whose title marks simulated data (idempotent). */
export function markSimulated(spec: VegaLiteSpec): VegaLiteSpec {
  const out = { ...spec };
  const t = spec.title;
  if (titleText(t).includes(SIMULATED_MARK)) return out;
  if (t == null) out.title = SIMULATED_MARK;
  else if (typeof t === 'string') out.title = `${t} ${SIMULATED_MARK}`;
  else if (Array.isArray(t)) out.title = [...t.slice(0, -1), `${t[t.length - 1]} ${SIMULATED_MARK}`];
  else if (typeof t === 'object') {
    const tt = t as any;
    out.title = {
      ...tt,
      text: Array.isArray(tt.text)
        ? [...tt.text.slice(0, -1), `${tt.text[tt.text.length - 1]} ${SIMULATED_MARK}`]
        : `${tt.text} ${SIMULATED_MARK}`,
    };
  }
  return out;
}

/** Every `data` in the spec must be inline (values) or named by a top-level datasets entry: no URLs. */
export function assertInlineData(spec: unknown, where = 'spec'): void {
  if (spec == null || typeof spec !== 'object') return;
  if (Array.isArray(spec)) {
    spec.forEach((s, i) => assertInlineData(s, `${where}[${i}]`));
    return;
  }
  for (const [k, v] of Object.entries(spec as Record<string, unknown>)) {
    if (k === 'data' && v && typeof v === 'object' && 'url' in (v as any)) {
      throw new Error(`figure ${where}.data has url '${(v as any).url}': inline the data (values) instead`);
    }
    if (typeof v === 'object') assertInlineData(v, `${where}.${k}`);
  }
}

/** Add the project font to the spec's config. */
export function withFont(spec: VegaLiteSpec): VegaLiteSpec {
  const config = { ...(spec.config ?? {}) };
  config.font = FIGURE_FONT;
  for (const part of ['title', 'axis', 'legend', 'header', 'text'] as const) {
    const key = part === 'text' ? 'text' : part;
    const fontKey = part === 'title' ? 'font' : part === 'text' ? 'font' : 'labelFont';
    config[key] = { ...(config[key] ?? {}), [fontKey]: FIGURE_FONT };
    if (part === 'axis' || part === 'legend' || part === 'header') config[key].titleFont = FIGURE_FONT;
  }
  return { ...spec, config };
}

/** Compile a Vega-Lite spec and render it to SVG text (no browser). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  installTextMetrics();
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterise SVG text with resvg and the project font. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: true,
      defaultFontFamily: FIGURE_FONT,
      sansSerifFamily: FIGURE_FONT,
    },
  });
  return r.render().asPng();
}

/** Write figures/<name>.vl.json, .svg, .png (atomically) and show it inline in a notebook. */
export async function saveFigure(name: string, spec: VegaLiteSpec, opts: FigureOptions): Promise<SavedFigure> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`figure name '${name}' must be a plain file name`);
  if (typeof opts?.simulated !== 'boolean') throw new Error(`saveFigure('${name}'): say whether the data are simulated`);
  assertInlineData(spec);
  let full = withFont(spec);
  if (opts.simulated) full = markSimulated(full);
  if (!full.$schema) full = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...full };
  // recorded for the figure check (lib/figures/check.ts): the title must carry the mark when this is true
  full = { ...full, usermeta: { ...(full.usermeta ?? {}), simulated: opts.simulated } };
  const dir = opts.dir ?? paths.figures;
  fs.mkdirSync(dir, { recursive: true });
  const svg = await renderSvg(full);
  const png = svgToPng(svg, opts.scale ?? 2);
  const base = path.join(dir, name);
  writeFileAtomic(`${base}.vl.json`, JSON.stringify(full, null, 1) + '\n');
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, png);
  if (opts.show ?? true) {
    const t = tslabDisplay();
    // the notebook (and its HTML export) inlines the PNG as base64: a large one is shown at scale 1
    if (t) t.display.png(png.length > INLINE_PNG_MAX_BYTES ? svgToPng(svg, 1) : png);
  }
  const saved: SavedFigure = { name, vlJson: `${base}.vl.json`, svgPath: `${base}.svg`, pngPath: `${base}.png` };
  // a notebook cell ending with `await saveFigure(...)` prints one line, not the object
  Object.defineProperty(saved, inspect.custom, { value: () => `figure ${name}: ${rel(base)}.{vl.json,svg,png}`, enumerable: false });
  return saved;
}
