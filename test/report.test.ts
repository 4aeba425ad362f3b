// Tests for build/report.html (lib/report, issue 15 item 5). The page is written from a small fixture build folder
// (test/fixtures/report: Table 2 of SafeNet and of the baselines, the audits, environment, datasets, an executed
// notebook, two figures; Swarm store days written here) and checked in a real browser, Debian's chromium headless:
// it renders (a non-blank full-page screenshot, decoded by lib/report/png.ts, which is checked against PNGs encoded
// by resvg), its figures decode with their natural sizes, every link resolves on disk, it requests nothing but file:
// and data:, and markup inside CSV/JSON strings stays text. Missing inputs say "not run"; malformed ones name file
// and field. chromium missing fails the test with the install command (CI installs it through scripts/setup.sh).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Resvg } from '@resvg/resvg-js';
import { PROFILES } from '../lib/core/config';
import { SwarmStore } from '../lib/swarm/store';
import { esc, hrefOf } from '../lib/report/html';
import { reportPaths } from '../lib/report/inputs';
import { writeReport, shortcutVerdicts } from '../lib/report/report';
import { checkInChromium, CHROMIUM_INSTALL, findChromium } from '../lib/report/browser';
import { decodePng, pixelStats } from '../lib/report/png';
import { emptyLock, Lock, writeLock } from '../lib/download/lock';
import { expectError, syntheticSwarmDay as day, tempDirs } from './helpers';

const { tempDir, cleanup } = tempDirs();
test.after(cleanup);

const FIXTURE = path.join(__dirname, 'fixtures', 'report');
const smoke = PROFILES.smoke;
const sha = (b: Uint8Array | string) => crypto.createHash('sha256').update(b).digest('hex');


/** The fixture copied to a temporary folder, with two store days per run (one outside the smoke period). */
function fixtureBuild(): { build: string; figures: string; days: Record<'signal' | 'null', string[]> } {
  const root = tempDir('report-');
  const build = path.join(root, 'build');
  const figures = path.join(root, 'figures');
  fs.cpSync(path.join(FIXTURE, 'build-dir'), build, { recursive: true });
  fs.cpSync(path.join(FIXTURE, 'figures-dir'), figures, { recursive: true });
  const signal = new SwarmStore((s) => path.join(build, 'store', s));
  const nul = new SwarmStore(() => path.join(build, 'store', 'simulated-null'));
  const days = { signal: [] as string[], null: [] as string[] };
  for (const d of ['2016-02-03', '2016-02-04', '2016-01-20']) {
    days.signal.push(signal.writeDay(day(d, 300, 1)));
    days.null.push(nul.writeDay(day(d, 300, 2)));
  }
  fs.writeFileSync(path.join(build, 'store', 'simulated', 'ground-truth.json'), '{"truth": []}\n');
  return { build, figures, days };
}

/** The combined store hash computed independently: sha256sum-like hashes of the in-period files, in day order. */
function combined(files: string[]): string {
  const inPeriod = files.filter((f) => path.basename(f) >= `${smoke.from}.arrow` && path.basename(f) <= `${smoke.to}.arrow`).sort();
  return sha(inPeriod.map((f) => `${path.basename(f, '.arrow')} ${sha(fs.readFileSync(f))}\n`).join(''));
}

