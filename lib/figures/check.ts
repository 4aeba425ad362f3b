// Figure check (every figure of the package, paper Figures 1-9 and our own): reads each figures/<name>.vl.json,
// lays it out with Vega (the same compile and scenegraph that draws it) and checks what a reader would catch:
// a title; "(simulated data)" in it when the data are simulated (saveFigure records that in usermeta); no text
// outside the canvas, no text over other text, no annotation text across an axis line or over a bar; data
// actually drawn; the plots covering a fair share of the canvas. Run by `make test` on figures the test draws and
// by `make reproduce` on everything it wrote (lib/notebooks/reproduce.ts).
import * as fs from 'fs';
import * as path from 'path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { rel } from '../core/paths';
import { SIMULATED_MARK, VegaLiteSpec } from './render';
import { installTextMetrics } from './metrics';

/** Overlaps smaller than this many pixels in either direction are anti-aliasing, not a collision. */
export const OVERLAP_TOLERANCE_PX = 1.5;
/** Text may reach this far past the canvas edge (sub-pixel rounding) before it counts as cut. */
export const EDGE_TOLERANCE_PX = 1;
/** The plots (data views, axes excluded) must cover at least this share of the canvas: a small plot on a large
 * canvas (a long one-line title, a wide legend, a stray label) reads as an empty page. */
export const MIN_PLOT_SHARE = 0.25;

export interface FigureProblem {
  figure: string;
  check: 'title' | 'simulated' | 'outside' | 'overlap' | 'cut' | 'crossing' | 'no-data' | 'empty' | 'spec';
  message: string;
}

export function formatFigureProblem(p: FigureProblem): string {
  return `${p.figure}: [${p.check}] ${p.message}`;
}

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface TextItem {
  text: string;
  role: string;
  box: Box;
  /** Rotation in degrees: the box of rotated text is its axis-aligned hull, too coarse for overlaps. */
  angle: number;
}

interface Laid {
  width: number;
  height: number;
  texts: TextItem[];
  /** Axis lines (domains) and bars of the data, in canvas coordinates. */
  axisLines: Box[];
  bars: Box[];
  /** Items drawn by data marks (not axes, legends, titles). */
  dataItems: number;
  dataMarks: number;
  /** Summed area of the data views (the plot rectangles of single, layered, concatenated or faceted views). */
  plotArea: number;
  svg: string;
}

function textOf(t: unknown): string {
  if (t == null) return '';
  if (Array.isArray(t)) return t.map(textOf).join(' ');
  return String(t);
}

function overlap(a: Box, b: Box): { w: number; h: number } {
  return { w: Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h: Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) };
}

/** Lay a Vega-Lite spec out with Vega and collect text boxes, axis lines, bars and data items in canvas pixels. */
export async function layOut(spec: VegaLiteSpec): Promise<Laid> {
  installTextMetrics();
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const w = Number((svg.match(/<svg[^>]*\swidth="([\d.]+)"/) ?? [])[1]);
    const h = Number((svg.match(/<svg[^>]*\sheight="([\d.]+)"/) ?? [])[1]);
    const origin = (view as any).origin() as [number, number];
    const out: Laid = { width: w, height: h, texts: [], axisLines: [], bars: [], dataItems: 0, dataMarks: 0, plotArea: 0, svg };
    const walkMark = (mark: any, ox: number, oy: number, inGuide: boolean) => {
      const role: string = mark.role ?? '';
      const guide = inGuide || /axis|legend|title/.test(role);
      const isData = !guide && role === 'mark';
      if (isData && mark.marktype !== 'group') {
        out.dataMarks++;
        // drawn: visible, and not degenerate (a bar of height 0 draws nothing)
        out.dataItems += (mark.items ?? []).filter((it: any) => {
          if (it.opacity === 0 || it.fillOpacity === 0 || !it.bounds) return false;
          const bw = it.bounds.x2 - it.bounds.x1;
          const bh = it.bounds.y2 - it.bounds.y1;
          return mark.marktype === 'rect' ? bw > 0.5 && bh > 0.5 : bw > 0.5 || bh > 0.5;
        }).length;
      }
      for (const it of mark.items ?? []) {
        const b = it.bounds;
        if (mark.marktype === 'group') {
          walkGroup(it, ox + (it.x ?? 0), oy + (it.y ?? 0), guide);
          continue;
        }
        if (!b || !Number.isFinite(b.x1) || it.opacity === 0) continue;
        const box = { x1: b.x1 + ox, y1: b.y1 + oy, x2: b.x2 + ox, y2: b.y2 + oy };
        if (mark.marktype === 'text') {
          const text = textOf(it.text).trim();
          if (text && it.fillOpacity !== 0) out.texts.push({ text, role, box, angle: Number(it.angle) || 0 });
        } else if (role === 'axis-domain') out.axisLines.push(box);
        // bars are opaque rects; translucent bands (shaded spans, bins) may carry text
        else if (isData && mark.marktype === 'rect' && (it.opacity ?? 1) * (it.fillOpacity ?? 1) >= 0.5) out.bars.push(box);
      }
    };
    const walkGroup = (g: any, ox: number, oy: number, inGuide: boolean) => {
      for (const m of g.items ?? []) walkMark(m, ox, oy, inGuide);
    };
    const root = (view as any).scenegraph().root;
    walkMark(root, origin[0], origin[1], false);
    out.plotArea = plotArea(root);
    return out;
  } finally {
    view.finalize();
  }
}

