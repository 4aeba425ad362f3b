// The report's check in a real browser (issue 15 item 5): Debian's chromium, headless, driven through the Chrome
// DevTools protocol over a pipe (--remote-debugging-pipe: JSON messages ended by NUL on file descriptors 3 and 4,
// no port, no npm package). It loads build/report.html from disk, records every request the page makes (only file:
// and data: are allowed: the page must work offline), waits for every <img> to decode, reads the images' natural
// sizes, the inline <svg> boxes, the links and the text, and takes a full-page screenshot; then checks that every
// relative link exists on disk, every in-page anchor has its target, and the screenshot is not blank.
// CLI: npx tsx lib/report/browser.ts [build/report.html] [--screenshot file.png]
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { writeFileAtomic } from '../core/atomic';
import { paths } from '../core/paths';
import { decodePng, pixelStats, PixelStats } from './png';

export const CHROMIUM_INSTALL = 'apt-get install -y --no-install-recommends chromium (or scripts/setup.sh base, as root)';

/** The chromium executable (Debian's `chromium`, else `chromium-browser` / `google-chrome`), or null. */
export function findChromium(): string | null {
  for (const name of [process.env.SAFENET_CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean) as string[]) {
    const r = spawnSync('sh', ['-c', `command -v "${name.replace(/"/g, '')}"`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

export interface PageImage {
  alt: string;
  /** The src's scheme and first characters (data URIs are long). */
  src: string;
  naturalWidth: number;
  naturalHeight: number;
  /** Rendered box. */
  width: number;
  height: number;
  decodeError: string | null;
}

export interface PageFacts {
  title: string;
  text: string;
  images: PageImage[];
  svgs: { width: number; height: number }[];
  links: { href: string; text: string }[];
  /** src/href of <script>, <link>, <iframe>, <object>, <embed>, <source>, <video>, <audio>. */
  resources: string[];
  ids: string[];
  /** Tables, figures, images and paragraphs reaching past the window's right edge (tag, width, first text). */
  wide: string[];
  /** <script> elements, inline ones included (the report has none). */
  scripts: number;
  scrollWidth: number;
  scrollHeight: number;
}

export interface BrowserCheck {
  file: string;
  chromium: string;
  version: string;
  facts: PageFacts;
  /** Every URL the page requested. */
  requests: string[];
  screenshot: { file: string; width: number; height: number } & PixelStats;
  /** Everything wrong, one line each (empty: the page passed). */
  problems: string[];
}

/** What the page tells about itself (runs inside the page; awaits every image's decode). */
const PAGE_SCRIPT = `(async () => {
  const imgs = Array.from(document.images);
  const images = [];
  for (const im of imgs) {
    let decodeError = null;
    try { await im.decode(); } catch (e) { decodeError = String(e && e.message || e); }
    const r = im.getBoundingClientRect();
    const src = im.getAttribute('src') || '';
    images.push({ alt: im.alt, src: src.slice(0, 40), naturalWidth: im.naturalWidth, naturalHeight: im.naturalHeight, width: r.width, height: r.height, decodeError });
  }
  const svgs = Array.from(document.querySelectorAll('svg')).filter((s) => !s.parentElement.closest('svg')).map((s) => { const r = s.getBoundingClientRect(); return { width: r.width, height: r.height }; });
  const links = Array.from(document.querySelectorAll('a[href]')).map((a) => ({ href: a.getAttribute('href'), text: a.textContent }));
  const resources = Array.from(document.querySelectorAll('script[src], link[href], iframe[src], object[data], embed[src], source[src], video[src], audio[src]'))
    .map((e) => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('data'));
  const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
  const wide = Array.from(document.querySelectorAll('table, figure, img, svg, p, pre, ul, h1, h2, h3, h4'))
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map((e) => e.tagName.toLowerCase() + ' ' + Math.round(e.getBoundingClientRect().width) + ' px: ' + JSON.stringify((e.textContent || '').trim().slice(0, 60)));
  return { title: document.title, text: document.body.innerText, images, svgs, links, resources, ids, wide, scripts: document.scripts.length,
    scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight };
})()`;

/** A DevTools-protocol connection to a chromium started with --remote-debugging-pipe. */
class Cdp {
  private id = 0;
  private buf = '';
  private waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; method: string }>();
  private listeners: ((m: any) => void)[] = [];
  constructor(private readonly write: NodeJS.WritableStream, read: NodeJS.ReadableStream) {
    read.setEncoding?.('utf8');
    read.on('data', (chunk: string) => {
      this.buf += chunk;
      let k: number;
      while ((k = this.buf.indexOf('\0')) >= 0) {
        const msg = JSON.parse(this.buf.slice(0, k));
        this.buf = this.buf.slice(k + 1);
        if (msg.id !== undefined && this.waiting.has(msg.id)) {
          const w = this.waiting.get(msg.id)!;
          this.waiting.delete(msg.id);
          if (msg.error) w.reject(new Error(`chromium: ${w.method}: ${msg.error.message}`));
          else w.resolve(msg.result);
        } else for (const l of this.listeners) l(msg);
      }
    });
  }
  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, method });
      this.write.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }
  on(fn: (m: any) => void): void {
    this.listeners.push(fn);
  }
  failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

export interface CheckOptions {
  /** Where the screenshot goes (PNG). */
  screenshot: string;
  width?: number;
  /** The viewport's height; the screenshot covers the whole page up to maxHeight. */
  height?: number;
  maxHeight?: number;
  timeoutMs?: number;
  chromium?: string;
}

/** Load an HTML file in headless chromium and check it (see the header); throws when chromium is missing. */
export async function checkInChromium(htmlFile: string, o: CheckOptions): Promise<BrowserCheck> {
  const exe = o.chromium ?? findChromium();
  if (!exe) throw new Error(`chromium is not installed: the report's browser check needs it; run: ${CHROMIUM_INSTALL}`);
  const file = path.resolve(htmlFile);
  if (!fs.existsSync(file)) throw new Error(`${htmlFile}: no such file`);
  const width = o.width ?? 1280, height = o.height ?? 900, maxHeight = o.maxHeight ?? 16000;
  const version = spawnSync(exe, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safenet-chromium-'));
  const child = spawn(exe, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check',
    '--hide-scrollbars', '--mute-audio', '--disable-extensions', '--disable-background-networking', '--disable-sync',
    `--user-data-dir=${profileDir}`, `--window-size=${width},${height}`, '--remote-debugging-pipe', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const cdp = new Cdp(child.stdio[3] as NodeJS.WritableStream, child.stdio[4] as NodeJS.ReadableStream);
  const exited = new Promise<never>((_, reject) => child.on('exit', (code, sig) => {
    const e = new Error(`chromium exited (${code ?? sig}) before the check finished; its last output:\n${stderr}`);
    cdp.failAll(e);
    reject(e);
  }));
  exited.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`chromium: no answer within ${(o.timeoutMs ?? 60000) / 1000} s checking ${htmlFile}`)), o.timeoutMs ?? 60000);
  });
  const requests: string[] = [];
  try {
    const run = async () => {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
      const loaded = new Promise<void>((resolve) => cdp.on((m) => {
        if (m.sessionId !== sessionId) return;
        if (m.method === 'Network.requestWillBeSent') requests.push(m.params.request.url);
        if (m.method === 'Page.loadEventFired') resolve();
      }));
      await cdp.send('Page.enable', {}, sessionId);
      await cdp.send('Network.enable', {}, sessionId);
      await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
      const nav = await cdp.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
      if (nav.errorText) throw new Error(`chromium could not open ${file}: ${nav.errorText}`);
      await loaded;
      const ev = await cdp.send('Runtime.evaluate', { expression: PAGE_SCRIPT, awaitPromise: true, returnByValue: true }, sessionId);
      if (ev.exceptionDetails) throw new Error(`chromium: the page check script failed: ${ev.exceptionDetails.text}`);
      const facts = ev.result.value as PageFacts;
      const shotHeight = Math.min(Math.max(facts.scrollHeight, height), maxHeight);
      const shot = await cdp.send('Page.captureScreenshot', {
        format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height: shotHeight, scale: 1 },
      }, sessionId);
      await cdp.send('Browser.close').catch(() => undefined);
      return { facts, png: Buffer.from(shot.data, 'base64') };
    };
    const { facts, png } = await Promise.race([run(), exited, timeout]);
    writeFileAtomic(o.screenshot, png);
    const img = decodePng(png, o.screenshot);
    const stats = pixelStats(img);
    const problems = pageProblems(file, facts, requests, width);
    if (stats.stddev < 10 || stats.nonBackground < 0.02) {
      problems.push(`screenshot ${o.screenshot} looks blank: luminance standard deviation ${stats.stddev.toFixed(1)}, ${(stats.nonBackground * 100).toFixed(1)} % of pixels off the background`);
    }
    return { file, chromium: exe, version, facts, requests, screenshot: { file: o.screenshot, width: img.width, height: img.height, ...stats }, problems };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

