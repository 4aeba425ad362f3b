// build/report.html (issue 15 item 5): ONE self-contained page a reviewer opens offline. Table 2 of the paper
// (section 4) beside ours under the paper protocol and the controlled one, with the baselines, intervals and
// differences; the audits' verdicts in plain words; the data used (real or simulated, period, counts, checksums);
// the environment; Figures 5, 11, 12 and the injection-recovery curve inlined as data: URIs; relative links to every
// executed notebook's HTML. It only reads what the build wrote (nothing is trained or simulated here); a missing
// input is said ("not run"), a malformed one stops with its file and field. `make reproduce` writes it last.
// CLI: npx tsx lib/report/report.ts [--profile smoke|default|paper]   (SAFENET_BUILD_DIR / SAFENET_FIGURES_DIR apply)
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { activeProfile, Profile, PROFILES, ProfileName, SEEDS } from '../core/config';
import { writeFileAtomic } from '../core/atomic';
import { captureEnvironment } from '../core/environment';
import { rel } from '../core/paths';
import { readLock } from '../download/lock';
import { controlRows } from '../audit/report';
import { TABLE2_METRICS, Table2Metric, Table2Row } from '../experiments/table2';
import { builtDatasets, chooseSource, DatasetEntry, manifestInputs, Source, storeDigest, StoreDigest } from './data';
import { Cell, esc, fmt3, hrefOf, p, recordsTable, signed3, STYLE, table } from './html';
import {
  AuditSummaryItem, ENVIRONMENT_SCHEMA, Environment, MODEL_AUDIT_SCHEMA, readChecked, ReportPaths, reportPaths,
  ReproduceSummary, SHORTCUTS_SCHEMA, ShortcutsFile, SUMMARY_SCHEMA, TABLE2_SCHEMA, Table2File,
} from './inputs';

/** The figures the report inlines: the paper's Figures 5, 11 and 12, the null audit and the injection-recovery curve (issue 15). */
export const REPORT_FIGURES: { label: string; match: RegExp; about: string }[] = [
  { label: 'Figure 5', match: /^fig05-safenet-ds03$/, about: 'SafeNet on DataSet 03: ROC per class and MCC/F1/accuracy (paper Figure 5).' },
  { label: 'Figure 11', match: /^fig11-baselines$/, about: 'SafeNet beside the five baselines on DataSet 03 (paper Figure 11).' },
  { label: 'Figure 12', match: /^fig12-safenet-predictions$/, about: "SafeNet's predictions on DataSet 03 (paper Figure 12)." },
  { label: 'Null audit', match: /^audit-null-auc$/, about: 'Class 1 vs 0 AUC of each model trained and scored on the null run (nothing injected), per protocol, with intervals (issue 15).' },
  { label: 'Injection recovery', match: /recovery/, about: "SafeNet's class-1 recall, AUC and MCC against the injected amplitude, beside the precursor ceiling (issue 15)." },
];

const METRIC_LABEL: Record<Table2Metric, string> = { mcc: 'MCC', f1: 'F1', accuracy: 'Accuracy', auc0: 'AUC class 0', auc1: 'AUC class 1', auc2: 'AUC class 2' };

export interface ReportOptions {
  profile?: Profile;
  paths?: ReportPaths;
  /** Now, for the page's time stamp. */
  now?: Date;
}