test('esc escapes the five HTML characters; hrefOf percent-encodes segments and refuses absolute links', () => {
  assert.is(esc(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  assert.is(esc(12345.678), '12,346');
  assert.is(esc(null), '');
  assert.is(hrefOf('notebooks/06 experiments & more.html'), 'notebooks/06%20experiments%20%26%20more.html');
  assert.is(hrefOf('a/"b".html'), 'a/%22b%22.html');
  expectError(() => hrefOf('/etc/passwd'), /not a relative path/);
  expectError(() => hrefOf('javascript:alert(1)'), /not a relative path/);
});

test('the PNG decoder reads resvg-encoded PNGs pixel for pixel; pixel statistics tell blank from drawn', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#ffffff"/>' +
    '<rect x="0" y="0" width="20" height="10" fill="#ff0000"/><rect x="20" y="10" width="20" height="20" fill="#0000ff" fill-opacity="0.5"/></svg>';
  const png = new Resvg(svg).render().asPng();
  const img = decodePng(png, 'resvg.png');
  assert.is(img.width, 40);
  assert.is(img.height, 30);
  const px = (x: number, y: number) => Array.from(img.data.subarray((y * 40 + x) * img.channels, (y * 40 + x) * img.channels + 3));
  assert.equal(px(5, 5), [255, 0, 0]);
  assert.equal(px(35, 5), [255, 255, 255]);
  const blue = px(30, 20);
  assert.ok(Math.abs(blue[0] - 127) <= 1 && Math.abs(blue[2] - 255) <= 1, `half-transparent blue on white: ${blue}`);
  const drawn = pixelStats(img);
  assert.ok(drawn.stddev > 20 && drawn.nonBackground > 0.3, JSON.stringify(drawn));
  const blank = pixelStats(decodePng(new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20" fill="#fff"/></svg>').render().asPng()));
  assert.ok(blank.stddev < 1e-3, `${blank.stddev}`);
  assert.is(blank.nonBackground, 0);
  expectError(() => decodePng(png.subarray(0, png.length - 20), 'cut.png'), /cut\.png: .*(truncated|IEND)/);
  expectError(() => decodePng(Buffer.from('not a png at all'), 'text.png'), /text\.png: not a PNG/);
});

test('the report from the fixture build: Table 2 per protocol, verdicts, data with checksums, environment, figures, links; markup stays text', () => {
  const fx = fixtureBuild();
  const rp = reportPaths(fx.build, fx.figures);
  const r = writeReport({ profile: smoke, paths: rp, now: new Date('2024-05-01T12:00:00Z') });
  assert.is(r.file, path.join(fx.build, 'report.html'));
  assert.equal(r.missing, []);
  assert.is(r.source, 'simulated');
  assert.equal(r.figures, ['fig05-safenet-ds03', 'audit-recovery-curve']);
  assert.equal(r.notebooks, ['notebooks/00-overview.html', 'notebooks/06 experiments & more.html']);
  const html = fs.readFileSync(r.file, 'utf8');
  assert.is(fs.readdirSync(fx.build).filter((f) => f.endsWith('.tmp')).length, 0);
  // simulated made obvious: in the title and a banner
  assert.match(html, /<title>SafeNet reproduced and audited: profile smoke \(simulated data\)<\/title>/);
  assert.match(html, /SIMULATED DATA: the Swarm A tracks of this build are simulated/);
  // Table 2: both protocols, the paper's value and the difference beside ours, intervals; the baselines
  assert.match(html, /SafeNet, paper protocol<\/h3>\n<table class="table2">/);
  assert.match(html, /SafeNet, controlled protocol/);
  assert.match(html, /<div><b>0\.210<\/b><\/div><div class="ci">\[0\.100, 0\.300\]<\/div><div class="paper">paper 0\.752<\/div><div class="diff">\u0394 \u22120\.542<\/div>/);
  assert.match(html, /<div><b>0\.020<\/b><\/div><div class="ci">\[\u22120\.080, 0\.110\]<\/div>/);
  assert.match(html, /640 \(41\)/);
  assert.match(html, /<td>RF<\/td>/);
  assert.match(html, /<td>LSTM<\/td><td>not runnable on this profile: too few windows &lt;b&gt;bold&lt;\/b&gt;<\/td>/);
  // the baselines table starts with SafeNet's DataSet 03 row (once, though the baselines' file repeats it)
  const baselineTable = html.split('Baselines beside SafeNet on DataSet 03')[1].split('</table>')[0];
  assert.is(baselineTable.split('<td>SafeNet</td>').length - 1, 1);
  assert.ok(baselineTable.indexOf('<td>SafeNet</td>') < baselineTable.indexOf('<td>GBM'));
  // markup from CSV/JSON strings is text
  assert.not.match(html, /<script/i);
  assert.not.match(html, /<img src=x/);
  assert.not.match(html, /<b>bold<\/b>/);
  assert.match(html, /GBM &lt;script&gt;document\.title=&#39;pwned&#39;&lt;\/script&gt;/);
  // audits in plain words
  assert.match(html, /<h4>Null run: class 1 vs 0 without any precursor<\/h4>/);
  assert.match(html, /DataSet 03, paper protocol, null run \(nothing injected\): nuisance features alone separate class 1 from class 0 \u2014 1 of 2 classifiers/);
  assert.match(html, /DataSet 03, controlled protocol, null run \(nothing injected\): no nuisance-feature classifier separates class 1 from class 0/);
  assert.match(html, /the controls keep 560 of 800 class-1 windows \(70 %\)/);
  // data: store hashes (computed independently here), ground truth, datasets' hashes and counts, shipped checksums
  assert.ok(html.includes(combined(fx.days.signal)), 'combined sha256 of the signal store');
  assert.ok(html.includes(combined(fx.days.null)), 'combined sha256 of the null store');
  assert.ok(html.includes(sha('{"truth": []}\n')), 'sha256 of ground-truth.json');
  assert.match(html, /<td class="num">2<\/td><td>2016-02-03 \.\. 2016-02-04<\/td>/);
  assert.match(html, /0123456789abcdef/);
  assert.match(html, /fedcba9876543210/);
  assert.match(html, /<td class="num">1,800<\/td><td>900 \/ 800 \/ 100<\/td><td>70 \/ 12 \/ 16<\/td><td>50 \+ 48<\/td>/);
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data-manifest.json'), 'utf8'));
  const shipped = manifest.inputs.find((e: { role: string; kind: string }) => e.role === 'shipped' && e.kind === 'data');
  assert.ok(html.includes(shipped.sha256), 'a shipped input\'s sha256');
  // environment: the notebooks' commit, backend, seeds
  assert.match(html, /0{40} \(clean\)/);
  assert.match(html, /<td>training backend<\/td><td>wasm<\/td>/);
  assert.match(html, /simulator=20140401/);
  // figures inlined (bytes identical), missing ones said; notebooks linked with their run time
  const svg = fs.readFileSync(path.join(fx.figures, 'fig05-safenet-ds03.svg'));
  assert.ok(html.includes(`src="data:image/svg+xml;base64,${svg.toString('base64')}"`));
  assert.match(html, /<h3>Figure 11<\/h3>\n<p class="missing">Not drawn in this build/);
  assert.match(html, /<a href="notebooks\/06%20experiments%20%26%20more\.html">06 experiments &amp; more\.html<\/a><\/td><td>ok<\/td><td class="num">80<\/td>/);
  assert.match(html, /make reproduce \(profile smoke\): 2 notebooks and 1 figures in 321 s/);
});

test('real data: a real store and real Table 2 rows give the real-data banner, the real store hash and the download lock', () => {
  const fx = fixtureBuild();
  for (const f of ['table2.json', 'baselines/table2.json']) {
    const file = path.join(fx.build, 'results', f);
    const t = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const r of t.rows) r.source = 'real';
    fs.writeFileSync(file, JSON.stringify(t));
  }
  const real = new SwarmStore((s) => path.join(fx.build, 'store', s));
  const files = [real.writeDay({ ...day('2016-02-10', 200, 3), source: 'real' })];
  const lockFile = path.join(fx.build, 'download-lock.json');
  const entry = (id: string, bytes: number) => ({ id, kind: 'swarm-mag', format: 'csv', url: `https://vires.services/hapi/data?id=${id}`, file: `${id}.csv`, start: null, stop: null, fetchedAt: '2024-01-01T00:00:00Z', bytes, sha256: sha(id), rows: 10, attempts: 1 });
  writeLock(lockFile, { ...emptyLock(), files: { a: entry('a', 1000), b: entry('b', 2345) } } as Lock);
  const r = writeReport({ profile: smoke, paths: reportPaths(fx.build, fx.figures, lockFile) });
  assert.is(r.source, 'real');
  const html = fs.readFileSync(r.file, 'utf8');
  assert.match(html, /<title>SafeNet reproduced and audited: profile smoke \(real data\)<\/title>/);
  assert.match(html, /REAL DATA: the Swarm A tracks come from ESA/);
  assert.not.match(html, /SIMULATED DATA/);
  assert.ok(html.includes(combined(files)), 'combined sha256 of the real store');
  assert.match(html, /\(make data\): 2 files, 3,345 bytes, each with its URL and sha256; the lock&#39;s own sha256 is [0-9a-f]{64}\./);
  assert.ok(html.includes(sha(fs.readFileSync(lockFile))));
});

test('missing inputs: the page says "not run" for each; nothing is invented', () => {
  const root = tempDir('report-empty-');
  const rp = reportPaths(path.join(root, 'build'), path.join(root, 'figures'), path.join(root, 'no-lock.json'));
  const r = writeReport({ profile: smoke, paths: rp });
  assert.equal(r.missing.sort(), ['environment.json', 'notebooks', 'results/audit/model-audit.json', 'results/baselines/table2.json', 'results/shortcuts.json', 'results/table2.json']);
  assert.is(r.source, null);
  const html = fs.readFileSync(r.file, 'utf8');
  assert.match(html, /SafeNet: not run \(results\/table2\.json is missing\)/);
  assert.match(html, /Model audit: not run \(results\/audit\/model-audit\.json is missing\)/);
  assert.match(html, /No Swarm A store of this profile was found/);
  assert.match(html, /environment\.json is missing: no notebook ran in this build folder\.<\/p>\n<p>This report was written at git commit [0-9a-f]{40}.*simulator=20140401/);
  assert.not.match(html, /SIMULATED DATA/);
  assert.not.match(html, /<img /);
});

test('malformed inputs stop the report with the file and the field', () => {
  const fx = fixtureBuild();
  const rp = reportPaths(fx.build, fx.figures);
  const t2 = path.join(fx.build, 'results', 'table2.json');
  const good = fs.readFileSync(t2, 'utf8');
  const bad = JSON.parse(good);
  bad.rows[1].cells.mcc.ours = '0.5';
  fs.writeFileSync(t2, JSON.stringify(bad));
  expectError(() => writeReport({ profile: smoke, paths: rp }), /results\/table2\.json \(Table 2 of SafeNet\) is malformed:\n {2}\/rows\/1\/cells\/mcc\/ours: expected number or null, got string/);
  fs.writeFileSync(t2, good);
  fs.writeFileSync(path.join(fx.build, 'results', 'shortcuts.json'), '{"profile": "smoke", "shortcuts": [');
  expectError(() => writeReport({ profile: smoke, paths: rp }), /results\/shortcuts\.json \(shortcut audit\) is not valid JSON/);
  fs.rmSync(path.join(fx.build, 'results', 'shortcuts.json'));
  fs.writeFileSync(path.join(fx.build, 'results', 'audit', 'model-audit.json'), JSON.stringify({ summary: [{ title: 'x', sentences: [1], rows: [] }] }));
  expectError(() => writeReport({ profile: smoke, paths: rp }), /results\/audit\/model-audit\.json \(model audit\) is malformed:\n {2}\/summary\/0\/sentences\/0: expected string, got integer/);
  assert.not.ok(fs.existsSync(path.join(fx.build, 'report.html')), 'no report written from malformed inputs');
});

test('shortcut verdicts: an interval above 0 is "separable", one reaching 0 is not', () => {
  const row = (mcc: number, lo: number, hi: number) => ({ dataset: 3, protocol: 'controlled' as const, run: 'null' as const, features: 'position' as const, classifier: 'knn' as const, mcc, lo, hi, containsZero: lo <= 0 && hi >= 0, trainWindows: 10, testWindows: 5, testEvents: 2 });
  const v = (rows: ReturnType<typeof row>[]) => shortcutVerdicts({ profile: 'smoke', shortcuts: rows, datasets: [], class1Kept: [] }).rows[0]['separable by nuisance features'];
  assert.is(v([row(0.2, 0.01, 0.4)]), 'yes');
  assert.is(v([row(0.2, 0, 0.4)]), 'no');
  assert.is(v([row(-0.3, -0.5, -0.1)]), 'no');
});

test('in chromium (headless): the report renders, its figures decode, its links resolve, it requests nothing outside, markup stays text', async () => {
  const exe = findChromium();
  if (!exe) assert.unreachable(`chromium is not installed: this test renders build/report.html in it; run: ${CHROMIUM_INSTALL}`);
  const fx = fixtureBuild();
  const r = writeReport({ profile: smoke, paths: reportPaths(fx.build, fx.figures) });
  const shot = path.join(fx.build, 'report.png');
  const c = await checkInChromium(r.file, { screenshot: shot, timeoutMs: 120_000 });
  assert.equal(c.problems, [], c.problems.join('\n'));
  assert.match(c.facts.title, /^SafeNet reproduced and audited: profile smoke \(simulated data\)$/);
  assert.equal(c.facts.images.map((i) => [i.naturalWidth, i.naturalHeight]), [[420, 260], [360, 220]]);
  assert.ok(c.facts.images.every((i) => i.width >= 300), 'figures shown at their size');
  assert.ok(c.facts.text.includes("GBM <script>document.title='pwned'</script>"), 'the string shows as text');
  assert.ok(c.facts.text.includes('SIMULATED DATA'));
  assert.is(c.facts.scripts, 0);
  const hrefs = c.facts.links.map((l) => l.href);
  assert.ok(hrefs.includes('notebooks/00-overview.html') && hrefs.includes('notebooks/06%20experiments%20%26%20more.html'), hrefs.join(' '));
  assert.ok(c.requests.length >= 1 && c.requests.every((u) => u.startsWith('file:') || u.startsWith('data:')), c.requests.join(' '));
  const png = decodePng(fs.readFileSync(shot), shot);
  assert.is(png.width, 1280);
  assert.ok(png.height > 2000, `full page: ${png.height} px`);
  assert.ok(c.screenshot.stddev > 10 && c.screenshot.nonBackground > 0.02, JSON.stringify(c.screenshot));
});

test('in chromium: the check catches a broken image, a dangling link and anchor, an outside request and a blank page', async () => {
  if (!findChromium()) assert.unreachable(`chromium is not installed; run: ${CHROMIUM_INSTALL}`);
  const dir = tempDir('report-bad-');
  const page = path.join(dir, 'bad.html');
  fs.writeFileSync(page, '<!DOCTYPE html><html><head><title>bad</title></head><body>' +
    '<img alt="broken" src="data:image/png;base64,iVBORw0KGgo="><img alt="outside" src="http://127.0.0.1:9/x.png">' +
    '<a href="missing.html">gone</a><a href="#nowhere">anchor</a></body></html>');
  const c = await checkInChromium(page, { screenshot: path.join(dir, 'bad.png'), timeoutMs: 120_000 });
  const all = c.problems.join('\n');
  assert.match(all, /image 'broken' .*did not decode/);
  assert.match(all, /image 'outside' is not inlined/);
  assert.match(all, /link 'gone' \(missing\.html\) does not resolve/);
  assert.match(all, /link 'anchor' points to #nowhere/);
  assert.match(all, /the page requested http:\/\/127\.0\.0\.1:9\/x\.png/);
  assert.match(all, /almost no text/);
  assert.match(all, /looks blank/);
});

test.run();