/** What is wrong with a page, from what the browser saw: images, links, anchors, resources and requests. */
export function pageProblems(file: string, facts: PageFacts, requests: string[], viewportWidth: number): string[] {
  const problems: string[] = [];
  const dir = path.dirname(file);
  if (!facts.title.trim()) problems.push('the page has no title');
  if (facts.text.trim().length < 200) problems.push(`the page shows almost no text (${facts.text.trim().length} characters)`);
  for (const im of facts.images) {
    if (im.decodeError || im.naturalWidth === 0 || im.naturalHeight === 0) problems.push(`image '${im.alt}' (${im.src}...) did not decode${im.decodeError ? `: ${im.decodeError}` : ''}`);
    else if (im.width < 50 || im.height < 50) problems.push(`image '${im.alt}' is shown ${im.width.toFixed(0)}x${im.height.toFixed(0)} px`);
    if (!im.src.startsWith('data:')) problems.push(`image '${im.alt}' is not inlined (src ${im.src}...)`);
  }
  for (const s of facts.svgs) if (s.width === 0 || s.height === 0) problems.push('an inline <svg> has no size');
  for (const l of facts.links) {
    if (l.href.startsWith('#')) {
      if (!facts.ids.includes(decodeURIComponent(l.href.slice(1)))) problems.push(`link '${l.text}' points to #${l.href.slice(1)}, which the page does not have`);
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(l.href) || l.href.startsWith('/')) {
      problems.push(`link '${l.text}' is not relative (${l.href}): it may not resolve offline`);
    } else {
      const target = path.resolve(dir, decodeURIComponent(l.href.split(/[?#]/)[0]));
      if (!fs.existsSync(target)) problems.push(`link '${l.text}' (${l.href}) does not resolve: ${target} does not exist`);
    }
  }
  if (facts.scrollWidth > viewportWidth + 1) problems.push(`the page is ${facts.scrollWidth} px wide in a ${viewportWidth} px window (a table or figure overflows): ${facts.wide.slice(0, 5).join('; ')}`);
  if (facts.scripts > 0) problems.push(`the page has ${facts.scripts} <script> element(s): the report has none (injected markup?)`);
  for (const r of facts.resources) if (!r.startsWith('data:')) problems.push(`external resource ${r}: the page must be self-contained`);
  for (const u of requests) if (!u.startsWith('file:') && !u.startsWith('data:')) problems.push(`the page requested ${u}`);
  return problems;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const si = args.indexOf('--screenshot');
  const shot = si >= 0 ? args.splice(si, 2)[1] : path.join(paths.build, 'report.png');
  const html = args[0] ?? path.join(paths.build, 'report.html');
  checkInChromium(html, { screenshot: shot }).then((r) => {
    console.log(`${r.version}: ${r.file}: "${r.facts.title}", ${r.facts.text.length.toLocaleString('en-US')} characters of text, ` +
      `${r.facts.images.length} images (${r.facts.images.map((i) => `${i.naturalWidth}x${i.naturalHeight}`).join(', ')}), ${r.facts.links.length} links, ` +
      `${r.requests.length} requests; screenshot ${r.screenshot.file} ${r.screenshot.width}x${r.screenshot.height}, luminance sd ${r.screenshot.stddev.toFixed(1)}, ` +
      `${(r.screenshot.nonBackground * 100).toFixed(1)} % off the background`);
    if (r.problems.length) {
      console.error(`problems:\n  ${r.problems.join('\n  ')}`);
      process.exit(1);
    }
  }).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