export interface ReportResult {
  file: string;
  bytes: number;
  source: Source | null;
  /** Inputs that were missing (said in the page). */
  missing: string[];
  figures: string[];
  notebooks: string[];
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function metricCell(c: Table2Row['cells'][Table2Metric]): Cell {
  const ours = c.ours === null ? `<div>${esc('\u2014')}</div>`
    : `<div><b>${esc(fmt3(c.ours))}</b></div>${c.lo === null || c.hi === null ? '' : `<div class="ci">[${esc(fmt3(c.lo))}, ${esc(fmt3(c.hi))}]</div>`}`;
  const paper = c.paper === null ? '' : `<div class="paper">paper ${esc(fmt3(c.paper))}</div><div class="diff">\u0394 ${esc(signed3(c.diff))}</div>`;
  return { html: ours + paper, cls: 'metric' };
}

function table2Html(rows: Table2Row[]): string {
  const header = ['Method', 'Dataset', 'Protocol / model choice', 'Data', 'Test windows (events)', ...TABLE2_METRICS.map((m) => METRIC_LABEL[m])];
  return table(header, rows.map((r) => [
    r.method, r.datasetName, `${r.protocol} / ${r.selection}`, r.source, `${r.testWindows.toLocaleString('en-US')} (${r.testEvents.toLocaleString('en-US')})`,
    ...TABLE2_METRICS.map((m) => metricCell(r.cells[m])),
  ]), { cls: 'table2' });
}


function sectionTable2(rp: ReportPaths, missing: string[], profile: Profile): { html: string; sources: string[] } {
  const f1 = path.join(rp.results, 'table2.json');
  const f2 = path.join(rp.results, 'baselines', 'table2.json');
  const safenet = readChecked<Table2File>(f1, TABLE2_SCHEMA, 'Table 2 of SafeNet', rp.build);
  const baselines = readChecked<Table2File>(f2, TABLE2_SCHEMA, 'Table 2 of the baselines', rp.build);
  const out: string[] = ['<h2 id="table2">Table 2: the paper beside ours</h2>'];
  out.push(p('Each cell: our value on the test part (bold), its 95 % bootstrap interval (resampling events), the paper\'s value, ' +
    'and the difference \u0394 = ours \u2212 paper. F1 is micro-averaged, as in the paper (equal to accuracy). ' +
    'The paper chose its models on the test set; "validation" rows chose on the validation part, "test" rows the paper\'s way.'));
  const sources: string[] = [];
  for (const [file, data, what] of [[f1, safenet, 'SafeNet'], [f2, baselines, 'Baselines']] as const) {
    if (!data) {
      missing.push(path.relative(rp.build, file));
      out.push(p(`${what}: not run (${path.relative(rp.build, file)} is missing).`, 'missing'));
      continue;
    }
    sources.push(...data.rows.map((r) => r.source));
    if (data.profile !== profile.name) out.push(p(`Note: ${path.relative(rp.build, file)} was written for profile ${data.profile}, this report describes profile ${profile.name}.`, 'missing'));
  }
  const rows = safenet?.rows ?? [];
  const byProtocol = (prot: string) => rows.filter((r) => r.protocol === prot);
  for (const [prot, title] of [['paper', 'SafeNet, paper protocol'], ['controlled', 'SafeNet, controlled protocol (shortcut controls on)']] as const) {
    out.push(`<h3>${esc(title)}</h3>`);
    const r = byProtocol(prot);
    out.push(r.length ? table2Html(r) : p(safenet ? `No ${prot}-protocol rows in results/table2.json.` : 'not run', 'missing'));
  }
  const other = rows.filter((r) => r.protocol !== 'paper' && r.protocol !== 'controlled');
  if (other.length) out.push('<h3>SafeNet, other protocols</h3>', table2Html(other));
  out.push('<h3>Baselines beside SafeNet on DataSet 03</h3>');
  // SafeNet's DataSet 03 rows first (from the SafeNet table, once), then the baselines, as in the paper's Table 2
  const baselineProtocols = new Set((baselines?.rows ?? []).filter((r) => r.method !== 'SafeNet').map((r) => r.protocol));
  const safenet03 = rows.filter((r) => r.method === 'SafeNet' && r.dataset === 3);
  const brows = [
    ...safenet03.filter((r) => baselineProtocols.has(r.protocol)),
    // the baselines' file repeats SafeNet's row: shown only when the SafeNet table has none for that protocol
    ...(baselines?.rows ?? []).filter((r) => r.method !== 'SafeNet' || !safenet03.some((q) => q.protocol === r.protocol)),
  ];
  out.push(brows.length ? table2Html(brows) : p(baselines ? 'No baseline rows in results/baselines/table2.json.' : 'not run', 'missing'));
  const spec = (s: unknown): string => typeof s === 'string' ? s
    : s && typeof s === 'object' ? Object.entries(s).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ') : String(s);
  const skipped = [...(safenet?.skipped ?? []).map((s) => ({ ...s, what: `SafeNet (${spec(s.spec)})` })), ...(baselines?.skipped ?? []).map((s) => ({ ...s, what: spec(s.spec) }))];
  if (skipped.length) out.push('<h3>Not run</h3>', table(['What', 'Why'], skipped.map((s) => [s.what, s.reason])));
  out.push('<h3>The controls of the controlled protocol</h3>', recordsTable(controlRows()));
  return { html: out.join('\n'), sources };
}

/** Plain-word verdicts of the shortcut audit: per dataset, protocol and run, whether nuisance features separate class 1 from 0. */
export function shortcutVerdicts(s: ShortcutsFile): { sentences: string[]; rows: Record<string, string | number | null>[] } {
  const groups = new Map<string, ShortcutsFile['shortcuts']>();
  for (const r of s.shortcuts) {
    const k = `${r.dataset}|${r.protocol}|${r.run}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const sentences: string[] = [];
  const rows: Record<string, string | number | null>[] = [];
  const order = (r: ShortcutsFile['shortcuts'][number]) => r.dataset * 100 + (r.protocol === 'paper' ? 0 : r.protocol === 'controlled' ? 10 : 20) + (r.run === 'signal' ? 0 : 1);
  for (const g of [...groups.values()].sort((a, b) => order(a[0]) - order(b[0]))) {
    const best = g.reduce((m, r) => (r.mcc > m.mcc ? r : m), g[0]);
    const separating = g.filter((r) => !r.containsZero && r.lo > 0);
    const name = `DataSet ${String(best.dataset).padStart(2, '0')}`;
    const run = best.run === 'null' ? 'null run (nothing injected)' : 'signal run';
    const iv = `MCC ${fmt3(best.mcc)} [${fmt3(best.lo)}, ${fmt3(best.hi)}]`;
    sentences.push(separating.length
      ? `${name}, ${best.protocol} protocol, ${run}: nuisance features alone separate class 1 from class 0 \u2014 ${separating.length} of ${g.length} classifiers have an MCC interval above 0; the largest is ${iv} (${best.features}, ${best.classifier}).`
      : `${name}, ${best.protocol} protocol, ${run}: no nuisance-feature classifier separates class 1 from class 0 (every MCC interval reaches 0; the largest is ${iv}, ${best.features}, ${best.classifier}).`);
    rows.push({
      dataset: name, protocol: best.protocol, run: best.run, 'separable by nuisance features': separating.length ? 'yes' : 'no',
      'classifiers above 0': `${separating.length} of ${g.length}`, 'largest MCC': Number(best.mcc.toFixed(3)), interval: `${fmt3(best.lo)} .. ${fmt3(best.hi)}`,
      'by what': `${best.features} (${best.classifier})`, 'test windows': best.testWindows, 'test events': best.testEvents,
    });
  }
  for (const d of s.datasets) {
    const name = `DataSet ${String(d.dataset).padStart(2, '0')}, ${d.protocol} protocol`;
    if (d.ceiling && d.ceiling.testMcc !== null) sentences.push(`${name}: a perfect detector of the injected packets would reach MCC ${fmt3(d.ceiling.testMcc)} on the test part (the precursor ceiling).`);
    const a = d.band?.all.auc;
    if (a) sentences.push(`${name}: the 0.1\u20130.5 Hz band energy tells packet windows from class 0 with AUC ${fmt3(a.estimate)} [${fmt3(a.lo)}, ${fmt3(a.hi)}].`);
  }
  for (const k of s.class1Kept) {
    if (k.share !== null) sentences.push(`DataSet ${String(k.dataset).padStart(2, '0')}: the controls keep ${k.controlled.toLocaleString('en-US')} of ${k.paper.toLocaleString('en-US')} class-1 windows (${(k.share * 100).toFixed(0)} %).`);
  }
  return { sentences, rows };
}

function sectionAudit(rp: ReportPaths, missing: string[]): string {
  const out: string[] = ['<h2 id="audit">The audits\' verdicts</h2>', '<h3>Model audit (null run, injection recovery, protocol optimism)</h3>'];
  const fm = path.join(rp.results, 'audit', 'model-audit.json');
  const model = readChecked<{ summary: AuditSummaryItem[] }>(fm, MODEL_AUDIT_SCHEMA, 'model audit', rp.build);
  if (!model) {
    missing.push(path.relative(rp.build, fm));
    out.push(p(`Model audit: not run (${path.relative(rp.build, fm)} is missing).`, 'missing'));
  } else if (model.summary.length === 0) {
    out.push(p('Model audit: the summary is empty.', 'missing'));
  } else {
    for (const item of model.summary) {
      out.push(`<h4>${esc(item.title)}</h4>`, ...item.sentences.map((s) => p(s)));
      if (item.rows.length) out.push(recordsTable(item.rows));
    }
  }
  out.push('<h3>Shortcut audit (nuisance features only, class 1 vs 0)</h3>');
  const fs1 = path.join(rp.results, 'shortcuts.json');
  const sc = readChecked<ShortcutsFile>(fs1, SHORTCUTS_SCHEMA, 'shortcut audit', rp.build);
  if (!sc) {
    missing.push(path.relative(rp.build, fs1));
    out.push(p(`Shortcut audit: not run (${path.relative(rp.build, fs1)} is missing).`, 'missing'));
  } else {
    const v = shortcutVerdicts(sc);
    out.push(`<ul>${v.sentences.map((s) => `<li>${esc(s)}</li>`).join('\n')}</ul>`);
    if (v.rows.length) out.push(recordsTable(v.rows));
  }
  return out.join('\n');
}

function digestRow(d: StoreDigest): Cell[] {
  return [`${d.source} (${d.run === 'null' ? 'null run: nothing injected' : d.source === 'simulated' ? 'signal run: injected precursors' : 'make data'})`,
    d.days, d.first && d.last ? `${d.first} .. ${d.last}` : null,
    { html: d.combined ? `<span class="hash">${esc(d.combined)}</span>` : esc('\u2014'), cls: 'hashcell' },
    { html: d.groundTruth ? `<span class="hash">${esc(d.groundTruth)}</span>` : esc('\u2014'), cls: 'hashcell' }];
}

function datasetRows(ds: DatasetEntry[]): Cell[][] {
  return ds.map((d) => {
    const c = d.manifest.counts;
    const perClass = [0, 1, 2].map((k) => c.bySplitClass.reduce((a, s) => a + (s[k] ?? 0), 0));
    const ev = d.manifest.events as { used?: number; nonSeismicPlaced?: number } | undefined;
    return [d.manifest.config.name, d.run, d.protocol, c.windows, perClass.map((n) => n.toLocaleString('en-US')).join(' / '),
      c.eventsBySplit.map((n) => n.toLocaleString('en-US')).join(' / '),
      ev && typeof ev.used === 'number' ? `${ev.used.toLocaleString('en-US')} + ${(ev.nonSeismicPlaced ?? 0).toLocaleString('en-US')}` : null,
      { html: `<span class="hash">${esc(d.manifest.hash)}</span>` }];
  });
}

function sectionData(rp: ReportPaths, profile: Profile, source: Source | null): string {
  const out: string[] = ['<h2 id="data">The data used</h2>'];
  if (source === 'simulated') {
    out.push('<p class="banner">SIMULATED DATA: the Swarm A tracks of this build are simulated (the embedded default), with injected ' +
      'precursor signals of known timing. The earthquake catalog (USGS ComCat) and Kp/Dst are real. None of these scores ' +
      'is a statement about real earthquakes.</p>');
  } else if (source === 'real') {
    out.push('<p class="banner real">REAL DATA: the Swarm A tracks come from ESA (make data), with the real USGS catalog and Kp.</p>');
  } else {
    out.push(p('No Swarm A store of this profile was found in the build folder.', 'missing'));
  }
  out.push(table(['Profile', 'Period', 'Extra days', 'Events at most', 'Datasets'], [[
    `${profile.name}: ${profile.description}`, `${profile.from} .. ${profile.to}`, profile.extraDays.join(', ') || '\u2014',
    profile.maxEvents === null ? 'all' : profile.maxEvents, profile.datasets.map((d) => String(d).padStart(2, '0')).join(', '),
  ]]));
  const digests: StoreDigest[] = [];
  if (source) digests.push(storeDigest(rp.store(source), source, 'signal', profile));
  if (source === 'simulated') digests.push(storeDigest(rp.storeNull, 'simulated', 'null', profile));
  out.push('<h3>Swarm A store</h3>', p('Combined sha256: of the lines "day sha256-of-the-day-file" in day order, over the profile\'s days.'),
    table(['Store', 'Days', 'From .. to', 'Combined sha256', 'ground-truth.json sha256'], digests.map(digestRow)));
  const ds = source ? builtDatasets(rp, source, profile) : [];
  out.push('<h3>Datasets (Table 1)</h3>');
  out.push(ds.length
    ? table(['Dataset', 'Run', 'Protocol', 'Windows', 'Windows per class 0 / 1 / 2', 'Events per split train / validation / test', 'Events real + artificial', 'Content hash'], datasetRows(ds))
    : p('No built datasets of this profile in the build folder.', 'missing'));
  out.push('<h3>Real inputs (data-manifest.json)</h3>');
  const inputs = manifestInputs();
  const data = inputs.filter((e) => e.kind === 'data');
  out.push(p(`The real third-party data the pipeline reads, shipped in data/ or downloaded by make data (the download lock records each file's sha256); ` +
    `${inputs.length - data.length} more entries of data-manifest.json are test fixtures, licences and provenance notes.`));
  if (fs.existsSync(rp.downloadLock)) {
    const lock = readLock(rp.downloadLock);
    const files = Object.values(lock.files);
    const bytes = files.reduce((a, f) => a + (typeof f.bytes === 'number' ? f.bytes : 0), 0);
    out.push(p(`Download lock ${rel(rp.downloadLock)} (make data): ${files.length.toLocaleString('en-US')} files, ` +
      `${bytes.toLocaleString('en-US')} bytes, each with its URL and sha256; the lock's own sha256 is ${sha256(rp.downloadLock)}.`));
  }
  out.push(table(['Input', 'Role', 'Path', 'Bytes', 'sha256', 'Licence'], data.map((e) => [
    e.id, e.role, { html: esc(e.localPath), cls: 'path' }, e.bytes ?? null, { html: e.sha256 ? `<span class="hash">${esc(e.sha256)}</span>` : esc('(download lock)'), cls: 'hashcell' }, e.licence,
  ])));
  return out.join('\n');
}

function sectionEnvironment(rp: ReportPaths, missing: string[]): string {
  const out: string[] = ['<h2 id="environment">Environment</h2>'];
  const env = readChecked<Environment>(rp.environment, ENVIRONMENT_SCHEMA, 'environment', rp.build);
  const now = captureEnvironment('(not selected: the report trains nothing)');
  if (!env) {
    missing.push(path.relative(rp.build, rp.environment));
    out.push(p(`${path.relative(rp.build, rp.environment)} is missing: no notebook ran in this build folder.`, 'missing'));
    out.push(p(`This report was written at git commit ${now.git.commit ?? '(not a git checkout)'}${now.git.dirty ? ' (with uncommitted changes to tracked files)' : ''}; ` +
      `the named seeds of lib/core/config.ts: ${Object.entries(SEEDS).map(([k, v]) => `${k}=${v}`).join(', ')}.`));
  } else {
    const git = (g: Environment['git']) => `${g.commit ?? 'not a git checkout'}${g.dirty ? ' (with uncommitted changes to tracked files)' : g.dirty === false ? ' (clean)' : ''}`;
    out.push(table(['Item', 'Value'], [
      ['profile', `${env.profile.name} (${env.profile.from} .. ${env.profile.to})`],
      ['seeds', Object.entries(env.seeds).map(([k, v]) => `${k}=${v}`).join(', ')],
      ['training backend', env.backend],
      ['node', env.node],
      ['packages', Object.entries(env.packages).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['git commit (notebooks)', git(env.git)],
      ['git commit (this report)', git(now.git)],
      ['machine', `${env.platform}, ${env.cpus} cores, ${env.memoryGiB} GiB`],
      ['captured', `${env.capturedAt}${env.notebook ? ` (notebook ${env.notebook})` : ''}`],
    ]));
    if (env.git.commit !== now.git.commit) out.push(p('The notebooks ran at another commit than the one this report was written at.', 'missing'));
  }
  return out.join('\n');
}

function sectionFigures(rp: ReportPaths, simulated: boolean): { html: string; shown: string[] } {
  const out: string[] = ['<h2 id="figures">Key figures</h2>'];
  const names = fs.existsSync(rp.figures) ? fs.readdirSync(rp.figures).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)).sort() : [];
  const shown: string[] = [];
  for (const f of REPORT_FIGURES) {
    const name = names.find((n) => f.match.test(n));
    out.push(`<h3>${esc(f.label)}</h3>`);
    if (!name) {
      out.push(p(`Not drawn in this build (no figure matching ${f.match} in the figures folder).`, 'missing'));
      continue;
    }
    const svg = path.join(rp.figures, `${name}.svg`);
    const bytes = fs.readFileSync(svg);
    if (!/<svg[\s>]/.test(bytes.subarray(0, 4096).toString('utf8'))) throw new Error(`report: ${svg} is not an SVG file`);
    shown.push(name);
    out.push(`<figure><img src="data:image/svg+xml;base64,${bytes.toString('base64')}" alt="${esc(`${f.label}: ${name}`)}">` +
      `<figcaption>${esc(f.about)}${simulated ? ' Drawn from simulated data (its title says so).' : ''} File ${esc(name)}.svg, sha256 <span class="hash">${esc(sha256(svg))}</span>.</figcaption></figure>`);
  }
  return { html: out.join('\n'), shown };
}