/** Data views: Vega-Lite's named scope groups (concat, facet cells) that hold no further views; else the root. */
function plotArea(root: any): number {
  const views: number[] = [];
  const visit = (mark: any): boolean => {
    let found = false;
    for (const it of mark.items ?? []) {
      for (const m of it.items ?? []) {
        if (m.marktype !== 'group' || /axis|legend|title/.test(m.role ?? '')) continue;
        const isView = (m.role === 'scope' || m.role === 'cell') && typeof m.name === 'string';
        const inner = visit(m);
        if (isView && !inner) for (const g of m.items ?? []) views.push((g.width ?? 0) * (g.height ?? 0));
        found = found || isView || inner;
      }
    }
    return found;
  };
  if (!visit(root)) for (const g of root.items ?? []) views.push((g.width ?? 0) * (g.height ?? 0));
  return views.reduce((a, v) => a + v, 0);
}

/** Check one Vega-Lite spec (as saveFigure wrote it); `name` names it in the problems. */
export async function checkFigureSpec(name: string, spec: VegaLiteSpec): Promise<FigureProblem[]> {
  const problems: FigureProblem[] = [];
  const add = (check: FigureProblem['check'], message: string) => problems.push({ figure: name, check, message });
  let laid: Laid;
  try {
    laid = await layOut(spec);
  } catch (e) {
    add('spec', `Vega cannot lay it out: ${(e as Error).message}`);
    return problems;
  }
  const titles = laid.texts.filter((t) => t.role === 'title-text');
  const title = titles.map((t) => t.text).join(' ');
  if (!title) add('title', 'no title');
  const simulated = spec.usermeta?.simulated;
  if (typeof simulated !== 'boolean') add('simulated', 'usermeta.simulated is missing: save figures with saveFigure, which records whether the data are simulated');
  else if (simulated && !title.includes(SIMULATED_MARK)) add('simulated', `drawn from simulated data but the title does not say "${SIMULATED_MARK}": "${title}"`);
  const W = laid.width;
  const H = laid.height;
  for (const t of laid.texts) {
    const b = t.box;
    const e = EDGE_TOLERANCE_PX;
    if (b.x1 < -e || b.y1 < -e || b.x2 > W + e || b.y2 > H + e) {
      add('outside', `text "${t.text.slice(0, 60)}" (${t.role}) reaches outside the ${Math.round(W)}x${Math.round(H)} canvas at [${Math.round(b.x1)}, ${Math.round(b.y1)}, ${Math.round(b.x2)}, ${Math.round(b.y2)}]`);
    }
  }
  // what Vega drew shortened: its SVG ends the text with an ellipsis (it truncates with its own width estimate)
  const drawnCut = [...laid.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => t.endsWith('…'));
  for (const t of new Set(drawnCut)) add('cut', `text "${t.slice(0, 60)}" is drawn cut with an ellipsis (longer than its limit): raise the limit or shorten it`);
  const tol = OVERLAP_TOLERANCE_PX;
  for (let i = 0; i < laid.texts.length; i++) {
    for (let j = i + 1; j < laid.texts.length; j++) {
      const a = laid.texts[i];
      const c = laid.texts[j];
      if (a.angle % 90 !== 0 || c.angle % 90 !== 0) continue;
      const o = overlap(a.box, c.box);
      if (o.w > tol && o.h > tol) add('overlap', `text "${a.text.slice(0, 40)}" (${a.role}) overlaps "${c.text.slice(0, 40)}" (${c.role}) by ${o.w.toFixed(0)}x${o.h.toFixed(0)} px`);
    }
  }
  for (const t of laid.texts.filter((x) => x.role === 'mark')) {
    for (const l of laid.axisLines) {
      const o = overlap(t.box, { x1: l.x1 - 0.5, y1: l.y1 - 0.5, x2: l.x2 + 0.5, y2: l.y2 + 0.5 });
      if (o.w > tol && o.h > tol) add('crossing', `text "${t.text.slice(0, 40)}" crosses an axis line`);
    }
    for (const r of laid.bars) {
      // a label inside a box (a diagram, a labelled bar) is fine; one straddling a bar's edge is not
      const o = overlap(t.box, r);
      const inside = t.box.x1 >= r.x1 - tol && t.box.x2 <= r.x2 + tol && t.box.y1 >= r.y1 - tol && t.box.y2 <= r.y2 + tol;
      if (o.w > tol && o.h > tol && !inside) add('crossing', `text "${t.text.slice(0, 40)}" straddles the edge of a bar`);
    }
  }
  if (laid.dataMarks > 0 && laid.dataItems === 0) add('no-data', 'the data marks draw nothing (an empty figure: say so in text instead of drawing empty axes)');
  const share = laid.plotArea / Math.max(1, W * H);
  if (share < MIN_PLOT_SHARE) add('empty', `the plots cover ${(100 * share).toFixed(0)} % of the ${Math.round(W)}x${Math.round(H)} canvas (at least ${100 * MIN_PLOT_SHARE} %): widen the plots or shorten what makes the canvas large`);
  return problems;
}

/** Check every <name>.vl.json in a folder (or those given); returns all problems. */
export async function checkFigures(dir: string, names?: string[]): Promise<FigureProblem[]> {
  if (!fs.existsSync(dir)) throw new Error(`figure check: ${rel(dir)} does not exist`);
  const list = names ?? fs.readdirSync(dir).filter((f) => f.endsWith('.vl.json')).map((f) => f.slice(0, -'.vl.json'.length)).sort();
  const problems: FigureProblem[] = [];
  for (const name of list) {
    const file = path.join(dir, `${name}.vl.json`);
    let spec: VegaLiteSpec;
    try {
      spec = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push({ figure: name, check: 'spec', message: `${rel(file)} is not valid JSON (${(e as Error).message})` });
      continue;
    }
    problems.push(...(await checkFigureSpec(name, spec)));
  }
  return problems;
}