function sectionNotebooks(rp: ReportPaths, summary: ReproduceSummary | null, missing: string[]): { html: string; links: string[] } {
  const out: string[] = ['<h2 id="notebooks">Executed notebooks</h2>'];
  const files = fs.existsSync(rp.notebooks) ? fs.readdirSync(rp.notebooks).filter((f) => f.endsWith('.html')).sort() : [];
  const links: string[] = [];
  if (!files.length) {
    missing.push(path.relative(rp.build, rp.notebooks));
    out.push(p(`No executed notebook in ${path.relative(rp.build, rp.notebooks) || '.'}/ (run make reproduce).`, 'missing'));
  } else {
    out.push(table(['Notebook', 'Run', 'Seconds'], files.map((f) => {
      const rel = path.relative(rp.build, path.join(rp.notebooks, f));
      links.push(rel);
      const run = summary?.notebooks.find((n) => path.basename(n.notebook, '.ipynb') === path.basename(f, '.html'));
      return [{ html: `<a href="${hrefOf(rel)}">${esc(f)}</a>` }, run ? (run.ok ? ((run as { cached?: boolean }).cached ? 'ok (not run again: inputs unchanged)' : 'ok') : 'failed') : null, run ? Math.round(run.seconds) : null];
    })));
  }
  if (summary) {
    out.push(p(`make reproduce (profile ${summary.profile}): ${summary.notebooks.length} notebooks and ${summary.figures.length} figures in ${Math.round(summary.seconds).toLocaleString('en-US')} s.`));
    if (summary.steps.length) out.push(table(['Step', 'Seconds'], summary.steps.map((s) => [s.step, Math.round(s.seconds)])));
  }
  return { html: out.join('\n'), links };
}

/** Write build/report.html (atomically) from what the build holds. */
export function writeReport(o: ReportOptions = {}): ReportResult {
  const profile = o.profile ?? activeProfile();
  const rp = o.paths ?? reportPaths();
  const missing: string[] = [];
  const t2 = sectionTable2(rp, missing, profile);
  const source = chooseSource(rp, profile, t2.sources);
  const simulated = source === 'simulated';
  const summary = readChecked<ReproduceSummary>(rp.summary, SUMMARY_SCHEMA, 'reproduce summary', rp.build);
  const figures = sectionFigures(rp, simulated);
  const notebooks = sectionNotebooks(rp, summary, missing);
  const title = `SafeNet reproduced and audited: profile ${profile.name}${simulated ? ' (simulated data)' : source === 'real' ? ' (real data)' : ''}`;
  const now = (o.now ?? new Date()).toISOString();
  const body = [
    `<h1>${esc(title)}</h1>`,
    p(`Xiong, Marchetti, De Santis, Zhang, Shen, SafeNet: SwArm for Earthquake Perturbations Identification Using Deep Learning Networks, Remote Sensing 2021, 13, 5033 (doi:10.3390/rs13245033), reproduced by this package. Written ${now}.`),
    simulated ? '<p class="banner">Simulated data: every score below comes from simulated Swarm A tracks (see "The data used").</p>' : '',
    '<nav><ul><li><a href="#table2">Table 2: the paper beside ours</a></li><li><a href="#audit">The audits\' verdicts</a></li>' +
      '<li><a href="#data">The data used</a></li><li><a href="#environment">Environment</a></li><li><a href="#figures">Key figures</a></li>' +
      '<li><a href="#notebooks">Executed notebooks</a></li></ul></nav>',
    t2.html,
    sectionAudit(rp, missing),
    sectionData(rp, profile, source),
    sectionEnvironment(rp, missing),
    figures.html,
    notebooks.html,
  ].join('\n');
  const html = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
  writeFileAtomic(rp.out, html);
  return { file: rp.out, bytes: Buffer.byteLength(html), source, missing, figures: figures.shown, notebooks: notebooks.links };
}

/** One line saying what was written. */
export function reportLine(r: ReportResult): string {
  return `report: ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB; ${r.source ?? 'no Swarm'} data, ${r.figures.length} figures, ${r.notebooks.length} notebook links` +
    `${r.missing.length ? `; not run: ${r.missing.join(', ')}` : ''})`;
}

if (require.main === module) {
  const i = process.argv.indexOf('--profile');
  const name = (i >= 0 ? process.argv[i + 1] : undefined) as ProfileName | undefined;
  try {
    if (name && !PROFILES[name]) throw new Error(`--profile ${name}: choose one of ${Object.keys(PROFILES).join(', ')}`);
    const r = writeReport({ profile: name ? PROFILES[name] : undefined });
    console.log(reportLine(r));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
